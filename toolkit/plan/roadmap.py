"""Feuille de route: when each action can start and end, from the generation date to the contract's end.

Rules (docs/methode.md, « Feuille de route »):
- Nothing starts before the semester following the diagnostic date, nor before the contract period.
- The plan is anchored in time: an action whose preparation (or start), planned from the diagnostic
  date, should already have begun on the generation date (`today`) is replanned from the first day of
  the next month; the start first planned is kept (`debut_initial`). It is `en_retard` only when the
  wished deadline can no longer be met: a replanned action whose deadline is still tenable is not late.
- The team's capacity bounds the prerequisite phases that run at once (`capacity`, derived from the
  governance answers by `team_capacity`, or set in `[feuille_de_route] capacite`): actions are placed
  in rank order, each at the first month where its prerequisite phases fit; the rest wait their turn.
- An action relying on a national programme that ended or was not renewed as is (`a_reconfigurer`) — or
  whose announced end comes before the action would start, no successor confirmed — is never scheduled as
  it was: a reconfiguration phase (find the successor, the funding) comes first.
- A one-day event (`evenement` in the catalogue: a forum, a job dating) is a milestone on its date
  (each year when it recurs), not a bar.
- Prerequisites come first. The three of the workbook (status cells): « À faire » takes its duration,
  « En cours » half of it; the diagnostic then the feasibility study in sequence, partner mobilisation
  alongside. The catalogue's own conditions of the action (`prerequis_detail`: land control, an
  habilitation by decree, a convention, a post recruited…) follow the diagnostic, one after the other
  when blocking, alongside when not; they are planned unless the workbook declares every prerequisite
  done or not applicable (they then remain points to confirm, see vigilance). A catalogue duration given
  for one of the three replaces the default duration.
- The action starts the month its blocking prerequisites end and lasts its catalogue duration; a
  continuous service (`continu` in the catalogue) started within the contract runs to its end.
- An action the workbook says has started (`Date de démarrage réelle`, follow-up column) keeps that
  date: no prerequisite phase, never late.
- Priority 1 starts first, each lower tier one semester later — unless starting earlier is what keeps
  the wished deadline.
- Milestones (`jalons`): an annual review each year of the contract still to come, the mid-term
  evaluation (the middle year of the period: 2027 for 2024–2030) and the end of the contract.

The wished deadline (`Échéance souhaitée`) is read as the date by which the action should be ENGAGED
(prerequisites lifted, action started): many actions are continuous services (a manager de commerce,
a facilitateur des clauses) whose catalogue duration is a running period, not a delivery date.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

from ..catalog.actions import ActionDef
from ..catalog.catalogue import Catalogue
from ..model import PREREQUIS, Action
from ..results import ActionScore, Jalon, Phase
from ..text import normalize_key

DEFAULT_PERIOD = (2024, 2030)
#: Duration of a local action (no catalogue entry).
DEFAULT_ACTION_MONTHS = 12
#: Semesters of delay added per priority tier below the first.
TIER_OFFSET_SEMESTERS = 1
STATUS_FACTOR = {"À faire": 1.0, "En cours": 0.5}
#: Months to reconfigure an action whose national programme ended (find the successor and its funding).
RECONFIGURATION_MONTHS = 6
RECONFIGURATION_LABEL = "Reconfiguration (programme national non reconduit sous sa forme actuelle)"
#: The same first step when the programme's announced end comes before the action starts, no successor confirmed.
#: Said as it is on the day the report is read: the programme may still run (TZCLD to 31 December 2026, a
#: pérennisation bill pending; domain-facts § 8), so never « arrivé à son terme ».
EXPIRED_LABEL = "Cadre national à confirmer (fin annoncée avant ce démarrage, suite non confirmée)"
#: Prerequisite phases a team can run at once, by the answer to « Une personne consacre-t-elle une part
#: identifiée de son temps au volet économique ? » (GOUV03): a dedicated person, part of one, nobody.
CAPACITY_BY_ANSWER = {"Oui": 6, "Partiel": 5, "Non": 4, "Ne sait pas": 4}
CAPACITY_QUESTION = "GOUV03"
DEFAULT_CAPACITY = 4


def team_capacity(detail: Sequence[tuple[str, str, str | None]], override: int | None = None) -> int:
    """How many prerequisite phases the team can run at once (docs/methode.md, « Capacité de l'équipe »).

    `override` (`[feuille_de_route] capacite`) wins; else the answer to GOUV03; else the prudent default.
    """
    if override is not None:
        return override
    answer = next((r for code, _, r in detail if code == CAPACITY_QUESTION), None)
    return CAPACITY_BY_ANSWER.get(answer or "", DEFAULT_CAPACITY)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1) if d.day == 1 else _clamp_day(d.year + y, m + 1, d.day)


def _clamp_day(year: int, month: int, day: int) -> date:
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


def next_semester(d: date) -> date:
    """First day of the semester following the one containing `d`."""
    return date(d.year, 7, 1) if d.month <= 6 else date(d.year + 1, 1, 1)


def first_start(diagnostic: date, periode: tuple[int, int] | None) -> date:
    start_year = (periode or DEFAULT_PERIOD)[0]
    return max(date(start_year, 1, 1), next_semester(diagnostic))


def period_end(periode: tuple[int, int] | None) -> date:
    return date((periode or DEFAULT_PERIOD)[1], 12, 31)


def month_after(d: date) -> date:
    """First day of the month following `d` (`d` itself when it is a first of the month)."""
    return d if d.day == 1 else add_months(date(d.year, d.month, 1), 1)


def _days_before(d: date) -> date:
    return d - timedelta(days=1)


def declared_ready(action: Action) -> bool:
    """The workbook states every prerequisite and none is « À faire » or « En cours »."""
    return bool(action.prerequis) and all(v not in STATUS_FACTOR for v in action.prerequis.values())


def prerequisite_months(
    action: Action, durations: Mapping[str, int], definition: ActionDef | None = None
) -> dict[str, int]:
    """Months still needed per workbook prerequisite (0 when done, not applicable or not stated).

    The catalogue's duration for that prerequisite of this action, when it gives one, replaces the default.
    """
    detail = {normalize_key(p.quoi): p.duree_mois for p in (definition.prerequis_detail if definition else ())}
    out = {}
    for p in PREREQUIS:
        factor = STATUS_FACTOR.get(action.prerequis.get(p, ""), 0.0)
        out[p] = math.ceil(detail.get(normalize_key(p), durations.get(p, 6)) * factor)
    return out


def schedule(
    action: Action, t0: date, durations: Mapping[str, int], catalogue: Catalogue, end: date | None = None
) -> tuple[date, date, tuple[Phase, ...]]:
    """(start, end, phases) of one action whose preparation begins at `t0`; `end`: the contract's end."""
    d = catalogue.action(action.code)
    months = prerequisite_months(action, durations, d)
    diag, etude, mob = (months[p] for p in PREREQUIS)
    phases: list[Phase] = []
    if d is not None and (d.a_reconfigurer or d.expired_before(t0)) and action.date_demarrage is None:
        # the programme it relied on ended (or ends before this starts): reconfigure first (successor,
        # funding), then the usual steps
        label = RECONFIGURATION_LABEL if d.a_reconfigurer else EXPIRED_LABEL
        phases.append(Phase(label, "prerequis", t0, _days_before(add_months(t0, RECONFIGURATION_MONTHS))))
        t0 = add_months(t0, RECONFIGURATION_MONTHS)
    if diag:
        phases.append(Phase(PREREQUIS[0], "prerequis", t0, _days_before(add_months(t0, diag))))
    if etude:
        s = add_months(t0, diag)
        phases.append(Phase(PREREQUIS[1], "prerequis", s, _days_before(add_months(s, etude))))
    if mob:
        phases.append(Phase(PREREQUIS[2], "prerequis", t0, _days_before(add_months(t0, mob))))
    ready = add_months(t0, max(diag + etude, mob))
    if d is not None and not declared_ready(action):
        own = {normalize_key(p) for p in PREREQUIS}
        cursor = add_months(t0, diag)
        for p in d.prerequis_detail:
            if normalize_key(p.quoi) in own or p.duree_mois <= 0:
                continue
            s = cursor if p.bloquant else t0
            fin = add_months(s, p.duree_mois)
            phases.append(Phase(p.quoi, "prerequis", s, _days_before(fin), bloquant=p.bloquant, origine="catalogue"))
            if p.bloquant:
                cursor = fin
        ready = max(ready, cursor)
    debut = ready
    duree = d.duree_mois if d else DEFAULT_ACTION_MONTHS
    fin = _days_before(add_months(debut, duree))
    if d is not None and d.continu and end is not None and debut <= end:
        fin = end  # a running service lasts as long as the contract (not its first period)
    label = d.intitule if d and not action.intitule else (action.intitule or action.code)
    phases.append(Phase(label, "action", debut, fin))
    return debut, fin, tuple(phases)


def plan(
    scores: Sequence[ActionScore],
    diagnostic: date,
    periode: tuple[int, int] | None = None,
    durations: Mapping[str, int] | None = None,
    *,
    catalogue: Catalogue,
    today: date | None = None,
    capacity: int | None = None,
) -> tuple[ActionScore, ...]:
    """The same actions, in rank order, with dates, `echeance_tenue`, `en_retard` and Gantt `phases` set.

    `today`: the generation date (default: the diagnostic date, i.e. nothing is late). `capacity`: the
    most prerequisite phases running at once (None: unbounded).
    """
    load = _Load(capacity)
    durations = durations or catalogue.prerequis_durations
    end = period_end(periode)
    start = first_start(diagnostic, periode)
    now = max(start, month_after(today)) if today is not None else start
    out: dict[int, ActionScore] = {}
    defs = [catalogue.action(s.action.code) for s in scores]
    reinforces = [d is not None and d.renfort_equipe for d in defs]
    # an action that gives the team its capacity (a post for the pillar) is placed first, whatever its rank:
    # the plan's capacity assumes it (Vauvert's chef de projet, ranked 7th, came after actions it was to run)
    for k in sorted(range(len(scores)), key=lambda k: (not reinforces[k], k)):
        s, d = scores[k], defs[k]
        offset = 0 if reinforces[k] else TIER_OFFSET_SEMESTERS * (s.priorite - 1)
        if s.action.date_demarrage is not None:  # already started (follow-up column): the real date stands
            debut = s.action.date_demarrage
            fin = _days_before(add_months(debut, d.duree_mois if d else DEFAULT_ACTION_MONTHS))
            if d is not None and d.continu and debut <= end:
                fin = end
            label = d.intitule if d and not s.action.intitule else (s.action.intitule or s.action.code)
            wish = s.action.echeance
            out[k] = replace(
                s,
                debut=debut,
                fin=fin,
                phases=(Phase(label, "action", debut, fin),),
                debut_initial=debut,
                echeance_tenue=None if wish is None else debut <= wish.date,
                en_continu=bool(d and d.continu),
            )
            continue
        planned_t0 = add_months(start, 6 * offset)
        initial, _, _ = schedule(s.action, planned_t0, durations, catalogue, end)
        replanned = planned_t0 < now  # its preparation should already have begun: it starts from now
        base = now if replanned else start
        t0 = add_months(base, 6 * offset)
        wish = s.action.echeance
        if wish is not None and schedule(s.action, t0, durations, catalogue, end)[0] > wish.date and offset:
            t0 = base  # get as close to the wish as possible
        build = partial(schedule, s.action, durations=durations, catalogue=catalogue, end=end)
        possible = build(t0)[0]
        debut, fin, phases = load.place(build, t0, end)
        tenue = None if wish is None else debut <= wish.date
        out[k] = replace(
            s,
            debut=debut,
            fin=fin,
            echeance_tenue=tenue,
            phases=phases,
            en_retard=replanned and tenue is False,  # late only when the wished deadline can no longer be met
            debut_initial=initial,
            debut_possible=possible,
            en_continu=bool(d and d.continu),
            evenement=s.evenement or bool(d and d.evenement),  # a local action's title may say so
            a_reconfigurer=any(p.label in (RECONFIGURATION_LABEL, EXPIRED_LABEL) for p in phases),
        )
    return tuple(out[k] for k in range(len(scores)))


def _months(d: date) -> int:
    return d.year * 12 + d.month - 1


class _Load:
    """Prerequisite phases already placed, month by month: where the next action's phases fit."""

    def __init__(self, capacity: int | None) -> None:
        self.capacity = capacity
        self.count: dict[int, int] = {}

    def _need(self, phases: Sequence[Phase]) -> dict[int, int]:
        need: dict[int, int] = {}
        for p in phases:
            if p.kind == "prerequis":
                for m in range(_months(p.debut), _months(p.fin) + 1):
                    need[m] = need.get(m, 0) + 1
        return need

    def _fits(self, need: Mapping[int, int]) -> bool:
        """Within the capacity each month, or alone (an action needing more phases than the capacity)."""
        cap = self.capacity if self.capacity is not None else 10**6
        return all(self.count.get(m, 0) + n <= cap or self.count.get(m, 0) == 0 for m, n in need.items())

    def place(
        self, build: Callable[[date], tuple[date, date, tuple[Phase, ...]]], t0: date, end: date
    ) -> tuple[date, date, tuple[Phase, ...]]:
        """The schedule from the first month at or after `t0` where the phases fit; booked."""
        result = build(t0)
        if self.capacity is not None:
            t = t0
            horizon = add_months(end, 12 * 10)  # no room before the contract's end: it waits (flagged beyond)
            while not self._fits(self._need(result[2])) and t < horizon:
                t = add_months(t, 1)
                result = build(t)
        for m, n in self._need(result[2]).items():
            self.count[m] = self.count.get(m, 0) + n
        return result


def milestones(periode: tuple[int, int] | None, today: date) -> tuple[Jalon, ...]:
    """Annual reviews still to come, the mid-term evaluation and the end of the contract, in date order.

    The review of year N is due by 31 December N; the mid-term evaluation falls in the middle year of the
    period (2027 for 2024–2030). The annual review follows the instruction of 4 January 2024; the mid-term
    evaluation is a recommended practice (no text found that requires it for the 2024–2030 generation).
    """
    first, last = periode or DEFAULT_PERIOD
    out = [
        Jalon("revue-annuelle", y, date(y, 12, 31))
        for y in range(max(first, today.year), last + 1)
        if date(y, 12, 31) >= today
    ]
    middle = first + (last - first + 1) // 2
    out.append(Jalon("evaluation-mi-parcours", middle, date(middle, 12, 31)))
    out.append(Jalon("fin-contrat", last, period_end(periode)))
    return tuple(sorted(out, key=lambda j: (j.date, j.kind != "evaluation-mi-parcours")))

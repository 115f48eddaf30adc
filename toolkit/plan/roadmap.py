"""Feuille de route: when each action can start and end, by semesters over the contract period.

Rules (docs/methode.md): nothing starts before the semester following the diagnostic date, nor before
the contract period; prerequisites « À faire » come first with their default duration, « En cours » with
half of it (the diagnostic then the feasibility study in sequence, partner mobilisation alongside); the
action starts the month its prerequisites end and lasts its catalogue duration. Priority 1 starts first,
each lower tier one semester later — unless starting earlier is what keeps the wished deadline.

The wished deadline (`Échéance souhaitée`) is read as the date by which the action should be ENGAGED
(prerequisites lifted, action started): many actions are continuous services (a manager de commerce,
a facilitateur des clauses) whose catalogue duration is a running period, not a delivery date.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from ..catalog.catalogue import Catalogue, packaged_catalogue
from ..model import PREREQUIS, Action
from ..results import ActionScore, Phase

DEFAULT_PERIOD = (2024, 2030)
#: Duration of a local action (no catalogue entry).
DEFAULT_ACTION_MONTHS = 12
#: Semesters of delay added per priority tier below the first.
TIER_OFFSET_SEMESTERS = 1
STATUS_FACTOR = {"À faire": 1.0, "En cours": 0.5}


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1) if d.day == 1 else _clamp_day(d.year + y, m + 1, d.day)


def _clamp_day(year: int, month: int, day: int) -> date:
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


def semester_start(d: date) -> date:
    return date(d.year, 1 if d.month <= 6 else 7, 1)


def next_semester(d: date) -> date:
    """First day of the semester following the one containing `d`."""
    return date(d.year, 7, 1) if d.month <= 6 else date(d.year + 1, 1, 1)


def semester_label(d: date) -> str:
    return f"{d.year}-S{1 if d.month <= 6 else 2}"


def first_start(diagnostic: date, periode: tuple[int, int] | None) -> date:
    start_year = (periode or DEFAULT_PERIOD)[0]
    return max(date(start_year, 1, 1), next_semester(diagnostic))


def period_end(periode: tuple[int, int] | None) -> date:
    return date((periode or DEFAULT_PERIOD)[1], 12, 31)


def prerequisite_months(action: Action, durations: Mapping[str, int]) -> dict[str, int]:
    """Months still needed per prerequisite (0 when done, not applicable or not stated)."""
    out = {}
    for p in PREREQUIS:
        factor = STATUS_FACTOR.get(action.prerequis.get(p, ""), 0.0)
        out[p] = math.ceil(durations.get(p, 6) * factor)
    return out


def schedule(action: Action, t0: date, durations: Mapping[str, int],
             catalogue: Catalogue | None = None) -> tuple[date, date, tuple[Phase, ...]]:
    """(start, end, phases) of one action whose preparation begins at `t0`."""
    months = prerequisite_months(action, durations)
    diag, etude, mob = (months[p] for p in PREREQUIS)
    phases: list[Phase] = []
    if diag:
        phases.append(Phase(PREREQUIS[0], "prerequis", t0, add_months(t0, diag) - timedelta(days=1)))
    if etude:
        s = add_months(t0, diag)
        phases.append(Phase(PREREQUIS[1], "prerequis", s, add_months(s, etude) - timedelta(days=1)))
    if mob:
        phases.append(Phase(PREREQUIS[2], "prerequis", t0, add_months(t0, mob) - timedelta(days=1)))
    debut = add_months(t0, max(diag + etude, mob))
    d = (catalogue or packaged_catalogue()).action(action.code)
    duree = d.duree_mois if d else DEFAULT_ACTION_MONTHS
    fin = add_months(debut, duree) - timedelta(days=1)
    label = d.intitule if d and not action.intitule else (action.intitule or action.code)
    phases.append(Phase(label, "action", debut, fin))
    return debut, fin, tuple(phases)


def plan(
    scores: Sequence[ActionScore],
    diagnostic: date,
    periode: tuple[int, int] | None = None,
    durations: Mapping[str, int] | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[ActionScore, ...]:
    """The same actions, in rank order, with `debut`, `fin`, `echeance_tenue` and Gantt `phases` set."""
    catalogue = catalogue or packaged_catalogue()
    durations = durations or catalogue.prerequis_durations
    start = first_start(diagnostic, periode)
    out = []
    for s in scores:
        offset = TIER_OFFSET_SEMESTERS * (s.priorite - 1)
        t0 = add_months(start, 6 * offset)
        debut, fin, phases = schedule(s.action, t0, durations, catalogue)
        wish = s.action.echeance
        if wish is not None and debut > wish.date and offset:  # get as close to the wish as possible
            debut, fin, phases = schedule(s.action, start, durations, catalogue)
        tenue = None if wish is None else debut <= wish.date
        out.append(replace(s, debut=debut, fin=fin, echeance_tenue=tenue, phases=phases))
    return tuple(out)

"""Which real experiences can inform the roadmap's actions, and why.

Points per (experience, action): same catalogue action type 3, otherwise same champ 1; each shared
enjeu 1 (at most 2). Per experience: comparable typology 1, same region ½. The score is the best action
total plus the experience bonuses, over the maximum possible (6.5), on 0–100. Reasons are (kind, value)
pairs, worded by the report.

No match is better than a bad one:
- an action is linked to an experience only through the same catalogue type, or the same champ with at least
  one shared enjeu (`MIN_ACTION_POINTS`); sharing enjeux alone links nothing;
- an experience whose documented cost (`Experience.cout`) differs from the action's cost (typed, else the
  catalogue band) by more than `SCALE_FACTOR` is not linked to it: an €8 M equipment does not inform a
  €15,000 microcredit action;
- an experience linked to no action is not offered;
- an experience that took place in one of the territory's communes is never offered: it is not a transfer.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..catalog.catalogue import Catalogue
from ..catalog.experiences import Experience, normalize_commune
from ..catalog.qpv import qpv_occitanie
from ..model import Territoire
from ..results import ActionScore, ExperienceMatch

SAME_TYPE, SAME_CHAMP, PER_ENJEU, MAX_ENJEUX = 3.0, 1.0, 1.0, 2
SAME_TYPOLOGY, SAME_REGION = 1.0, 0.5
MAX_POINTS = SAME_TYPE + PER_ENJEU * MAX_ENJEUX + SAME_TYPOLOGY + SAME_REGION
#: An action is linked to an experience from this many points (same type, or same champ and one enjeu).
MIN_ACTION_POINTS = 2.0
#: At most this many experiences offered for the same (best-linked) action.
PER_ACTION = 2
#: Enjeux an action must share with an experience it is linked to by its field only (not its type).
CHAMP_ENJEUX = 2
#: Largest ratio between an experience's documented cost and the action's cost for them to be compared.
SCALE_FACTOR = 10.0
DEFAULT_LIMIT = 6
#: Validated experiences from the follow-up offered besides the `limit` catalogue ones (a peer territory's
#: measured result, passed on by the resource centre, is not crowded out by better-scored catalogue entries).
FOLLOW_UP_LIMIT = 3


def _departement(t: Territoire) -> str | None:
    if t.departement:
        return t.departement.strip().upper().lstrip("0") or None
    if t.communes:
        c = t.communes[0].strip().upper()
        return (c[:3] if c.startswith("97") else c[:2]).lstrip("0")
    return None


def _occitanie_departements() -> frozenset[str]:
    """Derived from the bundled INSEE file (QP011002 → 11), not typed by hand."""
    return frozenset(r.code[2:5].lstrip("0") for r in qpv_occitanie())


def region_of(t: Territoire) -> str | None:
    return "Occitanie" if _departement(t) in _occitanie_departements() else None


Reason = tuple[str, str]


def action_cost_range(s: ActionScore, catalogue: Catalogue) -> tuple[float, float] | None:
    """The action's cost in euros as a range: the amount typed, else the catalogue band; None if unknown."""
    if s.action.cout is not None and s.action.cout > 0:
        return s.action.cout, s.action.cout
    d = catalogue.action(s.action.code)
    if d is not None and d.cout_max > 0:
        return (d.cout_min or d.cout_max), d.cout_max
    return None


def same_scale(exp: Experience, s: ActionScore, catalogue: Catalogue) -> bool:
    """False when the experience's documented cost is more than SCALE_FACTOR away from the action's cost."""
    cost = action_cost_range(s, catalogue)
    if exp.cout is None or cost is None:
        return True
    low, high = cost
    return low / SCALE_FACTOR <= exp.cout <= high * SCALE_FACTOR


def _action_points(exp: Experience, s: ActionScore, catalogue: Catalogue) -> tuple[float, list[Reason]]:
    """Points and reasons linking one action to an experience; (0, []) when they are not comparable."""
    a = s.action
    d = catalogue.action(a.code)
    if not same_scale(exp, s, catalogue):
        return 0.0, []
    points, reasons = 0.0, []
    if d is not None and d.code in exp.action_types:
        points += SAME_TYPE
        reasons.append(("meme-type", d.intitule))
    else:
        defs = {x: catalogue.action(x) for x in exp.action_types}
        champs = {x if d_ is None else d_.champ for x, d_ in defs.items()}
        if a.champ in champs:
            points += SAME_CHAMP
            reasons.append(("meme-champ", a.champ))
    if not reasons:  # sharing enjeux alone is too loose a link
        return 0.0, []
    enjeux = a.enjeux or (d.enjeux if d else ())
    shared = [e for e in enjeux if e in exp.enjeux][:MAX_ENJEUX]
    if reasons[0][0] == "meme-champ" and len(shared) < CHAMP_ENJEUX:
        # a broad field alone (« Animation ») put a summer market beside a job dating: without the same type
        # of action, the experience must also answer the same enjeux — no match rather than a bad one
        return 0.0, []
    points += PER_ENJEU * len(shared)
    reasons.extend(("meme-enjeu", e) for e in shared)
    return points, reasons


def match_experiences(
    actions: Sequence[ActionScore],
    territoire: Territoire,
    limit: int = DEFAULT_LIMIT,
    *,
    catalogue: Catalogue,
) -> tuple[ExperienceMatch, ...]:
    region = region_of(territoire)
    own = {normalize_commune(c) for c in territoire.communes}
    out = []
    for exp, exp_region in catalogue.experiences_with_region:
        if own.intersection(exp.communes):
            continue
        per_action = [(s.key, *_action_points(exp, s, catalogue)) for s in actions]
        # best-linked actions first, so the reasons open with « même type » when there is one
        linked = sorted(((k, p, r) for k, p, r in per_action if p >= MIN_ACTION_POINTS), key=lambda x: -x[1])
        if not linked:
            continue
        best = max(p for _, p, _ in linked)
        reasons: list[Reason] = []
        for _, _, rs in linked:
            reasons.extend(r for r in rs if r not in reasons)
        bonus = 0.0
        if exp.typologie and exp.typologie == territoire.typologie:
            bonus += SAME_TYPOLOGY
            reasons.append(("typologie", exp.typologie))
        if region and exp_region == region:
            bonus += SAME_REGION
            reasons.append(("region", region))
        score = 100.0 * (best + bonus) / MAX_POINTS
        out.append(ExperienceMatch(exp, tuple(k for k, _, _ in linked), tuple(reasons), score))
    # equal relevance: the more recent result first (a year of follow-up validated by the resource centre
    # before a 2014 opening), then the code, for a stable order
    out.sort(key=lambda m: (-round(m.score, 9), -_year(m.experience.annee), m.experience.code))
    # no more than PER_ACTION catalogue experiences for the same action (four territoires zéro chômeur for
    # one action left the first priorities without any); one measured in a peer territory's follow-up and
    # validated by the resource centre is what the observatory exists to pass on: it is not capped
    # — nor pushed out by `limit` catalogue ones scored higher: it has its own FOLLOW_UP_LIMIT places
    kept: list[ExperienceMatch] = []
    shown_for: dict[str, int] = {}
    n_catalogue = n_follow_up = 0
    for m in out:
        if m.experience.from_follow_up:
            if n_follow_up < FOLLOW_UP_LIMIT:
                kept.append(m)
                n_follow_up += 1
            continue
        first = m.actions[0]
        if shown_for.get(first, 0) < PER_ACTION and n_catalogue < limit:
            kept.append(m)
            shown_for[first] = shown_for.get(first, 0) + 1
            n_catalogue += 1
    return tuple(kept)


def _year(annee: str | None) -> int:
    """The year an experience's `annee` starts with (« 2019 », « 2019-2023 »). An undated entry (a user's own,
    added to the catalogue for this territory) is not pushed back behind dated ones: it sorts as current."""
    digits = (annee or "").strip()[:4]
    return int(digits) if digits.isdigit() else 9999

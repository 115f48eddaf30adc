"""Governance of the pillar: maturity from the questionnaire, partner map, and partner gaps of the actions.

Maturity = mean of the answers given, Oui 1, Partiel ½, Non 0, « Ne sait pas » 0: not knowing whether a
mechanism exists means the team cannot rely on it. « Ne sait pas » answers are counted and reported
separately so the reader sees how much of a low score is uncertainty rather than absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..catalog.catalogue import Catalogue
from ..model import ACTOR_TYPES, Acteur, Action, ReponseGouvernance
from ..results import Governance, PartnerGap, PartnerPresence

ANSWER_VALUES = {"Oui": 1.0, "Partiel": 0.5, "Non": 0.0, "Ne sait pas": 0.0}
#: A partner type whose best involvement is at most this (on 0–3) is "faiblement impliqué".
WEAK_INVOLVEMENT = 1
NO_ANSWER = "Sans réponse"


def maturity(answers: Sequence[ReponseGouvernance]) -> tuple[float | None, dict[str, int]]:
    """Maturity 0–100 over the questions answered (None if none), and the count of each answer."""
    counts = dict.fromkeys((*ANSWER_VALUES, NO_ANSWER), 0)
    values = []
    for a in answers:
        if a.reponse is None:
            counts[NO_ANSWER] += 1
            continue
        counts[a.reponse] += 1
        values.append(ANSWER_VALUES[a.reponse])
    return (100.0 * sum(values) / len(values) if values else None), counts


def partner_map(acteurs: Iterable[Acteur]) -> tuple[PartnerPresence, ...]:
    """One line per actor type present, in the order of the contract's list."""
    by_type: dict[str, list[Acteur]] = {}
    for a in acteurs:
        by_type.setdefault(a.type, []).append(a)
    order = {t: i for i, t in enumerate(ACTOR_TYPES)}
    out = []
    for t in sorted(by_type, key=lambda t: (order.get(t, len(order)), t)):
        rows = by_type[t]
        levels = [a.implication for a in rows if a.implication is not None]
        out.append(
            PartnerPresence(
                type=t,
                structures=tuple(a.structure for a in rows),
                implication=max(levels) if levels else None,
                signataire=any(a.signataire for a in rows),
            )
        )
    return tuple(out)


def needed_partner_types(action: Action, catalogue: Catalogue) -> tuple[str, ...]:
    d = catalogue.action(action.code)
    return d.partner_types if d is not None else ()


def partner_gaps(
    actions: Sequence[Action], partners: Sequence[PartnerPresence], catalogue: Catalogue
) -> tuple[PartnerGap, ...]:
    """Actor types the actions need (catalogue) that are absent, or present with involvement ≤ 1."""
    present = {p.type: p for p in partners}
    needs: dict[str, list[str]] = {}
    for a in actions:
        for t in needed_partner_types(a, catalogue):
            needs.setdefault(t, []).append(a.key)
    gaps = []
    order = {t: i for i, t in enumerate(ACTOR_TYPES)}
    for t in sorted(needs, key=lambda t: order.get(t, len(order))):
        keys = tuple(dict.fromkeys(needs[t]))
        p = present.get(t)
        if p is None:
            gaps.append(PartnerGap(t, keys, "absent"))
        elif p.implication is not None and p.implication <= WEAK_INVOLVEMENT:
            gaps.append(PartnerGap(t, keys, "faible", p.implication, p.structures))
    return tuple(gaps)


def readiness(
    action: Action, partners: Sequence[PartnerPresence], acteurs_available: bool, catalogue: Catalogue
) -> tuple[float | None, tuple[int, int]]:
    """Partner readiness 0–1 of one action: mean over needed types of (best involvement / 3), absent = 0.

    A present type of unknown involvement counts ½. None when it cannot be judged (local action
    without catalogue entry, or no Acteurs sheet): the caller imputes a neutral value. Also returns
    (types present, types needed).
    """
    needed = needed_partner_types(action, catalogue)
    if not needed or not acteurs_available:
        return None, (0, len(needed))
    present = {p.type: p for p in partners}
    values = []
    for t in needed:
        p = present.get(t)
        if p is None:
            values.append(0.0)
        elif p.implication is None:
            values.append(0.5)
        else:
            values.append(p.implication / 3.0)
    n_present = sum(1 for t in needed if t in present)
    return sum(values) / len(values), (n_present, len(needed))


def governance(
    answers: Sequence[ReponseGouvernance],
    acteurs: Sequence[Acteur],
    actions: Sequence[Action],
    missing_sheets: Sequence[str] = (),
    *,
    catalogue: Catalogue,
) -> Governance:
    missing = {s.casefold() for s in missing_sheets}
    gouv_ok = "gouvernance" not in missing
    acteurs_ok = "acteurs" not in missing
    mat, counts = maturity(answers) if gouv_ok else (None, {})
    partners = partner_map(acteurs)
    return Governance(
        maturite=mat,
        answers=counts,
        detail=tuple((a.code, a.question, a.reponse) for a in answers),
        partners=partners,
        gaps=partner_gaps(actions, partners, catalogue) if acteurs_ok else (),
        available=gouv_ok and acteurs_ok,
    )

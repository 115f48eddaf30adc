"""Hiérarchisation of the actions: a weighted sum of criteria normalised on DECLARED bounds.

Each criterion of an action depends only on that action's own inputs (and on the enjeu scores and the
partner map, which do not depend on the list of actions): adding or removing an action never changes
another action's score, so there is no rank reversal. More impact or feasibility never lowers a score.
A missing input takes the neutral value ½ and is flagged `imputed`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ..catalog.actions import COST_BANDS
from ..catalog.catalogue import Catalogue
from ..config import ActionWeights, Tiers
from ..model import Action
from ..results import ActionScore, Criterion, PartnerPresence, Priority
from ..text import normalize_key
from .governance import readiness

CRITERIA = ("pertinence", "impact", "faisabilite", "cout", "partenaires", "prerequis")
#: Fixed log bounds of the cost criterion: ≤ 10 k€ scores 1, ≥ 2 M€ scores 0.
COST_LOW, COST_HIGH = 10_000.0, 2_000_000.0
#: Lowest cost band: an action below it with feasibility ≥ QUICK_WIN_FEASIBILITY is a quick win.
QUICK_WIN_COST = 50_000.0
QUICK_WIN_FEASIBILITY = 4
PREREQ_VALUES = {"Fait": 1.0, "En cours": 0.5, "À faire": 0.0}
NEUTRAL = 0.5
#: Words that make a local action a one-day event (a catalogue type says it with `evenement = true`).
EVENT_WORDS = ("forum", "job dating", "jobdating", "salon", "journee", "evenement", "festival", "concours")


@dataclass(frozen=True)
class ActionContext:
    """What the action criteria read besides the action itself."""

    enjeu_scores: Mapping[str, float]  # enjeu code -> 0–100, evaluated enjeux only
    partners: Sequence[PartnerPresence]
    catalogue: Catalogue  # the Config's: packaged entries plus the user's [catalogues]
    acteurs_available: bool = True
    a_objectiver: frozenset[str] = frozenset()  # enjeux scored on perception alone (no scored indicator)


def scale_1_5(x: int | float) -> float:
    return (float(x) - 1.0) / 4.0


def cost_value(cost: float) -> float:
    """1 at ≤ 10 k€, 0 at ≥ 2 M€, linear in log(cost) between."""
    if cost <= COST_LOW:
        return 1.0
    if cost >= COST_HIGH:
        return 0.0
    return 1.0 - (math.log(cost) - math.log(COST_LOW)) / (math.log(COST_HIGH) - math.log(COST_LOW))


def served_enjeux(action: Action, catalogue: Catalogue) -> tuple[str, ...]:
    if action.enjeux:
        return tuple(action.enjeux)
    d = catalogue.action(action.code)
    return d.enjeux if d else ()


def criteria(action: Action, ctx: ActionContext, weights: ActionWeights) -> tuple[Criterion, ...]:
    w = weights.as_dict()
    out: list[Criterion] = []

    # pertinence: mean score of the evaluated enjeux it serves (listing more enjeux never inflates it)
    served = [ctx.enjeu_scores[e] for e in served_enjeux(action, ctx.catalogue) if e in ctx.enjeu_scores]
    if served:
        mean = sum(served) / len(served)
        out.append(Criterion("pertinence", round(mean, 1), mean / 100.0, w["pertinence"]))
    else:
        out.append(Criterion("pertinence", None, NEUTRAL, w["pertinence"], imputed=True))

    for name, note in (("impact", action.impact), ("faisabilite", action.faisabilite)):
        if note is None:
            out.append(Criterion(name, None, NEUTRAL, w[name], imputed=True))
        else:
            out.append(Criterion(name, note, min(1.0, max(0.0, scale_1_5(note))), w[name]))

    d = ctx.catalogue.action(action.code)
    if action.cout is not None:
        out.append(Criterion("cout", action.cout, cost_value(action.cout), w["cout"]))
    elif d is not None:
        central = d.cout_central
        out.append(Criterion("cout", central, cost_value(central), w["cout"], imputed=True, band=d.cout_bande))
    else:
        out.append(Criterion("cout", None, NEUTRAL, w["cout"], imputed=True))

    value, (present, needed) = readiness(action, ctx.partners, ctx.acteurs_available, ctx.catalogue)
    if value is None:
        out.append(Criterion("partenaires", None, NEUTRAL, w["partenaires"], imputed=True))
    else:
        out.append(Criterion("partenaires", present, value, w["partenaires"], of=needed))

    statuses = [s for s in action.prerequis.values() if s in PREREQ_VALUES or s == "Sans objet"]
    counted = [PREREQ_VALUES[s] for s in statuses if s in PREREQ_VALUES]
    if not statuses:
        out.append(Criterion("prerequis", None, NEUTRAL, w["prerequis"], imputed=True))
    elif not counted:  # all « Sans objet »: nothing known about readiness, neutral (not the maximum)
        out.append(Criterion("prerequis", 0, NEUTRAL, w["prerequis"], of=0))
    else:
        done = sum(1 for s in statuses if s == "Fait")
        out.append(Criterion("prerequis", done, sum(counted) / len(counted), w["prerequis"], of=len(counted)))
    return tuple(out)


def aggregate(crits: Sequence[Criterion]) -> float:
    """100 × Σ wᵢ·xᵢ / Σ wᵢ."""
    total = sum(c.weight for c in crits)
    if total <= 0:
        return 0.0
    return 100.0 * sum(c.weight * c.normalised for c in crits) / total


def tier(score: float, tiers: Tiers) -> Priority:
    if score >= tiers.niveau1:
        return 1
    if score >= tiers.niveau2:
        return 2
    return 3


def tier_floor(action: Action, catalogue: Catalogue) -> Priority:
    """Best tier an action may reach: a national programme that has ended (catalogue `statut_niveau =
    "bloquant"`, e.g. emplois francs) cannot be recommended as a priority, whatever its score: niveau 3."""
    d = catalogue.action(action.code)
    return 3 if d is not None and d.statut_niveau == "bloquant" else 1


def quick_win(action: Action, catalogue: Catalogue) -> bool:
    """Feasibility ≥ 4 (as typed) and a cost in the lowest band (< 50 k€, typed or from the catalogue)."""
    if action.faisabilite is None or action.faisabilite < QUICK_WIN_FEASIBILITY:
        return False
    if action.cout is not None:
        return action.cout < QUICK_WIN_COST
    d = catalogue.action(action.code)
    return d is not None and d.cout_bande == COST_BANDS[0]


def is_event(action: Action, catalogue: Catalogue) -> bool:
    """A one-day or short event (a forum, a job dating, a salon): a catalogue event type, or such a word in
    the title of a local action. It is a dated milestone, never a structuring priority."""
    d = catalogue.action(action.code)
    if d is not None:
        return d.evenement
    title = " " + " ".join(re.sub(r"[^a-z0-9]+", " ", normalize_key(action.intitule)).split()) + " "
    return any(f" {w} " in title for w in EVENT_WORDS)


def categorise(scored: Sequence[ActionScore], catalogue: Catalogue) -> tuple[ActionScore, ...]:
    """Each ranked action's category (`gain-rapide`: a quick win or an event; else `structurante`) and its
    rank within it, in the overall order."""
    counts: dict[str, int] = {}
    out = []
    for s in scored:
        event = is_event(s.action, catalogue)
        cat: Literal["structurante", "gain-rapide"] = "gain-rapide" if s.quick_win or event else "structurante"
        counts[cat] = counts.get(cat, 0) + 1
        out.append(replace(s, categorie=cat, rang_categorie=counts[cat], evenement=event))
    return tuple(out)


def criteria_matrix(scores: Sequence[ActionScore]) -> np.ndarray:
    """Normalised criteria, one row per action, columns in CRITERIA order (for robustness draws)."""
    rows = []
    for s in scores:
        by_name = {c.name: c.normalised for c in s.criteria}
        rows.append([by_name[n] for n in CRITERIA])
    return np.asarray(rows, dtype=float).reshape(len(rows), len(CRITERIA))


def score_actions(
    actions: Sequence[Action], ctx: ActionContext, weights: ActionWeights, tiers: Tiers
) -> tuple[ActionScore, ...]:
    """Scored and ranked actions (ties keep the sheet order)."""
    scored = []
    for a in actions:
        crits = criteria(a, ctx, weights)
        score = aggregate(crits)
        d = ctx.catalogue.action(a.code)
        scored.append(
            ActionScore(
                action=a,
                libelle_catalogue=d.intitule if d else None,
                criteria=crits,
                score=score,
                rang=0,
                priorite=max(tier(score, tiers), tier_floor(a, ctx.catalogue)),
                quick_win=quick_win(a, ctx.catalogue),
                partner_types=d.partner_types if d else (),
                suivi=d.suivi if d else (),
                programme_status=d.statut if d else None,
                sources=d.sources if d else (),
                enjeux_a_objectiver=tuple(
                    e for e in served_enjeux(a, ctx.catalogue) if e in ctx.a_objectiver and e in ctx.enjeu_scores
                ),
            )
        )
    order = sorted(range(len(scored)), key=lambda i: (-round(scored[i].score, 9), i))
    ranked = tuple(replace(scored[i], rang=r) for r, i in enumerate(order, start=1))
    return categorise(ranked, ctx.catalogue)

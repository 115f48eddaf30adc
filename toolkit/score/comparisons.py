"""Where an indicator places the quartier: among QPV, against its surroundings, against France.

Compared with France, every QPV looks in difficulty: such a score separates no enjeu. The indicator score
is therefore the mean of two positions on the catalogue's DECLARED bound (`ecart_critique`):

- among QPV: against `Valeur ensemble des QPV`;
- in its surroundings: against the commune, else the EPCI or unité urbaine.

Only when neither is given does the score fall back on France (or the unnamed territory of `Valeur
référence`), and the basis says so (`france`). Formula and examples: docs/methode.md § 1.1.
"""

from __future__ import annotations

import math

from ..catalog.indicators import IndicatorDef
from ..model import COMPARISON_SCALES, Indicateur
from ..results import Comparison

#: PERSO_ indicators have no declared bound: a relative gap of 50 % of the reference is then fully acute.
DEFAULT_RELATIVE_BOUND = 0.5
#: The scales the score rests on, in order: among QPV, then the surroundings (commune, else EPCI / UU).
QPV, SURROUNDINGS, NATIONAL = "qpv", ("commune", "epci"), "france"


def _clip(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def position(ind: Indicateur, reference: float, definition: IndicatorDef | None) -> float | None:
    """50 + 50 × clip(oriented gap / bound): 50 = level with the reference, 100 = worse by the bound or more."""
    q = ind.valeur_quartier
    if q is None:
        return None
    oriented = (q - reference) if ind.sens == "hausse = dégradation" else (reference - q)
    bound = definition.ecart_critique if definition is not None else None
    if bound:
        return 50.0 + 50.0 * _clip(oriented / bound)
    if reference == 0:
        return None
    return 50.0 + 50.0 * _clip(oriented / abs(reference) / DEFAULT_RELATIVE_BOUND)


def reference_year(ind: Indicateur, definition: IndicatorDef | None) -> int | None:
    """The year of `Valeur référence`, which the workbook has no column for: the catalogue's when the row keeps
    the catalogue's value (the pre-fill writes it), else unknown — never the quartier's year."""
    if definition is None or definition.reference_valeur is None or ind.valeur_reference is None:
        return None
    same = math.isclose(definition.reference_valeur, ind.valeur_reference, rel_tol=1e-9, abs_tol=1e-9)
    return definition.reference_annee if same else None


def comparisons(ind: Indicateur, definition: IndicatorDef | None) -> tuple[Comparison, ...]:
    """Every comparison the workbook gives for this row, nearest scale first, with gaps, positions, and the
    territory and year of each value (a national figure of 2015 is never shown as the quartier's 2020)."""
    q = ind.valeur_quartier
    if q is None:
        return ()
    columns = dict(ind.comparaisons)
    out = []
    for scale in COMPARISON_SCALES:
        r = ind.comparaison(scale)
        if r is None:
            continue
        if scale in columns:  # a comparison column: same source and year as the quartier's value
            where = ind.perimetre_qpv if scale == "qpv" else None
            out.append(
                Comparison(scale, r, q - r, q / r if r else None, position(ind, r, definition), where, ind.annee)
            )
        else:  # `Valeur référence`, its territory naming this scale
            out.append(_reference(ind, scale, r, definition))
    if ind.valeur_reference is not None and not any(c.reference == ind.valeur_reference for c in out):
        out.append(_reference(ind, "autre", ind.valeur_reference, definition))  # its territory names no scale
    return tuple(out)


def _reference(ind: Indicateur, scale: str, r: float, definition: IndicatorDef | None) -> Comparison:
    q = ind.valeur_quartier
    assert q is not None  # `comparisons` returned early otherwise
    where = (ind.territoire_reference or "").strip() or None
    return Comparison(
        scale, r, q - r, q / r if r else None, position(ind, r, definition), where, reference_year(ind, definition)
    )


def indicator_position(found: tuple[Comparison, ...]) -> tuple[float | None, str | None]:
    """(score, basis): the mean of the positions among QPV and in the surroundings; else France, else other.

    basis: "qpv+environnement", "qpv", "environnement", "france" or "autre" (None when nothing is comparable).
    """
    by_scale = {c.echelle: c for c in found if c.position is not None}
    among = by_scale.get(QPV)
    around = next((by_scale[s] for s in SURROUNDINGS if s in by_scale), None)
    used = [c for c in (among, around) if c is not None]
    if used:
        basis = "qpv+environnement" if len(used) == 2 else ("qpv" if among else "environnement")
        positions = [c.position for c in used if c.position is not None]  # all: `by_scale` kept those
        return sum(positions) / len(positions), basis
    for fallback in (NATIONAL, "autre"):
        if fallback in by_scale:
            return by_scale[fallback].position, fallback
    return None, None

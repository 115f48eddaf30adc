"""The one rule that says a typed figure is implausible: `check` warns with it, scoring leaves the figure out.

A per-mille above 1 000, a comparison value ten times the quartier's (or a tenth of it), a year after the
report's: such a figure reads, but is most likely a slip (thousands separator, wrong unit, typo). The
validator (`validate/indicateurs.py`) turns each finding into a located warning; `score.enjeux.score_indicator`
turns the same findings into « non noté — valeur à vérifier ». Both call `implausible_values`, so a value the
tool calls implausible can never move a score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: A per-mille above this cannot be « pour 1 000 habitants ».
PER_MILLE_MAX = 1000
#: A comparison value this many times the quartier's value, or this fraction of it, is most likely a slip.
REFERENCE_RATIO = 10
#: Units of figures that are counts: compared with nothing, never checked for a ratio.
COUNT_UNITS = ("nb",)

#: Stable codes of the findings (also the `raison_non_note` codes of an unscored indicator).
PER_MILLE = "valeur-invraisemblable"
RATIO = "reference-invraisemblable"
FUTURE_YEAR = "annee-future/aujourdhui"


@dataclass(frozen=True)
class Implausible:
    """One implausible figure of an indicator row."""

    code: str  # PER_MILLE | RATIO | FUTURE_YEAR
    field: str  # column key of the Indicateurs sheet: valeur, reference, ref_commune…, annee
    value: float
    ratio: float | None = None  # reference / quartier, for RATIO


def implausible_values(
    unite: str,
    valeur: float | None,
    reference: float | None,
    comparaisons: Iterable[tuple[str, float]] = (),
    annee: int | None = None,
    year_now: int | None = None,
) -> tuple[Implausible, ...]:
    """Every implausible figure of one row, in column order. `comparaisons`: (scale, value) of the optional
    `Valeur commune / EPCI / ensemble des QPV / France` columns; `year_now`: the report's year (a figure
    cannot come from after it)."""
    out: list[Implausible] = []
    refs = [("reference", reference), *((f"ref_{scale}", value) for scale, value in comparaisons)]
    if unite == "‰":
        for key, number in (("valeur", valeur), *refs):
            if number is not None and number > PER_MILLE_MAX:
                out.append(Implausible(PER_MILLE, key, number))
    if valeur is not None and valeur > 0 and unite not in COUNT_UNITS and not out:
        for key, number in refs:
            if number is None or number <= 0:
                continue
            ratio = number / valeur
            if ratio >= REFERENCE_RATIO or ratio <= 1 / REFERENCE_RATIO:
                out.append(Implausible(RATIO, key, number, ratio))
    if annee is not None and year_now is not None and annee > year_now:
        out.append(Implausible(FUTURE_YEAR, "annee", float(annee)))
    return tuple(out)

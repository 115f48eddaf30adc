"""The indicator catalogue (`data/indicateurs.csv`).

Besides label, unit, enjeu and direction (`sens`), each indicator declares `ecart_critique`: the gap to the
reference, in the indicator's unit, at which its stake is judged fully acute. Scores are mapped on that
declared bound, never relative to the other rows of a file (see docs/methode.md). Reference values carry
their territory, year and source; `insee_colonne` maps the bundled INSEE QPV data for pre-filling.
`reference_population_min` marks a reference drawn from a panel of larger places (e.g. Procos: centres of
agglomerations over 25 000 inhabitants): it is no reference for a smaller town (`reference_applies`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..text import normalize_key
from ._csv import read_rows


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    libelle: str
    unite: str
    enjeu: str | None
    sens: str
    ecart_critique: float | None
    reference_valeur: float | None = None
    reference_territoire: str | None = None
    reference_annee: int | None = None
    reference_source: str | None = None
    insee_colonne: str | None = None
    insee_agregation: str | None = None  # moyenne_ponderee | somme | densite_1000
    reference_population_min: int | None = None  # the reference panel only covers places at least this big

    def reference_applies(self, population: int | None) -> bool:
        """False when the catalogue reference comes from a panel of places larger than `population`."""
        return (
            self.reference_population_min is None or population is None or population >= self.reference_population_min
        )


def _float(v: str | None) -> float | None:
    return float(v) if v is not None else None


@cache
def indicators() -> tuple[IndicatorDef, ...]:
    return tuple(
        IndicatorDef(
            code=r["code"],
            libelle=r["libelle"],
            unite=r["unite"],
            enjeu=r.get("enjeu"),
            sens=r["sens"],
            ecart_critique=_float(r.get("ecart_critique")),
            reference_valeur=_float(r.get("reference_valeur")),
            reference_territoire=r.get("reference_territoire"),
            reference_annee=int(r["reference_annee"]) if r.get("reference_annee") else None,
            reference_source=r.get("reference_source"),
            insee_colonne=r.get("insee_colonne"),
            insee_agregation=r.get("insee_agregation"),
            reference_population_min=int(r["reference_population_min"]) if r.get("reference_population_min") else None,
        )
        for r in read_rows("indicateurs.csv")
    )


@cache
def _index() -> dict[str, IndicatorDef]:
    return {normalize_key(i.code): i for i in indicators()}


def indicator(code: str) -> IndicatorDef | None:
    return _index().get(normalize_key(code))

"""The portrait: indicator rows with their sources, and figures per quartier beside the aggregate."""

from __future__ import annotations

from dataclasses import replace

from ...results import Definitions, Diagnostic, IndicatorScore
from .. import formatting as fmt
from ..records import indicator_record
from .model import IndicatorRow


def _per_quartier(diag: Diagnostic):
    """One row per indicator the quartiers' data give: the workbook's aggregate, then each quartier."""
    if not diag.par_quartier:
        return None
    header = tuple(
        f"{fmt.text(q.nom)} ({fmt.number(q.population, 0)} hab.)" if q.population else fmt.text(q.nom)
        for q in diag.par_quartier
    )
    aggregate = {s.indicateur.code: s.indicateur for s in diag.indicateurs}
    rows = []
    for s in diag.indicateurs:
        code = s.indicateur.code
        values = [dict(q.valeurs).get(code) for q in diag.par_quartier]
        if all(v is None for v in values):
            continue
        d = diag.definitions.indicator(code)
        unit = d.unite if d else s.indicateur.unite
        label = fmt.text(s.indicateur.libelle) + (f" ({unit})" if unit and unit != "nb" else "")
        agg = aggregate[code].valeur_quartier
        rows.append(
            (
                label,
                fmt.number(agg, 1) if agg is not None else fmt.DASH,
                tuple(fmt.number(v, 1) if v is not None else fmt.DASH for v in values),
            )
        )
    return (header, tuple(rows)) if rows else None


def _indicator_rows(
    scores: tuple[IndicatorScore, ...], defs: Definitions
) -> tuple[tuple[IndicatorRow, ...], tuple[str, ...]]:
    """Rows of the portrait table; a long source shared by many rows is cited once, as a numbered note."""
    notes: list[str] = []
    rows = []
    for s in scores:
        row = _indicator_row(indicator_record(s, rounded=False), defs)
        if not row.illustratif and s.indicateur.source and len(row.source) > 25:
            if row.source not in notes:
                notes.append(row.source)
            row = replace(row, source_ref=notes.index(row.source) + 1)
        rows.append(row)
    return tuple(rows), tuple(notes)


def _indicator_row(i: dict, defs: Definitions) -> IndicatorRow:
    """From the indicator's record (`toolkit.records`): the same fields as the JSON and the results workbook."""
    note = (fmt.text(i["raison_non_note"]) or "non noté") if i["score"] is None else ""
    return IndicatorRow(
        code=i["code"],
        libelle=fmt.text(i["libelle"]) or i["code"],
        enjeu=defs.enjeu_label(i["enjeu"]) if i["enjeu"] else "Contexte",
        valeur=fmt.value(i["valeur_quartier"], i["unite"]),
        reference=fmt.value(i["valeur_reference"], i["unite"]),
        territoire_reference=fmt.text(i["territoire_reference"]),
        annee=str(i["annee"]) if i["annee"] else fmt.DASH,
        source=fmt.text(i["source"]) or "source non renseignée",
        ecart=fmt.gap(i["ecart"], i["unite"]),
        score=fmt.score(i["score"]),
        illustratif=i["illustratif"],
        note=note,
    )

"""The portrait: indicator rows with their sources, and figures per quartier beside the aggregate."""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from ...results import Definitions, Diagnostic, IndicatorScore
from ...score.enjeux import ZERO_MAY_BE_MISSING
from .. import formatting as fmt
from ..records import indicator_record
from ..theme import Theme
from .common import chart_img
from .model import IndicatorRow


def portrait_map(diag: Diagnostic, theme: Theme) -> tuple[Markup | None, str]:
    """(the quartiers' map or None, a sentence naming the quartiers without contours or "")."""
    from ..maps import one_plane, quartier_map

    drawn, _ = one_plane(diag.definitions.contours)  # a shape of another plane counts as missing
    codes = {s.code.upper() for s in drawn}
    missing = tuple(
        (q.code or "", fmt.text(q.nom)) for q in diag.territoire.quartiers if (q.code or "").upper() not in codes
    )
    if not any(q.code for q in diag.territoire.quartiers):
        return None, "Carte non dessinée : le classeur ne donne aucun code de quartier (onglet Territoire)."
    named = ", ".join(f"{nom} ({code})" if code else nom for code, nom in missing)
    source = diag.definitions.contours_source
    chart = quartier_map(drawn, source, theme)
    if chart is None:
        if source:  # the user's own file (the packaged one is named only when it drew): never ask for it again
            return None, (
                f"Carte non dessinée : aucun contour pour {named} dans le fichier de contours {source}. "
                "Vérifiez que ce fichier couvre ce territoire et donne pour chaque quartier son code (QP… ou QN…), "
                "tel qu'il figure dans l'onglet Territoire du classeur."
            )
        return None, (
            f"Carte non dessinée : aucun contour pour {named} dans le fichier de contours (contours des QPV 2015 "
            "d'Occitanie, fournis avec pilier-eco). Pour la géographie 2024, fournissez à pilier-eco les périmètres "
            "officiels (fichier GeoJSON de data.gouv.fr)."
        )
    return chart_img(chart), (f"Sans contour disponible, donc absent de la carte : {named}." if missing else "")


def _quartier_value(v: float | None, unit: str | None, values: list[float | None]) -> str:
    """A quartier's figure; a 0 that may be a missing figure in INSEE's file (a density or a count, others
    not zero) is marked « 0* » — the table's note says it is to check and counts for no score."""
    if v is None:
        return fmt.DASH
    if v == 0 and unit in ZERO_MAY_BE_MISSING and any(values):
        return "0*"
    return fmt.number(v, 1)


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
                tuple(_quartier_value(v, unit, values) for v in values),
            )
        )
    return (header, tuple(rows)) if rows else None


def _indicator_rows(
    scores: tuple[IndicatorScore, ...], defs: Definitions, names: dict[str, str] | None = None
) -> tuple[tuple[IndicatorRow, ...], tuple[str, ...]]:
    """Rows of the portrait table; a long source shared by many rows is cited once, as a numbered note."""
    notes: list[str] = []
    rows = []
    for s in scores:
        row = _indicator_row(indicator_record(s, rounded=False), defs, names)
        if not row.illustratif and s.indicateur.source and len(row.source) > 25:
            if row.source not in notes:
                notes.append(row.source)
            row = replace(row, source_ref=notes.index(row.source) + 1)
        rows.append(row)
    return tuple(rows), tuple(notes)


#: The comparison scales, as the portrait names them.
SCALE_LABELS = {
    "commune": "Commune",
    "epci": "EPCI ou unité urbaine",
    "qpv": "Ensemble des QPV",
    "france": "France",
}
#: The scales each basis of a score rests on (`score.comparisons.indicator_position`).
_USED = {
    "qpv+environnement": ("qpv", "environnement"),
    "qpv": ("qpv",),
    "environnement": ("environnement",),
    "france": ("france",),
    "autre": ("autre",),
}


def comparator_label(p: dict) -> str:
    """« Unités urbaines englobantes, France (2015) », « Ensemble des QPV d'Occitanie (2020) »: the territory
    the workbook or the packaged data names, else the scale's name; and the value's own year, never the
    quartier's year lent to a reference of another vintage (the synthesis says the same)."""
    label = fmt.text(p.get("territoire")) or SCALE_LABELS.get(p["echelle"]) or "Référence"
    label = label.replace(" (France)", ", France")  # « Unités urbaines englobantes (France) (2015) » reads badly
    year = p.get("annee")
    return f"{label} ({year})" if year else f"{label} (année non précisée)"


def _comparators(i: dict) -> tuple[tuple[str, bool], ...]:
    """Every comparator of the row with its year and its gap; the ones the score uses are flagged."""
    used = _USED.get(i["base_note"] or "", ())
    scales = [p["echelle"] for p in i["positions"]]
    surroundings = next((s for s in ("commune", "epci") if s in scales), None)
    out = []
    for p in i["positions"]:
        scale = p["echelle"]
        gap = fmt.gap(p["ecart"], i["unite"])
        text = f"{comparator_label(p)} : {fmt.value(p['reference'], i['unite'])} (écart {gap})"
        is_used = i["score"] is not None and (scale in used or ("environnement" in used and scale == surroundings))
        out.append((text, is_used))
    return tuple(out)


def _to_check(i: dict) -> str:
    """« non noté — valeur à vérifier » with each implausible figure's cell."""
    if not i["a_verifier"]:
        return ""
    cells = ", ".join(v["cellule"] for v in i["a_verifier"] if v["cellule"])
    return fmt.text(i["raison_non_note"]) + (f" ({cells})" if cells else "")


def _worst(i: dict, names: dict[str, str]) -> str:
    if i["pire_quartier"] is None:
        return ""
    name = names.get(i["pire_quartier"], i["pire_quartier"])
    return (
        f"Score : moyenne de l'ensemble ({fmt.score(i['score_ensemble'])}) et du quartier le plus en difficulté "
        f"({name}, {fmt.score(i['score_pire_quartier'])})."
    )


def _indicator_row(i: dict, defs: Definitions, names: dict[str, str] | None = None) -> IndicatorRow:
    """From the indicator's record (`toolkit.report.records`): the same fields as the JSON and the results workbook."""
    to_check = _to_check(i)
    note = (to_check or fmt.text(i["raison_non_note"]) or "non noté") if i["score"] is None else ""
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
        comparaisons=_comparators(i),
        a_verifier=to_check,
        pire_quartier=_worst(i, names or {}),
    )

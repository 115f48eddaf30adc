"""Excel results of a Diagnostic: one sheet per table, ready to filter and sort.

Sheets: Enjeux, Indicateurs, Actions, Feuille de route, Vigilance, Qualité des données. Each has a
formatted, frozen header row, an autofilter, column widths and number formats (scores `0.0`,
probabilities as percentages, dates). Every text goes through `safe_cells.neutralise`, so a workbook
text such as `=HYPERLINK(...)` is written as inert text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..results import Diagnostic
from ..io.safe_cells import neutralise

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")

SCORE, PROB, DATE, INT, EUR = "0.0", "0%", "DD/MM/YYYY", "0", '#,##0 "€"'
PRIORITY_WORD = {1: "Priorité 1", 2: "Priorité 2", 3: "Priorité 3"}
CRITERIA = ("pertinence", "impact", "faisabilite", "cout", "partenaires", "prerequis")
CRITERIA_LABELS = ("Pertinence", "Impact", "Faisabilité", "Coût", "Partenaires", "Prérequis")


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 14
    number_format: str | None = None
    wrap: bool = False


def _yes_no(x: bool | None) -> str:
    return "" if x is None else ("oui" if x else "non")


def _write_sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
    ws = wb.create_sheet(title)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    n = 1
    for n, row in enumerate(rows, start=2):
        for j, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = ws.cell(row=n, column=j)
            cell.value = neutralise(value)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise treat a leading "=" as a formula
            if col.number_format and isinstance(value, (int, float, date)):
                cell.number_format = col.number_format
            if col.wrap:
                cell.alignment = WRAP
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n, 1)}"


def _part(e, name: str) -> tuple[float | None, float | None]:
    for p in e.parts:
        if p.name == name:
            return p.value, p.effective_weight
    return None, None


def write_results(diag: Diagnostic, path: str | Path) -> None:
    """Write the results workbook to `path` (the caller makes it atomic)."""
    wb = Workbook()
    wb.remove(wb.active)
    top_n = next((a.robustness.top_n for a in diag.actions if a.robustness), 5)

    _write_sheet(
        wb, "Enjeux",
        [Column("Rang", 7, INT), Column("Code", 16), Column("Enjeu", 40, wrap=True), Column("Score", 9, SCORE),
         Column("Niveau", 10), Column("Score indicateurs", 12, SCORE), Column("Poids effectif indicateurs", 12, PROB),
         Column("Score importance", 12, SCORE), Column("Poids effectif importance", 12, PROB),
         Column("Score votes", 12, SCORE), Column("Poids effectif votes", 12, PROB), Column("Médiane des votes", 10, "0.0"),
         Column("Écart interquartile", 10, "0.0"), Column("Nombre de votes", 9, INT), Column("Dissensus", 10),
         Column("Atouts", 40, wrap=True), Column("Faiblesses", 40, wrap=True)],
        ([e.rang, e.code, e.libelle, e.score, e.niveau, *_part(e, "indicateurs"), *_part(e, "importance"),
          *_part(e, "votes"), e.vote_median, e.vote_iqr, e.n_votes, _yes_no(e.dissensus), e.atouts or "",
          e.faiblesses or ""] for e in diag.enjeux),
    )
    _write_sheet(
        wb, "Indicateurs",
        [Column("Code", 22), Column("Libellé", 40, wrap=True), Column("Enjeu", 16), Column("Unité", 7),
         Column("Valeur quartier", 12, "0.0"), Column("Valeur référence", 12, "0.0"),
         Column("Territoire de référence", 24, wrap=True), Column("Année", 8, "0"), Column("Source", 40, wrap=True),
         Column("Illustratif", 10), Column("Écart", 10, "0.0"), Column("Score", 9, SCORE),
         Column("Non noté car", 30, wrap=True), Column("Cellule", 16)],
        ([s.indicateur.code, s.indicateur.libelle, s.indicateur.enjeu or "contexte", s.indicateur.unite,
          s.indicateur.valeur_quartier, s.indicateur.valeur_reference, s.indicateur.territoire_reference or "",
          s.indicateur.annee, s.indicateur.source or "", _yes_no(s.indicateur.illustratif), s.ecart, s.score,
          s.reason_not_scored or "", str(s.indicateur.cell or "")] for s in diag.indicateurs),
    )

    def action_row(a):
        crit = {c.name: c for c in a.criteria}
        r = a.robustness
        act = a.action
        return [
            a.rang, act.code, act.intitule or (a.libelle_catalogue or ""), act.champ, "; ".join(act.enjeux), a.score,
            PRIORITY_WORD.get(a.priorite, str(a.priorite)), _yes_no(a.quick_win),
            *[(crit[name].normalised * 100 if name in crit else None) for name in CRITERIA],
            act.cout, r.p_same_tier if r else None, r.p_top_n if r else None, r.rank_min if r else None,
            r.rank_max if r else None, _yes_no(r.fragile) if r else "", a.debut, a.fin,
            act.echeance.text if act.echeance else "", _yes_no(a.echeance_tenue), act.pilote or "",
            ", ".join(act.partenaires), a.programme_status or "", str(act.cell or ""),
        ]

    _write_sheet(
        wb, "Actions",
        [Column("Rang", 7, INT), Column("Code", 26), Column("Intitulé", 42, wrap=True), Column("Champ", 20),
         Column("Enjeux visés", 20), Column("Score", 9, SCORE), Column("Priorité", 11), Column("Gain rapide", 9),
         *[Column(f"{label} (0-100)", 11, SCORE) for label in CRITERIA_LABELS], Column("Coût estimé", 12, EUR),
         Column("p(même priorité)", 11, PROB), Column(f"p(top {top_n})", 10, PROB), Column("Rang min", 8, INT),
         Column("Rang max", 8, INT), Column("Rang fragile", 9), Column("Début", 12, DATE), Column("Fin", 12, DATE),
         Column("Échéance souhaitée", 12), Column("Échéance tenable", 10), Column("Pilote", 24, wrap=True),
         Column("Partenaires", 30, wrap=True), Column("Statut du programme", 30, wrap=True), Column("Cellule", 14)],
        (action_row(a) for a in diag.actions),
    )
    _write_sheet(
        wb, "Feuille de route",
        [Column("Rang", 7, INT), Column("Action", 42, wrap=True), Column("Priorité", 11), Column("Phase", 30),
         Column("Type", 14), Column("Début", 12, DATE), Column("Fin", 12, DATE)],
        ([a.rang, a.action.intitule, PRIORITY_WORD.get(a.priorite, ""), p.label,
          "Prérequis" if p.kind == "prerequis" else "Mise en œuvre", p.debut, p.fin]
         for a in diag.actions for p in a.phases),
    )
    _write_sheet(
        wb, "Vigilance",
        [Column("Niveau", 11), Column("Objet", 13), Column("Référence", 24), Column("Règle", 22),
         Column("Constat", 70, wrap=True), Column("Cellules", 24, wrap=True)],
        ([v.niveau, v.objet, v.ref, v.rule, v.message, ", ".join(str(c) for c in v.cells)] for v in diag.vigilance),
    )
    q = diag.qualite
    _write_sheet(
        wb, "Qualité des données",
        [Column("Niveau", 14), Column("Code", 22), Column("Emplacement", 18), Column("Message", 60, wrap=True),
         Column("Trouvé", 24, wrap=True), Column("Attendu", 24, wrap=True)],
        [*([i.level, i.code, i.location, i.message, i.found or "", i.expected or ""] for i in q.issues),
         ["synthèse", "lignes", "", f"{q.lignes_lues} lignes lues, {q.lignes_utilisees} utilisées", "", ""]],
    )
    wb.properties.title = f"Résultats pilier-eco — {diag.territoire.nom}"
    wb.properties.creator = "pilier-eco"
    wb.save(path)

"""Excel results of a Diagnostic: one sheet per table, ready to filter and sort.

Sheets: Enjeux, Indicateurs, Actions, Feuille de route, Vigilance, Qualité des données, and Votes when a
workshop voted; values come from `toolkit.report.records` (the fields of the JSON). Each has a
formatted, frozen header row, an autofilter, column widths and number formats (scores `0.0`,
probabilities as percentages, dates). Every text goes through `safe_cells.neutralise`, so a workbook
text such as `=HYPERLINK(...)` is written as inert text, never as a formula. Before that, headers and texts
get French typography (`typography.french_text`: ’, no-break spaces before : ; ! ? »), except the columns
marked `raw`: codes and cell references (identifiers one searches or pastes) and « Trouvé » (the cell's
content quoted as typed). Numbers and dates are never touched.
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

from ..io.safe_cells import neutralise
from ..io.xlsx_style import first_sheet
from ..results import Diagnostic
from ..typography import french_text
from .records import diagnostic_record

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
    raw: bool = False  # an identifier or a verbatim quote: no typography


def _yes_no(x: bool | None) -> str:
    return "" if x is None else ("oui" if x else "non")


def _write_sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
    ws = wb.create_sheet(title)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=french_text(col.title))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    n = 1
    for n, row in enumerate(rows, start=2):
        for j, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = ws.cell(row=n, column=j)
            cell.value = neutralise(french_text(value) if isinstance(value, str) and not col.raw else value)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise treat a leading "=" as a formula
            if col.number_format and isinstance(value, (int, float, date)):
                cell.number_format = col.number_format
            if col.wrap:
                cell.alignment = WRAP
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n, 1)}"


def _part(e: dict, name: str) -> tuple[float | None, float | None]:
    for p in e["parts"]:
        if p["source"] == name:
            return p["valeur"], p["poids_effectif"]
    return None, None


def _criteria_0_100(a: dict) -> list[float | None]:
    by_name = {c["nom"]: c["normalise"] for c in a["criteres"]}
    return [round(by_name[n] * 100, 1) if by_name.get(n) is not None else None for n in CRITERIA]


def write_results(diag: Diagnostic, path: str | Path) -> None:
    """Write the results workbook to `path` (the caller makes it atomic).

    Every value comes from `toolkit.report.records` (the fields of the JSON), so the workbook and the JSON can
    never disagree (texts differ only by the workbook's French typography); only column titles, widths,
    number formats and which columns stay raw are decided here."""
    rec = diagnostic_record(diag)
    wb = Workbook()
    wb.remove(first_sheet(wb))
    top_n = next((a["robustesse"]["top_n"] for a in rec["actions"] if a["robustesse"]), 5)

    _write_sheet(
        wb,
        "Enjeux",
        [
            Column("Rang", 7, INT),
            Column("Code", 16, raw=True),
            Column("Enjeu", 40, wrap=True),
            Column("Score", 9, SCORE),
            Column("Niveau", 10),
            Column("Score indicateurs", 12, SCORE),
            Column("Poids effectif indicateurs", 12, PROB),
            Column("Score importance", 12, SCORE),
            Column("Poids effectif importance", 12, PROB),
            Column("Score votes", 12, SCORE),
            Column("Poids effectif votes", 12, PROB),
            Column("Médiane des votes", 10, "0.0"),
            Column("Écart interquartile", 10, "0.0"),
            Column("Nombre de votes", 9, INT),
            Column("Dissensus", 10),
            Column("Atouts", 40, wrap=True),
            Column("Faiblesses", 40, wrap=True),
        ],
        (
            [
                e["rang"],
                e["code"],
                e["libelle"],
                e["score"],
                e["niveau"],
                *_part(e, "indicateurs"),
                *_part(e, "importance"),
                *_part(e, "votes"),
                e["votes"]["mediane"],
                e["votes"]["ecart_interquartile"],
                e["votes"]["n"],
                _yes_no(e["votes"]["dissensus"]),
                e["atouts"] or "",
                e["faiblesses"] or "",
            ]
            for e in rec["enjeux"]
        ),
    )
    _write_sheet(
        wb,
        "Indicateurs",
        [
            Column("Code", 22, raw=True),
            Column("Libellé", 40, wrap=True),
            Column("Enjeu", 16),
            Column("Unité", 7),
            Column("Valeur quartier", 12, "0.0"),
            Column("Valeur référence", 12, "0.0"),
            Column("Territoire de référence", 24, wrap=True),
            Column("Année", 8, "0"),
            Column("Source", 40, wrap=True),
            Column("Illustratif", 10),
            Column("Écart", 10, "0.0"),
            Column("Score", 9, SCORE),
            Column("Non noté car", 30, wrap=True),
            Column("Cellule", 16, raw=True),
        ],
        (
            [
                i["code"],
                i["libelle"],
                i["enjeu"] or "contexte",
                i["unite"],
                i["valeur_quartier"],
                i["valeur_reference"],
                i["territoire_reference"] or "",
                i["annee"],
                i["source"] or "",
                _yes_no(i["illustratif"]),
                i["ecart"],
                i["score"],
                i["raison_non_note"] or "",
                i["cellule_code"] or "",
            ]
            for i in rec["indicateurs"]
        ),
    )

    def action_row(a: dict) -> list[Any]:
        r = a["robustesse"]
        return [
            a["rang"],
            a["code"],
            a["intitule"] or (a["libelle_catalogue"] or ""),
            a["champ"],
            "; ".join(a["enjeux"]),
            a["score"],
            PRIORITY_WORD.get(a["priorite"], str(a["priorite"])),
            _yes_no(a["quick_win"]),
            *_criteria_0_100(a),
            a["cout"],
            r["p_meme_priorite"] if r else None,
            r["p_top_n"] if r else None,
            r["rang_min"] if r else None,
            r["rang_max"] if r else None,
            _yes_no(r["fragile"]) if r else "",
            a["debut"],
            a["fin"],
            a["echeance_souhaitee"] or "",
            _yes_no(a["echeance_tenue"]),
            a["pilote"] or "",
            ", ".join(a["partenaires"]),
            a["statut_programme"] or "",
            a["cellule"] or "",
        ]

    _write_sheet(
        wb,
        "Actions",
        [
            Column("Rang", 7, INT),
            Column("Code", 26, raw=True),
            Column("Intitulé", 42, wrap=True),
            Column("Champ", 20),
            Column("Enjeux visés", 20),
            Column("Score", 9, SCORE),
            Column("Priorité", 11),
            Column("Gain rapide", 9),
            *[Column(f"{label} (0-100)", 11, SCORE) for label in CRITERIA_LABELS],
            Column("Coût estimé", 12, EUR),
            Column("p(même priorité)", 11, PROB),
            Column(f"p(top {top_n})", 10, PROB),
            Column("Rang min", 8, INT),
            Column("Rang max", 8, INT),
            Column("Rang fragile", 9),
            Column("Début", 12, DATE),
            Column("Fin", 12, DATE),
            Column("Échéance souhaitée", 12),
            Column("Échéance tenable", 10),
            Column("Pilote", 24, wrap=True),
            Column("Partenaires", 30, wrap=True),
            Column("Statut du programme", 30, wrap=True),
            Column("Cellule", 14, raw=True),
        ],
        (action_row(a) for a in rec["actions"]),
    )
    _write_sheet(
        wb,
        "Feuille de route",
        [
            Column("Rang", 7, INT),
            Column("Action", 42, wrap=True),
            Column("Priorité", 11),
            Column("Phase", 30),
            Column("Type", 14),
            Column("Début", 12, DATE),
            Column("Fin", 12, DATE),
        ],
        (
            [
                a["rang"],
                a["intitule"],
                PRIORITY_WORD.get(a["priorite"], ""),
                p["libelle"],
                "Prérequis" if p["type"] == "prerequis" else "Mise en œuvre",
                p["debut"],
                p["fin"],
            ]
            for a in rec["actions"]
            for p in a["phases"]
        ),
    )
    _write_sheet(
        wb,
        "Vigilance",
        [
            Column("Niveau", 11),
            Column("Objet", 13),
            Column("Référence", 24),
            Column("Règle", 22),
            Column("Constat", 70, wrap=True),
            Column("Cellules", 24, wrap=True, raw=True),
        ],
        (
            [v["niveau"], v["objet"], v["ref"], v["regle"], v["message"], ", ".join(v["cellules"])]
            for v in rec["vigilance"]
        ),
    )
    q = rec["qualite_donnees"]
    _write_sheet(
        wb,
        "Qualité des données",
        [
            Column("Niveau", 14),
            Column("Code", 22, raw=True),
            Column("Emplacement", 18, raw=True),
            Column("Message", 60, wrap=True),
            Column("Trouvé", 24, wrap=True, raw=True),
            Column("Attendu", 24, wrap=True),
        ],
        [
            *(
                [i["niveau"], i["code"], i["cellule"] or "", i["message"], i["trouve"] or "", i["attendu"] or ""]
                for i in (*q["erreurs"], *q["avertissements"], *q["informations"])
            ),
            ["synthèse", "lignes", "", f"{q['lignes_lues']} lignes lues, {q['lignes_utilisees']} utilisées", "", ""],
        ],
    )
    if rec["votes"]:
        _write_sheet(
            wb,
            "Votes",
            [
                Column("Type", 9),
                Column("Objet", 26),
                Column("Libellé", 42, wrap=True),
                Column("Votants", 9, INT),
                Column("Médiane", 9, "0.0"),
                Column("Écart interquartile", 10, "0.0"),
                Column("Dissensus", 10),
                Column("Points Borda", 10, "0.0"),
                Column("Rang Borda", 9, INT),
            ],
            (
                [
                    v["type"],
                    v["objet"],
                    v["libelle"],
                    v["n"],
                    v["mediane"],
                    v["ecart_interquartile"],
                    _yes_no(v["dissensus"]),
                    v["borda"],
                    v["rang_borda"],
                ]
                for v in rec["votes"]
            ),
        )
    wb.properties.title = french_text(f"Résultats pilier-eco — {rec['territoire']['nom']}")
    wb.properties.creator = "pilier-eco"
    wb.save(path)

"""The fillable workbook (`pilier-eco template`): every sheet of contract v1, ready for Excel and LibreOffice.

Layout of each data sheet: a title row, a one-line instruction, then the header row (frozen), then grey
example rows whose first cell starts with `#` (the reader ignores them), then the rows to fill. Drop-down
lists read their values from the hidden `Listes` sheet through absolute ranges, so that a catalogue
change only rewrites that sheet. Headers carry input help (a validation input message: shown on select
by Excel and by LibreOffice). Official data, when given, is written in the same layout (`Prefill`).

French typography (`typography.french_text`: ’, no-break spaces before : ; ! ? ») is given to what
people read — titles, instructions, headers, the `Lisez-moi` sheet, the grey example rows, the input help
and error messages — and to nothing the reader takes back as data: the values of the hidden `Listes`
sheet (a drop-down compares them as typed), pre-filled values, enjeu and question codes, the catalogue's
governance questions, sheet names. Headers are matched by `normalize_key`, which folds ’ and no-break
spaces, so a typographic header reads like a straight one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..catalog.catalogue import Catalogue
from ..catalog.prefill import Prefill
from ..config import Config
from ..layout import (
    ACTEURS,
    ACTIONS,
    CONTRACT_VERSION,
    ENJEUX,
    GOUVERNANCE,
    INDICATEURS,
    LIBRE,
    LISTES,
    LISTS,
    README,
    SHEET_ORDER,
    SHEETS,
    SHEETS_BY_NAME,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_INSTRUCTION_ROW,
    TEMPLATE_TITLE_ROW,
    TERRITOIRE,
    TERRITOIRE_FIELDS,
    VOTES,
    Column,
    Sheet,
)
from ..text import normalize_key
from ..typography import french_text
from . import xlsx_style as st
from .safe_cells import neutralise

TITLE_ROW = TEMPLATE_TITLE_ROW
INSTRUCTION_ROW = TEMPLATE_INSTRUCTION_ROW
HEADER_ROW = TEMPLATE_HEADER_ROW
FIRST_ROW = HEADER_ROW + 1
LAST_ROW = 500  # validations cover the rows a territory can reasonably fill
#: sheet name -> its columns, in template order (all from `toolkit.layout`)
COLUMNS: dict[str, tuple[Column, ...]] = {s.name: s.columns for s in SHEETS}


# ---------------------------------------------------------------- lists (values come from layout/catalogues)


def _lists(catalogue: Catalogue) -> dict[str, tuple[str, tuple]]:
    """key -> (column title on `Listes`, values). Order = columns of the `Listes` sheet."""
    enjeu_codes = tuple(e.code for e in catalogue.enjeux)
    action_codes = tuple(a.code for a in catalogue.actions)
    from_catalogue = {
        "enjeux": enjeu_codes,
        "indicateurs": tuple(i.code for i in catalogue.indicators),
        "actions": (*action_codes, LIBRE),
        "objets": enjeu_codes + action_codes,
    }
    out: dict[str, tuple[str, tuple]] = {}
    for d in LISTS:
        if d.values is not None:
            out[d.key] = (d.title, d.values)
        elif d.catalogue is not None:
            out[d.key] = (d.title, from_catalogue[d.catalogue])
        else:
            raise ValueError(f"liste « {d.key} » sans valeurs ni catalogue (toolkit/layout.py)")
    return out


def list_ranges(catalogue: Catalogue) -> dict[str, str]:
    """key -> absolute range on the `Listes` sheet (`Listes!$A$2:$A$6`), as used by the validations."""
    out = {}
    for i, (key, (_, values)) in enumerate(_lists(catalogue).items(), start=1):
        col = get_column_letter(i)
        out[key] = f"{LISTES}!${col}$2:${col}${len(values) + 1}"
    return out


def _in_order(sheet: Sheet, values: Mapping[str, object]) -> tuple:
    """A `{column key: value}` row as a tuple in the sheet's column order."""
    unknown = [k for k in values if k not in {c.key for c in sheet.columns}]
    if unknown:
        raise KeyError(f"{sheet.name} : colonne(s) inconnue(s) {unknown}")
    row = [values.get(c.key) for c in sheet.columns]
    while row and row[-1] is None:  # trailing empty cells keep the plain bordered style of the blank rows
        row.pop()
    return tuple(row)


# ---------------------------------------------------------------- writing


def _shown(value: object) -> object:
    """A text people read, in French typography; any other value as it is."""
    return french_text(value) if isinstance(value, str) else value


def french_prompts(ws: Worksheet) -> None:
    """French typography on the input help and error messages of every validation of `ws` (after their
    clipping to Excel's limits: `clip` would split on the no-break spaces; the length does not change)."""
    for dv in ws.data_validations.dataValidation:
        for name in ("promptTitle", "prompt", "errorTitle", "error"):
            text = getattr(dv, name)
            if text:
                setattr(dv, name, french_text(text))


def _title(ws: Worksheet, title: str, instruction: str, ncols: int) -> None:
    ws.cell(TITLE_ROW, 1, french_text(title)).font = st.TITLE_FONT
    ws.cell(INSTRUCTION_ROW, 1, french_text(instruction)).font = st.SUBTITLE_FONT
    if ncols > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncols)
        ws.merge_cells(start_row=INSTRUCTION_ROW, start_column=1, end_row=INSTRUCTION_ROW, end_column=ncols)
    ws.row_dimensions[TITLE_ROW].height = 24
    ws.row_dimensions[INSTRUCTION_ROW].height = 18


def _header(ws: Worksheet, columns: Sequence[Column], ranges: dict[str, str]) -> None:
    ws.row_dimensions[HEADER_ROW].height = 45
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, j, french_text(c.header))
        cell.font, cell.fill, cell.alignment, cell.border = st.HEADER_FONT, st.HEADER_FILL, st.HEADER_ALIGN, st.BORDER
        ws.column_dimensions[get_column_letter(j)].width = c.width
        help_dv = st.prompt(c.header, c.help)
        help_dv.add(cell.coordinate)
        ws.add_data_validation(help_dv)
        letter = get_column_letter(j)
        area = f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}"
        dv: DataValidation | None = None
        if c.liste:
            dv = st.list_validation(ranges[c.liste], c.header, c.help, c.strict)
        elif c.number:
            dv = st.number_validation(c.number.kind, c.number.low, c.number.high, c.header, c.help)
        if dv is not None:
            dv.add(area)
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide, header row repeated: a printed sheet stays readable."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if ws.title != README:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _list_key(column: Column) -> str:
    """The drop-down list of a column that has one (toolkit/layout.py)."""
    if column.liste is None:
        raise ValueError(f"colonne « {column.header} » sans liste déroulante (toolkit/layout.py)")
    return column.liste


def _write_row(ws: Worksheet, row: int, values: Sequence, columns: Sequence[Column], font=None, fill=None) -> None:
    for j, (value, c) in enumerate(zip(values, columns, strict=False), start=1):
        cell = ws.cell(row, j, neutralise(value))  # pre-filled names may come from a user's data file
        cell.alignment = st.WRAP
        cell.border = st.BORDER
        if c.number_format and isinstance(value, (int, float)):
            cell.number_format = c.number_format
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
    # style the empty trailing cells too, so the row reads as one
    for j in range(len(values) + 1, len(columns) + 1):
        cell = ws.cell(row, j)
        cell.border = st.BORDER
        if fill is not None:
            cell.fill = fill
    ws.row_dimensions[row].height = row_height(values, columns)


def row_height(values: Sequence, columns: Sequence[Column]) -> float:
    """Points for a row of wrapped text (LibreOffice does not always re-measure rows of an .xlsx)."""
    lines = 1
    for value, c in zip(values, columns, strict=False):
        if value is not None:
            chars_per_line = max(4, int(c.width * 1.15))
            lines = max(lines, -(-len(str(value)) // chars_per_line))
    return min(15.0 * lines, 150.0)


def _examples(ws: Worksheet, sheet: Sheet) -> int:
    """Write the grey `#` example rows; return the next free row."""
    row = FIRST_ROW
    for values in sheet.examples:
        _write_row(ws, row, tuple(_shown(v) for v in _in_order(sheet, values)), sheet.columns, font=st.EXAMPLE_FONT)
        row += 1
    return row


def _territoire(ws: Worksheet, ranges: dict[str, str], prefill: Prefill | None) -> None:
    cols = TERRITOIRE.columns
    _title(ws, TERRITOIRE.title, TERRITOIRE.instruction, len(cols))
    _header(ws, cols, ranges)
    values: dict[str, object] = {"version": CONTRACT_VERSION}
    prefilled = prefill.territoire.fields() if prefill is not None else {}
    values.update({k: v for k, v in prefilled.items() if v is not None})
    for i, f in enumerate(TERRITOIRE_FIELDS):
        row = FIRST_ROW + i
        _write_row(ws, row, (french_text(f.label), values.get(f.key)), cols)
        if f.required:
            ws.cell(row, 1).font = st.REQUIRED_FONT
        if f.key in prefilled and values.get(f.key) is not None:
            ws.cell(row, 2).fill = st.PREFILLED_FILL
        value_cell = ws.cell(row, 2)
        value_cell.alignment = st.WRAP_LEFT
        title = f.label + (" (obligatoire)" if f.required else "")
        help_text = f.help
        if f.liste:
            dv = st.list_validation(ranges[f.liste], title, help_text)
        elif f.date:
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                errorStyle="warning",
                promptTitle=st.clip(title, st.PROMPT_TITLE_MAX),
                prompt=st.clip(help_text, st.PROMPT_TEXT_MAX),
                errorTitle="Date attendue",
                error="Saisissez une date, par exemple 15/03/2025.",
            )
            value_cell.number_format = "DD/MM/YYYY"
        elif f.number:
            dv = st.number_validation(f.number.kind, f.number.low, f.number.high, title, help_text)
        else:
            dv = st.prompt(title, help_text)
        dv.add(value_cell.coordinate)
        ws.add_data_validation(dv)


def _indicateurs(ws: Worksheet, ranges: dict[str, str], prefill: Prefill | None) -> None:
    cols = INDICATEURS.columns
    _title(ws, INDICATEURS.title, INDICATEURS.instruction, len(cols))
    _header(ws, cols, ranges)
    row = _examples(ws, INDICATEURS)
    for ind in prefill.indicateurs if prefill is not None else ():
        _write_row(ws, row, _in_order(INDICATEURS, ind.values()), cols)
        ws.cell(row, INDICATEURS.index("valeur")).fill = st.PREFILLED_FILL
        row += 1


def _enjeux(ws: Worksheet, ranges: dict[str, str], catalogue: Catalogue) -> None:
    cols = ENJEUX.columns
    _title(ws, ENJEUX.title, ENJEUX.instruction, len(cols))
    _header(ws, cols, ranges)
    listed = list(catalogue.enjeux)
    # A cell takes one validation only (Excel repairs the file otherwise): the column-wide list starts
    # below the pre-listed enjeux, whose cells get their own list with the enjeu's label as help.
    col, letter = ENJEUX.index("enjeu"), ENJEUX.letter("enjeu")
    whole_column = f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}"
    column_list = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == whole_column)
    column_list.sqref = MultiCellRange(f"{letter}{FIRST_ROW + len(listed)}:{letter}{LAST_ROW}")
    for i, e in enumerate(listed):
        row = FIRST_ROW + i
        _write_row(ws, row, _in_order(ENJEUX, {"enjeu": e.code}), cols)
        ws.cell(row, col).fill = st.CATALOG_FILL
        dv = st.list_validation(ranges[_list_key(ENJEUX.column("enjeu"))], e.code, f"{e.libelle}. {e.description}")
        dv.add(ws.cell(row, col).coordinate)
        ws.add_data_validation(dv)


def _gouvernance(ws: Worksheet, ranges: dict[str, str], catalogue: Catalogue) -> None:
    cols = GOUVERNANCE.columns
    _title(ws, GOUVERNANCE.title, GOUVERNANCE.instruction, len(cols))
    _header(ws, cols, ranges)
    code_col, question_col = GOUVERNANCE.index("code"), GOUVERNANCE.index("question")
    for i, q in enumerate(catalogue.questions):
        row = FIRST_ROW + i
        _write_row(ws, row, _in_order(GOUVERNANCE, {"code": q.code, "question": q.question}), cols)
        ws.cell(row, code_col).fill = ws.cell(row, question_col).fill = st.CATALOG_FILL
        dv = st.prompt(f"{q.code} – {q.dimension}", q.aide or q.question)
        dv.add(ws.cell(row, question_col).coordinate)
        ws.add_data_validation(dv)


def _simple(sheet: Sheet) -> Callable[[Worksheet, dict[str, str]], None]:
    def write(ws: Worksheet, ranges: dict[str, str]) -> None:
        cols = sheet.columns
        _title(ws, sheet.title, sheet.instruction, len(cols))
        _header(ws, cols, ranges)
        _examples(ws, sheet)

    return write


def _listes(ws: Worksheet, catalogue: Catalogue) -> None:
    for j, (_, (title, values)) in enumerate(_lists(catalogue).items(), start=1):
        ws.cell(1, j, title).font = st.REQUIRED_FONT
        for i, v in enumerate(values, start=2):
            ws.cell(i, j, v)
        ws.column_dimensions[get_column_letter(j)].width = max(14, min(40, max(len(str(v)) for v in values) + 2))
    ws.sheet_state = "hidden"


def readme_lines(
    catalogue: Catalogue,
    prefill: Prefill | None = None,
    qpv_label: str | None = None,
    today: date | None = None,
    commands: bool = True,
) -> list[tuple[str, str]]:
    """(style, text) lines of the `Lisez-moi` sheet; style is `titre`, `section` or `texte`. `commands=False`
    (the web page's template): the page's steps in words, no command line (issue 25: no command words where a
    non-programmer reads)."""
    enjeu_list = ", ".join(e.code for e in catalogue.enjeux)
    lines: list[tuple[str, str]] = [
        ("titre", "Classeur de diagnostic « emploi et développement économique » — contrat de ville"),
        (
            "texte",
            f"Modèle de classeur, version {CONTRACT_VERSION}, généré par pilier-eco le {today or date.today():%d/%m/%Y}.",
        ),
        (
            "texte",
            (
                "Ce classeur rassemble ce que l'outil pilier-eco analyse : le territoire, les indicateurs, les "
                "enjeux, les acteurs, la gouvernance, les actions envisagées et les votes d'atelier. Il s'ouvre "
                "et se remplit dans Excel comme dans LibreOffice (enregistrez en .xlsx ou en .ods)."
            ),
        ),
        ("section", "Comment remplir"),
        (
            "texte",
            (
                "• Chaque onglet a une ligne de titre, une consigne, puis une ligne d'en-têtes figée. Ne renommez "
                "pas les onglets ni les en-têtes. Sélectionnez un en-tête pour afficher son aide."
            ),
        ),
        (
            "texte",
            (
                "• Les lignes grises en italique dont la première cellule commence par # sont des exemples : "
                "l'outil les ignore. Vous pouvez aussi commencer une ligne par # pour la mettre en commentaire."
            ),
        ),
        (
            "texte",
            (
                "• Les listes déroulantes (flèche à droite de la cellule) donnent les valeurs permises. Leurs "
                "valeurs sont dans l'onglet masqué « Listes » : ne le modifiez pas."
            ),
        ),
        (
            "texte",
            (
                "• Les nombres peuvent être saisis à la française (12,5 ou 12,5 % ou 1 234). Un pourcentage se "
                "saisit en points : 12,5 signifie 12,5 %."
            ),
        ),
        ("section", "Onglet par onglet"),
        (
            "texte",
            (
                "Territoire (obligatoire) — une ligne par champ, valeur en colonne B. Obligatoires : Version, Nom "
                "du territoire, Communes (codes INSEE séparés par ;), Typologie, Date du diagnostic."
            ),
        ),
        (
            "texte",
            (
                "Indicateurs (obligatoire) — une ligne par indicateur : code du catalogue (liste) ou code libre "
                "PERSO_… (libellé, enjeu et sens alors obligatoires). Sans valeur de référence, l'indicateur est "
                "affiché mais non noté. Indiquez toujours l'année et la source."
            ),
        ),
        (
            "texte",
            (
                f"Enjeux — les dix enjeux du volet économique ({enjeu_list}) : importance perçue de 1 à 5, atouts, "
                "faiblesses. Sélectionnez un code pour lire son intitulé."
            ),
        ),
        (
            "texte",
            (
                "Acteurs — une ligne par organisme : type (liste), rôle, implication de 0 (absent) à 3 (moteur), "
                "signataire du contrat (Oui/Non). Noms d'organismes uniquement, jamais de personnes."
            ),
        ),
        (
            "texte",
            (
                "Gouvernance — questions pré-remplies : répondez Oui, Partiel, Non ou Ne sait pas. "
                "Sélectionnez une question pour lire pourquoi elle compte."
            ),
        ),
        (
            "texte",
            (
                "Actions (obligatoire) — une ligne par action : code du catalogue (liste) ou LIBRE (intitulé, "
                "champ et enjeux visés alors obligatoires). Impact et faisabilité de 1 à 5, coût en euros, "
                "état des trois prérequis (Fait, En cours, À faire, Sans objet), échéance (2026, 2026-S2 ou date)."
            ),
        ),
        (
            "texte",
            (
                "Votes — une ligne par note d'un participant (pseudonyme P01, P02…) sur un enjeu ou une action, "
                "de 1 à 5. Facultatif : rempli pendant un atelier."
            ),
        ),
        ("section", "Chiffres illustratifs"),
        (
            "texte",
            (
                "Un chiffre qui n'a pas de source réelle (exemple, estimation de travail) porte le mot "
                "« illustratif » dans la colonne Source. Le rapport le signale comme tel : ne présentez jamais un "
                "chiffre inventé comme réel."
            ),
        ),
        ("section", "Vérifier le classeur"),
        (
            "texte",
            (
                "Commande : pilier-eco check MON_CLASSEUR.xlsx — elle liste en une fois les erreurs (à corriger) "
                "et les avertissements (à regarder), chacun avec sa cellule, par exemple Actions!F7."
                if commands
                else "Sur la page web de pilier-eco, page « Vérifier » : déposez le classeur ; la page liste en une "
                "fois les erreurs (à corriger) et les avertissements (à regarder), chacun avec sa cellule, par "
                "exemple Actions!F7."
            ),
        ),
        (
            "texte",
            "Puis : pilier-eco diagnose MON_CLASSEUR.xlsx pour produire le rapport."
            if commands
            else "Puis, page « Diagnostic » : le rapport (PDF, Word, diaporama, note aux élus).",
        ),
        ("section", "Pré-remplissage"),
    ]
    if prefill is None:
        lines.append(
            (
                "texte",
                (
                    "Ce classeur est vierge. La commande pilier-eco template CLASSEUR.xlsx --qpv QP011002 "
                    "pré-remplit le territoire et les indicateurs à partir des données INSEE des quartiers "
                    "prioritaires (géographie 2015, Occitanie fournie ; --donnees pour un autre fichier)."
                    if commands
                    else "Ce classeur est vierge. Sur la page « Modèle », les codes des quartiers (QP011002…) "
                    "pré-remplissent le territoire et les indicateurs à partir des données INSEE des quartiers "
                    "prioritaires (géographie 2015, Occitanie fournie ; un fichier INSEE 2024 peut être déposé)."
                ),
            )
        )
    else:
        lines.append(
            (
                "texte",
                (
                    f"Pré-rempli à partir des données INSEE pour {qpv_label or 'les QPV choisis'} : "
                    f"territoire et {len(prefill.indicateurs)} indicateurs (cellules vert pâle). Chaque "
                    "indicateur cite sa source, son année et, en commentaire, son mode de calcul. "
                    "Vérifiez-les et complétez les valeurs de référence manquantes."
                ),
            )
        )
        for note in prefill.notes:
            lines.append(("texte", f"À compléter : {note}"))
    return lines


def _readme(
    ws: Worksheet,
    catalogue: Catalogue,
    prefill: Prefill | None,
    qpv_label: str | None,
    today: date | None,
    commands: bool = True,
) -> None:
    ws.column_dimensions["A"].width = 100
    _print_setup(ws)
    fonts = {"titre": st.TITLE_FONT, "section": st.REQUIRED_FONT, "texte": None}
    for i, (style, text) in enumerate(readme_lines(catalogue, prefill, qpv_label, today, commands), start=1):
        cell = ws.cell(i, 1, neutralise(french_text(text)))  # a pre-fill note may quote a user's data file
        cell.alignment = st.WRAP
        if fonts[style] is not None:
            cell.font = fonts[style]
        per_line = 70 if style == "titre" else 95
        line_height = 20 if style == "titre" else 15
        ws.row_dimensions[i].height = line_height * max(1, -(-len(text) // per_line))


def build_workbook(
    prefill: Prefill | None = None,
    qpv_label: str | None = None,
    today: date | None = None,
    *,
    catalogue: Catalogue,
    commands: bool = True,
) -> Workbook:
    """The template as an openpyxl Workbook (not saved): useful to fill it further in its own layout.

    `catalogue` (a `Config`'s) gives the action codes of the drop-down list."""
    wb = Workbook()
    ranges = list_ranges(catalogue)
    sheets = {name: (st.first_sheet(wb) if i == 0 else wb.create_sheet()) for i, name in enumerate(SHEET_ORDER)}
    for name, ws in sheets.items():
        ws.title = name
    _readme(sheets[README], catalogue, prefill, qpv_label, today, commands)
    _territoire(sheets[TERRITOIRE.name], ranges, prefill)
    _indicateurs(sheets[INDICATEURS.name], ranges, prefill)
    _enjeux(sheets[ENJEUX.name], ranges, catalogue)
    _simple(ACTEURS)(sheets[ACTEURS.name], ranges)
    _gouvernance(sheets[GOUVERNANCE.name], ranges, catalogue)
    _simple(ACTIONS)(sheets[ACTIONS.name], ranges)
    _simple(VOTES)(sheets[VOTES.name], ranges)
    _listes(sheets[LISTES], catalogue)
    for ws in sheets.values():
        french_prompts(ws)
    wb.active = 0
    wb.properties.creator = "pilier-eco"
    wb.properties.title = "Diagnostic emploi et développement économique"
    return wb


def make_template(
    path: str | Path,
    qpv: Sequence[str] | None = None,
    donnees: str | Path | None = None,
    today: date | None = None,
    catalogue: Catalogue | None = None,
    commands: bool = True,
) -> Path:
    """Write the workbook to `path` (.xlsx); with `qpv` codes, pre-filled from INSEE data.

    `donnees` is another INSEE QPV file of the same format (default: the bundled Occitanie file).
    `catalogue` (`cfg.catalogue`) lists the action codes; None: that of `Config()`, as `check(path)` does.
    `commands=False` (the web page's download): the Lisez-moi says the page's steps, not command lines.
    Raises `UnknownQpvError` (unknown code) or `ValueError` (unreadable data file), both in French,
    before anything is written.
    """
    path = Path(path)
    pre: Prefill | None = None
    label = None
    if qpv:
        from ..catalog.prefill import prefill_codes, split_codes
        from ..catalog.qpv import load_qpv

        records = load_qpv(donnees) if donnees is not None else None
        name = Path(donnees).name if donnees is not None else None
        pre = prefill_codes(list(qpv), records, name)
        label = ", ".join(split_codes(qpv))
    wb = build_workbook(
        pre, label, today, catalogue=catalogue if catalogue is not None else Config().catalogue, commands=commands
    )
    from .output import atomic_write

    return atomic_write(path, wb.save)  # the one writing helper: atomic, never over a device or a pipe


# ---------------------------------------------------------------- filling a template in its own layout


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Header text (as written, typography included) -> column number, read from the template's header row."""
    return {str(c.value): c.column for c in ws[HEADER_ROW] if c.value is not None}


def _is_used(ws: Worksheet, row: int) -> bool:
    return any(ws.cell(row, j).value not in (None, "") for j in range(1, ws.max_column + 1))


def _key_columns(ws: Worksheet) -> tuple[Sheet, dict[str, int]]:
    """The layout of a template sheet and the column number of each of its column keys."""
    sheet = SHEETS_BY_NAME[ws.title]
    by_header = {normalize_key(h): j for h, j in header_columns(ws).items()}  # ’ and no-break spaces folded
    return sheet, {
        c.key: by_header[normalize_key(c.header)] for c in sheet.columns if normalize_key(c.header) in by_header
    }


def append_rows(ws: Worksheet, rows: Sequence[Mapping[str, st.CellValue]]) -> list[int]:
    """Write `{column key: value}` rows (keys of `toolkit.layout`) after the last used row of a data sheet;
    returns their row numbers. Raises KeyError on a key the sheet lacks."""
    sheet, cols = _key_columns(ws)
    row = FIRST_ROW
    while _is_used(ws, row):
        row += 1
    written = []
    for values in rows:
        ordered = _in_order(sheet, values)
        for key, value in values.items():
            cell = ws.cell(row, cols[key], value)
            cell.alignment = st.WRAP
            cell.border = st.BORDER
            fmt = sheet.column(key).number_format
            if fmt and isinstance(value, (int, float)):
                cell.number_format = fmt
        ws.row_dimensions[row].height = row_height(ordered, sheet.columns)
        written.append(row)
        row += 1
    return written


def fill_by_key(ws: Worksheet, key_column: str, values: Mapping[str, Mapping[str, st.CellValue]]) -> None:
    """Fill pre-listed rows (`Enjeux`, `Gouvernance`) found by the value of their `key_column` cell:
    `fill_by_key(ws, "enjeu", {"COMMERCE": {"importance": 5}})`. Raises KeyError on a row the sheet lacks."""
    sheet, cols = _key_columns(ws)
    key_col = cols[key_column]
    rows = {
        normalize_key(ws.cell(r, key_col).value): r
        for r in range(FIRST_ROW, ws.max_row + 1)
        if ws.cell(r, key_col).value
    }
    for key, cells in values.items():
        if normalize_key(key) not in rows:
            raise KeyError(f"{ws.title} : ligne « {key} » absente")
        row = rows[normalize_key(key)]
        _in_order(sheet, cells)  # unknown column keys raise
        for column, value in cells.items():
            ws.cell(row, cols[column], value).alignment = st.WRAP_LEFT
        ordered = [ws.cell(row, j).value for j in range(1, len(sheet.columns) + 1)]
        ws.row_dimensions[row].height = row_height(ordered, sheet.columns)


def fill_territoire(ws: Worksheet, values: Mapping[str, st.CellValue]) -> None:
    """Fill the `Territoire` sheet by field key (`{"nom": "Carcassonne", "typologie": …}`)."""
    labels = {f.key: f.label for f in TERRITOIRE_FIELDS}
    unknown = [k for k in values if k not in labels]
    if unknown:
        raise KeyError(f"{ws.title} : champ(s) inconnu(s) {unknown}")
    fill_by_key(ws, "champ", {labels[k]: {"valeur": v} for k, v in values.items()})

"""The participant scoring sheet `notation.xlsx`: one row per enjeu and per candidate action, a 1–5 drop-down.

Layout (`layout.NOTATION`, shared with the merge which reads it back): a title row, an instruction row, the
header row frozen, then one row per object. A
participant writes their name on the first row only; the merge carries it down to the following rows.
The object and label columns are locked (sheet protection without password: it prevents slips, not
determined edits — the merge checks every object anyway). Every text written is formula-neutralised.
What people read (title, instruction, headers, labels, input help) is in French typography; the object
codes, which the merge reads back, and the note list stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..io import xlsx_style as st
from ..io.output import atomic_write
from ..io.safe_cells import neutralise
from ..io.template import french_prompts
from ..layout import NOTATION
from ..typography import french_text
from .items import BallotItem

SHEET = NOTATION.name
HEADERS = NOTATION.headers
TITLE_ROW, INSTRUCTION_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
NOTE_COL = NOTATION.index("note")
EDITABLE = {NOTATION.index(k) for k in ("participant", "structure", "note")}
LOCKED_SECTION = {NOTATION.index(k) for k in ("objet", "libelle")}
OBJET_COL = NOTATION.index("objet")
SCALE = (1, 5)
SECTION_FILL = PatternFill("solid", start_color="DDE4EE", end_color="DDE4EE")
EDITABLE_FILL = PatternFill("solid", start_color="FFFBEA", end_color="FFFBEA")
INSTRUCTION = NOTATION.instruction


def build_sheet(
    items: Sequence[BallotItem], territoire: str, participant: str | None = None, protect: bool = True
) -> XlsxWorkbook:
    wb = XlsxWorkbook()
    ws = st.first_sheet(wb)
    ws.title = SHEET
    ncols = len(NOTATION.columns)
    ws.cell(TITLE_ROW, 1, neutralise(french_text(f"{NOTATION.title} — {territoire}"))).font = st.TITLE_FONT
    ws.cell(INSTRUCTION_ROW, 1, french_text(INSTRUCTION)).font = st.SUBTITLE_FONT
    ws.cell(INSTRUCTION_ROW, 1).alignment = Alignment(wrap_text=True, vertical="top")
    for row in (TITLE_ROW, INSTRUCTION_ROW):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[TITLE_ROW].height = 24
    ws.row_dimensions[INSTRUCTION_ROW].height = 44
    for j, col in enumerate(NOTATION.columns, start=1):
        cell = ws.cell(HEADER_ROW, j, french_text(col.header))
        cell.font, cell.fill, cell.alignment, cell.border = st.HEADER_FONT, st.HEADER_FILL, st.HEADER_ALIGN, st.BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.width
        dv = st.prompt(col.header, col.help)
        dv.add(cell.coordinate)
        ws.add_data_validation(dv)
    ws.row_dimensions[HEADER_ROW].height = 30
    last = FIRST_ROW + len(items) - 1
    for i, item in enumerate(items):
        r = FIRST_ROW + i
        by_key = {
            "participant": participant if (participant and i == 0) else None,
            "objet": item.objet,
            "libelle": french_text(item.libelle),
        }
        for j, col in enumerate(NOTATION.columns, start=1):
            cell = ws.cell(r, j, neutralise(by_key.get(col.key)))
            cell.border = st.BORDER
            cell.alignment = st.WRAP
            cell.protection = Protection(locked=j not in EDITABLE)
            if j == NOTE_COL:
                cell.fill = EDITABLE_FILL
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif item.kind == "enjeu" and j in LOCKED_SECTION:
                cell.fill = SECTION_FILL
        ws.cell(r, OBJET_COL).font = Font(bold=item.kind == "enjeu")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(item.libelle) // 70))
    if items:
        note = NOTATION.column("note")
        notes = st.list_validation(
            f'"{",".join(str(n) for n in range(SCALE[0], SCALE[1] + 1))}"', note.header, note.help
        )
        notes.add(f"{get_column_letter(NOTE_COL)}{FIRST_ROW}:{get_column_letter(NOTE_COL)}{last}")
        ws.add_data_validation(notes)
    french_prompts(ws)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if protect:
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # False = allowed: widen a column, resize a row
        ws.protection.formatRows = False
        ws.protection.selectLockedCells = False
        ws.protection.selectUnlockedCells = False
    return wb


def write_sheet(
    path: str | Path, items: Sequence[BallotItem], territoire: str, participant: str | None = None, protect: bool = True
) -> Path:
    wb = build_sheet(items, territoire, participant, protect)
    return atomic_write(path, wb.save)

"""Cell styles and input-help helpers of the generated workbook (openpyxl), kept apart from its layout.

Excel caps an input message at 32 characters of title and 255 of text, and refuses the whole file
when they are longer; `prompt()` trims to those limits so that no help text can break a workbook.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

#: What a cell of the generated workbook may be given
CellValue = str | int | float | bool | date | datetime | None

PROMPT_TITLE_MAX = 32
PROMPT_TEXT_MAX = 255

TITLE_FONT = Font(bold=True, size=14, color="1F3864")
SUBTITLE_FONT = Font(italic=True, size=10, color="404040")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="2F5496", end_color="2F5496")
REQUIRED_FONT = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="808080")
PREFILLED_FILL = PatternFill("solid", start_color="EAF1DD", end_color="EAF1DD")  # pale green: from INSEE
CATALOG_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")  # grey: from the catalogue
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook opens with (openpyxl types `wb.active` as maybe none, or a chart sheet)."""
    ws = wb.worksheets[0]
    if not isinstance(ws, Worksheet):
        raise TypeError(f"première feuille inattendue : {type(ws).__name__}")
    return ws


def clip(text: str, limit: int) -> str:
    """Trim to `limit` characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def prompt(title: str, text: str) -> DataValidation:
    """A validation that only shows an input message when the cell is selected (Excel and LibreOffice)."""
    return DataValidation(
        type=None,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=False,
        promptTitle=clip(title, PROMPT_TITLE_MAX),
        prompt=clip(text, PROMPT_TEXT_MAX),
    )


def list_validation(formula: str, title: str, text: str, strict: bool = True) -> DataValidation:
    """A drop-down list (arrow visible: openpyxl's `showDropDown=True` would hide it).

    `strict=False` lets the user type another value after a notice, for lists that also accept free
    codes (`PERSO_…` indicators, `LIBRE` actions, several enjeux).
    """
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "information",
        errorTitle=clip("Valeur hors liste", PROMPT_TITLE_MAX),
        error=clip("Choisissez une valeur dans la liste déroulante (voir l'onglet Lisez-moi).", PROMPT_TEXT_MAX),
        promptTitle=clip(title, PROMPT_TITLE_MAX),
        prompt=clip(text, PROMPT_TEXT_MAX),
    )


def number_validation(
    kind: Literal["whole", "decimal"], minimum: float, maximum: float, title: str, text: str
) -> DataValidation:
    """A whole or decimal number between bounds; a warning only, since French text numbers are accepted."""
    return DataValidation(
        type=kind,
        operator="between",
        formula1=str(minimum),
        formula2=str(maximum),
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=clip("Valeur inattendue", PROMPT_TITLE_MAX),
        error=clip(f"Valeur attendue entre {minimum:g} et {maximum:g}.", PROMPT_TEXT_MAX),
        promptTitle=clip(title, PROMPT_TITLE_MAX),
        prompt=clip(text, PROMPT_TEXT_MAX),
    )

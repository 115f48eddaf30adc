"""Neutralising spreadsheet formula injection (CSV/Excel "DDE" injection) in every file we write.

Workbook text (an action title, a comment) is copied into result files that people open in Excel or
LibreOffice. A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return could be evaluated as a
formula there. Choice: such a text is written as a string with a leading apostrophe `'`, the convention
both spreadsheet programs and the OWASP guidance use; openpyxl stores it as a plain string cell
(`data_type == "s"`), so nothing is ever a formula, and the reader sees the text with an apostrophe
that shows it was neutralised. Numbers, dates and booleans pass through untouched.
"""

from __future__ import annotations

from typing import Any

from ..text import strip_controls

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_MAX = 32_767


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def restore(text: str) -> str:
    """The text a neutralised cell protects: `'=A1` read back from a file we wrote is `=A1` again.

    Excel and LibreOffice never store the apostrophe a user types, so a leading `'` before a dangerous
    character only comes from a writer like ours; without this, a kit's `'@…` title could not be matched.
    """
    if text.startswith("'") and is_dangerous(text[1:]):
        return text[1:]
    return text


def neutralise(value: Any) -> Any:
    """Return `value` safe to put in a spreadsheet cell: dangerous strings get a leading `'`, control
    characters (which openpyxl refuses, crashing the whole file) are dropped, and text is cut at Excel's
    32,767-character cell limit."""
    if isinstance(value, str):
        value = strip_controls(value)[:_EXCEL_MAX]
        if is_dangerous(value):
            return "'" + value[: _EXCEL_MAX - 1]
    return value

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

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def neutralise(value: Any) -> Any:
    """Return `value` safe to put in a spreadsheet cell: dangerous strings get a leading `'`."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value

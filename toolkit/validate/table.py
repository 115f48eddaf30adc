"""Find a sheet, its header row and its columns, tolerantly; then walk its data rows.

Columns are those of `toolkit.layout`. Sheet names and headers match ignoring case, accents and spaces, and a header may carry its scale or unit
in parentheses (`Impact attendu (1-5)` = `impact attendu`). The header row may sit below merged title rows;
columns may come in any order; extra columns are reported once and ignored. Rows that are empty on the
known columns are skipped; rows whose first non-empty cell starts with `#` are counted as comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..io.reader import RawSheet, RawWorkbook, a1
from ..layout import Column
from ..problems import Cell, Level, Problem, problem
from ..text import normalize_key

_HEADER_SCAN_ROWS = 30
_PARENS = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=4096)
def _loose(text: str) -> str:
    return normalize_key(_PARENS.sub(" ", normalize_key(text))).strip(" :*")


def loose_key(text: object) -> str:
    """`Coût estimé (€)` -> `cout estime`: normalize_key without parenthesised scale or unit."""
    return _loose(text) if isinstance(text, str) else _loose(str(text))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=256)
def _column_keys(header: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k in (loose_key(header), *(loose_key(a) for a in aliases)) if k)


def column_keys(column: Column) -> frozenset[str]:
    """The loose keys a header cell may have to be read as `column` (its header and aliases)."""
    return _column_keys(column.header, column.aliases)


def matches(column: Column, text: object) -> bool:
    return loose_key(text) in column_keys(column)


@dataclass
class Collector:
    """Issues and row counters shared by every sheet of one file (one pass, nothing raised)."""

    file: str
    issues: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_used: int = 0
    comments: int = 0

    def add(self, level: Level, issue_code: str, /, **kw: Any) -> Problem:
        issue = problem(level, issue_code, file=self.file, **kw)
        self.issues.append(issue)
        return issue

    def error(self, issue_code: str, /, **kw: Any) -> Problem:
        return self.add("erreur", issue_code, **kw)

    def warn(self, issue_code: str, /, **kw: Any) -> Problem:
        return self.add("avertissement", issue_code, **kw)


def find_sheet(raw: RawWorkbook, name: str, aliases: tuple[str, ...] = ()) -> RawSheet | None:
    keys = {normalize_key(name), *(normalize_key(a) for a in aliases)}
    return next((s for s in raw.sheets if normalize_key(s.name) in keys), None)


@dataclass(frozen=True)
class Table:
    sheet: RawSheet
    header_row: int
    columns: dict[str, int]  # Column.key -> column index
    headers: dict[str, str]  # Column.key -> header as written in the file
    rows: tuple[int, ...]  # data rows (non-empty, not comments)

    def cell(self, row: int, key: str) -> Cell | None:
        col = self.columns.get(key)
        return Cell(self.sheet.name, a1(row, col)) if col is not None else None

    def row_cell(self, row: int) -> Cell:
        """The first known cell of the row: where a row-level message points."""
        col = min(self.columns.values(), default=0)
        return Cell(self.sheet.name, a1(row, col))


def locate_table(sheet: RawSheet, columns: tuple[Column, ...], out: Collector) -> Table | None:
    """Header row = the first row (among the first 30) matching the most expected headers (at least two)."""
    best_row, best_hits = -1, 1
    for r in range(min(len(sheet.rows), _HEADER_SCAN_ROWS)):
        keys = {loose_key(v) for v in sheet.rows[r] if isinstance(v, str) and 0 < len(v) < 80}
        hits = sum(1 for c in columns if column_keys(c) & keys)
        if hits > best_hits:
            best_row, best_hits = r, hits
    if best_row < 0:
        out.error(
            "en-tete-introuvable",
            sheet=sheet.name,
            feuille=sheet.name,
            expected="une ligne avec les en-têtes " + ", ".join(f"« {c.header} »" for c in columns),
        )
        return None
    found: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[int] = []
    for col, value in enumerate(sheet.rows[best_row]):
        if is_blank(value):
            continue
        column = next((c for c in columns if matches(c, value)), None)
        ref = Cell(sheet.name, a1(best_row, col))
        if column is None:
            ignored.append(col)
            out.warn("colonne-ignoree", cell=ref, colonne=str(value).strip(), expected=_near_header(value, columns))
        elif column.key in found:
            out.warn("colonne-en-double", cell=ref, colonne=str(value).strip())
        else:
            found[column.key] = col
            headers[column.key] = str(value).strip()
    for c in columns:
        if c.key not in found and (c.required or c.report_missing):
            (out.error if c.required else out.warn)(
                "colonne-manquante",
                cell=Cell(sheet.name, f"{best_row + 1}:{best_row + 1}"),
                colonne=c.header,
                expected=f"une colonne « {c.header} » dans la ligne d'en-tête {best_row + 1}",
            )
    if any(c.required and c.key not in found for c in columns):
        return None
    data_rows = []
    known = sorted(found.values())
    for r in range(best_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        first = next((v for v in row if not is_blank(v)), None)
        if first is None:
            continue
        if isinstance(first, str) and first.lstrip().startswith("#"):
            out.comments += 1
            continue
        if all(is_blank(sheet.value(r, c)) and not sheet.meta_at(r, c).formula_without_value for c in known):
            continue  # only ignored columns are filled: covered by `colonne-ignoree`
        data_rows.append(r)
    return Table(sheet, best_row, found, headers, tuple(data_rows))


def _near_header(value: object, columns: tuple[Column, ...]) -> str | None:
    import difflib

    keyed = {loose_key(c.header): c.header for c in columns}
    near = difflib.get_close_matches(loose_key(value), list(keyed), n=1, cutoff=0.75)
    return f"« {keyed[near[0]]} » ? (en-tête à corriger)" if near else None

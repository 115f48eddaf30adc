"""Reading one cell of a data row into a typed value, reporting what cannot be read.

Each accessor returns the value or None, and on a problem records an `Issue` located at that cell and
marks the row invalid (for errors). Conversion rules (French numbers, percent formats, leading zeros)
live here and in `toolkit.io.numbers`, nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

from ..io.cellmeta import CellMeta
from ..io.numbers import ParsedNumber, french_number, parse_date, parse_echeance, parse_number
from ..io.safe_cells import restore
from ..model import Cell, Echeance
from ..text import normalize_key, strip_controls
from .messages import did_you_mean
from .table import Collector, Table, is_blank


def as_text(value: object, zero_pad: int = 0) -> str | None:
    """A cell as text: numbers without a spurious `.0` (padded when the cell format pads), dates in ISO."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float):
        if value.is_integer():
            n = int(value)
            return str(n).zfill(zero_pad) if zero_pad else str(n)
        return str(value)
    if isinstance(value, int):
        return str(value).zfill(zero_pad) if zero_pad else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return restore(strip_controls(str(value)).strip()) or None


def split_list(text: str | None, commas: bool = True) -> tuple[str, ...]:
    """`a ; b, c` -> ('a', 'b', 'c'): `;` is the contract's separator; `,` and line breaks are tolerated."""
    if not text:
        return ()
    for sep in (",", "\n", "|") if commas else ("\n", "|"):
        text = text.replace(sep, ";")
    return tuple(p.strip() for p in text.split(";") if p.strip())


class Row:
    """Accessors over one data row of a `Table`; `ok` turns False at the first error."""

    def __init__(self, table: Table, row: int, out: Collector, label: str | None = None) -> None:
        self.table, self.row, self.out = table, row, out
        self.label = label  # names the value in messages instead of the column header (`Territoire`)
        self.ok = True
        for key in table.columns:  # a formula without value is an error wherever it sits
            col = table.columns[key]
            meta = table.sheet.meta_at(row, col)
            if meta.formula_without_value:
                self.error(
                    "formule-sans-valeur",
                    key,
                    found=meta.formula,
                    expected="une valeur (ouvrez et "
                    "enregistrez le classeur dans Excel ou LibreOffice pour calculer les formules)",
                )

    # -- plumbing ---------------------------------------------------------------------------------------
    def cell(self, key: str) -> Cell:
        return self.table.cell(self.row, key) or self.table.row_cell(self.row)

    def header(self, key: str) -> str:
        return self.label or self.table.headers.get(key, key)

    def raw(self, key: str) -> object:
        col = self.table.columns.get(key)
        if col is None or self.table.sheet.meta_at(self.row, col).formula_without_value:
            return ""
        return self.table.sheet.value(self.row, col)

    def meta(self, key: str) -> CellMeta:
        col = self.table.columns.get(key)
        return self.table.sheet.meta_at(self.row, col if col is not None else -1)

    def error(self, issue_code: str, key: str, /, **kw: object) -> None:
        self.ok = False
        kw.setdefault("colonne", self.header(key))
        self.out.error(issue_code, cell=self.cell(key), **kw)

    def warn(self, issue_code: str, key: str, /, **kw: object) -> None:
        kw.setdefault("colonne", self.header(key))
        self.out.warn(issue_code, cell=self.cell(key), **kw)

    def blank(self, key: str) -> bool:
        return is_blank(self.raw(key))

    # -- typed accessors --------------------------------------------------------------------------------
    def text(self, key: str) -> str | None:
        return as_text(self.raw(key), self.meta(key).zero_pad)

    def required_text(self, key: str, why: str | None = None) -> str | None:
        value = self.text(key)
        if value is None:
            if why:
                self.error("ligne-incomplete", key, quoi=why, expected="une valeur")
            else:
                self.error("valeur-manquante", key, expected="une valeur")
        return value

    def number(self, key: str, percent_points: bool = False, expected: str | None = None) -> ParsedNumber | None:
        """A number typed or stored; with `percent_points`, a percent-formatted cell in ]0;1[ is x100.
        `expected` words what an unreadable cell should hold (a scale says its own range, not « 12,5 »)."""
        value = self.raw(key)
        if is_blank(value):
            return None
        if isinstance(value, bool):
            parsed = None
        elif isinstance(value, (int, float)):
            parsed = ParsedNumber(float(value)) if math.isfinite(value) else None
        elif isinstance(value, str):
            parsed = parse_number(value)
        else:
            parsed = None
        if parsed is None:
            expected = expected or "un nombre, par ex. « 12,5 » ou « 1 234 »"
            if isinstance(value, (date, datetime)):  # `12.5` typed in a French Excel becomes 12 May
                expected += (
                    " — la cellule contient une date : le tableur a peut-être converti la saisie ; "
                    "mettez la cellule au format Nombre et ressaisissez la valeur avec une virgule"
                )
            self.error("nombre-illisible", key, found=as_text(value), expected=expected)
            return None
        if percent_points and self.meta(key).percent and 0 < parsed.value < 1 and parsed.unit is None:
            return ParsedNumber(round(parsed.value * 100, 10), "%")
        if self.meta(key).percent and parsed.unit is None:
            return ParsedNumber(parsed.value, "%")
        return parsed

    def scale(self, key: str, lo: int, hi: int) -> int | None:
        """An integer score on a declared scale (1-5, 0-3)."""
        parsed = self.number(key, expected=f"une note entière de {lo} à {hi}, par ex. « {hi - 1} »")
        if parsed is None:
            return None
        if not parsed.value.is_integer():
            self.error(
                "nombre-non-entier", key, found=french_number(parsed.value), expected=f"un entier de {lo} à {hi}"
            )
            return None
        if not lo <= parsed.value <= hi:
            self.error("hors-echelle", key, found=self.raw(key), expected=f"un entier de {lo} à {hi}")
            return None
        return int(parsed.value)

    def choice(self, key: str, options: Iterable[str], aliases: dict[str, str] | None = None) -> str | None:
        """A list value, matched tolerantly, returned spelled as in the contract."""
        text = self.text(key)
        if text is None:
            return None
        options = tuple(options)
        table = {normalize_key(o): o for o in options}
        table.update({normalize_key(k): v for k, v in (aliases or {}).items()})
        found = table.get(normalize_key(text))
        if found is None:
            self.error(
                "valeur-hors-liste",
                key,
                found=text,
                expected=" | ".join(options),
                suggestion=did_you_mean(text, options),
            )
        return found

    def date(self, key: str) -> date | None:
        value = self.raw(key)
        if is_blank(value):
            return None
        found = parse_date(value)
        if found is None:
            self.error(
                "date-illisible", key, found=value, expected="une date, par ex. « 31/03/2024 » ou « 2024-03-31 »"
            )
        return found

    def echeance(self, key: str) -> Echeance | None:
        value = self.raw(key)
        if is_blank(value):
            return None
        found = parse_echeance(value)
        if found is None:
            self.error(
                "echeance-illisible",
                key,
                found=value,
                expected="une date (« 31/03/2027 »), une année (« 2027 ») ou un semestre (« 2026-S2 »)",
            )
        return found

    def year(self, key: str) -> int | None:
        value = self.raw(key)
        if isinstance(value, (date, datetime)):
            return value.year
        parsed = self.number(key)
        if parsed is None:
            return None
        if not parsed.value.is_integer() or not 1900 <= parsed.value <= 2200:
            self.error("hors-echelle", key, found=self.raw(key), expected="une année sur 4 chiffres, par ex. « 2021 »")
            return None
        return int(parsed.value)


def report_cells(out: Collector, table: Table, key: str, rows: list[int], code: str = "score-manquant") -> None:
    """One warning per sheet and column listing the cells concerned (not one line per cell)."""
    if not rows:
        return
    refs = [(table.cell(r, key) or table.row_cell(r)).ref for r in rows]
    shown = ", ".join(refs[:8]) + (f" … (+{len(refs) - 8})" if len(refs) > 8 else "")
    n = len(rows)
    out.warn(
        code, sheet=table.sheet.name, colonne=table.headers.get(key, key), n=n, s="s" if n > 1 else "", cellules=shown
    )

"""Workbooks pre-filled by the tool (`make_template(qpv=…)`, as `pilier-eco template --qpv` and the web page's
Modèle form make them), then completed the way a user would: typology, date, one action; and, for the tests of
a row she takes over, one pre-filled cell edited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from toolkit.io.template import make_template
from toolkit.layout import INDICATEURS

#: The Carcassonne sample's quartiers (sample_data/build_samples.py), 2015 geography of the packaged data.
CARCASSONNE = ("QP011002", "QP011003", "QP011004", "QP011005", "QP011006")
#: With a diagnostic dated 2025, the packaged vintages of 2017 (revenus) and 2019 (établissements) are old.
DIAGNOSTIC = date(2025, 3, 31)


def _row_of(ws, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def prefilled_workbook(path: Path, codes: tuple[str, ...] = CARCASSONNE, diagnostic: date = DIAGNOSTIC) -> Path:
    """The template pre-filled for `codes`, with only what the user must add to make it usable."""
    make_template(path, qpv=list(codes))
    wb = openpyxl.load_workbook(path)
    t = wb["Territoire"]
    t.cell(_row_of(t, "Typologie"), 2, "Ville moyenne")
    t.cell(_row_of(t, "Date du diagnostic"), 2, diagnostic)
    wb["Actions"].append(["COM_MANAGER", None, None, None, 4, 4, 60000])
    wb.save(path)
    return path


def indicator_cell(path: Path, code: str, column: str) -> str:
    """`F13`: the cell of `column` (a key of `layout.INDICATEURS`) on the row of indicator `code`."""
    ws = openpyxl.load_workbook(path)["Indicateurs"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)
    return ws.cell(row, INDICATEURS.index(column)).coordinate


def edit_indicator(original: Path, target: Path, code: str, **values: object) -> Path:
    """The user's edit: `original` saved as `target` with new values (by column key) on the row of `code`."""
    wb = openpyxl.load_workbook(original)
    ws = wb["Indicateurs"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)
    for key, value in values.items():
        ws.cell(row, INDICATEURS.index(key), value)
    wb.save(target)
    return target

"""notation.xlsx: columns, one row per object, a 1–5 drop-down with its arrow, locked label columns."""

from __future__ import annotations

import openpyxl

from toolkit.catalog import packaged_catalogue
from toolkit.typography import french_text
from toolkit.workshop.items import BallotItem, ballot_items
from toolkit.workshop.sheet import FIRST_ROW, HEADER_ROW, HEADERS, SHEET, write_sheet

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_structure_of_the_scoring_sheet(sample_workbook, tmp_path):
    items = ballot_items(sample_workbook, CAT)
    path = write_sheet(tmp_path / "notation.xlsx", items, sample_workbook.territoire.nom)
    ws = openpyxl.load_workbook(path)[SHEET]
    assert (
        [c.value for c in ws[HEADER_ROW]]
        == list(HEADERS)
        == ["Participant", "Structure", "Objet", "Libellé", "Note (1-5)"]
    )
    rows = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
    assert [(r[2], r[3]) for r in rows] == [(i.objet, french_text(i.libelle)) for i in items]  # labels: as read
    assert all(r[0] is None and r[4] is None for r in rows)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    dv = lists[0]
    assert dv.formula1 == '"1,2,3,4,5"' and dv.showDropDown is False  # openpyxl: True would HIDE the arrow
    assert dv.errorStyle == "stop" and str(dv.sqref) == f"E{FIRST_ROW}:E{FIRST_ROW + len(items) - 1}"
    assert ws.freeze_panes == f"A{FIRST_ROW}"


def test_label_columns_locked_and_entry_columns_free(sample_workbook, tmp_path):
    items = ballot_items(sample_workbook, CAT)
    ws = openpyxl.load_workbook(write_sheet(tmp_path / "n.xlsx", items, "T"))[SHEET]
    assert ws.protection.sheet is True
    assert [ws.cell(FIRST_ROW, j).protection.locked for j in range(1, 6)] == [False, False, True, True, False]
    ws = openpyxl.load_workbook(write_sheet(tmp_path / "m.xlsx", items, "T", protect=False))[SHEET]
    assert not ws.protection.sheet


def test_pre_named_sheet_and_formula_like_text_neutralised(sample_workbook, tmp_path):
    items = ballot_items(sample_workbook, CAT)
    ws = openpyxl.load_workbook(write_sheet(tmp_path / "p.xlsx", items, "T", "P03"))[SHEET]
    assert ws.cell(FIRST_ROW, 1).value == "P03" and ws.cell(FIRST_ROW + 1, 1).value is None
    evil = BallotItem("action", '=HYPERLINK("http://x")', "@SUM(A1)")
    ws = openpyxl.load_workbook(write_sheet(tmp_path / "e.xlsx", [evil], "T", "+P03"))[SHEET]
    for col in (1, 3, 4):
        cell = ws.cell(FIRST_ROW, col)
        assert cell.data_type == "s" and str(cell.value).startswith("'")

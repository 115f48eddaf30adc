"""Raw reading: values via calamine, A1 addresses as in the file, metadata from the XML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from toolkit.io.cellmeta import CellMeta, _format_flags
from toolkit.io.reader import a1, read_raw

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a1():
    assert [a1(0, 0), a1(6, 1), a1(0, 25), a1(0, 26), a1(9, 701), a1(0, 702)] == [
        "A1",
        "B7",
        "Z1",
        "AA1",
        "ZZ10",
        "AAA1",
    ]


def test_format_flags():
    assert _format_flags("0.0%") == (True, 0)
    assert _format_flags("00000") == (False, 5)
    assert _format_flags('0" %"') == (False, 0)  # a quoted % is text, not a percent format
    assert _format_flags("#,##0.00") == (False, 0)
    assert _format_flags("[Red]0%;-0%") == (True, 0)


def test_positions_keep_title_rows():
    raw = read_raw(FIXTURES / "valide.xlsx")
    territoire = next(s for s in raw.sheets if s.name == "Territoire")
    assert territoire.value(0, 0).startswith("Territoire")
    assert territoire.value(2, 0) == "Champ"
    assert territoire.value(5, 1) == "11069"
    assert territoire.value(12, 1) == date(2024, 3, 31)


def test_metadata_percent_zero_pad_and_formula(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "F"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = 1004, 0.125, "=B1*2", 3
    ws["A1"].number_format, ws["B1"].number_format = "00000", "0.0%"
    wb.save(tmp_path / "m.xlsx")
    sheet = read_raw(tmp_path / "m.xlsx").sheets[0]
    assert sheet.meta_at(0, 0) == CellMeta(zero_pad=5)
    assert sheet.meta_at(0, 1).percent
    assert sheet.meta_at(0, 2).formula_without_value and sheet.meta_at(0, 2).formula == "=B1*2"
    assert sheet.meta_at(0, 3) == CellMeta()


def test_ods_metadata_from_libreoffice():
    raw = read_raw(FIXTURES / "tolerance.ods")
    indicateurs = next(s for s in raw.sheets if s.name == "INDICATEURS")
    assert indicateurs.meta_at(3, 0).percent
    territoire = next(s for s in raw.sheets if s.name.strip() == "territoire")
    assert territoire.meta_at(5, 1).zero_pad == 5


def test_xlsm_macros_are_never_run():
    raw = read_raw(FIXTURES / "valide.xlsm")
    assert "Actions" in [s.name for s in raw.sheets]  # read as data; vbaProject.bin is never executed

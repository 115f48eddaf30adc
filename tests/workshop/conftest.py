"""A validated sample workbook and helpers to fill scoring sheets as participants would."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from toolkit.catalog import packaged_catalogue
from toolkit.validate import check
from toolkit.workshop.items import ballot_items
from toolkit.workshop.sheet import FIRST_ROW, NOTE_COL, SHEET, write_sheet

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "bedarieux.xlsx"
VALIDE = ROOT / "tests" / "fixtures" / "valide.xlsx"


@pytest.fixture(scope="session")
def sample_workbook():
    report = check(SAMPLE)
    assert report.ok
    return report.workbook


@pytest.fixture(scope="session")
def valide_workbook():
    report = check(VALIDE)
    assert report.ok
    return report.workbook


@pytest.fixture
def fill(tmp_path):
    """fill(workbook, name, notes, participant=…, structure=…) -> path of a filled scoring sheet."""

    def _fill(
        workbook,
        name: str,
        notes: Sequence[object],
        participant: object = None,
        structure: object = None,
        raw_participant: bool = False,
    ) -> Path:
        path = tmp_path / name
        write_sheet(path, ballot_items(workbook, CAT), workbook.territoire.nom)
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEET]
        if participant is not None:
            cell = ws.cell(FIRST_ROW, 1, participant)
            if raw_participant:  # keep a formula-looking text as text, as LibreOffice or a paste would
                cell.data_type = "s"
        if structure is not None:
            ws.cell(FIRST_ROW, 2, structure)
        for i, note in enumerate(notes):
            if note is not None:
                ws.cell(FIRST_ROW + i, NOTE_COL, note)
        wb.save(path)
        return path

    return _fill

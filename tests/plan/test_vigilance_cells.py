"""Vigilance messages cite the cells where the user's file holds the values, even with reordered columns."""

from __future__ import annotations

from pathlib import Path

from toolkit.model import Cell
from toolkit.plan.vigilance import action_cell
from toolkit.validate import check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_cells_follow_the_columns_of_the_file_not_the_contract_order():
    # Actions: Intitulé/Code and Impact/Faisabilité swapped, header under two title rows
    report = check(FIXTURES / "tolerance.xlsx")
    action = report.workbook.actions[0]
    row = action.cell.ref[1:]
    assert action.cell == Cell(action.cell.sheet, f"B{row}")
    assert action_cell(action, "faisabilite") == Cell(action.cell.sheet, f"E{row}")  # contract order says F
    assert action_cell(action, "impact") == Cell(action.cell.sheet, f"F{row}")
    assert action_cell(action, "intitule") == Cell(action.cell.sheet, f"A{row}")


def test_action_built_in_code_falls_back_to_the_contract_order():
    report = check(FIXTURES / "valide.xlsx")
    action = report.workbook.actions[0]
    from dataclasses import replace

    bare = replace(action, cells={})
    row = action.cell.ref[1:]
    assert action_cell(bare, "pilote") == Cell(action.cell.sheet, f"H{row}")

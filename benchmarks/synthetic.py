"""Synthetic workbooks for the benchmark: the bundled samples with other names and nearby values.

Each synthetic workbook is one of `sample_data/*.xlsx` (in turn) whose territory name, indicator
values, action impact/feasibility/cost and workshop votes are moved by a seeded random amount, so
that every report differs (scores, ranks, roadmap) while the workbook stays valid. The figures are
illustrative by construction: these files only exist in a temporary folder, to be timed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

#: (sheet, header of the column to vary, how): `scale` multiplies, `step` adds -1/0/+1 within 1..5.
VARIED = (
    ("Indicateurs", "Valeur quartier", "scale"),
    ("Actions", "Impact attendu (1-5)", "step"),
    ("Actions", "Faisabilité (1-5)", "step"),
    ("Actions", "Coût estimé (€)", "cost"),
    ("Votes", "Note (1-5)", "step"),
)
HEADER_SCAN_ROWS = 6  # headers sit on row 3 of each sheet (workbook-v1); scan a little further


@dataclass
class _Cell:
    sheet: str
    row: int
    col: int
    value: float
    how: str


def _header_columns(ws, header: str) -> tuple[int, int] | None:
    for r in range(1, HEADER_SCAN_ROWS + 1):
        for c in range(1, ws.max_column + 1):
            v = ws.cell(r, c).value
            if isinstance(v, str) and v.strip().casefold() == header.casefold():
                return r, c
    return None


def _numeric_cells(wb) -> tuple[list[_Cell], tuple[str, int, int] | None]:
    cells: list[_Cell] = []
    for sheet, header, how in VARIED:
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        found = _header_columns(ws, header)
        if found is None:
            continue
        hr, col = found
        for r in range(hr + 1, ws.max_row + 1):
            first = ws.cell(r, 1).value
            if isinstance(first, str) and first.lstrip().startswith("#"):
                continue  # comment row: kept as the user wrote it
            v = ws.cell(r, col).value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(_Cell(sheet, r, col, float(v), how))
    name_cell = None
    if "Territoire" in wb.sheetnames:
        ws = wb["Territoire"]
        for r in range(1, ws.max_row + 1):
            if str(ws.cell(r, 1).value or "").strip().casefold() == "nom du territoire":
                name_cell = ("Territoire", r, 2)
    return cells, name_cell


def _varied(cell: _Cell, rng: random.Random) -> float | int:
    v = cell.value
    if cell.how == "step":
        return int(min(5, max(1, round(v) + rng.choice((-1, 0, 0, 1)))))
    if cell.how == "cost":
        return int(max(1000, round(v * rng.uniform(0.5, 2.0), -3)))
    out = v * rng.uniform(0.85, 1.15)
    if v <= 100:
        out = min(out, 99.9)  # a rate stays a rate
    return round(out, 1)


def make_workbooks(samples: list[Path], out_dir: Path, n: int, seed: int = 2024) -> list[Path]:
    """Write `n` synthetic workbooks `synth-001.xlsx`… into `out_dir` and return their paths."""
    from openpyxl import load_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    loaded = []
    for s in samples:
        wb = load_workbook(s)
        cells, name_cell = _numeric_cells(wb)
        base_name = wb[name_cell[0]].cell(name_cell[1], name_cell[2]).value if name_cell else s.stem
        loaded.append((wb, cells, name_cell, str(base_name)))
    paths = []
    for i in range(n):
        wb, cells, name_cell, base_name = loaded[i % len(loaded)]
        for c in cells:
            wb[c.sheet].cell(c.row, c.col).value = _varied(c, rng)
        if name_cell:
            wb[name_cell[0]].cell(name_cell[1], name_cell[2]).value = f"{base_name} (synthétique {i + 1:03d})"
        path = out_dir / f"synth-{i + 1:03d}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths

"""Formula injection: no text that came from an input becomes a formula in any spreadsheet the tool writes —
Excel results, the workshop scoring sheet, the merged workbook, the template pre-filled from a data file."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from toolkit.io.template import make_template
from toolkit.resources import data_dir

from .conftest import run_cli
from .hostile import write_hostile

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
ATTACKS = [
    '=HYPERLINK("http://127.0.0.1:9/x","clic")',
    "=cmd|' /C calc'!A0",
    "+33 6 00 00 00 00",
    "-2+3",
    "@SOMME(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(path: Path, baseline: Path | None = None) -> list[str]:
    """Every cell stored as a formula, or as a text a spreadsheet would evaluate. With `baseline` (the source a
    merge copies), cells identical to the source's are the user's own file, not something the tool wrote."""
    same: set[tuple[str, str, object]] = set()
    if baseline is not None:
        same = {
            (ws.title, c.coordinate, c.value)
            for ws in openpyxl.load_workbook(baseline).worksheets
            for row in ws.iter_rows()
            for c in row
        }
    found = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if (ws.title, cell.coordinate, cell.value) in same:
                    continue
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(DANGEROUS)):
                    found.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return found


@pytest.fixture(scope="module")
def short_hostile(tmp_path_factory) -> Path:
    """The hostile workbook with short texts: fast to turn into cards and PDFs."""
    return write_hostile(
        tmp_path_factory.mktemp("court") / "hostile.xlsx",
        "http://127.0.0.1:9",
        long_text="Court",
        raw_noncharacters=False,
    )


def test_results_workbook(tmp_path, short_hostile):
    result = run_cli("diagnose", str(short_hostile), "-o", "r.pdf", "--xlsx", "r.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert formula_cells(tmp_path / "r.xlsx") == []
    texts = [
        c.value
        for ws in openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any(t.startswith(("'+", "'-", "'@", "'=")) for t in texts)  # neutralised, still readable


def test_workshop_sheet_and_merge(tmp_path, short_hostile):
    kit = tmp_path / "atelier"
    result = run_cli("atelier", "kit", str(short_hostile), "--out-dir", str(kit), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = kit / "notation.xlsx"
    assert formula_cells(sheet) == []
    # each participant fills a copy, typing formula-like names, structures and notes
    filled = []
    for i, attack in enumerate(ATTACKS):
        wb = openpyxl.load_workbook(sheet)
        ws = wb.active
        for ref in ("A4", "B4"):  # typed as text (openpyxl would store "=…" as a formula otherwise)
            ws[ref].value = attack
            ws[ref].data_type = "s"
        for r in range(4, ws.max_row + 1):
            if ws.cell(r, 3).value:
                ws.cell(r, 5).value = 1 + (r + i) % 5
        path = tmp_path / f"notation-{i}.xlsx"
        wb.save(path)
        filled.append(str(path))
    merged = tmp_path / "fusion.xlsx"
    result = run_cli("atelier", "merge", str(short_hostile), *filled, "-o", str(merged), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert formula_cells(merged, baseline=short_hostile) == []
    votes = openpyxl.load_workbook(merged)["Votes"]
    assert votes.max_row > 10 and any(str(c.value).startswith("'=") for c in votes["A"])  # written, neutralised
    assert run_cli("check", str(merged), cwd=tmp_path).returncode == 0  # the merged file reads back


def test_merge_with_pseudonyms_writes_no_name(tmp_path, short_hostile):
    kit = tmp_path / "atelier"
    assert run_cli("atelier", "kit", str(short_hostile), "--out-dir", str(kit), cwd=tmp_path).returncode == 0
    wb = openpyxl.load_workbook(kit / "notation.xlsx")
    ws = wb.active
    ws["A4"], ws["B4"] = "Jeanne Confidentielle", "Régie de quartier"
    ws.cell(4, 5).value = 4
    wb.save(tmp_path / "jeanne.xlsx")
    merged = tmp_path / "fusion.xlsx"
    result = run_cli(
        "atelier",
        "merge",
        str(short_hostile),
        str(tmp_path / "jeanne.xlsx"),
        "-o",
        str(merged),
        "--pseudonymiser",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    cells = [c.value for ws in openpyxl.load_workbook(merged).worksheets for row in ws.iter_rows() for c in row]
    assert "Jeanne Confidentielle" not in cells and "Régie de quartier" in cells


def test_merge_refuses_cleanly_a_source_openpyxl_cannot_load(tmp_path, short_hostile):
    """Raw U+FFFE in the XML: calamine reads the workbook, openpyxl cannot copy it; a French message, no file."""
    source = write_hostile(tmp_path / "brut.xlsx", "http://127.0.0.1:9", long_text="Court", raw_noncharacters=True)
    kit = tmp_path / "atelier"
    assert run_cli("atelier", "kit", str(short_hostile), "--out-dir", str(kit), cwd=tmp_path).returncode == 0
    wb = openpyxl.load_workbook(kit / "notation.xlsx")
    wb.active["A4"], wb.active["E4"] = "P01", 3
    wb.save(tmp_path / "p01.xlsx")
    merged = tmp_path / "fusion.xlsx"
    result = run_cli("atelier", "merge", str(source), str(tmp_path / "p01.xlsx"), "-o", str(merged), cwd=tmp_path)
    assert (
        result.returncode == 2 and "Fusion impossible" in result.stderr and "ne peut pas être recopié" in result.stderr
    )
    assert "Traceback" not in result.stderr and "Erreur interne" not in result.stderr
    assert not merged.exists() and not list(tmp_path.glob("*.tmp"))


def test_template_prefilled_from_a_hostile_data_file(tmp_path):
    """`template --donnees` copies names from a user-supplied INSEE-format file into the workbook."""
    source = data_dir() / "insee" / "qp_occitanie.csv"
    text = source.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    code = rows[0]["code_qp"]
    rows[0]["nom_qp"], rows[0]["nom_commune"] = ATTACKS[0], ATTACKS[1]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    donnees = tmp_path / "qp_autre.csv"
    donnees.write_text(out.getvalue(), encoding="utf-8")
    path = make_template(tmp_path / "modele.xlsx", qpv=[code], donnees=donnees)
    assert formula_cells(path) == []
    texts = [
        c.value
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any("HYPERLINK" in t for t in texts)  # the name is there, as text


def test_template_without_user_data_keeps_its_own_formulas_only(tmp_path):
    """The blank template copies no user text: whatever formulas it has are its own (none expected)."""
    path = make_template(tmp_path / "modele.xlsx")
    assert formula_cells(path) == []
    shutil.rmtree(tmp_path, ignore_errors=True)

"""`pilier-eco atelier kit|merge`: the workshop end to end, from the sample to the report showing the votes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.workshop.sheet import FIRST_ROW, NOTE_COL

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "sample_data" / "bedarieux.xlsx"
runner = CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _score(path: Path, notes: list[object], participant: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["Notation"]
    if participant:
        ws.cell(FIRST_ROW, 1, participant)
    for i, n in enumerate(notes):
        ws.cell(FIRST_ROW + i, NOTE_COL, n)
    wb.save(path)
    return path


def test_workshop_end_to_end(tmp_path):
    source = tmp_path / "bedarieux.xlsx"
    shutil.copy(SAMPLE, source)
    before = digest(source)
    kit = tmp_path / "atelier"
    r = runner.invoke(app, ["atelier", "kit", str(source), "--out-dir", str(kit), "--participants", "2"])
    assert r.exit_code == 0, r.output
    # the sample already holds votes from P01…P07: pre-named sheets continue after them
    names = sorted(p.name for p in kit.iterdir())
    assert names == ["animateur.pdf", "cartes.pdf", "notation-P08.xlsx", "notation-P09.xlsx", "notation.xlsx"]
    assert "Écrit (cartes A6)" in r.output and "Écrit (fiche animateur)" in r.output
    # JEUNES (row 2 of the sheet) gets a split room: 1 and 5
    _score(kit / "notation-P08.xlsx", [5, 1, 4])
    _score(kit / "notation-P09.xlsx", [5, 5, 2])
    _score(kit / "notation.xlsx", [4, 1], participant="Dominique")
    merged = tmp_path / "bedarieux-atelier.xlsx"
    r = runner.invoke(
        app,
        [
            "atelier",
            "merge",
            str(source),
            *(str(p) for p in sorted(kit.glob("notation*.xlsx"))),
            "-o",
            str(merged),
            "--pseudonymiser",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Participation" in r.output and "3 / 21" in r.output and "2 / 21" in r.output
    assert "8 notes ajoutées" in r.output and "Dominique" not in r.output
    assert digest(source) == before
    html = tmp_path / "r.html"
    r = runner.invoke(app, ["diagnose", str(merged), "-o", str(tmp_path / "r.pdf"), "--html", str(html)])
    assert r.exit_code == 0, r.output
    page = html.read_text(encoding="utf-8")
    assert "votant" in page and "médiane" in page


def test_merge_with_bad_note_writes_nothing(tmp_path):
    kit = tmp_path / "k"
    assert runner.invoke(app, ["atelier", "kit", str(SAMPLE), "--out-dir", str(kit)]).exit_code == 0
    sheet = _score(kit / "notation.xlsx", [4, 4, 4, 7], participant="Alice")
    out = tmp_path / "new.xlsx"
    r = runner.invoke(app, ["atelier", "merge", str(SAMPLE), str(sheet), "-o", str(out)])
    assert r.exit_code == 1
    assert (
        f"ERREUR notation.xlsx, Notation!E{FIRST_ROW + 3} : note « 7 » hors échelle (attendu : entier de 1 à 5)"
        in r.output
    )
    assert "aucun classeur écrit" in r.output and not out.exists()


def test_merge_refusals(tmp_path):
    sheet = tmp_path / "n.xlsx"
    shutil.copy(SAMPLE, sheet)
    r = runner.invoke(app, ["atelier", "merge", str(SAMPLE), str(sheet), "-o", str(SAMPLE)])
    assert r.exit_code == 2 and "aussi un fichier d'entrée" in r.output
    r = runner.invoke(app, ["atelier", "merge", str(SAMPLE), str(sheet), "-o", str(tmp_path / "x.ods")])
    assert r.exit_code == 2 and "extension .xlsx" in r.output
    ods = ROOT / "tests" / "fixtures" / "valide.ods"
    r = runner.invoke(app, ["atelier", "merge", str(ods), str(sheet), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "enregistrez-le au format .xlsx" in r.output
    bad = ROOT / "tests" / "fixtures" / "code_inconnu.xlsx"
    r = runner.invoke(app, ["atelier", "merge", str(bad), str(sheet), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 1 and "Corrigez d'abord le classeur" in r.output
    assert not (tmp_path / "x.xlsx").exists() and "Traceback" not in r.output


def test_kit_refuses_a_file_as_output_folder_and_a_bad_workbook(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    r = runner.invoke(app, ["atelier", "kit", str(SAMPLE), "--out-dir", str(f)])
    assert r.exit_code == 2 and "indiquez un dossier" in r.output
    r = runner.invoke(
        app, ["atelier", "kit", str(ROOT / "tests" / "fixtures" / "pas_un_zip.xlsx"), "--out-dir", str(tmp_path / "k")]
    )
    assert r.exit_code == 2 and not (tmp_path / "k").exists()

"""`pilier-eco diagnose`: validates first, writes PDF (+ HTML, Excel, JSON) atomically, never over an input.

One run renders a PDF (a few seconds); the refusal paths stop before rendering and are fast.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["diagnose", *args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workbook(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "classeur.xlsx"
    shutil.copy(FIXTURES / "valide.xlsx", src)
    return src


def test_full_run_writes_every_output_and_leaves_input_untouched(workbook, tmp_path):
    before = digest(workbook)
    result = run(str(workbook), "--html", "r.html", "--xlsx", "r.xlsx", "--json", "r.json")
    assert result.exit_code == 0, result.output
    pdfs = list((tmp_path / "reports").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert pdfs[0].stem.isascii() and " " not in pdfs[0].stem
    assert f"Écrit (PDF) : reports/{pdfs[0].name}" in result.output
    for kind, name in (("HTML", "r.html"), ("Excel", "r.xlsx"), ("JSON", "r.json")):
        assert f"Écrit ({kind}) : {name}" in result.output
    assert "action" in result.output and "point" in result.output and "vigilance" in result.output
    assert digest(workbook) == before
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {"territoire", "enjeux", "actions", "vigilance", "qualite_donnees"} <= set(data)
    assert "Actions" in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind


def test_workbook_with_errors_produces_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(str(FIXTURES / "code_inconnu.xlsx"), "--html", "r.html")
    assert result.exit_code == 1
    assert "ERREUR Actions!A5" in result.output and "Aucun rapport produit." in result.output
    assert not (tmp_path / "reports").exists() and not (tmp_path / "r.html").exists()


def test_unreadable_file_exits_2_without_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(str(FIXTURES / "pas_un_zip.xlsx"))
    assert result.exit_code == 2
    assert "illisible" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("option", ["-o", "--html", "--xlsx", "--json"])
def test_output_equal_to_input_is_refused(workbook, option):
    before = digest(workbook)
    result = run(str(workbook), option, str(workbook))
    assert result.exit_code == 2
    assert "Sortie refusée" in result.output and "fichier d'entrée" in result.output
    assert digest(workbook) == before


def test_same_output_twice_is_refused(workbook):
    result = run(str(workbook), "-o", "r.pdf", "--html", "./r.pdf")
    assert result.exit_code == 2 and "deux fois" in result.output


def test_bad_theme_is_a_french_error(workbook, tmp_path):
    theme = tmp_path / "theme.toml"
    theme.write_text('[couleurs]\nprincipale = "rouge"\n', encoding="utf-8")
    result = run(str(workbook), "--theme", str(theme))
    assert result.exit_code == 2 and "#RRGGBB" in result.output
    assert not (tmp_path / "reports").exists()


def test_unwritable_destination_is_a_french_error(workbook, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    result = run(str(workbook), "-o", str(blocker / "r.pdf"))
    assert result.exit_code == 2  # refused before anything is computed, like every other refused output
    assert "Sortie refusée" in result.output and "n'est pas un dossier" in result.output
    assert "Traceback" not in result.output and "Not a directory" not in result.output  # French, never libc's English

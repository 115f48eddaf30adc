"""The workshop as a trainer runs it: the kit says one merge command (terminal and animateur.pdf alike); the
merge reads the kit's folder, lists every file it read — blank sheets and the blank master included — names
what it skips, keeps the kit's P## pseudonyms, and never overwrites without --force."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from pdf_helpers import pdf_text
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.workshop.sheet import FIRST_ROW, NOTE_COL

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "bedarieux.xlsx"  # holds votes of P01…P07: the kit's sheets start at P08
runner = CliRunner()


def score(path: Path, notes: list[object], participant: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["Notation"]
    if participant:
        ws.cell(FIRST_ROW, 1, participant)
    for i, n in enumerate(notes):
        ws.cell(FIRST_ROW + i, NOTE_COL, n)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """bedarieux.xlsx and its kit with three pre-named sheets (P08, P09, P10), as the trainer received them."""
    root = tmp_path_factory.mktemp("atelier")
    source = root / "bedarieux.xlsx"
    shutil.copy(SAMPLE, source)
    r = runner.invoke(app, ["atelier", "kit", str(source), "--out-dir", str(root / "kit"), "-n", "3"])
    assert r.exit_code == 0, r.output
    return root, r.output


def filled_folder(root: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "kit"
    shutil.copytree(root / "kit", folder)
    score(folder / "notation-P09.xlsx", [5, 4, 3, 2, 1])  # P09 scored 5 objects
    # a participant saved the master under another name: the old glob `notation-*.xlsx` never saw it
    copy = folder / "notation Hélène – CCI (copie).xlsx"
    shutil.copy(folder / "notation.xlsx", copy)
    score(copy, [3, 3, 3], participant="Hélène")
    shutil.copy(SAMPLE, folder / "resultats.xlsx")  # not a scoring sheet
    return folder


def test_one_merge_command_in_the_terminal_and_in_the_facilitator_sheet(kit):
    root, output = kit
    command = (
        f"pilier-eco atelier merge {root / 'bedarieux.xlsx'} {root / 'kit'} -o {root / 'bedarieux-atelier.xlsx'} "
        "--pseudonymiser"
    )
    assert f"  {command}\n" in output
    text = pdf_text(root / "kit" / "animateur.pdf")
    assert command.replace(" ", "") in re.sub(r"\s+", "", text)  # long paths wrap in the PDF's box
    assert "--pseudonymiser" in text
    assert "notation-*.xlsx" not in text and "notation-*.xlsx" not in output


def test_the_printed_command_merges_every_sheet_of_the_folder(kit, tmp_path):
    root, _ = kit
    folder = filled_folder(root, tmp_path)
    out = tmp_path / "bedarieux-atelier.xlsx"
    r = runner.invoke(
        app, ["atelier", "merge", str(root / "bedarieux.xlsx"), str(folder), "-o", str(out), "--pseudonymiser"]
    )
    assert r.exit_code == 0, r.output
    assert "8 notes ajoutées" in r.output  # 5 + 3: the « (copie) » file counts
    rows = {line.split("│")[1].strip(): line for line in r.output.splitlines() if line.count("│") >= 5}
    # every file read is listed: the blank P08 and P10 sheets with 0 / 21, the blank master named as such
    assert "0 / 21" in rows["P08"] and "0 / 21" in rows["P10"] and "5 / 21" in rows["P09"]
    assert "3 / 21" in rows["P11"]  # Hélène: the next free pseudonym, after the kit's P08…P10
    assert "fiche vierge du kit" in r.output and "notation.xlsx" in r.output
    assert "AVERTISSEMENT notation-P08.xlsx : aucune note dans cette feuille (0 / 21)" in r.output
    assert "AVERTISSEMENT notation.xlsx : fiche vierge du kit (aucun nom, aucune note), ignorée" in r.output
    assert (
        "AVERTISSEMENT resultats.xlsx : pas une feuille de notation (aucune feuille « Notation ») : fichier ignoré"
        in r.output
    )
    votes = openpyxl.load_workbook(out)["Votes"]
    names = {row[0] for row in votes.iter_rows(min_row=4, values_only=True) if row[0]}
    assert {
        "P09",
        "P11",
    } <= names and "Hélène" not in names  # P09 stays P09: the sheet handed out as P09 is not renumbered


def test_merge_never_overwrites_without_force(kit, tmp_path):
    root, _ = kit
    folder = filled_folder(root, tmp_path)
    out = tmp_path / "existant.xlsx"
    shutil.copy(SAMPLE, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    args = ["atelier", "merge", str(root / "bedarieux.xlsx"), str(folder), "-o", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 1
    assert f"{out} existe déjà." in r.output and "ajoutez --force" in r.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    r = runner.invoke(app, [*args, "--force"])
    assert r.exit_code == 0, r.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() != before


def test_kit_refuses_to_overwrite_a_kit_without_force(kit):
    root, _ = kit
    r = runner.invoke(app, ["atelier", "kit", str(root / "bedarieux.xlsx"), "--out-dir", str(root / "kit")])
    assert r.exit_code == 1 and "existe déjà" in r.output and "--force" in r.output


def test_a_decimal_note_is_called_a_whole_number_expected(kit, tmp_path):
    root, _ = kit
    folder = tmp_path / "k"
    folder.mkdir()
    score(shutil.copy(root / "kit" / "notation-P08.xlsx", folder / "notation-P08.xlsx"), [4, 4.5])
    r = runner.invoke(
        app, ["atelier", "merge", str(root / "bedarieux.xlsx"), str(folder), "-o", str(tmp_path / "x.xlsx")]
    )
    assert r.exit_code == 1
    assert f"ERREUR notation-P08.xlsx, Notation!E{FIRST_ROW + 1} : note « 4,5 » : nombre entier attendu" in r.output
    assert "hors échelle" not in r.output

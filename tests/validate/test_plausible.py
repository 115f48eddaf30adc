"""Values a user typed wrong read fine but are implausible: `check` warns at the cell, says what it found
and what would be plausible; counts need no reference; a list value gets its nearest allowed spelling."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (
    ROOT / "sample_data" / "carcassonne.xlsx"
)  # Indicateurs row 11 = ETAB_1000_HAB (103,9 ‰), row 10 = DEMANDEURS_EMPLOI
runner = CliRunner()


def typed(tmp_path: Path, edits: dict[tuple[str, str], object]) -> Path:
    """A copy of the sample with cells typed as a user would."""
    path = tmp_path / "carcassonne.xlsx"
    shutil.copy(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in edits.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def check(path: Path) -> str:
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output  # warnings only: the workbook stays usable
    return result.output


def test_a_per_mille_reference_above_1000_is_a_located_warning(tmp_path):
    out = check(typed(tmp_path, {("Indicateurs", "D11"): "1 234"}))
    line = next(x for x in out.splitlines() if "Indicateurs!D11" in x)
    assert line.startswith("AVERTISSEMENT Indicateurs!D11 : ")
    assert "valeur invraisemblable pour un indicateur en ‰" in line
    assert "trouvé : « 1 234 »" in line and "au plus 1 000 ‰" in line


def test_a_reference_ten_times_the_quartier_is_a_located_warning(tmp_path):
    out = check(typed(tmp_path, {("Indicateurs", "D11"): 9.5}))  # 103,9 ‰ in the quartier, 9,5 typed
    line = next(x for x in out.splitlines() if "Indicateurs!D11" in x)
    assert "valeur de référence au plus le dixième de la valeur du quartier (103,9 ‰)" in line
    assert "entre 10,39 et 1 039" in line
    out = check(typed(tmp_path, {("Indicateurs", "D11"): 60.0}))  # plausible: no warning on D11
    assert "Indicateurs!D11" not in out


def test_a_year_in_the_future_is_a_warning_against_today(tmp_path):
    next_year = date.today().year + 1
    out = check(typed(tmp_path, {("Indicateurs", "F11"): next_year}))
    line = next(x for x in out.splitlines() if "Indicateurs!F11" in x)
    assert f"Année {next_year} dans le futur" in line and f"{date.today().year} au plus" in line


def test_a_count_needs_no_reference(tmp_path):
    out = check(typed(tmp_path, {("Indicateurs", "O11"): None}))  # row 11 left without any comparison
    assert "DEMANDEURS_EMPLOI" not in out  # row 10, a count (nb), has no reference: nothing to say
    assert "Indicateurs!D11 : Valeur de référence manquante" in out  # a rate still asks for one


def test_a_list_value_gets_the_nearest_allowed_one(tmp_path):
    path = typed(tmp_path, {("Actions", "K6"): "En cour", ("Territoire", "B11"): "ville moyene"})
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "Actions!K6" in x)
    assert "valeur hors de la liste ; vouliez-vous dire « En cours » ?" in line
    assert "trouvé : « En cour »" in line
    terr = next(x for x in result.output.splitlines() if "Territoire!B11" in x)
    assert "vouliez-vous dire « Ville moyenne » ?" in terr


def test_a_decimal_score_is_called_a_whole_number_expected(tmp_path):
    result = runner.invoke(app, ["check", str(typed(tmp_path, {("Actions", "E6"): 4.5}))])
    assert result.exit_code == 1
    assert (
        "ERREUR Actions!E6 : Impact attendu (1-5) : nombre entier attendu (trouvé : « 4,5 » ; attendu : un entier de 1 à 5)"
        in result.output
    )

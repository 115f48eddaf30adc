"""`pilier-eco check`: exit codes 0/1/2, French report lines, --json, --config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["check", *map(str, args)])


def test_usable_file_exits_0_with_summary():
    result = run(FIXTURES / "valide.xlsx")
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("valide.xlsx : utilisable") and "32 lignes lues" in first and "0 erreur" in first


def test_errors_exit_1_with_located_lines():
    result = run(FIXTURES / "hors_echelle.xlsx")
    assert result.exit_code == 1
    assert (
        "ERREUR Actions!E4 : Impact attendu (1-5) : valeur hors de l'échelle (trouvé : « 7 » ; attendu : un entier de 1 à 5)"
        in result.output
    )


@pytest.mark.parametrize("name", ["vide.xlsx", "pas_un_zip.xlsx", "classeur.csv", "ancien.xls", "absent.xlsx"])
def test_unreadable_exit_2(name):
    result = run(FIXTURES / name)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "fichier illisible" in result.output


def test_json_output():
    result = runner.invoke(app, ["check", str(FIXTURES / "code_inconnu.xlsx"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["utilisable"] is False
    err = data["qualite_donnees"]["erreurs"][0]
    assert (err["code"], err["cellule"], err["trouve"]) == ("code-inconnu", "Actions!A5", "COM_MANAGEUR")


def test_config_limits_and_bad_config(tmp_path):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[limites]\nlignes_par_feuille = 3\n", encoding="utf-8")
    assert run(FIXTURES / "valide.xlsx", "--config", cfg).exit_code == 2
    cfg.write_text("[limites]\nlignes = 3\n", encoding="utf-8")
    result = run(FIXTURES / "valide.xlsx", "--config", cfg)
    assert result.exit_code == 2 and "inconnue" in result.output


def test_real_process_exit_codes_and_no_heavy_imports():
    """As a user runs it: a separate process; pandas, weasyprint and matplotlib are never imported."""
    code = (
        "import sys; sys.argv = ['pilier-eco', 'check', sys.argv[1]]\n"
        "from toolkit.cli.app import main\n"
        "try:\n    main()\n"
        "except SystemExit as e:\n"
        "    heavy = [m for m in ('pandas', 'weasyprint', 'matplotlib', 'openpyxl') if m in sys.modules]\n"
        "    print('HEAVY', heavy, file=sys.stderr); raise\n"
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for name, expected in (("valide.ods", 0), ("date_illisible.xlsx", 1), ("classeur.csv", 2)):
        proc = subprocess.run(
            [sys.executable, "-c", code, str(FIXTURES / name)], capture_output=True, text=True, env=env, timeout=60
        )
        assert proc.returncode == expected, proc.stderr
        assert "HEAVY []" in proc.stderr


def test_rerun_hint_gives_the_path_as_typed(tmp_path, monkeypatch):
    """After `check lo/x.xlsx` the hint must be pasteable from the same folder: `pilier-eco check lo/x.xlsx`."""
    import shutil

    from typer.testing import CliRunner

    from toolkit.cli.app import app

    (tmp_path / "lo").mkdir()
    shutil.copy(FIXTURES / "date_illisible.xlsx", tmp_path / "lo" / "mon classeur.xlsx")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "lo/mon classeur.xlsx"])
    assert result.exit_code == 1
    assert "relancez : pilier-eco check 'lo/mon classeur.xlsx'" in result.output


def test_prefilled_rows_are_listed_for_information_after_the_warnings(tmp_path):
    """Issue 25, point 13: the tool's own old INSEE figures are not counted as warnings nor change the exit code."""
    from prefilled_factories import prefilled_workbook

    from toolkit.problems import INFORMATION_NOTE

    result = run(prefilled_workbook(tmp_path / "carcassonne.xlsx"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].endswith("; 0 erreur, 3 avertissements et 7 remarques pour information")
    tags = [line.split(" ", 1)[0] for line in lines[1:]]
    note = lines.index(INFORMATION_NOTE)
    assert tags[: note - 1] == ["AVERTISSEMENT"] * 3 and tags[note:] == ["INFORMATION"] * 7
    assert "INFORMATION Indicateurs!F9 : Année 2017 : chiffre INSEE pré-rempli par l'outil" in result.output
    data = json.loads(runner.invoke(app, ["check", str(tmp_path / "carcassonne.xlsx"), "--json"]).output)
    assert [i["niveau"] for i in data["qualite_donnees"]["informations"]] == ["information"] * 7


def test_the_data_are_judged_at_the_report_s_date():
    """Issue 22 § 3: « data age is measured against the report's date » — `check --date` and the data-quality
    annex of `diagnose --date` judge the geography in force at that date, not at the system's."""
    sample = str(Path(__file__).resolve().parents[2] / "sample_data" / "carcassonne.xlsx")
    replaced = "géographie 2015 (QP011002"
    now = runner.invoke(app, ["check", sample])
    assert now.exit_code == 0 and replaced in now.output  # QP codes: replaced on 1 January 2024
    before = runner.invoke(app, ["check", sample, "--date", "2023-06-01"])
    assert before.exit_code == 0 and replaced not in before.output  # still in force at a 2023 report's date
    assert runner.invoke(app, ["check", sample, "--date", "2023-13-01"]).exit_code == 2


def test_the_quality_annex_follows_diagnose_date(tmp_path):
    sample = str(Path(__file__).resolve().parents[2] / "sample_data" / "carcassonne.xlsx")
    out = tmp_path / "r.json"
    r = runner.invoke(
        app, ["diagnose", sample, "-o", str(tmp_path / "r.pdf"), "--json", str(out), "--date", "2023-06-01"]
    )
    assert r.exit_code == 0, r.output
    warned = {i["code"] for i in json.loads(out.read_text(encoding="utf-8"))["qualite_donnees"]["avertissements"]}
    assert "annee-ancienne" in warned and "geographie-qp-remplacee" not in warned, warned

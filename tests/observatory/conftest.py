"""A follow-up base holding the three samples, and two years of Carcassonne (the observatory's fixture).

Carcassonne 2026: every action has a status, one catalogue action (MOB_PLATEFORME) is « réalisée » with a result
indicator, its value, the year's note and a proof: a candidate experience. The PostgreSQL server is the
follow-up suite's (tests/suivi/conftest.py), started once per session.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.suivi.conftest import pg_server  # noqa: F401  (the session's PostgreSQL server)
from tests.suivi.helpers import action_codes, yearly_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("carcassonne", "bedarieux", "vauvert")
CANDIDATE = "SUIVI_CARCASSONNE_5_QUARTIERS_PRIORITAIRES_MOB_PLATEFORME"


def carcassonne_2026(directory: Path) -> Path:
    statuses = {code: {"Statut (suivi)": "en cours"} for code in action_codes() if code != "LIBRE"}
    statuses["MOB_PLATEFORME"] = {
        "Statut (suivi)": "réalisée",
        "Budget engagé (€)": 150000,
        "Budget réalisé (€)": 140000,
        "Indicateur de résultat": "Personnes accompagnées vers un emploi ou une formation",
        "Valeur du résultat": 42,
        "Note de l'année": "Plateforme ouverte en janvier 2026 avec la Mission locale ; 42 personnes accompagnées.",
        "Lien vers une preuve": "https://www.carcassonne-agglo.fr/bilan-plateforme-mobilite-2026",
    }
    statuses["ATT_COEUR_DE_VILLE"] = {"Statut (suivi)": "à venir"}  # planned start passed: late
    statuses["LIBRE"] = {"Statut (suivi)": "à venir"}  # the local action: every action has a status
    return yearly_workbook(directory, 2026, tweak=-0.5, follow_up=statuses, edit=_target)


def _target(wb) -> None:
    """A cible 2030 for the employment rate: with two snapshots and every status, Carcassonne is ready for the
    mid-term evaluation."""
    ws = wb["Indicateurs"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Code")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "EMPLOI_15_64")
    ws.cell(row, cols["Année cible"]).value = 2030
    ws.cell(row, cols["Valeur cible"]).value = 40


def run(*args: str, check: bool = True, subprocess_run: bool = False) -> subprocess.CompletedProcess:
    """`pilier-eco ARGS` as a user types it: its exit code, what it printed and what it said on stderr.

    In this process by default, through the command's own entry point (`toolkit.cli.app.main`, with its
    French streams), so that the tests do not pay a Python start and the imports per command (58 commands
    here); an unexpected exception fails the test instead of becoming the entry point's « erreur interne »
    line (PILIER_ECO_DEBUG). `subprocess_run=True`: `python -m toolkit` in a real process, as the README's
    command is run (kept for one test of the PDF)."""
    if subprocess_run:
        proc = subprocess.run(
            [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=ROOT, timeout=600
        )
    else:
        proc = _in_process(args)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} : code {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _in_process(args: tuple[str, ...]) -> subprocess.CompletedProcess:
    import contextlib

    from click.testing import CliRunner

    from toolkit.cli.app import main

    runner = CliRunner()
    code: int | str | None = 0
    with contextlib.chdir(ROOT), runner.isolation(env={"PILIER_ECO_DEBUG": "1"}) as (out, err, _):
        argv = sys.argv
        sys.argv = ["pilier-eco", *args]
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv = argv
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    if isinstance(code, str):  # sys.exit("message"): printed on stderr, exit 1
        code, stderr = 1, stderr + code + "\n"
    return subprocess.CompletedProcess(list(args), code or 0, stdout, stderr)


def fill(target: str, directory: Path) -> None:
    """Record the three samples and Carcassonne 2026 through the library (as `suivi enregistrer` does)."""
    import toolkit as pe

    for name in SAMPLES:
        pe.record(ROOT / "sample_data" / f"{name}.xlsx", base=target)
    pe.record(carcassonne_2026(directory), base=target)


@pytest.fixture(scope="session")
def sample_base(tmp_path_factory) -> Path:
    """A SQLite base with the three samples and two years of Carcassonne (built once; copy before writing)."""
    d = tmp_path_factory.mktemp("observatoire")
    db = d / "suivi.sqlite"
    fill(str(db), d)
    return db


@pytest.fixture
def base_copy(sample_base, tmp_path) -> Path:
    """A private copy of the sample base, for tests that validate (write)."""
    target = tmp_path / "suivi.sqlite"
    shutil.copy(sample_base, target)
    return target

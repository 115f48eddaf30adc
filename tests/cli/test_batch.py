"""`pilier-eco batch`: a broken workbook never stops the others; summary and exit code name it."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def test_broken_workbook_is_named_and_the_others_are_rendered(tmp_path):
    src = tmp_path / "classeurs"
    src.mkdir()
    shutil.copy(FIXTURES / "valide.xlsx", src / "Ville A.xlsx")
    shutil.copy(FIXTURES / "valide.ods", src / "ville-a.ods")  # same slug: deduplicated
    shutil.copy(FIXTURES / "pas_un_zip.xlsx", src / "cassé.xlsx")
    (src / "lisez-moi.txt").write_text("pas un classeur", encoding="utf-8")
    out = tmp_path / "rapports"
    result = runner.invoke(app, ["batch", str(src), "--out-dir", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == ["ville-a-2.pdf", "ville-a.pdf"]
    assert all((out / p).read_bytes().startswith(b"%PDF") for p in pdfs)
    assert "3 classeurs à traiter, 2 traitements en parallèle" in result.output
    assert "Récapitulatif" in result.output and "2 rapports écrits sur 3" in result.output
    assert "ville-a.pdf" in result.output and "ville-a-2.pdf" in result.output
    assert "Échec : cassé.xlsx — fichier illisible" in result.output
    assert "Ville A.xlsx" not in [line.split(" — ")[0].removeprefix("Échec : ") for line in result.output.splitlines()]
    assert not list(out.glob("*.tmp"))


def test_missing_folder_empty_folder_and_bad_jobs(tmp_path):
    r = runner.invoke(app, ["batch", str(tmp_path / "absent"), "--out-dir", str(tmp_path / "o")])
    assert r.exit_code == 2 and "dossier introuvable" in r.output
    (tmp_path / "vide").mkdir()
    r = runner.invoke(app, ["batch", str(tmp_path / "vide"), "--out-dir", str(tmp_path / "o")])
    assert r.exit_code == 1 and "aucun classeur" in r.output
    r = runner.invoke(app, ["batch", str(tmp_path / "vide"), "--out-dir", str(tmp_path / "o"), "--jobs", "0"])
    assert r.exit_code == 2 and "--jobs 0" in r.output
    (tmp_path / "fichier").write_text("x")
    r = runner.invoke(app, ["batch", str(tmp_path / "vide"), "--out-dir", str(tmp_path / "fichier")])
    assert r.exit_code == 2 and "dossier de sortie" in r.output
    assert "Traceback" not in r.output


def test_only_invalid_workbooks_exit_1_and_write_nothing(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIXTURES / "code_inconnu.xlsx", src / "a.xlsx")
    r = runner.invoke(app, ["batch", str(src), "--out-dir", str(tmp_path / "out"), "--jobs", "1"])
    assert r.exit_code == 1
    assert "Échec : a.xlsx — erreurs dans le classeur : Actions!" in r.output
    assert not list((tmp_path / "out").glob("*.pdf")) if (tmp_path / "out").exists() else True

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
    assert "3 classeurs trouvés : 3 à traiter, 2 traitements en parallèle." in result.output
    assert "Récapitulatif" in result.output and "2 rapports à jour sur 3 : 2 écrits." in result.output
    assert "Avertissements" in result.output
    assert "ville-a.pdf" in result.output and "ville-a-2.pdf" in result.output
    assert "Échec : cassé.xlsx — fichier illisible" in result.output
    for python_name in ("BadZipFile", "zipfile", "Error", "Exception", "Traceback"):  # no Python names
        assert python_name not in result.output
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


def test_rerun_renders_only_what_changed_unless_forced(tmp_path):
    import openpyxl

    src, out = tmp_path / "classeurs", tmp_path / "rapports"
    src.mkdir()
    shutil.copy(FIXTURES / "valide.xlsx", src / "a.xlsx")
    shutil.copy(FIXTURES / "valide.xlsx", src / "b.xlsx")
    first = runner.invoke(app, ["batch", str(src), "--out-dir", str(out), "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "2 classeurs trouvés : 2 à traiter" in first.output
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert set(stamps) == {"a.pdf", "b.pdf"}

    again = runner.invoke(app, ["batch", str(src), "--out-dir", str(out)])
    assert again.exit_code == 0, again.output
    assert "dont 2 inchangés depuis le dernier traitement" in again.output and ": 0 à traiter." in again.output
    assert "2 rapports à jour sur 2 : 0 écrit, 2 inchangés (non refaits)." in again.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps

    wb = openpyxl.load_workbook(src / "b.xlsx")  # the user edits one workbook
    wb.properties.title = "modifié"
    wb.save(src / "b.xlsx")
    third = runner.invoke(app, ["batch", str(src), "--out-dir", str(out), "--jobs", "1"])  # no pool for one report
    assert third.exit_code == 0, third.output
    assert "dont 1 inchangé depuis le dernier traitement" in third.output and ": 1 à traiter" in third.output
    assert (out / "a.pdf").stat().st_mtime_ns == stamps["a.pdf"]
    assert (out / "b.pdf").stat().st_mtime_ns != stamps["b.pdf"]

    cfg = tmp_path / "pilier.toml"  # another configuration: every report depends on it
    cfg.write_text("[limites]\nlignes_par_feuille = 5000\n", encoding="utf-8")
    fourth = runner.invoke(app, ["batch", str(src), "--out-dir", str(out), "--config", str(cfg), "--jobs", "1"])
    assert fourth.exit_code == 0 and ": 2 à traiter" in fourth.output, fourth.output
    forced = runner.invoke(
        app, ["batch", str(src), "--out-dir", str(out), "--config", str(cfg), "--force", "--jobs", "1"]
    )
    assert forced.exit_code == 0 and "2 classeurs trouvés : 2 à traiter" in forced.output, forced.output


def test_a_truncated_workbook_is_told_in_french_without_python_names(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    data = (FIXTURES / "valide.xlsx").read_bytes()
    (src / "tronqué.xlsx").write_bytes(data[: len(data) // 2])  # a download cut in the middle
    r = runner.invoke(app, ["batch", str(src), "--out-dir", str(tmp_path / "out"), "--jobs", "1"])
    assert r.exit_code == 1
    assert "Échec : tronqué.xlsx — fichier illisible" in r.output and "endommagé" in r.output
    for python_name in ("BadZipFile", "zlib", "EOFError", "Error", "Exception"):
        assert python_name not in r.output, r.output

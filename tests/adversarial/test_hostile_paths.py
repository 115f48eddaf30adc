"""Outputs: names typed in a workbook never choose the folder, a crash never leaves a half-written file,
an output that is an input is refused (a previous report may be overwritten), and inputs stay byte-identical."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app

from .conftest import run_cli, tree
from .hostile import builder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
runner = CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def workbook_named(path: Path, name: str) -> Path:
    b = builder()
    return b.write(path, b.set_cell(b.base(), "Territoire", 1, 1, name))  # Territoire!B5


def test_territory_name_never_escapes_the_reports_folder(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    src = workbook_named(work / "classeur.xlsx", "../../../evil/..\\..\\C:\\Windows\\x /etc/passwd")
    before = tree(tmp_path)
    result = run_cli("diagnose", str(src), cwd=work)
    assert result.returncode == 0, result.stderr
    created = tree(tmp_path) - before
    pdfs = [p for p in created if p.suffix == ".pdf"]
    assert len(pdfs) == 1 and pdfs[0].parent == Path("a/b/reports"), created
    assert created == {Path("a/b/reports"), pdfs[0]}
    assert ".." not in pdfs[0].name and pdfs[0].name.isascii()


def crash_after_half(tmp: Path, *_args, **_kwargs):
    tmp.write_bytes(b"%PDF-1.7 moitie")
    raise OSError(28, "Plus d'espace disponible sur le périphérique", str(tmp))


@pytest.mark.parametrize("error", [OSError, RuntimeError, KeyboardInterrupt])
def test_crash_mid_write_keeps_the_previous_report_and_leaves_no_temporary(tmp_path, monkeypatch, error):
    monkeypatch.chdir(tmp_path)
    previous = tmp_path / "r.pdf"
    previous.write_bytes(b"%PDF ancien rapport complet")

    def crash(html, target, *args, **kwargs):
        Path(target).write_bytes(b"%PDF-1.7 moitie")
        raise error("disque plein") if error is not OSError else OSError(28, "Plus d'espace", str(target))

    monkeypatch.setattr("toolkit.report.pdf.html_to_pdf", crash)
    result = runner.invoke(app, ["diagnose", str(FIXTURES / "valide.xlsx"), "-o", "r.pdf", "--force"])
    assert result.exit_code != 0
    if error is OSError:
        assert result.exit_code == 1 and "Écriture impossible" in result.output
    assert previous.read_bytes() == b"%PDF ancien rapport complet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]  # no .tmp, nothing else


def test_crash_of_a_later_output_leaves_earlier_ones_complete(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def crash(diag, tmp):
        Path(tmp).write_bytes(b"PK moitie")
        raise OSError(28, "Plus d'espace", str(tmp))

    monkeypatch.setattr("toolkit.report.results_xlsx.write_results", crash)
    result = runner.invoke(app, ["diagnose", str(FIXTURES / "valide.xlsx"), "-o", "r.pdf", "--xlsx", "r.xlsx"])
    assert result.exit_code == 1 and "Écrit (PDF) : r.pdf" in result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF") and not (tmp_path / "r.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "classeur.xlsx"
    src.write_bytes((FIXTURES / "valide.xlsx").read_bytes())
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[robustesse]\ntirages = 200\n", encoding="utf-8")
    return src, cfg


@pytest.mark.parametrize("option", ["-o", "--html", "--xlsx", "--json"])
@pytest.mark.parametrize("which", ["workbook", "workbook-dotted", "workbook-hardlink", "config"])
def test_output_that_is_an_input_is_refused(tmp_path, monkeypatch, inputs, option, which):
    monkeypatch.chdir(tmp_path)
    src, cfg = inputs
    if which == "workbook-hardlink":
        os.link(src, tmp_path / "lien.xlsx")
    target = {
        "workbook": str(src),
        "workbook-dotted": "x/../classeur.xlsx",
        "config": str(cfg),
        "workbook-hardlink": "lien.xlsx",
    }[which]
    hashes = (digest(src), digest(cfg))
    result = runner.invoke(app, ["diagnose", str(src), "--config", str(cfg), option, target])
    assert result.exit_code == 2 and "Sortie refusée" in result.output
    assert (digest(src), digest(cfg)) == hashes


def test_regenerating_over_the_previous_report_is_allowed_and_inputs_are_untouched(tmp_path, monkeypatch, inputs):
    monkeypatch.chdir(tmp_path)
    src, cfg = inputs
    hashes = (digest(src), digest(cfg))
    stamp = os.stat(src).st_mtime_ns
    args = ["diagnose", str(src), "--config", str(cfg), "-o", "r.pdf", "--json", "r.json"]
    assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "r.json").write_text("ancien", encoding="utf-8")
    refused = runner.invoke(app, args)  # nothing is overwritten without --force
    assert refused.exit_code == 1 and "r.json existe déjà" in refused.output
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == "ancien"
    second = runner.invoke(app, [*args, "--force"])
    assert second.exit_code == 0, second.output
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("{")
    assert (digest(src), digest(cfg)) == hashes and os.stat(src).st_mtime_ns == stamp

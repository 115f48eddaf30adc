"""`pilier-eco compare`: the three samples side by side (PDF and HTML); bad inputs refused before any output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = [ROOT / "sample_data" / f"{n}.xlsx" for n in ("carcassonne", "bedarieux", "vauvert")]
FIXTURES = ROOT / "tests" / "fixtures"
runner = CliRunner()


def test_three_samples_compared_in_pdf_and_html(tmp_path):
    pdf, html = tmp_path / "c.pdf", tmp_path / "c.html"
    result = runner.invoke(app, ["compare", *map(str, SAMPLES), "-o", str(pdf), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert f"Écrit (PDF) : {pdf}" in result.output and f"Écrit (HTML) : {html}" in result.output
    assert "3 territoires comparés" in result.output
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needle in (
        "Carcassonne",
        "Bédarieux",
        "Vauvert",
        "Les enjeux côte à côte",
        "Actions communes",
        "Points de vigilance partagés",
        "Couverture des données",
        "Accès à l’emploi et insertion",
    ):
        assert needle in text, needle
    page = html.read_text(encoding="utf-8")
    assert 'class="data heat"' in page and page.count('class="cell') == 3 * page.count('<th scope="row" class="row">')


def test_a_workbook_with_errors_is_reported_and_nothing_written(tmp_path):
    out = tmp_path / "c.pdf"
    result = runner.invoke(app, ["compare", str(SAMPLES[0]), str(FIXTURES / "code_inconnu.xlsx"), "-o", str(out)])
    assert result.exit_code == 1
    assert "code_inconnu.xlsx : à corriger" in result.output and "Actions!" in result.output
    assert "Aucune comparaison produite" in result.output and not out.exists()


def test_unreadable_file_exits_2(tmp_path):
    result = runner.invoke(
        app, ["compare", str(SAMPLES[0]), str(FIXTURES / "pas_un_zip.xlsx"), "-o", str(tmp_path / "c.pdf")]
    )
    assert result.exit_code == 2 and "fichier illisible" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["{a}"], "au moins deux"),
        (["{a}", "{a}"], "donné deux fois"),
        (["{a}", "{b}", "-o", "{a}"], "aussi un fichier d'entrée"),
        (["{a}", "{b}", "-o", "{tmp}/x.pdf", "--html", "{tmp}/x.pdf"], "demandé deux fois"),
    ],
)
def test_refusals_before_any_work(tmp_path, args, message):
    a, b = SAMPLES[0], SAMPLES[1]
    argv = [x.format(a=a, b=b, tmp=tmp_path) for x in args]
    result = runner.invoke(app, ["compare", *argv])
    assert result.exit_code == 2 and message in result.output
    assert not list(tmp_path.iterdir())


def test_one_failing_input_prints_only_its_errors(tmp_path):
    """The valid territories' checks (and their warnings) are not printed: only what blocks the comparison."""
    result = runner.invoke(
        app, ["compare", str(SAMPLES[0]), str(FIXTURES / "date_illisible.xlsx"), "-o", str(tmp_path / "c.pdf")]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("date_illisible.xlsx : à corriger") for line in lines)
    assert any(line.startswith("ERREUR ") for line in lines)
    assert not any(line.startswith("AVERTISSEMENT") for line in lines), result.output
    assert "carcassonne.xlsx" not in result.output.split("Aucune comparaison")[0]
    assert "Aucune comparaison produite : 1 classeur à corriger (date_illisible.xlsx)." in result.output
    assert not (tmp_path / "c.pdf").exists()


def test_no_page_of_the_comparison_holds_a_lone_spilled_row(tmp_path):
    """Every page carries real content: no page with one table row left over from the page before."""
    pdf = tmp_path / "c.pdf"
    assert runner.invoke(app, ["compare", *map(str, SAMPLES), "-o", str(pdf)]).exit_code == 0
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    for number, page in enumerate([p for p in pages if p.strip()], start=1):
        body = [
            line
            for line in page.splitlines()
            if line.strip() and "Comparaison des territoires —" not in line and not line.strip().startswith("Page ")
        ]
        assert len(body) >= 8, (number, body)

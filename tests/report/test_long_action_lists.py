"""A pasted list of hundreds of actions: check refuses beyond the limit, the report details the first N only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit as pe
from toolkit.cli.app import app
from toolkit.config import Config, Limits, ReportSettings, load_config
from toolkit.report.render import render_report_html
from toolkit.typography import french_text
from toolkit.validate import check

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from actions_scale import make_workbook  # noqa: E402 - the benchmark's generator: same workbooks as measured

runner = CliRunner()


@pytest.fixture(scope="module")
def ninety(tmp_path_factory) -> Path:
    return make_workbook(90, tmp_path_factory.mktemp("actions") / "quatre-vingt-dix.xlsx")


def test_check_refuses_more_actions_than_the_limit_with_a_clear_message(tmp_path, ninety):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[limites]\nactions = 60\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(ninety), "--config", str(cfg)])
    assert result.exit_code == 1
    assert "Actions : 90 lignes ; au plus 60" in result.output
    assert check(ninety).ok  # within the default limit (500)


def test_the_default_limit_is_500_and_counts_in_french(tmp_path):
    big = make_workbook(501, tmp_path / "cinq-cent-un.xlsx")
    report = check(big)
    assert report.exit_code == 1 and len(report.errors) == 1
    assert "Actions : 501 lignes ; au plus 500" in report.errors[0].format()
    assert Limits().actions == 500


def test_report_details_the_first_n_and_lists_the_others_in_an_annex(ninety):
    diag = pe.diagnose(check(ninety).workbook)
    assert len(diag.actions) == 90
    html = render_report_html(diag, detailed=25)
    assert html.count('<article class="fiche">') <= 25
    assert "Annexe H — Autres actions examinées" in html
    assert french_text("Le classeur compte 90 actions : ce rapport détaille les 25 premières") in html
    annex = html.split('id="annexe-actions"')[1]
    for a in diag.actions[25:]:  # every other action has its line, with its rank
        assert f'<td class="num">{a.rang}</td>' in annex
    short = render_report_html(diag, detailed=200)
    assert "Annexe H" not in short and len(short) > len(html)


def test_the_detail_limit_comes_from_the_configuration(tmp_path):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[rapport]\nactions_detaillees = 12\n", encoding="utf-8")
    assert load_config(cfg).report == ReportSettings(actions_detaillees=12)
    assert Config().report.actions_detaillees == 40

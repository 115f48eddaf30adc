"""The committed sample workbooks: valid (warnings only), realistic in size, honest about their figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
NAMES = ("carcassonne.xlsx", "bedarieux.xlsx", "vauvert.xlsx")


def _builder():
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports():
    from toolkit import validate

    return {name: validate.check(SAMPLES / name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_check_exits_0_with_some_warnings(reports, name):
    report = reports[name]
    assert report.exit_code == 0, [i.format() for i in report.errors]
    assert report.warnings  # the deliberate imperfections are seen


@pytest.mark.parametrize("name", NAMES)
def test_realistic_sizes(reports, name):
    wb = reports[name].workbook
    assert 12 <= len(wb.indicateurs) <= 18
    assert 8 <= len(wb.actions) <= 15
    assert 1 <= sum(a.code == "LIBRE" for a in wb.actions) <= 2
    assert len(wb.votes) >= 1 and len({v.participant for v in wb.votes}) >= 6
    assert all(v.participant.startswith("P") for v in wb.votes)  # pseudonyms
    assert len(wb.acteurs) >= 8 and len(wb.gouvernance) >= 10 and len(wb.enjeux) == 10


@pytest.mark.parametrize("name", NAMES)
def test_every_indicator_cites_a_source_or_says_illustratif(reports, name):
    for ind in reports[name].workbook.indicateurs:
        assert ind.source and ind.source.strip(), ind.code
        assert ind.illustratif or any(k in ind.source for k in ("INSEE", "http")), (ind.code, ind.source)


@pytest.mark.parametrize("name", NAMES)
def test_insee_figures_are_the_real_ones(reports, name):
    from toolkit.catalog.prefill import prefill_codes

    wb = reports[name].workbook
    codes = [q.code for q in wb.territoire.quartiers]
    expected = {r.code: r.valeur for r in prefill_codes(codes).indicateurs}
    got = {i.code: i.valeur_quartier for i in wb.indicateurs if i.source and "INSEE" in i.source}
    assert got == pytest.approx(expected)


def test_samples_match_their_build_script(tmp_path):
    """Committed .xlsx files are what `make samples` produces (cell values of every sheet)."""
    builder = _builder()
    for sample in builder.SAMPLES:
        fresh = openpyxl.load_workbook(builder.build(sample, tmp_path))
        committed = openpyxl.load_workbook(SAMPLES / sample["fichier"])
        assert fresh.sheetnames == committed.sheetnames
        for ws in fresh.worksheets:
            a = [[c.value for c in row] for row in ws.iter_rows()]
            b = [[c.value for c in row] for row in committed[ws.title].iter_rows()]
            assert a == b, f"{sample['fichier']}!{ws.title} périmé : relancez make samples"


def test_imperfections_are_present(tmp_path):
    """The samples keep the small faults a real file has (so `check` shows its warnings)."""
    text = {name: openpyxl.load_workbook(SAMPLES / name) for name in NAMES}
    header = [c.value for c in text["carcassonne.xlsx"]["Actions"][3]]
    assert header[-1] == "Remarque interne" and header.index("Remarque interne") > header.index(
        "Commentaire"
    )  # extra column
    values = [c.value for row in text["bedarieux.xlsx"]["Indicateurs"].iter_rows() for c in row]
    assert "21,5 %" in values  # number typed as French text

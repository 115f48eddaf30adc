"""A workbook filled the way people really fill it still reads, with the right values and cells."""

from __future__ import annotations

import pytest

from toolkit.model import Cell
from toolkit.validate import check


@pytest.fixture(params=["tolerance.xlsx", "tolerance.ods"])
def report(request, fixture_path):
    return check(fixture_path(request.param))


def test_usable_despite_renamed_sheets_and_headers(report):
    assert report.exit_code == 0, [i.format() for i in report.errors]
    assert report.workbook.territoire.typologie == "Petite ville"  # list value matched ignoring case


def test_values(report):
    wb = report.workbook
    t = wb.territoire
    assert t.communes == ("01004",)  # number 1004 in a cell formatted 00000
    assert t.population_quartiers == 1234  # "1 234" with a narrow no-break space
    assert t.departement == "01"
    values = {i.code: (i.valeur_quartier, i.valeur_reference) for i in wb.indicateurs}
    assert values["EMPLOI_15_64"] == (45.2, 64.7)  # 0.452 in a percent-formatted cell; "64,7"
    assert values["CHOMAGE_15_64"] == (28.1, 12.4)  # "28,1 %"
    assert values["NIVEAU_VIE_MEDIAN"] == (1234.5, 21000)  # "1 234,5" with a no-break space


def test_cells_are_where_they_are_in_this_file(report):
    wb = report.workbook
    emploi = next(i for i in wb.indicateurs if i.code == "EMPLOI_15_64")
    # header at row 3 under two title rows; Code moved to column B, values to column A
    assert emploi.cell == Cell("INDICATEURS", "B4")
    assert emploi.value_cell == Cell("INDICATEURS", "A4")
    assert wb.actions[0].cell == Cell("Actions ", "B5")  # reordered columns under 2 title rows


def test_extra_column_and_comment_rows(report):
    ignored = [i for i in report.warnings if i.code == "colonne-ignoree"]
    assert [(i.location, "Notes internes" in i.message) for i in ignored] == [("INDICATEURS!G3", True)]
    assert report.rows_comment == 2  # one in Indicateurs, one in Actions
    assert report.rows_read == report.rows_used


def test_missing_optional_sheets_are_warnings_naming_the_consequence(report):
    missing = {i.sheet: i.message for i in report.warnings if i.code == "feuille-optionnelle-absente"}
    assert set(missing) == {"Enjeux", "Acteurs", "Gouvernance"}
    assert "gouvernance" in missing["Gouvernance"]


def test_old_year_warning(report):
    old = [i for i in report.warnings if i.code == "annee-ancienne"]
    assert [i.location for i in old] == ["INDICATEURS!E8"]

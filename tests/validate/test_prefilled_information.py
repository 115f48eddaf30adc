"""Issue 25, point 13: warnings on rows the tool pre-filled itself, which the user cannot fix, are information.

A row is the tool's while its value, year and source are what the pre-fill writes (recomputed from the packaged
INSEE data and the QPV its source names); once she changes one of them, it is her row and warns again.
"""

from __future__ import annotations

import pytest
from prefilled_factories import edit_indicator, indicator_cell, prefilled_workbook

from toolkit.catalog.prefill import prefill_codes, written_indicator
from toolkit.catalog.qpv import SOURCE
from toolkit.problems import INFO, WARNING
from toolkit.validate import check, check_json


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory):
    return prefilled_workbook(tmp_path_factory.mktemp("prerempli") / "carcassonne.xlsx")


def _by_cell(report, code: str) -> dict[str, str]:
    """Cell -> level of the issues of `code`."""
    return {i.location: i.level for i in report.issues if i.code == code}


def test_old_vintages_of_untouched_prefilled_rows_are_information_and_the_file_is_clean(prefilled):
    report = check(prefilled)
    old = _by_cell(report, "annee-ancienne")
    assert len(old) == 7 and set(old.values()) == {INFO}  # revenus 2017 and établissements 2019, in 2025
    assert report.exit_code == 0 and report.ok
    assert not [i for i in report.warnings if i.sheet == "Indicateurs"]  # nothing left for her to correct there
    assert all(i.expected is None for i in report.informations)  # nothing is « attendu » of her
    info = report.informations[0]
    assert info.format().startswith(f"{info.location} : Année 2017 : chiffre INSEE pré-rempli par l'outil")
    # the one warning she can act on stays one: her quartiers are in the replaced 2015 geography
    assert [i.code for i in report.warnings if i.sheet == "Territoire"] == ["geographie-qp-remplacee"]


def test_check_json_lists_information_apart_and_counts_it_nowhere(prefilled):
    data = check_json(check(prefilled))
    q = data["qualite_donnees"]
    assert data["utilisable"] is True and data["code_sortie"] == 0
    assert {i["niveau"] for i in q["informations"]} == {"information"} and len(q["informations"]) == 7
    assert all(i["code"] != "annee-ancienne" for i in q["avertissements"])
    assert "rien à corriger" in q["note_informations"]


def test_an_edited_value_makes_the_row_hers_again(prefilled, tmp_path):
    cell = indicator_cell(prefilled, "PAUVRETE", "annee")
    before = _by_cell(check(prefilled), "annee-ancienne")
    assert before[f"Indicateurs!{cell}"] == INFO
    edited = edit_indicator(prefilled, tmp_path / "modifie.xlsx", "PAUVRETE", valeur=49.0)
    after = _by_cell(check(edited), "annee-ancienne")
    assert after.pop(f"Indicateurs!{cell}") == WARNING  # her figure: the old year is hers to look at
    assert set(after.values()) == {INFO}  # the other rows are still the tool's
    warning = next(i for i in check(edited).warnings if i.code == "annee-ancienne")
    assert warning.message.startswith("Année 2017 : donnée de plus de 5 ans") and warning.expected


@pytest.mark.parametrize(
    ("code", "edit"),
    [
        ("NIVEAU_VIE_MEDIAN", {"source": "INSEE, Filosofi 2017, extraction du service"}),
        ("BAS_REVENUS", {"annee": 2018}),
    ],
    ids=["source", "annee"],
)
def test_an_edited_source_or_year_makes_the_row_hers_again(prefilled, tmp_path, code, edit):
    edited = edit_indicator(prefilled, tmp_path / "modifie.xlsx", code, **edit)
    levels = _by_cell(check(edited), "annee-ancienne")
    assert levels[f"Indicateurs!{indicator_cell(prefilled, code, 'annee')}"] == WARNING
    assert list(levels.values()).count(WARNING) == 1


def test_a_real_gap_between_two_prefilled_figures_is_information_until_one_is_edited(tmp_path):
    """QP030012: 0,5 service for 1 000 inhabitants against 15,4 over the QPV of Occitanie, both INSEE's."""
    path = prefilled_workbook(tmp_path / "qp030012.xlsx", ("QP030012",))
    gap = _by_cell(check(path), "reference-invraisemblable")
    cell = f"Indicateurs!{indicator_cell(path, 'SERVICES_1000_HAB', 'ref_qpv')}"
    assert gap == {cell: INFO}
    edited = edit_indicator(path, tmp_path / "modifie.xlsx", "SERVICES_1000_HAB", ref_qpv=20)
    assert _by_cell(check(edited), "reference-invraisemblable") == {cell: WARNING}


def test_a_row_typed_by_the_user_is_never_the_tools():
    written = prefill_codes(["QP011002"]).indicateurs[0]
    assert written_indicator(written.code, written.source) == written
    assert written_indicator(written.code, written.source.replace(" ; ", "\u00a0; ")) == written  # retyped spaces
    assert written_indicator(written.code, "INSEE, recensement 2020") is None
    assert written_indicator(written.code, None) is None
    assert written_indicator(written.code, f"{SOURCE} ; QPV QP099999") is None  # no such quartier
    assert written_indicator("PERSO_LOYERS", written.source) is None

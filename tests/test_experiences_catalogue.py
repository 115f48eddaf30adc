"""Experiences are transfers from elsewhere: never the diagnosed territory itself, with documented outcomes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import toolkit as pe
from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import CatalogError
from toolkit.catalog.experiences import load_experiences
from toolkit.catalog.indicators import indicator

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("sample", ["vauvert", "carcassonne", "bedarieux"])
def test_no_sample_is_offered_an_experience_from_its_own_commune(sample):
    wb = pe.read(ROOT / "sample_data" / f"{sample}.xlsx")
    own = set(wb.territoire.communes)
    offered = pe.diagnose(wb).experiences
    assert offered
    for m in offered:
        assert not own & set(m.experience.communes), f"{sample} : {m.experience.code} a lieu sur le territoire"


def test_vauvert_no_longer_gets_its_own_project_and_beziers_no_list_naming_beziers():
    wb = pe.read(ROOT / "sample_data" / "vauvert.xlsx")
    assert "VAUVERT_NPNRU_POLE_COMMERCIAL" not in {m.experience.code for m in pe.diagnose(wb).experiences}
    beziers = replace(wb, territoire=replace(wb.territoire, communes=("34032",), nom="Béziers – Centre-ville"))
    codes = {m.experience.code for m in pe.diagnose(beziers).experiences}
    assert "ACTION_COEUR_DE_VILLE_OCCITANIE" not in codes
    # the same experience is still offered elsewhere: the rule excludes places, not experiences
    assert "VAUVERT_NPNRU_POLE_COMMERCIAL" in {m.experience.code for m in pe.diagnose(beziers).experiences} | {
        m.experience.code for m in pe.diagnose(pe.read(ROOT / "sample_data" / "carcassonne.xlsx")).experiences
    }


def test_every_located_experience_names_its_communes_and_outcomes_cite_a_source():
    for exp, _region in packaged_catalogue().experiences_with_region:
        if exp.lieu != "France":
            assert exp.communes, f"{exp.code} : communes (codes INSEE) manquantes"
            assert all(len(c) == 5 for c in exp.communes)
        for texte, source in exp.resultats:
            assert texte and source.startswith("http")
    assert sum(1 for e in packaged_catalogue().experiences if e.resultats) >= 5


def test_national_entrepreneurship_results_are_the_2024_figures():
    exp = next(e for e in packaged_catalogue().experiences if e.code == "ENTREPRENEURIAT_Q2030_BILAN")
    assert any("32 675" in t and "970 QPV" in t for t, _ in exp.resultats)
    assert "20 900" not in exp.resume and "CitésLab" in exp.resume and "Carrefours" in exp.resume


def test_an_outcome_without_source_is_refused(tmp_path: Path):
    path = tmp_path / "exp.toml"
    path.write_text(
        '[[experience]]\ncode = "X"\ntitre = "X"\nlieu = "Ici"\nresume = "r"\nenjeux = ["EMPLOI"]\n'
        'actions = ["EMP_SIAE"]\nsources = ["https://x.fr"]\n[[experience.resultats]]\ntexte = "10 emplois"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="source"):
        load_experiences(path)


def test_reference_scopes_neet_under_30_and_procos_panel_over_25000():
    neet = indicator("NEET_16_25")
    assert "moins de 30 ans" in neet.libelle and neet.reference_valeur == 17.4 and neet.reference_annee == 2014
    vac = indicator("VACANCE_COMMERCIALE")
    assert vac.reference_population_min == 25_000 and "25 000" in vac.reference_territoire
    assert not vac.reference_applies(6_000) and vac.reference_applies(46_000)
    for sample in ("bedarieux", "vauvert"):
        wb = pe.read(ROOT / "sample_data" / f"{sample}.xlsx")
        row = next(i for i in wb.indicateurs if i.code == "VACANCE_COMMERCIALE")
        assert row.valeur_reference is None, f"{sample} : panel Procos appliqué à une petite ville"

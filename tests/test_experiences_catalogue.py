"""Experiences are transfers from elsewhere: never the diagnosed territory itself, with documented outcomes."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

import toolkit as pe
from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import CatalogueError
from toolkit.catalog.experiences import load_experiences
from toolkit.catalog.indicators import indicator
from toolkit.catalog.sources import denied_reason
from toolkit.resources import data_dir

#: Occitanie departments (INSEE codes on two characters)
OCCITANIE = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("sample", ["vauvert", "carcassonne", "bedarieux"])
def test_no_sample_is_offered_an_experience_from_its_own_commune(sample):
    wb = pe.read(ROOT / "sample_data" / f"{sample}.xlsx")
    own = set(wb.territoire.communes)
    offered = pe.diagnose(wb).experiences
    assert offered
    for m in offered:
        assert not own & set(m.experience.communes), f"{sample} : {m.experience.code} a lieu sur le territoire"


def test_vauvert_no_longer_gets_its_own_project_and_nimes_no_list_naming_nimes():
    wb = pe.read(ROOT / "sample_data" / "vauvert.xlsx")
    assert "VAUVERT_NPNRU_POLE_COMMERCIAL" not in {m.experience.code for m in pe.diagnose(wb).experiences}
    # an experience listing several communes (Montpellier, Nîmes, Toulouse) is offered to none of them
    nimes = replace(wb, territoire=replace(wb.territoire, communes=("30189",), nom="Nîmes – Pissevin"))
    codes = {m.experience.code for m in pe.diagnose(nimes).experiences}
    assert not codes & {"CA_MATCHE_EMPLOI", "CLAUSES_NIMES_METROPOLE", "E2C_NIMES"}
    # the same experiences are still offered elsewhere: the rule excludes places, not experiences
    elsewhere = {m.experience.code for m in pe.diagnose(wb).experiences} | {
        m.experience.code for m in pe.diagnose(pe.read(ROOT / "sample_data" / "carcassonne.xlsx")).experiences
    }
    assert "VAUVERT_NPNRU_POLE_COMMERCIAL" in elsewhere | {m.experience.code for m in pe.diagnose(nimes).experiences}
    assert elsewhere & {"CA_MATCHE_EMPLOI", "CLAUSES_NIMES_METROPOLE", "E2C_NIMES"}


def test_a_national_programme_is_not_an_experience():
    """Action cœur de ville is a programme a territory joins, not an experience another can borrow (and its
    « result » was that it was slow): the catalogue offers what a territory did, with its result."""
    codes = {e.code for e in packaged_catalogue().experiences}
    assert not any("COEUR_DE_VILLE" in c or "CONTRAT_DE_VILLE" in c for c in codes)


def _commune_codes() -> set[str]:
    with (data_dir() / "communes.csv").open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def test_fifty_curated_experiences_each_located_dated_with_a_figure_a_source_and_a_contact():
    """Issue 22 pt 11: what, where (INSEE code of a real commune), since when, results with figures and their
    source, contact organisation. National bilans (lieu « France ») are extra and carry the same evidence."""
    known = _commune_codes()
    exps = packaged_catalogue().experiences
    located = [e for e in exps if e.lieu != "France"]
    assert len(located) >= 50
    for exp in exps:
        if exp.lieu != "France":
            assert exp.communes, f"{exp.code} : communes (codes INSEE) manquantes"
            assert set(exp.communes) <= known, f"{exp.code} : code commune inconnu"
        assert exp.annee and re.fullmatch(r"(19|20)\d\d", exp.annee), f"{exp.code} : année"
        assert exp.contact, f"{exp.code} : organisation à contacter"
        assert exp.resultats, f"{exp.code} : aucun résultat documenté"
        for texte, source in exp.resultats:
            assert re.search(r"\d", texte), f"{exp.code} : résultat sans chiffre : {texte}"
            assert source.startswith("http") and source in exp.sources, f"{exp.code} : {source}"
            assert denied_reason(source) is None
        assert all(denied_reason(s) is None for s in exp.sources), exp.code
    assert sum(1 for e in located if e.communes and e.communes[0][:2] in OCCITANIE) >= 30


def test_national_entrepreneurship_results_are_cited_from_a_press_source_not_a_mirror():
    exp = next(e for e in packaged_catalogue().experiences if e.code == "ENTREPRENEURIAT_Q2030_BILAN")
    assert any("32 000" in t and "135 M€" in t for t, _ in exp.resultats)
    assert not any("amazonaws" in s for s in exp.sources)
    assert "20 900" not in exp.resume and "CitésLab" in exp.resume and "Carrefours" in exp.resume


def test_a_documented_cost_must_be_a_positive_number(tmp_path: Path):
    path = tmp_path / "exp.toml"
    path.write_text(
        '[[experience]]\ncode = "X"\ntitre = "X"\nlieu = "Ici"\nresume = "r"\nenjeux = ["EMPLOI"]\n'
        'actions = ["EMP_SIAE"]\nsources = ["https://x.fr"]\ncout = "beaucoup"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="cout"):
        load_experiences(path)


def test_an_outcome_without_source_is_refused(tmp_path: Path):
    path = tmp_path / "exp.toml"
    path.write_text(
        '[[experience]]\ncode = "X"\ntitre = "X"\nlieu = "Ici"\nresume = "r"\nenjeux = ["EMPLOI"]\n'
        'actions = ["EMP_SIAE"]\nsources = ["https://x.fr"]\n[[experience.resultats]]\ntexte = "10 emplois"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="source"):
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


@pytest.mark.parametrize("sample", ["vauvert", "carcassonne", "bedarieux"])
def test_no_more_than_two_experiences_for_one_action_and_no_link_by_a_broad_field_alone(sample):
    """Bédarieux was offered four territoires zéro chômeur for a priority-3 action and none for its first
    priorities; Vauvert's summer market was linked to a job dating because both are « Animation »."""
    from collections import Counter

    from toolkit.plan.experiences import PER_ACTION

    d = pe.diagnose(pe.read(ROOT / "sample_data" / f"{sample}.xlsx"))
    per_action = Counter(m.actions[0] for m in d.experiences if not m.experience.from_follow_up)
    assert max(per_action.values()) <= PER_ACTION
    local = {a.key for a in d.actions if a.action.code == "LIBRE"}
    for m in d.experiences:
        linked_locally = set(m.actions) & local
        if linked_locally:  # a local action is linked by the same enjeux, never by its field alone
            assert sum(1 for r in m.reasons if r[0] == "meme-enjeu") >= 2, (m.experience.code, m.reasons)
    if sample == "vauvert":
        job_dating = next(m for m in d.experiences if m.experience.code == "CA_MATCHE_EMPLOI")
        assert not set(job_dating.actions) & local

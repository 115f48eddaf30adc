"""Experiences: a real, sourced catalogue; matching with reasons; bad catalogue files refused."""

import pytest
from engine_factories import action, territoire, workbook

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import CatalogError
from toolkit.catalog.experiences import load_experiences
from toolkit.diagnostic import diagnose
from toolkit.plan.experiences import region_of
from toolkit.report.wording import experience_reason

CAT = packaged_catalogue()


def test_catalogue_has_at_least_twelve_sourced_experiences_with_known_tags():
    exps = CAT.experiences
    assert len(exps) >= 12 and len({e.code for e in exps}) == len(exps)
    for e in exps:
        assert e.sources and all(s.startswith("http") for s in e.sources)
        assert e.enjeux and e.action_types


def test_expected_experiences_are_present():
    codes = {e.code for e in CAT.experiences}
    for code in ["INESS_NARBONNE", "MOBILJOB_ALES", "VIVRE_LES_MUREAUX", "TZCLD_LODEVE", "TZCLD_MARGUERITTES",
                 "QUARTIERS_PRODUCTIFS_GRAND_NARBONNE", "TOULOUSE_OFFRE_ECONOMIQUE", "CARCASSONNE_CONTRAT_2024",
                 "GRAND_NARBONNE_CONTRAT_2024", "VAUVERT_NPNRU_POLE_COMMERCIAL", "ENTREPRENEURIAT_Q2030_BILAN",
                 "PAQTE_2200_ENTREPRISES", "ANRU_CLAUSES_INSERTION", "BOUTIQUES_A_L_ESSAI"]:  # fmt: skip
        assert code in codes


def test_same_action_type_ranks_first_with_reasons():
    d = diagnose(workbook(actions=(action("EMP_TZCLD"),), territoire=territoire(typologie="Petite ville")))
    top = d.experiences[0]
    assert top.experience.code in ("TZCLD_LODEVE", "TZCLD_MARGUERITTES")
    assert any(kind == "meme-type" for kind, _ in top.reasons)
    assert ("typologie", "Petite ville") in top.reasons and ("region", "Occitanie") in top.reasons
    worded = [experience_reason(r) for r in top.reasons]
    assert "typologie comparable (Petite ville)" in worded and "même région (Occitanie)" in worded
    assert top.actions == ("EMP_TZCLD",) and 0 < top.score <= 100
    assert [m.score for m in d.experiences] == sorted((m.score for m in d.experiences), reverse=True)


def test_no_match_without_shared_type_champ_or_enjeu():
    local = action("LIBRE", champ="Gouvernance", enjeux=("GOUVERNANCE",))
    d = diagnose(workbook(actions=(local,)))
    assert all("GOUVERNANCE" in m.experience.enjeux or "Gouvernance" in m.experience.action_types
               or any(CAT.action(x) and CAT.action(x).champ == "Gouvernance" for x in m.experience.action_types)
               for m in d.experiences)  # fmt: skip


def test_region_from_departement_or_commune():
    assert region_of(territoire(departement="11")) == "Occitanie"
    assert region_of(territoire(departement=None, communes=("34154",))) == "Occitanie"
    assert region_of(territoire(departement="75", communes=("75056",))) is None


@pytest.mark.parametrize(
    "body, words",
    [
        (
            '[[experience]]\ncode="X"\ntitre="t"\nlieu="l"\nresume="r"\nenjeux=["NOPE"]\nactions=["EMP_TZCLD"]\nsources=["http://a"]\n',
            "enjeu",
        ),
        (
            '[[experience]]\ncode="X"\ntitre="t"\nlieu="l"\nresume="r"\nenjeux=["EMPLOI"]\nactions=["ZZZ"]\nsources=["http://a"]\n',
            "action",
        ),
        (
            '[[experience]]\ncode="X"\ntitre="t"\nlieu="l"\nresume="r"\nenjeux=["EMPLOI"]\nactions=["EMP_TZCLD"]\n',
            "sources",
        ),
        ("[[experience]\n", "illisible"),
    ],
)
def test_bad_experience_file(tmp_path, body, words):
    f = tmp_path / "e.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError, match=words):
        load_experiences(f)

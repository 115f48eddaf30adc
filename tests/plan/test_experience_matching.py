"""Experiences: a real, sourced catalogue; matching with reasons; bad catalogue files refused."""

from pathlib import Path

import pytest
from engine_factories import action, territoire, workbook

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import CatalogueError
from toolkit.catalog.experiences import load_experiences
from toolkit.diagnostic import diagnose
from toolkit.plan.experiences import region_of
from toolkit.report.wording import experience_reason

CAT = packaged_catalogue()
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_catalogue_has_at_least_fifty_located_sourced_experiences_with_known_tags():
    exps = CAT.experiences
    assert sum(1 for e in exps if e.communes) >= 50 and len({e.code for e in exps}) == len(exps)
    for e in exps:
        assert e.sources and all(s.startswith("http") for s in e.sources)
        assert e.enjeux and e.action_types


def test_expected_experiences_are_present():
    codes = {e.code for e in CAT.experiences}
    # the seed's experiences, then a few of the December 2026 additions
    for code in ["INESS_NARBONNE", "MOBILJOB_ALES", "VIVRE_LES_MUREAUX", "TZCLD_LODEVE", "TZCLD_MARGUERITTES",
                 "QUARTIERS_PRODUCTIFS_GRAND_NARBONNE", "TOULOUSE_OFFRE_ECONOMIQUE", "VAUVERT_NPNRU_POLE_COMMERCIAL",
                 "ENTREPRENEURIAT_Q2030_BILAN", "PAQTE_2200_ENTREPRISES", "ANRU_CLAUSES_INSERTION",
                 "BOUTIQUES_A_L_ESSAI", "CITESLAB_TARBES", "GEIQ_BTP_HERAULT", "CLAUSES_NIMES_METROPOLE",
                 "TZCLD_THIERS", "E2C_TOULOUSE"]:  # fmt: skip
        assert code in codes
    # a contrat de ville is the territory's own frame, not a transferable experience
    assert not codes & {"CARCASSONNE_CONTRAT_2024", "GRAND_NARBONNE_CONTRAT_2024"}
    assert not [e.code for e in CAT.experiences if "contrat de ville" in e.titre.lower()]


def test_same_action_type_ranks_first_with_reasons():
    d = diagnose(workbook(actions=(action("EMP_TZCLD"),), territoire=territoire(typologie="Petite ville")))
    top = d.experiences[0]
    assert top.experience.code.startswith("TZCLD_")  # a TZCLD territory of Occitanie, the most recent first
    assert any(kind == "meme-type" for kind, _ in top.reasons)
    assert ("typologie", "Petite ville") in top.reasons and ("region", "Occitanie") in top.reasons
    worded = [experience_reason(r) for r in top.reasons]
    assert "typologie comparable (Petite ville)" in worded and "même région (Occitanie)" in worded
    assert top.actions == ("EMP_TZCLD",) and 0 < top.score <= 100
    assert [m.score for m in d.experiences] == sorted((m.score for m in d.experiences), reverse=True)


def _champs(exp) -> set[str]:
    return {CAT.action(x).champ if CAT.action(x) else x for x in exp.action_types}


def test_no_match_on_shared_enjeux_alone():
    """A local action sharing only an enjeu (EMPLOI) with dozens of experiences, and no type or champ, gets none."""
    local = action("LIBRE", intitule="Fête de quartier", champ="Gouvernance", enjeux=("EMPLOI",))
    d = diagnose(workbook(actions=(local,)))
    assert all("Gouvernance" in _champs(m.experience) for m in d.experiences)
    assert not [m for m in d.experiences if m.experience.code.startswith("TZCLD_")]


def test_good_match_same_type_and_scale_microcredit():
    """A €15,000 microcredit action in an Occitanie ville-centre: microcredit experiences, same type, not IN'ESS."""
    micro = action("ACC_MICROCREDIT", cout=15_000.0)
    wb = workbook(actions=(micro,), territoire=territoire(typologie="Ville-centre d'agglomération"))
    d = diagnose(wb)
    codes = [m.experience.code for m in d.experiences]
    assert codes and all(("meme-type", CAT.action("ACC_MICROCREDIT").intitule) in m.reasons for m in d.experiences)
    assert {"INITIATIVE_NARBONNE", "ADIE_HAUTES_PYRENEES"} <= set(codes)
    # the €8 M IN'ESS equipment is refused, not « 100 % pertinent »: it is 500 times the action's cost
    assert "INESS_NARBONNE" not in codes


def test_the_equipment_is_offered_for_an_equipment_of_its_scale():
    tiers_lieu = action("IMMO_TIERS_LIEU", cout=3_000_000.0)
    d = diagnose(workbook(actions=(tiers_lieu,), territoire=territoire(typologie="Ville-centre d'agglomération")))
    top = d.experiences[0]
    assert top.experience.code == "INESS_NARBONNE" and any(k == "meme-type" for k, _ in top.reasons)
    # the same catalogue entry, typed at €20,000: a light tiers-lieu is not informed by an €8 M building
    small = action("IMMO_TIERS_LIEU", cout=20_000.0)
    assert "INESS_NARBONNE" not in {m.experience.code for m in diagnose(workbook(actions=(small,))).experiences}


def test_scale_rule_uses_the_catalogue_band_when_no_cost_is_typed():
    from toolkit.plan.experiences import SCALE_FACTOR, same_scale

    iness = next(e for e in CAT.experiences if e.code == "INESS_NARBONNE")
    band = CAT.action("ACC_MICROCREDIT")
    assert iness.cout > band.cout_max * SCALE_FACTOR
    s = diagnose(workbook(actions=(action("ACC_MICROCREDIT"),))).actions[0]
    assert s.action.cout is None and not same_scale(iness, s, CAT)


def test_every_offered_experience_shares_a_type_or_a_champ():
    for sample in ("vauvert", "carcassonne", "bedarieux"):
        d = diagnose(__import__("toolkit").read(SAMPLES / f"{sample}.xlsx"))
        by_key = {s.key: s for s in d.actions}
        for m in d.experiences:
            assert m.actions, m.experience.code
            for k in m.actions:
                s = by_key[k]
                same_type = s.action.code in m.experience.action_types
                assert same_type or s.action.champ in _champs(m.experience), (sample, m.experience.code, k)


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
    with pytest.raises(CatalogueError, match=words):
        load_experiences(f)


def test_equal_relevance_puts_the_more_recent_result_first():
    d = diagnose(workbook(actions=(action("EMP_TZCLD"),), territoire=territoire(typologie="Petite ville")))
    tied = [m for m in d.experiences if round(m.score, 9) == round(d.experiences[0].score, 9)]
    years = [int((m.experience.annee or "0")[:4]) for m in tied]
    assert len(tied) > 1 and years == sorted(years, reverse=True)

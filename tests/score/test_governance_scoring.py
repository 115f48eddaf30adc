"""Governance maturity, partner map and partner gaps."""

import pytest
from engine_factories import acteur, action, reponse

from toolkit.catalog import packaged_catalogue
from toolkit.report.wording import gap_message
from toolkit.score.governance import governance, maturity, partner_gaps, partner_map, readiness

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_maturity_oui_partiel_non_and_ne_sait_pas_counted_separately():
    answers = [
        reponse("G1", "Oui"),
        reponse("G2", "Partiel"),
        reponse("G3", "Non"),
        reponse("G4", "Ne sait pas"),
        reponse("G5", None),
    ]
    value, counts = maturity(answers)
    assert value == pytest.approx(100 * 1.5 / 4)
    assert counts == {"Oui": 1, "Partiel": 1, "Non": 1, "Ne sait pas": 1, "Sans réponse": 1}


def test_maturity_none_without_answers():
    assert maturity([reponse("G1", None)])[0] is None
    assert maturity([])[0] is None


def test_partner_map_groups_by_type_in_contract_order():
    partners = partner_map([acteur("France Travail", "Réseau pour l'emploi", 1), acteur("Ville", "Commune", 3),
                            acteur("Mission locale", "Réseau pour l'emploi", 3, signataire=False)])  # fmt: skip
    assert [p.type for p in partners] == ["Commune", "Réseau pour l'emploi"]
    spe = partners[1]
    assert spe.structures == ("France Travail", "Mission locale") and spe.implication == 3 and spe.signataire


def test_gap_absent_and_weak():
    partners = partner_map([acteur("Ville", "Commune", 3), acteur("CCI", "Chambre consulaire", 1)])
    gaps = partner_gaps([action("COM_BOUTIQUE_ESSAI"), action("MOB_PERMIS", row=8)], partners, CAT)
    by_type = {g.type: g for g in gaps}
    assert by_type["Chambre consulaire"].status == "faible"
    assert by_type["Association"].status == "absent" and by_type["Association"].actions == ("MOB_PERMIS",)
    assert "Commune" not in by_type
    assert "1 action en a besoin" in gap_message(by_type["Association"], {})
    assert by_type["Chambre consulaire"].implication == 1 and by_type["Chambre consulaire"].structures == ("CCI",)


def test_commerce_action_without_consular_chamber_is_a_gap():
    gaps = partner_gaps([action("COM_MANAGER")], partner_map([acteur("Ville", "Commune", 3)]), CAT)
    assert [(g.type, g.status) for g in gaps] == [("Chambre consulaire", "absent")]


def test_readiness():
    partners = partner_map([acteur("Ville", "Commune", 3), acteur("CCI", "Chambre consulaire", None)])
    value, counts = readiness(action("COM_BOUTIQUE_ESSAI"), partners, True, CAT)
    assert value == pytest.approx((1 + 0.5) / 2) and counts == (2, 2)
    assert readiness(action("LIBRE"), partners, True, CAT)[0] is None
    assert readiness(action("COM_BOUTIQUE_ESSAI"), partners, False, CAT)[0] is None


def test_missing_sheets_make_governance_unavailable():
    g = governance([], [], [action()], missing_sheets=("Gouvernance", "Acteurs"), catalogue=CAT)
    assert not g.available and g.maturite is None and g.gaps == ()

"""The action catalogue: exactly the contract's codes, valid references, tolerant look-up, bad files refused."""

import pytest

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import COST_BANDS, CatalogueError, load_actions
from toolkit.catalog.enjeux import enjeux
from toolkit.model import ACTOR_TYPES, CHAMPS

CODES = [
    "IMMO_PEPINIERE",
    "IMMO_PIED_IMMEUBLE",
    "IMMO_TIERS_LIEU",
    "IMMO_FONCIERE_COMMERCE",
    "COM_BOUTIQUE_ESSAI",
    "COM_MANAGER",
    "COM_OBSERVATOIRE_VACANCE",
    "COM_MARCHE",
    "COM_DEVANTURES",
    "ANIM_FORUM_EMPLOI",
    "ANIM_EVENEMENTS_ECO",
    "ANIM_RESEAU_ENTREPRENEURS",
    "ACC_ENTREPRENEURIAT_Q2030",
    "ACC_COUVEUSE_CAE",
    "ACC_MICROCREDIT",
    "ACC_PERMANENCES_CONSULAIRES",
    "EMP_CLAUSES_SOCIALES",
    "EMP_TZCLD",
    "EMP_SIAE",
    "EMP_CITES_EMPLOI",
    "EMP_EMPLOIS_FRANCS",
    "EMP_PACTE_PLEIN_EMPLOI",
    "EMP_ALLER_VERS",
    "EMP_SAVOIRS_BASE",
    "EMP_PAQTE",
    "MOB_PLATEFORME",
    "MOB_PERMIS",
    "MOB_DESSERTE",
    "ATT_MARKETING",
    "ATT_QUARTIERS_PRODUCTIFS",
    "ATT_COEUR_DE_VILLE",
    "GOUV_CHEF_PROJET",
    "GOUV_COMITE_ECO",
    "GOUV_OBSERVATOIRE",
    "ATT_EXONERATIONS_ZONEES",
    # droit commun programmes added on 7 December 2026 (issue 22 pt 10, domain-facts §8)
    "FORM_PRIC_REGION",
    "EMP_CEJ",
    "ENT_TERRITOIRES_INDUSTRIE",
    "EMP_FSE_PLUS",
    "EMP_GEIQ",
]


def test_exactly_the_contract_codes_in_order():
    assert [a.code for a in packaged_catalogue().actions] == CODES


def test_every_entry_is_complete_and_refers_to_known_values():
    enjeu_codes = {e.code for e in enjeux()}
    for a in packaged_catalogue().actions:
        assert a.champ in CHAMPS
        assert a.enjeux and set(a.enjeux) <= enjeu_codes
        assert a.partner_types and set(a.partner_types) <= set(ACTOR_TYPES)
        assert a.cout_bande in COST_BANDS and 0 < a.cout_min <= a.cout_max
        assert a.duree_mois > 0 and a.suivi and a.prerequis
        assert a.sources and all(s.startswith("http") for s in a.sources)
        assert a.cout_note, a.code  # either a source or « illustratif »


def test_ended_programmes_carry_a_status_and_its_source():
    catalogue_actions = packaged_catalogue().actions
    ended = {a.code: a for a in catalogue_actions if a.statut}
    assert set(ended) == {a.code for a in catalogue_actions if a.programme and a.programme.etat != "en cours"}
    assert {"EMP_EMPLOIS_FRANCS", "EMP_CITES_EMPLOI", "EMP_TZCLD", "ATT_COEUR_DE_VILLE"} <= set(ended)
    assert "31/12/2024" in ended["EMP_EMPLOIS_FRANCS"].statut
    assert all(a.statut_source.startswith("http") for a in ended.values())


@pytest.mark.parametrize("typed", ["EMP_TZCLD", " emp_tzcld ", "Emp_Tzcld"])
def test_lookup_is_tolerant(typed):
    assert packaged_catalogue().action(typed).code == "EMP_TZCLD"


@pytest.mark.parametrize("typed", ["LIBRE", "", None, "NOPE"])
def test_lookup_of_unknown_is_none(typed):
    assert packaged_catalogue().action(typed) is None


def test_user_file_overrides_and_extends(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text(
        '[[action]]\ncode="EMP_TZCLD"\nintitule="TZCLD local"\nchamp="emploi et insertion"\nenjeux=["emploi"]\n'
        'partenaires=["commune"]\nduree_mois=24\ncout_bande="< 50 k€"\ncout_min=1\ncout_max=2\n'
        '[[action]]\ncode="LOC_X"\nintitule="X"\nchamp="Commerce"\nenjeux=["COMMERCE"]\nduree_mois=3\n'
        'cout_bande="< 50 k€"\n',
        encoding="utf-8",
    )
    merged = {a.code: a for a in load_actions(f, base=packaged_catalogue().actions)}
    assert merged["EMP_TZCLD"].intitule == "TZCLD local" and merged["EMP_TZCLD"].enjeux == ("EMPLOI",)
    assert "LOC_X" in merged and len(merged) == len(CODES) + 1


@pytest.mark.parametrize(
    "body, words",
    [
        (
            '[[action]]\ncode="X"\nintitule="X"\nchamp="Pêche"\nenjeux=["EMPLOI"]\nduree_mois=3\ncout_bande="< 50 k€"\n',
            "champ",
        ),
        (
            '[[action]]\ncode="X"\nintitule="X"\nchamp="Commerce"\nenjeux=["ZZZ"]\nduree_mois=3\ncout_bande="< 50 k€"\n',
            "enjeu",
        ),
        (
            '[[action]]\ncode="X"\nintitule="X"\nchamp="Commerce"\nenjeux=["EMPLOI"]\nduree_mois=3\ncout_bande="cher"\n',
            "bande",
        ),
        ('[[action]]\ncode="X"\nchamp="Commerce"\n', "manquant"),
        ("[[action]\n", "illisible"),
    ],
)
def test_bad_user_file_gives_french_message(tmp_path, body, words):
    f = tmp_path / "bad.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError, match=words):
        load_actions(f)

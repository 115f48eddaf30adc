"""Every vigilance rule fires when it should and stays silent otherwise; each point cites its cells.

The sentence élus read carries no cell reference: the cells travel with the point (`cells`, the report's
technical annex, the JSON's `cellules`). `msg` below is what a user sees of a point: sentence + cells.
"""

from dataclasses import replace

import pytest
from engine_factories import acteur, action, indicateur, reponse, territoire, vote, workbook

from toolkit.catalog import packaged_catalogue
from toolkit.diagnostic import diagnose
from toolkit.model import EnjeuLocal
from toolkit.plan.vigilance import RULES, VigilanceContext, vigilance
from toolkit.report.wording import vigilance_message  # the sentence is the report's; the rule gives params
from toolkit.results import Robustness, VigilancePoint

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def msg(p: VigilancePoint) -> str:
    return vigilance_message(p) + " [" + ", ".join(map(str, p.cells)) + "]"


FULL_PARTNERS = tuple(
    acteur(f"Structure {i}", t, 3, row=4 + i)
    for i, t in enumerate(["Commune", "EPCI", "Chambre consulaire", "Réseau pour l'emploi", "Département",
                           "Association", "Financeur", "État", "Entreprise", "Bailleur social", "Région"])
)  # fmt: skip


def points(rule: str, **kw) -> list[VigilancePoint]:
    kw.setdefault("acteurs", FULL_PARTNERS)
    wb = workbook(**kw)  # generated on the diagnostic date: the rules, not the passing of time
    return [p for p in diagnose(wb, today=wb.territoire.date_diagnostic).vigilance if p.rule == rule]


def test_prerequisite_not_met_is_attention_even_when_it_breaks_the_deadline():
    (p,) = points("prerequis-non-fait", actions=(action(prerequis=("Fait", "À faire", "Fait")),))
    assert p.niveau == "attention" and "Actions!K7" in map(str, p.cells)  # the cell goes to the annex
    assert "Étude de faisabilité (à faire" in msg(p) and "Actions!" not in vigilance_message(p)
    assert "Locaux vacants disponibles" in msg(p)  # the catalogue's own condition, with why and who
    assert "le test repose sur un loyer réduit" in msg(p) and "qui : Commune" in msg(p)
    # a deadline out of reach is attention (the roadmap says when it can start), not a blocking condition
    (p,) = points("prerequis-non-fait", actions=(action(prerequis=("À faire", "À faire", "Fait"), echeance="2024-S2"),))
    assert p.niveau == "attention"
    (p,) = points("prerequis-non-fait", actions=(action(prerequis=("À faire", "À faire", "Fait"), echeance="2025-S2"),))
    assert p.niveau == "attention"  # the deadline still holds
    (p,) = points("prerequis-non-fait", actions=(action(prerequis=("Fait", "Sans objet", "En cours")),))
    assert p.niveau == "attention"  # « En cours » only, but the catalogue's « locaux vacants » is still to do
    (p,) = points(
        "prerequis-non-fait", actions=(action("ANIM_FORUM_EMPLOI", prerequis=("Fait", "Sans objet", "En cours")),)
    )
    assert p.niveau == "info"
    assert points("prerequis-non-fait", actions=(action(prerequis=("Fait", "Sans objet", "Fait")),)) == []


def test_deadline_missed():
    (p,) = points("echeance-non-tenue", actions=(action(prerequis=("À faire", "À faire", "Fait"), echeance="2024-S2"),))
    assert "Actions!M7" in msg(p) and "second semestre 2024" in msg(p) and "avril 2025" in msg(p)  # months in words
    assert points("echeance-non-tenue", actions=(action(echeance="2027-S2"),)) == []
    assert points("echeance-non-tenue", actions=(action(),)) == []


def test_no_pilot():
    (p,) = points("sans-pilote", actions=(action(pilote=None, row=9),))
    assert p.niveau == "attention" and "Actions!H9" in msg(p)
    assert points("sans-pilote", actions=(action(pilote="Ville"),)) == []


def test_partner_absent_and_weak():
    (p,) = points("partenaire-absent", actions=(action("COM_MANAGER"),), acteurs=(acteur("Ville", "Commune", 3),))
    assert p.objet == "gouvernance" and "Chambre consulaire" in msg(p) and "Actions!A7" in msg(p)
    (p,) = points("partenaire-faible", actions=(action("COM_MANAGER"),),
                  acteurs=(acteur("Ville", "Commune", 3), acteur("CCI", "Chambre consulaire", 1)))  # fmt: skip
    assert p.niveau == "info" and "CCI" in msg(p)
    assert points("partenaire-absent", actions=(action("COM_MANAGER"),)) == []


def test_high_cost_low_feasibility():
    (p,) = points("cout-eleve-faisabilite-faible", actions=(action(cout=500_000, faisabilite=2),))
    assert "Actions!G7" in msg(p) and "Actions!F7" in msg(p)
    (p,) = points("cout-eleve-faisabilite-faible", actions=(action("IMMO_PEPINIERE", cout=None, faisabilite=1),))
    assert "bande catalogue" in msg(p)
    assert points("cout-eleve-faisabilite-faible", actions=(action(cout=500_000, faisabilite=3),)) == []
    assert points("cout-eleve-faisabilite-faible", actions=(action(cout=100_000, faisabilite=1),)) == []


@pytest.mark.parametrize(
    "code, niveau", [("EMP_EMPLOIS_FRANCS", "bloquant"), ("EMP_CITES_EMPLOI", "attention"), ("EMP_TZCLD", "attention")]
)
def test_programme_changed(code, niveau):
    (p,) = points("programme-modifie", actions=(action(code),))
    assert p.niveau == niveau and "http" in msg(p)
    assert points("programme-modifie", actions=(action("COM_MANAGER"),)) == []


def test_old_indicators():
    (p,) = points("indicateurs-anciens", indicateurs=(indicateur("CHOMAGE_15_64", 20, 7.5, annee=2015, row=6),))
    assert "Indicateurs!A6" in msg(p) and p.objet == "données"
    assert points("indicateurs-anciens", indicateurs=(indicateur("CHOMAGE_15_64", 20, 7.5, annee=2019),)) == []


def test_illustrative_data():
    (p,) = points("donnees-illustratives")
    assert "Valeurs illustratives" in msg(p) and p.cells
    real = (indicateur("CHOMAGE_15_64", 20, 7.5, source="INSEE RP 2020"),)
    assert points("donnees-illustratives", indicateurs=real) == []


def test_unscored_indicators():
    inds = (indicateur("CHOMAGE_15_64", 20, 7.5), indicateur("DEFM_LONGUE_DUREE", 40, None, row=5))
    (p,) = points("indicateurs-non-notes", indicateurs=inds)
    assert "demandeurs d'emploi inscrits depuis un an" in msg(p) and "Indicateurs!A5" in msg(
        p
    )  # its name, not its code
    assert points("indicateurs-non-notes") == []


def test_values_to_check_are_listed_and_not_counted_twice():
    """Issue 22: an implausible value is named in a point of its own, never « silently dropped »."""
    wrong = indicateur("ETAB_1000_HAB", 1500, 60, row=8)  # 1 500 ‰: a typing slip
    inds = (indicateur("CHOMAGE_15_64", 20, 7.5), wrong)
    (p,) = points("valeurs-a-verifier", indicateurs=inds)
    assert p.niveau == "attention" and "valeur à vérifier" in msg(p) and wrong.libelle in msg(p)
    assert p.data["raisons"] == ("valeur-invraisemblable",)
    assert points("indicateurs-non-notes", indicateurs=inds) == []
    assert points("valeurs-a-verifier") == []


def test_enjeux_not_evaluated():
    (p,) = points("enjeux-non-evalues")
    assert "COMMERCE" in msg(p) and "EMPLOI" not in msg(p)
    all_rated = tuple(EnjeuLocal(c, 3) for c in ["EMPLOI", "JEUNES", "FORMATION", "ENTREPRENEURIAT", "COMMERCE",
                                                 "IMMOBILIER", "MOBILITE", "ATTRACTIVITE", "ENTREPRISES", "GOUVERNANCE"])  # fmt: skip
    assert points("enjeux-non-evalues", enjeux=all_rated) == []


def test_strong_enjeu_without_action():
    (p,) = points("enjeu-fort-sans-action", actions=(action("COM_BOUTIQUE_ESSAI"),))
    assert p.ref == "EMPLOI" and "Indicateurs!C4" in [str(c) for c in p.cells]
    assert points("enjeu-fort-sans-action", actions=(action("EMP_TZCLD"),)) == []


def test_action_without_strong_enjeu():
    (p,) = points("action-sans-enjeu-fort", actions=(action("COM_BOUTIQUE_ESSAI"),))
    assert p.niveau == "info" and "Actions!D7" in msg(p)
    assert points("action-sans-enjeu-fort", actions=(action("EMP_TZCLD"),)) == []


def test_weak_governance():
    (p,) = points("gouvernance-faible", gouvernance=(reponse("G1", "Non"), reponse("G2", "Ne sait pas")))
    assert "0/100" in msg(p) and "1 « Ne sait pas »" in msg(p)
    assert points("gouvernance-faible", gouvernance=(reponse("G1", "Oui"), reponse("G2", "Partiel"))) == []


def test_missing_sheet():
    (p,) = points("feuille-absente", missing_sheets=("Votes",))
    assert "Votes" in msg(p) and p.niveau == "info"
    assert points("feuille-absente") == []


def test_split_votes():
    split = tuple(vote(p, "EMPLOI", n) for p, n in zip("ABCD", [1, 1, 5, 5], strict=False))
    (p,) = points("dissensus-votes", votes=split)
    assert p.objet == "enjeu" and "Avis partagés" in msg(p) and "50\u202f% ont donné 1 ou 2 sur 5" in msg(p)
    assert [str(c) for c in p.cells] == ["Votes!D4"] * 4
    calm = tuple(vote(p, "EMPLOI", n) for p, n in zip("ABCD", [4, 4, 5, 4], strict=False))
    assert points("dissensus-votes", votes=calm) == []


def test_beyond_period():
    long = (action("EMP_TZCLD", prerequis=("À faire", "Sans objet", "À faire")),)
    (p,) = points("hors-periode", actions=long, territoire=territoire(periode=(2024, 2025)))
    assert "après la fin du contrat" in msg(p)
    assert points("hors-periode", actions=long) == []


def _ctx_with(robust: Robustness) -> VigilanceContext:
    wb = workbook(acteurs=FULL_PARTNERS)
    d = diagnose(wb)
    acts = tuple(replace(s, robustness=robust) for s in d.actions)
    return VigilanceContext(wb, d.indicateurs, d.enjeux, (), acts, d.governance, {}, CAT)


def test_fragile_ranking():
    (p,) = RULES["classement-fragile"](_ctx_with(Robustness(0.55, 0.4, 5, 1, 4, True)))
    assert "55\u202f%" in msg(p) and "rang 1 à 4" in msg(p)
    assert list(RULES["classement-fragile"](_ctx_with(Robustness(0.95, 1, 5, 1, 1, False)))) == []


def test_every_registered_rule_is_tested_here():
    tested = {
        "prerequis-non-fait", "echeance-non-tenue", "sans-pilote", "partenaire-manquant", "cout-eleve-faisabilite-faible",
        "programme-modifie", "indicateurs-anciens", "donnees-illustratives", "indicateurs-non-notes", "valeurs-a-verifier",
        "enjeux-non-evalues", "enjeu-fort-sans-action", "action-sans-enjeu-fort", "gouvernance-faible",
        "feuilles-absentes", "dissensus-votes", "hors-periode", "classement-fragile",
    }  # fmt: skip
    assert set(RULES) == tested


def test_adding_a_rule_is_one_function_and_levels_are_sorted():
    ctx = _ctx_with(Robustness(0.95, 1, 5, 1, 1, False))
    rules = {
        "info-rule": lambda c: [VigilancePoint("info", "données", "x", "info-rule", "i")],
        "block-rule": lambda c: [VigilancePoint("bloquant", "action", "y", "block-rule", "b")],
    }
    assert [p.rule for p in vigilance(ctx, rules)] == ["block-rule", "info-rule"]

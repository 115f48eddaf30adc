"""The French words of results: one plural helper on Babel's rules, every rule of vigilance worded, and the
engine's points carrying numbers (not sentences) that the report turns into French."""

from __future__ import annotations

from datetime import date

import pytest
from report_factories import build_diagnostic

from toolkit.plan.vigilance import RULES
from toolkit.report import formatting as fmt
from toolkit.report import wording
from toolkit.results import VigilancePoint


@pytest.mark.parametrize(
    "n, expected", [(0, "0 action"), (1, "1 action"), (2, "2 actions"), (1234, "1\u202f234 actions")]
)
def test_plural_follows_babel_french_rules(n, expected):
    assert fmt.plural(n, "action") == expected


def test_agreement_of_adjectives_and_irregular_plurals():
    assert fmt.agree(1, "noté") == "noté" and fmt.agree(3, "noté") == "notés"
    assert fmt.agree(2, "en a", "en ont") == "en ont" and fmt.agree(1, "en a", "en ont") == "en a"


@pytest.mark.parametrize("sample", ["carcassonne", "bedarieux", "vauvert"])
def test_every_point_of_the_samples_is_worded_from_its_numbers(sample):
    diag = build_diagnostic(sample=sample)
    assert diag.vigilance
    for p in diag.vigilance:
        assert p.rule in wording._RULES or p.rule.startswith("partenaire-"), p.rule
        text = wording.vigilance_message(p)
        assert (text.endswith(".") or " Source : " in text) and "None" not in text and "{" not in text, text
        for _, value in p.params:  # numbers, dates, codes, titles, cells: never a built sentence
            assert not (isinstance(value, str) and value.endswith(".") and " ; " in value), value


def test_every_registered_rule_has_its_sentence():
    # registered names whose points carry other keys: one rule, several kinds of point
    rules = set(RULES) - {"partenaire-manquant", "feuilles-absentes"} | {
        "partenaire-absent",
        "partenaire-faible",
        "feuille-absente",
    }
    assert rules <= set(wording._RULES)


def test_a_fragile_ranking_point_carries_the_probability_as_a_number():
    p = VigilancePoint(
        "info",
        "action",
        "X",
        "classement-fragile",
        (
            ("action", "Boutique"),
            ("cellule_action", "Actions!A7"),
            ("priorite", 1),
            ("p_meme_priorite", 0.554),
            ("rang_min", 1),
            ("rang_max", 4),
        ),
    )
    assert wording.vigilance_message(p) == (
        "« Boutique » : priorité 1 conservée dans 55\u202f% des "
        "variations de poids seulement (rang 1 à 4) ; priorité à confirmer en comité."
    )


def test_a_semester_is_worded_from_a_date():
    p = VigilancePoint(
        "info",
        "action",
        "X",
        "hors-periode",
        (("action", "A"), ("cellule_action", None), ("fin", date(2031, 9, 30)), ("fin_contrat", 2030)),
    )
    assert "se termine en septembre 2031, après la fin du contrat de ville (2030)." in wording.vigilance_message(p)

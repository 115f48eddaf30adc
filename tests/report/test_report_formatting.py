"""French typography of numbers, money, dates: narrow no-break spaces, decimal comma, never None/nan."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.report import formatting as fmt

NNBSP = "\u202f"


def test_decimal_comma_and_thousands_separator():
    assert fmt.number(1234.5) == f"1{NNBSP}234,5"
    assert fmt.number(12.0) == "12"
    assert fmt.number(1234567, 0) == f"1{NNBSP}234{NNBSP}567"


def test_percent_points_and_shares():
    assert fmt.percent_points(12.5) == f"12,5{NNBSP}%"
    assert fmt.share(0.853) == f"85{NNBSP}%"
    assert fmt.value(4.2, "‰") == f"4,2{NNBSP}‰"


def test_euros_whole_with_narrow_spaces():
    assert fmt.euros(1234) == f"1{NNBSP}234{NNBSP}€"
    assert fmt.euros(1_200_000.4) == f"1{NNBSP}200{NNBSP}000{NNBSP}€"


def test_rounding_half_up_for_display():
    assert fmt.number(4.25) == "4,3"
    assert fmt.number(0.05, 1) == "0,1"


def test_gaps_are_signed_with_true_minus_and_points():
    """Points written out, agreed as French agrees them (singular below 2), held to their number."""
    assert fmt.gap(23.7, "%") == "+23,7\u00a0points"
    assert fmt.gap(-3.25, "%") == "\u22123,3\u00a0points"
    assert fmt.gap(0.01, "%") == "0\u00a0point"
    assert fmt.gap(1.9, "%") == "+1,9\u00a0point" and fmt.gap(-2, "%") == "\u22122\u00a0points"


def test_french_dates():
    assert fmt.long_date(date(2024, 3, 31)) == "31 mars 2024"
    assert fmt.month_year(date(2026, 9, 1)) == "septembre 2026"
    assert fmt.semester(date(2026, 9, 1)) == f"S2{NNBSP}2026"
    assert fmt.semester(date(2026, 6, 30)) == f"S1{NNBSP}2026"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_print_a_dash(missing):
    for f in (fmt.number, fmt.percent_points, fmt.euros, fmt.score, fmt.share):
        assert f(missing) == "—"
    assert fmt.value(missing, "%") == "—"
    assert fmt.text(missing) == ""
    assert fmt.text("nan") == "" and fmt.text(" None ") == ""


def test_plural_follows_french_rule():
    assert fmt.plural(0, "action") == "0 action"
    assert fmt.plural(1, "action") == "1 action"
    assert fmt.plural(2, "action") == "2 actions"


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_number_never_uses_a_dot_or_plain_space(x):
    out = fmt.number(x, 2)
    assert "." not in out and " " not in out and "nan" not in out


def test_de_is_elided_before_a_month_that_starts_with_a_vowel():
    """« d’avril 2027 », never « de avril 2027 » (a roadmap sentence, a vigilance point, a chart's alt text)."""
    from datetime import date

    words = {m: fmt.of(fmt.month_year(date(2027, m, 1))) for m in range(1, 13)}
    assert words[4] == "d’avril 2027" and words[8] == "d’août 2027" and words[10] == "d’octobre 2027"
    assert words[3] == "de mars 2027" and words[1] == "de janvier 2027"
    assert sum(w.startswith("d’") for w in words.values()) == 3


def test_a_french_list_has_et_before_its_last_item():
    assert fmt.listing([]) == "" and fmt.listing(["a"]) == "a"
    assert fmt.listing(["a", "b"]) == "a et b" and fmt.listing(["a", "", "b", "c"]) == "a, b et c"
    # an item with its own « et » (Vauvert's conditions): the last after « , ainsi que », never « … et … et … »
    steps = ["étude du potentiel", "maîtrise du foncier et des copropriétés", "saisine et accord de l'ANCT"]
    assert fmt.listing(steps) == (
        "étude du potentiel, maîtrise du foncier et des copropriétés, ainsi que saisine et accord de l'ANCT"
    )
    assert fmt.listing(["« Permis et auto-école »", "« Forum »"]) == "« Permis et auto-école » et « Forum »"


def test_the_workshop_sentence_names_its_split_actions_with_et():
    """« Avis partagés sur les actions « Permis… », « Restructuration… ». » lacked its « et »."""
    from dataclasses import replace

    from report_factories import build_diagnostic

    from toolkit.report.votes import atelier_view

    diag = build_diagnostic(sample="carcassonne")
    # a room split on two actions (the samples' rooms, since the December 2026 rule, split on enjeux only)
    actions = [v.objet for v in diag.votes if v.kind == "action"][:2]
    assert len(actions) == 2
    votes = tuple(replace(v, dissensus=v.dissensus or v.objet in actions) for v in diag.votes)
    view = atelier_view(replace(diag, votes=votes))
    assert view is not None
    split = [a.libelle for a in view.actions if a.dissensus]
    assert len(split) >= 2
    assert f"«\u00a0{split[-2]}\u00a0» et «\u00a0{split[-1]}\u00a0»" in view.synthese

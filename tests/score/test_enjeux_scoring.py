"""Indicator and enjeu scores: declared bounds, orientation, unscored reasons, re-weighting, levels."""

import pytest
from engine_factories import indicateur, vote
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalog import packaged_catalogue
from toolkit.config import EnjeuWeights
from toolkit.model import Cell, EnjeuLocal
from toolkit.report.wording import indicator_reason, part_detail
from toolkit.score.comparisons import DEFAULT_RELATIVE_BOUND
from toolkit.score.enjeux import level, score_enjeux, score_indicator
from toolkit.score.votes import summarize_votes

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_gap_equal_to_declared_bound_is_fully_acute():
    # CHOMAGE_15_64 declares ecart_critique = 10 points
    assert score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT).score == 100.0
    assert score_indicator(indicateur("CHOMAGE_15_64", 12.5, 7.5), CAT).score == 75.0
    assert score_indicator(indicateur("CHOMAGE_15_64", 7.5, 7.5), CAT).score == 50.0
    assert score_indicator(indicateur("CHOMAGE_15_64", 0.0, 7.5), CAT).score == pytest.approx(12.5)
    assert score_indicator(indicateur("CHOMAGE_15_64", 60.0, 7.5), CAT).score == 100.0  # clipped


def test_orientation_for_hausse_amelioration():
    # EMPLOI_15_64: higher is better, bound 20 points
    s = score_indicator(indicateur("EMPLOI_15_64", 44.7, 64.7), CAT)
    assert s.score == 100.0 and s.ecart == pytest.approx(-20) and s.ecart_relatif > 0


def test_perso_indicator_uses_documented_relative_bound():
    ind = indicateur("PERSO_ACCES_WIFI", 30.0, 40.0, enjeu="ATTRACTIVITE", sens="hausse = amélioration")
    s = score_indicator(ind, CAT)
    assert s.ecart_relatif == pytest.approx(0.25)
    assert s.score == pytest.approx(50 + 50 * 0.25 / DEFAULT_RELATIVE_BOUND)


@pytest.mark.parametrize(
    "q, r, reason",
    [(None, 7.5, "valeur-quartier-manquante"), (20.0, None, "reference-manquante")],
)
def test_missing_values_are_shown_not_scored(q, r, reason):
    s = score_indicator(indicateur("CHOMAGE_15_64", q, r), CAT)
    assert s.score is None and s.reason_not_scored == reason  # a code: the report words it
    assert indicator_reason(reason) in ("valeur du quartier manquante", "aucune valeur de comparaison")


def test_perso_with_zero_reference_is_not_scored():
    s = score_indicator(indicateur("PERSO_X", 3.0, 0.0, enjeu="EMPLOI"), CAT)
    assert s.score is None and s.reason_not_scored == "reference-nulle"
    assert "référence nulle" in indicator_reason(s.reason_not_scored)


@settings(max_examples=60, deadline=None)
@given(q=st.floats(-1e6, 1e6), r=st.floats(-1e6, 1e6))
def test_indicator_score_bounded(q, r):
    s = score_indicator(indicateur("CHOMAGE_15_64", q, r), CAT)
    if s.score is None:  # a reference ten times the quartier's (or a tenth): implausible, never scored
        assert s.reason_not_scored == "reference-invraisemblable" and s.a_verifier
    else:
        assert 0.0 <= s.score <= 100.0


def _enjeu(code, scored, locals_=(), votes=(), weights=EnjeuWeights()):
    enjeux, missing = score_enjeux(scored, locals_, summarize_votes(votes), weights, CAT)
    return {e.code: e for e in enjeux}.get(code), missing


def test_three_sources_with_default_weights():
    scored = [score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT)]  # 100
    local = [EnjeuLocal("EMPLOI", 3, cell=Cell("Enjeux", "B4"))]  # 50
    votes = [vote("A", "EMPLOI", 1), vote("B", "EMPLOI", 1), vote("C", "EMPLOI", 1)]  # 0, three voters
    e, _ = _enjeu("EMPLOI", scored, local, votes)
    assert e.score == pytest.approx(0.5 * 100 + 0.3 * 50 + 0.2 * 0)
    assert [p.effective_weight for p in e.parts] == pytest.approx([0.5, 0.3, 0.2])
    assert e.coverage == pytest.approx(1 / 7)  # 1 of the 7 EMPLOI catalogue indicators
    assert Cell("Enjeux", "B4") in e.cells and Cell("Indicateurs", "C4") in e.cells


def test_missing_source_is_reweighted_and_said():
    scored = [score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT)]
    e, _ = _enjeu("EMPLOI", scored, [EnjeuLocal("EMPLOI", 1)])
    parts = {p.name: p for p in e.parts}
    assert parts["indicateurs"].effective_weight == pytest.approx(0.5 / 0.8)
    assert parts["votes"].value is None and parts["votes"].effective_weight == 0
    assert "reporté" in part_detail(parts["votes"])
    assert e.score == pytest.approx(100 * 0.5 / 0.8)


def test_zero_weight_removes_a_source():
    scored = [score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT)]
    e, _ = _enjeu("EMPLOI", scored, [EnjeuLocal("EMPLOI", 1)], weights=EnjeuWeights(1, 0, 0))
    assert e.score == 100.0


def test_context_indicators_do_not_score_an_enjeu_and_empty_enjeux_are_listed():
    scored = [score_indicator(indicateur("PAUVRETE", 45.0, 14.6), CAT)]
    enjeux, missing = score_enjeux(scored, (), {}, EnjeuWeights(), CAT)
    assert enjeux == () and len(missing) == 10


def test_unscored_indicator_counts_in_detail_not_in_score():
    scored = [
        score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT),
        score_indicator(indicateur("DEFM_LONGUE_DUREE", 40.0, None), CAT),
    ]
    e, _ = _enjeu("EMPLOI", scored)
    d = e.parts[0].detail
    assert e.score == 100.0 and (d.scored, d.rows) == (1, 2) and e.indicateurs == ("CHOMAGE_15_64",)
    assert "1 indicateur noté" in part_detail(e.parts[0]) and ", 1 non noté" in part_detail(e.parts[0])


def test_ranking_and_levels():
    scored = [
        score_indicator(indicateur("CHOMAGE_15_64", 17.5, 7.5), CAT),
        score_indicator(indicateur("VACANCE_COMMERCIALE", 9.5, 9.5), CAT),
        score_indicator(indicateur("MENAGES_SANS_VOITURE", 0.0, 25.0), CAT),
    ]
    enjeux, _ = score_enjeux(scored, (), {}, EnjeuWeights(), CAT)
    assert [(e.code, e.rang, e.niveau) for e in enjeux] == [
        ("EMPLOI", 1, "fort"), ("COMMERCE", 2, "moyen"), ("MOBILITE", 3, "faible")
    ]  # fmt: skip
    assert level(60) == "fort" and level(59.9) == "moyen" and level(39.9) == "faible"


def test_dissensus_and_vote_fields_are_carried():
    votes = [vote(p, "COMMERCE", n) for p, n in zip("ABCD", [1, 1, 5, 5], strict=False)]
    e, _ = _enjeu("COMMERCE", [], votes=votes)
    assert e.dissensus and e.n_votes == 4 and e.vote_median == 3 and e.score == 50.0

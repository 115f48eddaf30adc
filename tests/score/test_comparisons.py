"""Comparisons that discriminate: among QPV and against the surroundings, not merely « is a QPV »."""

from __future__ import annotations

from dataclasses import replace

from engine_factories import indicateur

from toolkit.catalog import packaged_catalogue
from toolkit.score.comparisons import comparisons, indicator_position

CAT = packaged_catalogue()


def _place(ind):
    return indicator_position(comparisons(ind, CAT.indicator(ind.code)))


def test_two_qpv_far_from_france_are_told_apart_by_the_qpv_and_local_comparisons():
    # both are 15+ points worse than France (both would score 100 against France alone)
    a = replace(
        indicateur("CHOMAGE_15_64", 26.0, None), comparaisons=(("qpv", 18.3), ("commune", 14.0), ("france", 7.5))
    )
    b = replace(
        indicateur("CHOMAGE_15_64", 19.0, None), comparaisons=(("qpv", 18.3), ("commune", 17.0), ("france", 7.5))
    )
    (sa, base_a), (sb, base_b) = _place(a), _place(b)
    assert base_a == base_b == "qpv+environnement"
    assert sa > 75 and 50 < sb < 65  # a stands out among QPV and in its town; b is a « typical » QPV


def test_a_gap_is_kept_in_points_and_as_a_ratio():
    ind = replace(indicateur("CHOMAGE_15_64", 27.0, None), comparaisons=(("epci", 13.5),))
    (c,) = comparisons(ind, CAT.indicator(ind.code))
    assert c.echelle == "epci" and c.ecart == 13.5 and c.rapport == 2.0


def test_france_alone_is_flagged_as_such():
    ind = indicateur("CHOMAGE_15_64", 26.0, 7.5)  # Valeur référence, territory « France »
    ind = replace(ind, territoire_reference="France")
    score, base = _place(ind)
    assert base == "france" and score == 100.0


def test_a_favourable_position_among_qpv_scores_below_50():
    ind = replace(indicateur("EMPLOI_15_64", 45.0, None), comparaisons=(("qpv", 37.6),))
    score, base = _place(ind)
    assert base == "qpv" and score < 50  # « hausse = amélioration »: more employment than the QPV


def test_no_comparison_no_score():
    assert _place(indicateur("CHOMAGE_15_64", 26.0, None)) == (None, None)


def test_an_enjeu_without_data_is_a_objectiver_never_a_number():
    from datetime import date
    from pathlib import Path

    import toolkit as pe

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "vauvert.xlsx"
    d = pe.diagnose(pe.read(sample), today=date(2026, 12, 2))
    mobilite = next(e for e in d.enjeux if e.code == "MOBILITE")  # importance 5 and votes, no figure
    assert mobilite.a_objectiver and mobilite.rang > max(e.rang for e in d.enjeux if not e.a_objectiver)
    data = pe.to_json(d)
    record = next(e for e in data["enjeux"] if e["code"] == "MOBILITE")
    assert record["score"] is None and record["a_objectiver"] and record["score_percu"] is not None
    emploi = next(e for e in d.enjeux if e.code == "EMPLOI")
    assert not emploi.a_objectiver and emploi.illustratif  # the illustrative unemployment rate keeps its mark
    scores = [s.score for s in d.indicateurs if s.score is not None]
    assert len({round(x) for x in scores}) > 5 and sum(x >= 99.5 for x in scores) <= 2  # not all 100

"""Action scores: declared bounds, imputation, tiers, quick wins; no rank reversal, monotone, deterministic."""

import pytest
from engine_factories import acteur, action
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalog import packaged_catalogue
from toolkit.config import ActionWeights, Tiers
from toolkit.report.wording import criterion_text
from toolkit.score.actions import (
    CRITERIA,
    ActionContext,
    aggregate,
    cost_value,
    criteria,
    quick_win,
    score_actions,
    tier,
    tier_floor,
)
from toolkit.score.governance import partner_map

CTX = ActionContext(
    {"COMMERCE": 80.0, "ENTREPRENEURIAT": 40.0, "EMPLOI": 90.0, "MOBILITE": 60.0},
    partner_map([acteur("Ville", "Commune", 3), acteur("CCI", "Chambre consulaire", 2)]),
    packaged_catalogue(),  # what load_config gives without [catalogues]
)
CAT = CTX.catalogue
W, T = ActionWeights(), Tiers()


def crit(a, ctx=CTX, w=W):
    return {c.name: c for c in criteria(a, ctx, w)}


def test_criteria_on_declared_bounds():
    c = crit(
        action("COM_BOUTIQUE_ESSAI", impact=5, faisabilite=1, cout=10_000, prerequis=("Fait", "En cours", "À faire"))
    )
    assert c["pertinence"].normalised == pytest.approx(0.6)  # mean of COMMERCE 80 and ENTREPRENEURIAT 40
    assert c["impact"].normalised == 1.0 and c["faisabilite"].normalised == 0.0
    assert c["cout"].normalised == 1.0
    assert c["partenaires"].normalised == pytest.approx((1 + 2 / 3) / 2)
    assert c["prerequis"].normalised == pytest.approx(0.5) and (c["prerequis"].raw, c["prerequis"].of) == (1, 3)
    assert criterion_text(c["prerequis"]) == "1/3 faits"
    assert not any(x.imputed for x in c.values())


def test_cost_log_bounds():
    assert cost_value(5_000) == 1.0 and cost_value(2_000_000) == 0.0 and cost_value(5e6) == 0.0
    assert cost_value((10_000 * 2_000_000) ** 0.5) == pytest.approx(0.5)


def test_missing_inputs_are_neutral_and_flagged():
    c = crit(action("LIBRE", enjeux=("IMMOBILIER",), impact=None, faisabilite=None, cout=None, prerequis=("", "", "")))
    for name in CRITERIA:
        assert c[name].imputed and c[name].normalised == 0.5, name


def test_missing_cost_uses_catalogue_band_flagged():
    c = crit(action("COM_BOUTIQUE_ESSAI", cout=None))["cout"]
    assert c.imputed and c.band == "< 50 k€" and isinstance(c.raw, float) and 0 < c.normalised < 1
    assert criterion_text(c).startswith("≈ ") and "(bande catalogue < 50 k€)" in criterion_text(c)


def test_all_sans_objet_prerequisites_are_neutral_not_the_maximum():
    """Issue 22: « Sans objet » everywhere says nothing about readiness; it must not beat an action whose
    prerequisites are really done."""
    c = crit(action(prerequis=("Sans objet", "Sans objet", "Sans objet")))["prerequis"]
    done = crit(action(prerequis=("Fait", "Fait", "Fait")))["prerequis"]
    assert c.normalised == 0.5 and not c.imputed and c.of == 0
    assert done.normalised == 1.0 > c.normalised


def test_sans_objet_excluded_from_mean():
    c = crit(action(prerequis=("Fait", "Sans objet", "À faire")))["prerequis"]
    assert c.normalised == 0.5


def test_zero_weight_removes_criterion_influence():
    w = ActionWeights(pertinence=0.3, impact=0.0, faisabilite=0.2, cout=0.1, partenaires=0.2, prerequis=0.2)
    low, high = action(impact=1), action(impact=5)
    assert aggregate(criteria(low, CTX, w)) == aggregate(criteria(high, CTX, w))


def test_tiers_and_quick_win():
    assert (T.niveau1, T.niveau2) == (70, 55)  # documented defaults (docs/methode.md)
    assert (tier(70, T), tier(69.99, T), tier(55, T), tier(54.9, T)) == (1, 2, 2, 3)
    assert quick_win(action(faisabilite=4, cout=49_999), CAT)
    assert not quick_win(action(faisabilite=4, cout=50_000), CAT)
    assert not quick_win(action(faisabilite=3, cout=1_000), CAT)
    assert quick_win(action("COM_BOUTIQUE_ESSAI", faisabilite=5, cout=None), CAT)  # band « < 50 k€ »
    assert not quick_win(action("IMMO_PEPINIERE", faisabilite=5, cout=None), CAT)
    assert not quick_win(action("LIBRE", faisabilite=5, cout=None), CAT)


def test_ended_programme_never_priority_one():
    ended = action("EMP_EMPLOIS_FRANCS", impact=5, faisabilite=5, cout=1_000)
    (s,) = score_actions([ended], CTX, W, T)
    assert tier(s.score, T) < 3  # its score alone would rank it higher…
    assert s.priorite == 3  # …but an ended national programme is capped (docs/methode.md)
    assert tier_floor(ended, CAT) == 3 and tier_floor(action("MOB_PERMIS"), CAT) == 1


def test_ranking_ties_keep_sheet_order():
    a, b = action(row=7), action(row=8)
    ranked = score_actions([a, b], CTX, W, T)
    assert [s.action.cell.ref for s in ranked] == ["A7", "A8"] and [s.rang for s in ranked] == [1, 2]


codes = st.sampled_from(["COM_BOUTIQUE_ESSAI", "EMP_TZCLD", "MOB_PERMIS", "IMMO_PEPINIERE", "LIBRE"])
notes = st.one_of(st.none(), st.integers(1, 5))
statuses = st.sampled_from(["Fait", "En cours", "À faire", "Sans objet", ""])
actions_st = st.builds(
    lambda code, i, f, cost, p, row: action(code, row=row, impact=i, faisabilite=f, cout=cost, prerequis=p),
    codes, notes, notes, st.one_of(st.none(), st.floats(0, 5e6)), st.tuples(statuses, statuses, statuses),
    st.integers(4, 200),
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(actions_st, min_size=1, max_size=8), actions_st)
def test_no_rank_reversal_when_an_action_is_added(existing, extra):
    before = score_actions(existing, CTX, W, T)
    after = score_actions([*existing, extra], CTX, W, T)
    score_of = {id(s.action): s.score for s in after}
    for s in before:
        assert score_of[id(s.action)] == s.score
    # relative order of the existing actions is unchanged
    order_before = [id(s.action) for s in before]
    order_after = [id(s.action) for s in after if id(s.action) in set(order_before)]
    assert order_after == order_before


@settings(max_examples=40, deadline=None)
@given(st.lists(actions_st, min_size=2, max_size=8), st.data())
def test_no_rank_reversal_when_an_action_is_removed(existing, data):
    i = data.draw(st.integers(0, len(existing) - 1))
    full = score_actions(existing, CTX, W, T)
    kept = score_actions(existing[:i] + existing[i + 1 :], CTX, W, T)
    expected = [id(s.action) for s in full if s.action is not existing[i]]
    assert [id(s.action) for s in kept] == expected


@settings(max_examples=40, deadline=None)
@given(actions_st, st.integers(1, 4), st.sampled_from(["impact", "faisabilite"]))
def test_monotone_in_impact_and_feasibility(a, low, field):
    from dataclasses import replace

    lower = aggregate(criteria(replace(a, **{field: low}), CTX, W))
    higher = aggregate(criteria(replace(a, **{field: low + 1}), CTX, W))
    assert higher > lower


@settings(max_examples=40, deadline=None)
@given(st.lists(actions_st, min_size=1, max_size=6))
def test_deterministic_and_bounded(acts):
    one, two = score_actions(acts, CTX, W, T), score_actions(acts, CTX, W, T)
    assert [(s.score, s.rang, s.priorite) for s in one] == [(s.score, s.rang, s.priorite) for s in two]
    assert all(0 <= s.score <= 100 for s in one)
    assert sorted(s.rang for s in one) == list(range(1, len(acts) + 1))

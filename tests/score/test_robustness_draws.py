"""Robustness: reproducible Dirichlet draws, zero weights stay zero, probabilities consistent."""

import numpy as np
import pytest

from toolkit.config import RobustnessConfig, Tiers
from toolkit.score.robustness import draw_weights, robustness

CFG = RobustnessConfig(tirages=1000, concentration=60, top_n=2, graine=7, seuil_fragile=0.7)
W = [0.3, 0.2, 0.15, 0.1, 0.1, 0.15]


def test_draws_reproducible_with_seed_and_sum_to_one():
    a, b = draw_weights(W, CFG), draw_weights(W, CFG)
    assert a.shape == (1000, 6) and np.array_equal(a, b)
    assert np.allclose(a.sum(axis=1), 1.0)
    assert np.allclose(a.mean(axis=0), np.asarray(W) / sum(W), atol=0.01)
    other = draw_weights(W, RobustnessConfig(tirages=1000, graine=8))
    assert not np.array_equal(a, other)


def test_zero_weight_stays_zero():
    d = draw_weights([0.5, 0.0, 0.5, 0, 0, 0], CFG)
    assert np.all(d[:, 1] == 0) and np.all(d[:, 3:] == 0)


def test_all_zero_weights_refused():
    with pytest.raises(ValueError, match="strictement positive"):
        draw_weights([0, 0], CFG)


def test_clear_leader_is_robust_and_borderline_is_fragile():
    X = np.array([
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],   # 100: tier 1 whatever the weights
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],   # 0: tier 3 whatever the weights
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0],   # around 55 and dependent on weights: near a threshold
    ])  # fmt: skip
    base = (100 * X @ (np.asarray(W) / sum(W))).round(6)
    tiers = Tiers(60, 40)
    base_tiers = [1 if s >= 60 else 2 if s >= 40 else 3 for s in base]
    r = robustness(X, W, base_tiers, tiers, CFG)
    assert r[0].p_same_tier == 1.0 and r[0].rank_min == r[0].rank_max == 1 and not r[0].fragile
    assert r[1].p_same_tier == 1.0 and r[1].p_top_n == 0.0
    assert r[2].rank_min == 2 and r[2].rank_max == 2
    assert 0.0 <= r[2].p_same_tier <= 1.0


def test_borderline_action_flagged_fragile():
    X = np.array([[1.0, 0, 0, 0, 0, 0], [0, 1.0, 0, 0, 0, 0]])
    w = [0.5, 0.5, 0, 0, 0, 0]
    r = robustness(X, w, [1, 1], Tiers(50, 40), RobustnessConfig(tirages=2000, concentration=10, graine=1))
    assert r[0].fragile and 0.3 < r[0].p_same_tier < 0.7
    assert r[0].rank_min == 1 and r[0].rank_max == 2


def test_empty_matrix():
    assert robustness(np.zeros((0, 6)), W, [], Tiers(), CFG) == ()


def test_zero_concentration_does_not_crash():
    d = draw_weights(W, RobustnessConfig(tirages=50, concentration=0, graine=3))
    assert np.allclose(d.sum(axis=1), 1.0)

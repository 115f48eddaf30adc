"""How much the ranking depends on the weights: Monte Carlo draws of weights around the defaults.

Weights are drawn from a Dirichlet distribution centred on the configured weights (concentration κ:
α = κ·w, higher κ = closer to the defaults); criteria with a zero weight stay at zero. All draws are
scored at once (criteria matrix × weight matrix), so 2 000 draws on 30 actions take a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import RobustnessConfig, Tiers
from ..results import Robustness

#: A concentration of 0 (allowed by the configuration) would be undefined: it is raised to this floor.
MIN_CONCENTRATION = 0.01


def draw_weights(weights: Sequence[float], config: RobustnessConfig) -> np.ndarray:
    """(draws × criteria) weight matrix, rows summing to 1; reproducible with `config.graine`."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        raise ValueError("la somme des poids doit être strictement positive")
    w = w / total
    active = w > 0
    rng = np.random.default_rng(config.graine)
    out = np.zeros((max(1, int(config.tirages)), len(w)))
    kappa = max(float(config.concentration), MIN_CONCENTRATION)
    out[:, active] = rng.dirichlet(w[active] * kappa, size=out.shape[0])
    return out


def tiers_of(scores: np.ndarray, tiers: Tiers) -> np.ndarray:
    return np.where(scores >= tiers.niveau1, 1, np.where(scores >= tiers.niveau2, 2, 3))


def robustness(
    matrix: np.ndarray,
    weights: Sequence[float],
    base_tiers: Sequence[int],
    tiers: Tiers,
    config: RobustnessConfig,
    floors: Sequence[int] | None = None,
) -> tuple[Robustness, ...]:
    """Per action (row of `matrix`): P(same tier), P(top N), rank range, fragile if P(same tier) < threshold.

    `floors` caps the best tier an action may reach (see `score.actions.tier_floor`), as in the base ranking.
    """
    n = matrix.shape[0]
    if n == 0:
        return ()
    draws = draw_weights(weights, config)
    scores = 100.0 * matrix @ draws.T  # actions × draws
    drawn_tiers = tiers_of(scores, tiers)
    if floors is not None:
        drawn_tiers = np.maximum(drawn_tiers, np.asarray(floors)[:, None])
    same = (drawn_tiers == np.asarray(base_tiers)[:, None]).mean(axis=1)
    order = np.argsort(-scores, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, n + 1)[:, None].repeat(scores.shape[1], axis=1), axis=0)
    top_n = min(int(config.top_n), n)
    p_top = (ranks <= top_n).mean(axis=1)
    rmin, rmax = ranks.min(axis=1), ranks.max(axis=1)
    return tuple(
        Robustness(
            p_same_tier=float(same[i]),
            p_top_n=float(p_top[i]),
            top_n=top_n,
            rank_min=int(rmin[i]),
            rank_max=int(rmax[i]),
            fragile=bool(same[i] < config.seuil_fragile),
        )
        for i in range(n)
    )

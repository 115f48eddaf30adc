"""Aggregating workshop votes (notes 1–5): median, spread, dissensus, and a Borda ranking.

Pure functions on plain values, shared by the diagnostic (votes on enjeux) and the workshop module.
A participant who voted twice on the same object counts once, with their last note (the sheet order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Vote
from ..results import ActionScore, EnjeuScore, VoteResult
from ..text import normalize_key

#: Dissensus (« avis partagés »): the room is split between low (≤ 2) and high (≥ 4) notes, at least this share
#: on each side. A spread on one side only (3 to 5: « important » to « très important ») is a difference of
#: degree, not a split room: until December 2026 an interquartile range of 2 sufficed, and one voter of nine
#: giving 2 made Vauvert's report say « avis partagés ».
DISSENSUS_SPLIT_SHARE = 0.25


@dataclass(frozen=True)
class VoteSummary:
    objet: str
    n: int
    median: float
    q1: float
    q3: float
    share_low: float  # share of notes ≤ 2
    share_high: float  # share of notes ≥ 4
    dissensus: bool

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def score(self) -> float:
        """The median mapped on 0–100 (1 → 0, 5 → 100)."""
        return (self.median - 1.0) / 4.0 * 100.0


def summarize(objet: str, notes: Sequence[int | float]) -> VoteSummary | None:
    """Median, quartiles (linear interpolation) and dissensus of the notes given to one object."""
    if not notes:
        return None
    arr = np.asarray(notes, dtype=float)
    q1, med, q3 = (float(v) for v in np.percentile(arr, [25, 50, 75]))
    low = float(np.mean(arr <= 2))
    high = float(np.mean(arr >= 4))
    dissensus = len(arr) >= 2 and low >= DISSENSUS_SPLIT_SHARE and high >= DISSENSUS_SPLIT_SHARE
    return VoteSummary(objet, len(arr), med, q1, q3, low, high, dissensus)


def _last_votes(votes: Iterable[Vote]) -> dict[tuple[str, str], Vote]:
    """One vote per (participant, object): the last one read."""
    out: dict[tuple[str, str], Vote] = {}
    for v in votes:
        out[(normalize_key(v.participant), normalize_key(v.objet))] = v
    return out


def summarize_votes(votes: Iterable[Vote]) -> dict[str, VoteSummary]:
    """Summaries keyed by the object code as written upper-cased (enjeu or action code)."""
    notes: dict[str, list[int]] = {}
    for v in _last_votes(votes).values():
        notes.setdefault(v.objet.strip().upper(), []).append(v.note)
    return {k: s for k, vals in sorted(notes.items()) if (s := summarize(k, vals)) is not None}


def borda(votes: Iterable[Vote], objets: Iterable[str] | None = None) -> tuple[tuple[str, float], ...]:
    """Borda ranking: each participant gives an object one point per object they rated lower (½ per tie).

    It uses each participant's own scale (a severe voter weighs as much as a generous one). `objets`
    restricts the count to those objects (e.g. only enjeux). Sorted by points, then code.
    """
    keep = {o.strip().upper() for o in objets} if objets is not None else None
    by_participant: dict[str, dict[str, int]] = {}
    for (p, _), v in _last_votes(votes).items():
        code = v.objet.strip().upper()
        if keep is None or code in keep:
            by_participant.setdefault(p, {})[code] = v.note
    points: dict[str, float] = {}
    for notes in by_participant.values():
        for code, note in notes.items():
            lower = sum(1 for n in notes.values() if n < note)
            ties = sum(1 for n in notes.values() if n == note) - 1
            points[code] = points.get(code, 0.0) + lower + 0.5 * ties
    return tuple(sorted(points.items(), key=lambda kv: (-kv[1], kv[0])))


# ------------------------------------------------------------------ per-object results of a workshop
# Objects are ranked by Borda within their kind (enjeux with enjeux, actions with actions), so that a
# workshop that scored only some actions is not compared with the data-driven ranking of all of them.


def borda_ranks(votes: Sequence[Vote], keys: Iterable[str]) -> dict[str, tuple[float, int]]:
    """Upper-cased key -> (Borda points, rank); equal points share the better rank."""
    ranking = borda(votes, keys)
    out: dict[str, tuple[float, int]] = {}
    rank, previous = 0, None
    for i, (code, points) in enumerate(ranking, start=1):
        if points != previous:
            rank, previous = i, points
        out[code] = (points, rank)
    return out


def vote_results(
    votes: Sequence[Vote],
    enjeux: Sequence[EnjeuScore],
    actions: Sequence[ActionScore],
    labels: Mapping[str, str] | None = None,
) -> tuple[VoteResult, ...]:
    """One result per object that received at least one vote, enjeux (by rank) then actions (by rank).

    `labels` (enjeu code -> label, the catalogue's): votes on an enjeu left unevaluated (its only source was
    votes from too few voters, which do not count) are still shown, after the evaluated ones."""
    if not votes:
        return ()
    summaries = summarize_votes(votes)
    enjeu_keys: dict[str, EnjeuScore | tuple[str, str]] = {e.code.upper(): e for e in enjeux}
    for code, label in (labels or {}).items():
        enjeu_keys.setdefault(code.upper(), (code, label))
    action_keys = {a.key.upper(): a for a in actions}
    enjeu_borda = borda_ranks(votes, enjeu_keys)
    action_borda = borda_ranks(votes, action_keys)
    results: list[VoteResult] = []
    for key, e in enjeu_keys.items():
        s = summaries.get(key)
        if s is not None:
            pts, rank = enjeu_borda.get(key, (None, None))
            code, label = (e.code, e.libelle) if isinstance(e, EnjeuScore) else e
            results.append(VoteResult(code, "enjeu", label, s.n, s.median, s.iqr, s.dissensus, pts, rank))
    for key, a in action_keys.items():
        s = summaries.get(key)
        if s is not None:
            title = (a.action.intitule or a.libelle_catalogue or a.key).strip()
            pts, rank = action_borda.get(key, (None, None))
            results.append(VoteResult(a.key, "action", title, s.n, s.median, s.iqr, s.dissensus, pts, rank))
    return tuple(results)

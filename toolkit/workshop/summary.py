"""The workshop results of a diagnostic: per object, median, spread, voters, dissensus and Borda rank.

    results = vote_results(workbook.votes, enjeux, actions)   # tuple[VoteResult, ...], enjeux first

Aggregation itself is `toolkit.score.votes` (shared with the enjeu scores); this module only names the
objects and ranks them by Borda within their kind (enjeux with enjeux, actions with actions), so that a
workshop that scored only some actions is not compared with the data-driven ranking of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Vote
from ..results import ActionScore, EnjeuScore, VoteResult
from ..score.votes import borda, summarize_votes


def _borda_ranks(votes: Sequence[Vote], keys: Iterable[str]) -> dict[str, tuple[float, int]]:
    """Upper-cased key -> (Borda points, rank); equal points share the better rank."""
    ranking = borda(votes, keys)
    out: dict[str, tuple[float, int]] = {}
    rank, previous = 0, None
    for i, (code, points) in enumerate(ranking, start=1):
        if points != previous:
            rank, previous = i, points
        out[code] = (points, rank)
    return out


def vote_results(votes: Sequence[Vote], enjeux: Sequence[EnjeuScore],
                 actions: Sequence[ActionScore]) -> tuple[VoteResult, ...]:
    """One result per object that received at least one vote, enjeux (by rank) then actions (by rank)."""
    if not votes:
        return ()
    summaries = summarize_votes(votes)
    enjeu_keys = {e.code.upper(): e for e in enjeux}
    action_keys = {a.key.upper(): a for a in actions}
    enjeu_borda = _borda_ranks(votes, enjeu_keys)
    action_borda = _borda_ranks(votes, action_keys)
    results: list[VoteResult] = []
    for key, e in enjeu_keys.items():
        s = summaries.get(key)
        if s is not None:
            pts, rank = enjeu_borda.get(key, (None, None))
            results.append(VoteResult(e.code, "enjeu", e.libelle, s.n, s.median, s.iqr, s.dissensus, pts, rank))
    for key, a in action_keys.items():
        s = summaries.get(key)
        if s is not None:
            title = (a.action.intitule or a.libelle_catalogue or a.key).strip()
            pts, rank = action_borda.get(key, (None, None))
            results.append(VoteResult(a.key, "action", title, s.n, s.median, s.iqr, s.dissensus, pts, rank))
    return tuple(results)

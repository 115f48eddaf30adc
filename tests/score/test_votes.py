"""Vote aggregation: median, IQR, dissensus, Borda; duplicates count once."""

import pytest
from engine_factories import vote

from toolkit.score.votes import borda, summarize, summarize_votes


def test_median_quartiles_and_score():
    s = summarize("EMPLOI", [5, 5, 4, 5, 4, 5])
    assert s.median == 5 and s.score == 100.0 and s.n == 6
    assert s.iqr == pytest.approx(0.75)
    assert not s.dissensus


def test_split_room_is_dissensus():
    s = summarize("COMMERCE", [1, 5, 2, 5, 1, 4])
    assert s.dissensus and s.share_low == 0.5 and s.share_high == 0.5


def test_a_spread_on_one_side_is_a_difference_of_degree_not_a_split_room():
    """Vauvert, December 2026 reading: one voter of nine gave 2, the others 3 to 5 (interquartile range 2): the
    report said « avis partagés » on 11 % of low notes. A split room needs a quarter on each side."""
    one_side = summarize("X", [2, 3, 3, 3, 4, 5, 5, 5, 5])
    assert one_side.iqr >= 2 and one_side.share_low < 0.25 and not one_side.dissensus
    assert summarize("X", [1, 1, 3, 3, 3, 5, 5, 5]).dissensus  # a quarter low, more than a quarter high


def test_consensus_in_the_middle_is_not_dissensus():
    s = summarize("X", [3, 3, 3, 4, 3])
    assert not s.dissensus and s.score == 50.0


def test_one_voter_never_dissensus_and_empty_is_none():
    assert not summarize("X", [1]).dissensus
    assert summarize("X", []) is None


def test_a_participant_voting_twice_counts_once_with_last_note():
    votes = [vote("Ana", "EMPLOI", 1), vote("ana ", "emploi", 5), vote("Bo", "EMPLOI", 5)]
    s = summarize_votes(votes)["EMPLOI"]
    assert s.n == 2 and s.median == 5


def test_borda_uses_each_participant_scale():
    votes = [
        vote("A", "EMPLOI", 2), vote("A", "COMMERCE", 1),  # severe voter still prefers EMPLOI
        vote("B", "EMPLOI", 5), vote("B", "COMMERCE", 4),
        vote("C", "EMPLOI", 3), vote("C", "COMMERCE", 3),
    ]  # fmt: skip
    ranking = dict(borda(votes))
    assert ranking == {"EMPLOI": 2.5, "COMMERCE": 0.5}
    assert borda(votes)[0][0] == "EMPLOI"


def test_borda_restricted_to_objects():
    votes = [vote("A", "EMPLOI", 2), vote("A", "COM_MANAGER", 5)]
    assert borda(votes, objets=["EMPLOI"]) == (("EMPLOI", 0.0),)

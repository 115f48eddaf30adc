"""Workshop results in the diagnostic and the report: median, spread, voters, dissensus, Borda, side by side."""

from __future__ import annotations

from dataclasses import replace

from engine_factories import action, vote, workbook

from toolkit.diagnostic import diagnose
from toolkit.report import render_html
from toolkit.report.votes import atelier_view
from toolkit.score.votes import vote_results


def _wb(votes):
    return workbook(actions=(action("COM_BOUTIQUE_ESSAI", row=7), action("MOB_PERMIS", row=8)), votes=tuple(votes))


def test_per_object_median_spread_voters_and_borda_within_kind():
    votes = [
        vote("A", "COMMERCE", 5, 4),
        vote("B", "COMMERCE", 4, 5),
        vote("C", "COMMERCE", 5, 6),
        vote("A", "EMPLOI", 2, 7),
        vote("B", "EMPLOI", 2, 8),
        vote("A", "MOB_PERMIS", 1, 9),
        vote("B", "MOB_PERMIS", 5, 10),
        vote("C", "MOB_PERMIS", 1, 11),
        vote("D", "MOB_PERMIS", 5, 12),
    ]
    diag = diagnose(_wb(votes))
    res = {r.objet: r for r in diag.votes}
    assert set(res) == {"COMMERCE", "EMPLOI", "MOB_PERMIS"}
    assert (res["COMMERCE"].n, res["COMMERCE"].median, res["COMMERCE"].kind) == (3, 5.0, "enjeu")
    assert res["EMPLOI"].iqr == 0 and not res["EMPLOI"].dissensus
    assert res["MOB_PERMIS"].kind == "action" and res["MOB_PERMIS"].dissensus  # a split room
    # Borda among enjeux: A and B both rate COMMERCE above EMPLOI
    assert (res["COMMERCE"].borda_rang, res["EMPLOI"].borda_rang) == (1, 2)
    assert res["MOB_PERMIS"].borda_rang == 1  # the only action voted on
    assert [r.kind for r in diag.votes] == sorted((r.kind for r in diag.votes), key=["enjeu", "action"].index)


def test_no_vote_no_result_and_no_report_block():
    diag = diagnose(_wb([]))
    assert diag.votes == () and atelier_view(diag) is None
    assert 'id="votes-atelier"' not in render_html(diag)


def test_ties_share_the_better_borda_rank():
    votes = [vote("A", "COMMERCE", 4, 4), vote("A", "EMPLOI", 4, 5), vote("A", "MOBILITE", 1, 6)]
    diag = diagnose(_wb(votes))
    ranks = {r.objet: r.borda_rang for r in diag.votes}
    assert ranks == {"COMMERCE": 1, "EMPLOI": 1, "MOBILITE": 3}
    assert vote_results((), diag.enjeux, diag.actions) == ()


def test_report_shows_data_and_perception_side_by_side():
    votes = [vote(p, "COMMERCE", n, 4 + i) for i, (p, n) in enumerate([("A", 1), ("B", 1), ("C", 2)])]
    votes += [vote("A", "COM_BOUTIQUE_ESSAI", 4, 9), vote("B", "COM_BOUTIQUE_ESSAI", 5, 10)]
    diag = diagnose(_wb(votes))
    view = atelier_view(diag)
    assert len(view.enjeux) == len(diag.enjeux)
    commerce = next(r for r in view.enjeux if r.libelle.startswith("Commerce"))
    assert (commerce.mediane, commerce.votants, commerce.borda) == ("1", "3", "1")
    assert [a.libelle for a in view.actions] == [
        next(s.action.intitule for s in diag.actions if s.key == "COM_BOUTIQUE_ESSAI")
    ]
    html = render_html(diag)
    block = html.split('id="votes-atelier"')[1].split("</section>")[0]
    for needle in ("Données", "Votes", "Médiane", "Votants", "Borda", commerce.libelle):
        assert needle in block
    emploi = next(e for e in diag.enjeux if e.code == "EMPLOI")  # indicators only: its row says no vote
    row = next(r for r in view.enjeux if r.libelle == emploi.libelle)
    assert row.votants == "0" and row.mediane == "—" and row.donnees != "—"


def test_divergence_flag_follows_the_gap_between_data_and_perception():
    # three voters: the votes count (issue 22: fewer are shown, not counted, and then say no perception)
    diag = diagnose(_wb([vote("A", "EMPLOI", 1, 4), vote("B", "EMPLOI", 1, 5), vote("C", "EMPLOI", 1, 6)]))
    emploi = next(e for e in diag.enjeux if e.code == "EMPLOI")
    data = next(p.value for p in emploi.parts if p.name == "indicateurs")
    row = next(r for r in atelier_view(diag).enjeux if r.libelle == emploi.libelle)
    assert row.a_discuter == (data is not None and abs(data - 0.0) >= 25)
    same = replace(diag, votes=())
    assert atelier_view(same) is None

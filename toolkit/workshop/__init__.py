"""The workshop (atelier): a kit to run it from a workbook, and the merge of the participants' scores.

    items = ballot_items(workbook)                         # what participants score: enjeux, then actions
    make_kit(workbook, "atelier/")                         # notation.xlsx, cartes.pdf, animateur.pdf
    plan = plan_merge(workbook, ["p1.xlsx", "p2.xlsx"])    # votes read and checked, nothing written
    write_merged(source, plan, "classeur-vote.xlsx")       # a NEW workbook with the votes appended

Aggregation itself (median, interquartile range, dissensus, Borda) lives in `toolkit.score.votes`, shared
with the diagnostic, as does `score.votes.vote_results` (Diagnostic.votes, shown beside the data-driven scores).
"""

from .items import BallotItem, ballot_items

__all__ = ["BallotItem", "ballot_items"]

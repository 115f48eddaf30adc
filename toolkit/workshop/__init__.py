"""The workshop (atelier): a kit to run it from a workbook, and the merge of the participants' scores.

    from toolkit.workshop import ballot_items, make_kit, plan_merge, write_merged
    cfg = load_config("pilier.toml")
    items = ballot_items(workbook, cfg.catalogue)          # what participants score: enjeux, then actions
    make_kit(workbook, "atelier/", config=cfg)             # notation.xlsx, cartes.pdf, animateur.pdf
    plan = plan_merge(workbook, ["p1.xlsx", "p2.xlsx"], False, cfg.limits, cfg.catalogue)  # read, checked
    write_merged(source, plan, "classeur-vote.xlsx")       # a NEW workbook with the votes appended

Aggregation itself (median, interquartile range, dissensus, Borda) lives in `toolkit.score.votes`, shared
with the diagnostic, as does `score.votes.vote_results` (Diagnostic.votes, shown beside the data-driven scores).

Imports are lazy: `toolkit.workshop.items` (the web page's ballot) does not load the kit's PDF stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .items import BallotItem, ballot_items
    from .kit import KitResult, make_kit
    from .merge import MergePlan, plan_merge, write_merged

_EXPORTS = {
    "BallotItem": "items",
    "ballot_items": "items",
    "KitResult": "kit",
    "make_kit": "kit",
    "MergePlan": "merge",
    "plan_merge": "merge",
    "write_merged": "merge",
}

__all__ = ["BallotItem", "KitResult", "MergePlan", "ballot_items", "make_kit", "plan_merge", "write_merged"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'toolkit.workshop' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)

"""Stable pseudonyms for workshop participants: `P01`, `P02`… in order of first appearance.

The method needs to know that two notes come from the same person (one vote per participant and object,
Borda ranks per participant), never who that person is. Names are matched loosely (case, accents, spaces),
so `Marie Dupont` and `marie  dupont` stay one participant; `anonyme` rows stay anonymous.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Workbook
from .text import normalize_key

ANONYMOUS = "anonyme"


def pseudonym_map(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Normalised name -> `P01`…; the same list always gives the same pseudonyms."""
    mapping: dict[str, str] = {}
    for name in names:
        key = normalize_key(name)
        if key and key != ANONYMOUS and key not in mapping:
            mapping[key] = f"P{len(mapping) + 1:02d}"
    return mapping


def pseudonymise_votes(workbook: Workbook) -> Workbook:
    """A copy of `workbook` whose `Votes` participants are replaced by pseudonyms (structures are kept)."""
    mapping = pseudonym_map([v.participant for v in workbook.votes])
    votes = tuple(replace(v, participant=mapping.get(normalize_key(v.participant), v.participant))
                  for v in workbook.votes)
    return replace(workbook, votes=votes)

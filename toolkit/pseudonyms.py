"""Stable pseudonyms for workshop participants: `P01`, `P02`… in order of first appearance.

The method needs to know that two notes come from the same person (one vote per participant and object,
Borda ranks per participant), never who that person is. Names are matched loosely (case, accents, spaces),
so `Marie Dupont` and `marie  dupont` stay one participant; `anonyme` rows stay anonymous. A name that is
already a pseudonym (`P05`, as written on a sheet of the workshop kit) is kept: the sheet handed out as P05
stays P05, and no one else receives that pseudonym when it is reserved beforehand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .model import Workbook
from .text import normalize_key

ANONYMOUS = "anonyme"
_PSEUDONYM = re.compile(r"p\d{2,3}")


def is_pseudonym(name: str) -> bool:
    """`P05`, `p05`: a name that is already a pseudonym of the kit."""
    return _PSEUDONYM.fullmatch(normalize_key(name)) is not None


class Pseudonymiser:
    """Hands out `P01`, `P02`… to names in order of first appearance, skipping pseudonyms in `reserved`
    (e.g. participants already recorded as `P01` in a workbook a workshop is merged into)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = {normalize_key(r) for r in reserved}
        self._next = 0
        self.mapping: dict[str, str] = {}  # normalised name -> pseudonym

    def __call__(self, name: str) -> str:
        key = normalize_key(name)
        if not key or key == ANONYMOUS:
            return name
        if key not in self.mapping and is_pseudonym(key):
            self.mapping[key] = key.upper()
            self._taken.add(key)
        if key not in self.mapping:
            while True:
                self._next += 1
                candidate = f"P{self._next:02d}"
                if normalize_key(candidate) not in self._taken:
                    break
            self.mapping[key] = candidate
        return self.mapping[key]


def pseudonym_map(names: Iterable[str]) -> dict[str, str]:
    """Normalised name -> `P01`…; the same list always gives the same pseudonyms; `P05` stays `P05`."""
    names = list(names)
    pseudo = Pseudonymiser(reserved=[n for n in names if is_pseudonym(n)])
    for name in names:
        pseudo(name)
    return pseudo.mapping


def pseudonymise_votes(workbook: Workbook) -> Workbook:
    """A copy of `workbook` whose `Votes` participants are replaced by pseudonyms (structures are kept)."""
    mapping = pseudonym_map([v.participant for v in workbook.votes])
    votes = tuple(
        replace(v, participant=mapping.get(normalize_key(v.participant), v.participant)) for v in workbook.votes
    )
    return replace(workbook, votes=votes)

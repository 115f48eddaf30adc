"""The governance questions of the workbook (`data/gouvernance.csv`): codes `GOUV01`…, one dimension each.

The template pre-fills the `Gouvernance` sheet from this file; the analysis groups answers by dimension.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..text import normalize_key
from ._csv import read_rows


@dataclass(frozen=True)
class QuestionDef:
    code: str
    question: str
    dimension: str
    aide: str | None = None  # why the question matters, shown as help in the workbook


@cache
def questions() -> tuple[QuestionDef, ...]:
    return tuple(
        QuestionDef(r["code"], r["question"], r["dimension"], r.get("aide")) for r in read_rows("gouvernance.csv")
    )


@cache
def _index() -> dict[str, QuestionDef]:
    return {normalize_key(q.code): q for q in questions()}


def question(code: str) -> QuestionDef | None:
    """A question by its code, tolerant to case and spaces (` gouv03 `)."""
    return _index().get(normalize_key(code))

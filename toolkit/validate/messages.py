"""Suggestions of near values for validation messages (`vouliez-vous dire : EMPLOI ?`).

The messages themselves, with their stable codes, live in `toolkit.problems` (one table for io, validate and
workshop); `docs/erreurs.md` explains each code and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to `word` ignoring case and accents (difflib), or None when none is near."""
    import difflib

    from ..text import normalize_key

    keyed = {normalize_key(c): c for c in candidates}
    near = difflib.get_close_matches(normalize_key(word), list(keyed), n=1, cutoff=0.6)
    return keyed[near[0]] if near else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` ; vouliez-vous dire « En cours » ?` for a list value, or ``."""
    near = closest(word, candidates)
    return f" ; vouliez-vous dire « {near} » ?" if near else ""


def suggestion(word: str, candidates: list[str] | tuple[str, ...], n: int = 3) -> str:
    """` ; vouliez-vous dire : A, B ?` with the nearest candidates (difflib), or ``."""
    import difflib

    from ..text import normalize_key

    keyed = {normalize_key(c): c for c in candidates}
    near = difflib.get_close_matches(normalize_key(word), list(keyed), n=n, cutoff=0.6)
    if not near:
        return ""
    return " ; vouliez-vous dire : " + ", ".join(keyed[k] for k in near) + " ?"

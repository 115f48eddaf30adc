"""Suggestions of near values for validation messages (`vouliez-vous dire : EMPLOI ?`).

The messages themselves, with their stable codes, live in `toolkit.problems` (one table for io, validate and
workshop); `docs/erreurs.md` explains each code and how to fix it.
"""

from __future__ import annotations

def suggestion(word: str, candidates: list[str] | tuple[str, ...], n: int = 3) -> str:
    """` ; vouliez-vous dire : A, B ?` with the nearest candidates (difflib), or ``."""
    import difflib

    from ..text import normalize_key

    keyed = {normalize_key(c): c for c in candidates}
    near = difflib.get_close_matches(normalize_key(word), list(keyed), n=n, cutoff=0.6)
    if not near:
        return ""
    return " ; vouliez-vous dire : " + ", ".join(keyed[k] for k in near) + " ?"

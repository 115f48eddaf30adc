"""Search-as-you-type over the packaged QPV list, for the pre-filled template (by QPV code, name or commune).

Reads only the public functions of `toolkit.catalog.qpv`, so codes added there (2024 geography) appear here.
"""

from __future__ import annotations

from functools import cache

from ..text import normalize_key


@cache
def _rows() -> tuple[tuple[str, str, str, str, str], ...]:
    """(code, name, commune, commune code, search key) for every packaged QPV."""
    from ..catalog import qpv

    communes = qpv.qp_communes()
    out = []
    for r in qpv.qpv_occitanie():
        c = communes.get(r.code.upper())
        commune = r.commune or (c.commune if c else "")
        code_commune = c.code_commune if c else ""
        key = normalize_key(" ".join((r.code, r.nom, commune, code_commune, c.communes_englobantes if c else "")))
        out.append((r.code, r.nom, commune, code_commune, key))
    return tuple(out)


def search(query: str, limit: int = 20) -> list[dict[str, str]]:
    """QPV whose code, name, commune name or INSEE commune code contain every word of `query`."""
    words = normalize_key(query[:100]).split()
    if not words:
        return []
    hits = [r for r in _rows() if all(w in r[4] for w in words)]
    hits.sort(
        key=lambda r: (not r[0].lower().startswith(words[0]), not normalize_key(r[2]).startswith(words[0]), r[2], r[1])
    )
    return [{"code": c, "nom": n, "commune": m, "code_commune": cc} for c, n, m, cc, _ in hits[:limit]]

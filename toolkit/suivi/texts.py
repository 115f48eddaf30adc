"""Repeated texts stored once (schema 3): a text goes into `textes` the first time, later rows refer to its id.

Why: a territory's vigilance messages, indicator labels and sources, action titles and configuration come
back almost unchanged every year; stored once, they stop being a third of the base.

A text is looked up by `empreinte` (64 bits of its SHA-256: a small integer key, indexed) and then compared
exactly, so a collision of the 64-bit key can never merge two different texts. Writers hold the base's write
lock (BEGIN IMMEDIATE on SQLite, the advisory lock on PostgreSQL), so two recordings never insert the same
text twice between lookup and insert.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from .schema import textes

_CHUNK = 500  # bound parameters per IN (…): far below SQLite's and PostgreSQL's limits


def text_key(text: str) -> int:
    """64 bits of the SHA-256 of the UTF-8 text, as a signed integer (PostgreSQL BIGINT)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def intern(conn: Connection, texts: Iterable[str | None], cache: dict[str, int]) -> dict[str, int]:
    """Ids of `texts` (None skipped), inserting the new ones; `cache` (text -> id) is read and filled."""
    missing = {t for t in texts if t is not None and t not in cache}
    if not missing:
        return cache
    _lookup(conn, missing, cache)
    new = sorted(t for t in missing if t not in cache)
    if new:
        conn.execute(insert(textes), [{"empreinte": text_key(t), "texte": t} for t in new])
        _lookup(conn, set(new), cache)
    return cache


def _lookup(conn: Connection, wanted: set[str], cache: dict[str, int]) -> None:
    keys = sorted({text_key(t) for t in wanted})
    for i in range(0, len(keys), _CHUNK):
        q = select(textes.c.id, textes.c.texte).where(textes.c.empreinte.in_(keys[i : i + _CHUNK]))
        for tid, txt in conn.execute(q):
            if txt in wanted:  # exact comparison: the key only narrows the search
                cache.setdefault(txt, tid)


def texts_by_id(conn: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    """The texts of these ids (None skipped)."""
    wanted = sorted({i for i in ids if i is not None})
    out: dict[int, str] = {}
    for i in range(0, len(wanted), _CHUNK):
        out.update(
            conn.execute(select(textes.c.id, textes.c.texte).where(textes.c.id.in_(wanted[i : i + _CHUNK]))).all()
        )
    return out

"""The enjeux of the economic pillar (`data/enjeux.csv`): the ten codes of the workbook contract."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..text import normalize_key
from ._csv import read_rows


@dataclass(frozen=True)
class EnjeuDef:
    code: str
    libelle: str
    description: str


@cache
def enjeux() -> tuple[EnjeuDef, ...]:
    return tuple(EnjeuDef(r["code"], r["libelle"], r.get("description") or "") for r in read_rows("enjeux.csv"))


@cache
def _index() -> dict[str, EnjeuDef]:
    out: dict[str, EnjeuDef] = {}
    for e in enjeux():
        out[normalize_key(e.code)] = e
        out[normalize_key(e.libelle)] = e
    return out


def enjeu_by_key(key: str) -> EnjeuDef | None:
    """Find an enjeu by code or by label, tolerantly (`commerce`, `Commerce et services de proximité`)."""
    return _index().get(normalize_key(key))

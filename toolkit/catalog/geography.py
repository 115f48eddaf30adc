"""QPV codes of the two geographies (2015: QP…, 2024: QN…) and one quartier's row of INSEE figures.

A leaf module: the packaged data (`qpv`) and the reader of INSEE's own layouts (`insee_file`) both build on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: 2015 geography: QP + department on 3 characters + 3 digits (QP034020, QP02A001).
QP_2015 = re.compile(r"^QP(\d{2}[\dAB]|97\d)\d{3}$")
#: 2024 geography (décret 2023-1314): QN + department on 3 characters + 2 digits + N|M|I (new, modified, kept).
QN_2024 = re.compile(r"^QN(\d{2}[\dAB]|97\d)\d{2}[NMI]$")


def geography(code: str | None) -> str | None:
    """« 2015 » or « 2024 » from the shape of a QPV code, None when it is neither."""
    text = (code or "").strip().upper()
    if QP_2015.match(text):
        return "2015"
    if QN_2024.match(text):
        return "2024"
    return None


def geographies(codes: Iterable[str]) -> set[str]:
    """The geographies ("2015", "2024") present among `codes`."""
    return {g for g in (geography(c) for c in codes) if g}


@dataclass(frozen=True)
class QpvRecord:
    code: str
    nom: str
    commune: str
    pop_mun: int | None
    values: dict[str, float | None] = field(hash=False, compare=False)  # numeric INSEE columns; None = secret
    code_commune: str | None = None  # INSEE code of the main commune, when the file gives it

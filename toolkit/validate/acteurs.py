"""The optional `Acteurs` sheet: organisations, their type, role, involvement (0-3) and signature.

Only organisations are asked for: an e-mail address or a phone number found in a cell is masked in the
model (`[coordonnées masquées]`) and flagged at its cell — without echoing it — so that no personal contact
data ends up in a report, its data-quality annex included.
"""

from __future__ import annotations

import re

from ..io.reader import RawSheet
from ..layout import ACTEURS, ACTOR_TYPE_ALIASES, ACTOR_TYPES, OUI_NON
from ..model import Acteur
from ..text import normalize_key
from .fields import Row
from .messages import did_you_mean
from .table import Collector, locate_table

COLUMNS = ACTEURS.columns
_YES = {"oui", "o", "x", "vrai", "true", "1", "yes"}
_NO = {"non", "n", "faux", "false", "0", "no"}
_PERSONAL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+33|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
MASK = "[coordonnées masquées]"
_FORMER_TYPES = {normalize_key(k) for k in ACTOR_TYPE_ALIASES}


def mask_personal(text: str | None) -> str | None:
    """`text` with e-mail addresses and phone numbers replaced by MASK."""
    return _PERSONAL.sub(MASK, text) if text else text


def read_acteurs(sheet: RawSheet, out: Collector) -> tuple[Acteur, ...]:
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    result = []
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        structure = row.required_text("structure")
        if row.blank("type"):
            kind = None
            row.error("valeur-manquante", "type", expected=" | ".join(ACTOR_TYPES))
        else:
            kind = _actor_type(row)
        implication = row.scale("implication", 0, 3)
        signataire = _yes_no(row)
        for key in ("structure", "role"):
            if _PERSONAL.search(row.text(key) or ""):
                row.warn(
                    "donnee-personnelle",
                    key,
                    found=MASK,
                    expected="le nom d'une organisation, sans coordonnées personnelles (masquées dans le rapport)",
                )
        if not row.ok or structure is None or kind is None:
            continue
        result.append(
            Acteur(
                mask_personal(structure) or structure,
                kind,
                mask_personal(row.text("role")),
                implication,
                signataire,
                row.cell("structure"),
            )
        )
        out.rows_used += 1
    return tuple(result)


def _actor_type(row: Row) -> str | None:
    """The type from the list; a former label (`Service public de l'emploi`) is read as today's type with a
    notice, so that a workbook filled before the change still reads."""
    kind = row.choice("type", ACTOR_TYPES, ACTOR_TYPE_ALIASES)
    text = row.text("type") or ""
    if kind is not None and normalize_key(text) in _FORMER_TYPES:
        row.warn("libelle-ancien", "type", nouveau=kind, found=text, expected=f"« {kind} »")
    return kind


def _yes_no(row: Row) -> bool | None:
    value = row.raw("signataire")
    if isinstance(value, bool):
        return value
    text = row.text("signataire")
    if text is None:
        return None
    key = normalize_key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    row.error(
        "valeur-hors-liste",
        "signataire",
        found=text,
        expected=" | ".join(OUI_NON),
        suggestion=did_you_mean(text, OUI_NON),
    )
    return None

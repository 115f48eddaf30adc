"""The optional `Gouvernance` sheet: answers to the catalogue questions (`GOUV01`…)."""

from __future__ import annotations

from typing import get_args

from ..catalog.catalogue import Catalogue
from ..io.reader import RawSheet
from ..layout import GOUVERNANCE, REPONSES
from ..model import Reponse, ReponseGouvernance
from .fields import Row, report_cells
from .messages import suggestion
from .table import Collector, locate_table

COLUMNS = GOUVERNANCE.columns
#: an answer as read (spelled as in the contract) -> the same, typed as the model's answer
_REPONSE: dict[str | None, Reponse] = {r: r for r in get_args(Reponse)}
_ALIASES = {
    "nsp": "Ne sait pas",
    "ne sais pas": "Ne sait pas",
    "?": "Ne sait pas",
    "partiellement": "Partiel",
    "en partie": "Partiel",
    "o": "Oui",
    "n": "Non",
}


def read_gouvernance(sheet: RawSheet, out: Collector, catalogue: Catalogue) -> tuple[ReponseGouvernance, ...]:
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    result = []
    first_seen: dict[str, str] = {}
    unanswered: list[int] = []
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        code = row.text("code")
        definition = catalogue.question(code) if code else None
        if code is None:
            row.error("valeur-manquante", "code", expected="le code de la question (GOUV01…)")
        elif definition is None:
            row.error(
                "code-inconnu",
                "code",
                found=code,
                suggestion=suggestion(code, [q.code for q in catalogue.questions]),
                expected="un code de question du catalogue (GOUV01…)",
            )
        reponse = _REPONSE.get(row.choice("reponse", REPONSES, _ALIASES))
        if not row.ok or definition is None:
            continue
        if definition.code in first_seen:
            out.warn(
                "doublon",
                cell=row.cell("code"),
                quoi="Question",
                code=definition.code,
                premier=first_seen[definition.code],
            )
            continue
        first_seen[definition.code] = str(row.cell("code"))
        if reponse is None:
            unanswered.append(r)
        result.append(
            ReponseGouvernance(
                definition.code,
                row.text("question") or definition.question,
                reponse,
                row.text("commentaire"),
                row.cell("code"),
            )
        )
        out.rows_used += 1
    report_cells(out, table, "reponse", unanswered, code="reponse-manquante")
    return tuple(result)

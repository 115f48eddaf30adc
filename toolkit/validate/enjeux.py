"""The optional `Enjeux` sheet: how the local team rates each enjeu (importance 1-5, strengths, weaknesses)."""

from __future__ import annotations

from ..catalog.catalogue import Catalogue
from ..io.reader import RawSheet
from ..layout import ENJEUX
from ..model import EnjeuLocal
from .fields import Row, report_cells
from .messages import suggestion
from .table import Collector, locate_table

COLUMNS = ENJEUX.columns


def read_enjeux(sheet: RawSheet, out: Collector, catalogue: Catalogue) -> tuple[EnjeuLocal, ...]:
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    result: list[EnjeuLocal] = []
    first_seen: dict[str, str] = {}
    blanks: list[int] = []
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        text = row.text("enjeu")
        if text is None:
            row.error("valeur-manquante", "enjeu", expected="un code ou un libellé d'enjeu")
            continue
        found = catalogue.enjeu(text)
        if found is None:
            known = [e.code for e in catalogue.enjeux]
            row.error(
                "enjeu-inconnu",
                "enjeu",
                found=text,
                suggestion=suggestion(text, known),
                expected=", ".join(known),
            )
        importance = row.scale("importance", 1, 5)
        if not row.ok or found is None:
            continue
        if found.code in first_seen:
            out.warn("doublon", cell=row.cell("enjeu"), quoi="Enjeu", code=found.code, premier=first_seen[found.code])
            continue
        first_seen[found.code] = str(row.cell("enjeu"))
        if importance is None:
            blanks.append(r)
        result.append(
            EnjeuLocal(
                found.code,
                importance,
                row.text("atouts"),
                row.text("faiblesses"),
                row.text("commentaire"),
                row.cell("enjeu"),
            )
        )
        out.rows_used += 1
    if "importance" in table.columns:
        report_cells(out, table, "importance", blanks)
    return tuple(result)

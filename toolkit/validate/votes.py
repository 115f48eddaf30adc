"""The optional `Votes` sheet: one note (1-5) per participant and object (an enjeu or an action)."""

from __future__ import annotations

from ..catalog.catalogue import Catalogue
from ..io.reader import RawSheet
from ..layout import LIBRE, VOTES
from ..model import Action, Vote
from ..text import normalize_key
from .fields import Row
from .messages import suggestion
from .table import Collector, locate_table

COLUMNS = VOTES.columns
ANONYMOUS = "anonyme"


def read_votes(sheet: RawSheet, out: Collector, actions: tuple[Action, ...], catalogue: Catalogue) -> tuple[Vote, ...]:
    """`Objet` is resolved to an enjeu code, an action code (of the workbook or the catalogue), or the key of
    a local action of the workbook given by its title."""
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    by_title = {normalize_key(a.intitule): a.key for a in actions}
    by_title.update({normalize_key(a.intitule): a.code for a in catalogue.actions})
    workbook_codes = {normalize_key(a.code): a.code for a in actions if a.code != LIBRE}
    result = []
    first_seen: dict[tuple[str, str], str] = {}
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        text = row.text("objet")
        objet = None
        if text is None:
            row.error("valeur-manquante", "objet", expected="un code d'enjeu ou d'action")
        else:
            enjeu = catalogue.enjeu(text)
            action = catalogue.action(text)
            key = normalize_key(text)
            objet = (
                (enjeu.code if enjeu else None)
                or workbook_codes.get(key)
                or (action.code if action else None)
                or by_title.get(key)
            )
            if objet is None:
                candidates = [e.code for e in catalogue.enjeux] + [a.code for a in actions if a.code != LIBRE]
                row.error(
                    "objet-inconnu",
                    "objet",
                    found=text,
                    suggestion=suggestion(text, candidates),
                    expected="un code d'enjeu (EMPLOI…) ou un code d'action du classeur",
                )
        note = row.scale("note", 1, 5)
        if note is None and row.ok:
            row.error("valeur-manquante", "note", expected="une note de 1 à 5")
        if not row.ok or objet is None or note is None:
            continue
        participant = row.text("participant") or ANONYMOUS
        if participant != ANONYMOUS and (participant, objet) in first_seen:
            # the participant is named by its cell, never by its name: the report prints organisations only
            out.warn(
                "doublon",
                cell=row.cell("objet"),
                quoi=f"Vote du participant de {row.cell('participant')} sur",
                code=text,
                premier=first_seen[(participant, objet)],
            )
            continue
        first_seen[(participant, objet)] = str(row.cell("objet"))
        result.append(Vote(participant, row.text("structure"), objet, note, row.cell("objet")))
        out.rows_used += 1
    return tuple(result)

"""What a workshop scores: every enjeu of the catalogue, then every candidate action of the workbook.

The `objet` written on the scoring sheet is what the `Votes` sheet expects (workbook-v1): an enjeu code,
an action code, or — for a local action (`LIBRE`) — its title, which the reader resolves to that row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..catalog.catalogue import Catalogue
from ..layout import LIBRE
from ..model import Workbook
from ..text import normalize_key


@dataclass(frozen=True)
class BallotItem:
    kind: Literal["enjeu", "action"]
    objet: str  # as written in the `Objet` column
    libelle: str
    detail: str = ""  # one line for the cards: description, champ, enjeux visés
    key: str = ""  # enjeu code or action key in the workbook

    @property
    def kind_label(self) -> str:
        return "Enjeu" if self.kind == "enjeu" else "Action"


def ballot_items(workbook: Workbook, catalogue: Catalogue) -> tuple[BallotItem, ...]:
    items = [BallotItem("enjeu", e.code, e.libelle, e.description, e.code) for e in catalogue.enjeux]
    seen: set[str] = set()
    for a in workbook.actions:
        if a.code == LIBRE:
            objet = a.intitule.strip()
            libelle = objet
        else:
            objet = a.code
            d = catalogue.action(a.code)
            libelle = (a.intitule or (d.intitule if d else "") or a.code).strip()
        if normalize_key(objet) in seen or not objet:
            continue
        seen.add(normalize_key(objet))
        targets = ", ".join(e.libelle if (e := catalogue.enjeu(c)) else c for c in a.enjeux)
        detail = " — ".join(x for x in (a.champ, f"enjeux visés : {targets}" if targets else "") if x)
        items.append(BallotItem("action", objet, libelle, detail, a.key))
    return tuple(items)

"""Vigilance points as the report prints them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ...results import Diagnostic, VigilancePoint
from .. import formatting as fmt
from .. import wording
from ..records import vigilance_record
from .common import _title, deadline_reason
from .labels import OBJET_LABELS, VIGILANCE_LEVEL_LABEL
from .model import LiftRow, VigilanceItem


def _vigilance_item(p: VigilancePoint) -> VigilanceItem:
    v = vigilance_record(p)  # the same fields as the JSON and the results workbook
    return VigilanceItem(
        niveau=VIGILANCE_LEVEL_LABEL.get(v["niveau"], v["niveau"]),
        objet=OBJET_LABELS.get(v["objet"], v["objet"]),
        ref=v["ref"],
        message=fmt.text(v["message"]),
        cells=", ".join(v["cellules"]),
        # the body prints this very sentence (a prerequisite point is shortened there: the annex keeps it whole)
        corps=v["corps"] and p.rule != "prerequis-non-fait",
    )


def body_items(points: tuple[VigilancePoint, ...], numbers: list[int]) -> tuple[VigilanceItem, ...]:
    """The 5 to 8 points the body shows (`corps`, chosen by the plan layer), blocking first, with their
    number in the annex's full list."""
    shown = [(p, n) for p, n in zip(points, numbers, strict=True) if p.corps]
    shown.sort(key=lambda pn: (pn[0].niveau != "bloquant", pn[1]))
    return tuple(replace(_vigilance_item(p), numero=n, message=_short(p)) for p, n in shown)


_WORKBOOK_SHEET = re.compile(r" \((?:feuilles?|onglets?) [^)]*\)")


def _short(p: VigilancePoint) -> str:
    """The body's sentence: a prerequisite point names what to lift and when (why and who are in annex E and
    in the « à lever avant » table); every other point keeps its sentence."""
    if p.rule == "programme-modifie":  # the status, not the way out nor the source (annex E and F have both)
        name = fmt.text(p.data.get("action")) or p.ref
        return fmt.dates_in_words(
            f"« {name} » repose sur "
            f"{wording.programme_clause(fmt.text(p.data.get('statut')), short=True, etat=p.data.get('etat'))}."
        )
    if p.rule != "prerequis-non-fait":
        # the workbook's sheets are the chargé de mission's business (annex E gives them with the cells)
        return _WORKBOOK_SHEET.sub("", fmt.text(vigilance_record(p)["message"]))
    d = p.data
    needs = [n for n in d.get("besoins", ()) if not n.get("a_confirmer")]
    what = " ; ".join(_lowered(fmt.text(n["quoi"])) for n in needs)  # after « : », no capital
    start = f" (démarrage au plus tôt en {fmt.month_year(d['debut'])})" if d.get("debut") else ""
    return f"Avant de lancer « {fmt.text(d.get('action'))} »{start} : {what}."


def _lowered(text: str) -> str:
    """« mobilisation des partenaires » inside a sentence; an acronym (« ANCT… », « CLE ») keeps its capitals."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def to_lift(diag: Diagnostic, limit: int = 8) -> tuple[LiftRow, ...]:
    """« À lever avant » : the prerequisites of the priority actions still to do — what, who, by when,
    for which action — earliest first (from the vigilance points' needs, dated by the roadmap)."""
    ranks = {a.key: a for a in diag.actions}
    rows: list[tuple[date, int, LiftRow]] = []
    for v in diag.vigilance:
        a = ranks.get(v.ref)
        if v.rule != "prerequis-non-fait" or a is None or a.priorite not in (1, 2):
            continue
        for n in v.data.get("besoins", ()):
            if n.get("a_confirmer"):
                continue
            fin = n.get("fin")
            when = f"d'ici {fmt.month_year(fin)}" if isinstance(fin, date) else "à planifier"
            who = fmt.text(n.get("qui")) or fmt.text(a.action.pilote) or "pilote à désigner"
            rows.append(
                (
                    fin if isinstance(fin, date) else date.max,
                    a.rang,
                    LiftRow(quoi=fmt.text(n["quoi"]), qui=who, quand=when, pour=_title(a)),
                )
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    return tuple(r for _, _, r in rows[:limit])


def delay_sentence(diag: Diagnostic) -> str:
    """One sentence on the overall delay, instead of one point per action (editorial.md §3)."""
    late = [a for a in diag.actions if a.en_retard]
    if not late:
        return "Aucune action n'est en retard : chaque échéance souhaitée reste tenable ou n'a pas été fixée."
    restart = min((a.debut for a in late if a.debut), default=None)
    today = diag.generated
    past = sum(1 for a in late if deadline_reason(a, today) == "passée")
    ahead = len(late) - past
    said = " et ".join(
        part
        for part in (
            f"déjà passées pour {fmt.plural(past, 'action')}" if past else "",
            f"hors d'atteinte avec ce plan pour {fmt.plural(ahead, 'action')}" if ahead else "",
        )
        if part
    )
    return (
        f"Sur {fmt.plural(len(diag.actions), 'action')}, les échéances souhaitées au diagnostic sont {said}"
        " ; la feuille de route les replanifie"
        + (f" à partir {fmt.of(fmt.month_year(restart))}" if restart else "")
        + " (détail par action en annexe)."
    )

"""The `Actions` sheet: catalogue actions (by code) and local actions (`LIBRE` or empty code)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict, get_args

from ..catalog.actions import ActionDef
from ..catalog.catalogue import Catalogue
from ..io.reader import RawSheet
from ..layout import (
    ACTIONS,
    CHAMPS,
    LIBRE,
    NATURES_FINANCEMENT,
    PREREQUIS,
    PREREQUIS_KEYS,
    PREREQUIS_STATUSES,
    STATUTS_ACTION,
)
from ..model import Action, PrerequisStatus
from ..text import normalize_key
from .fields import Row, report_cells, split_list
from .messages import suggestion
from .table import Collector, locate_table

COLUMNS = ACTIONS.columns
#: a status as read (spelled as in the contract) -> the same, typed as the model's status
_STATUS: dict[str | None, PrerequisStatus] = {s: s for s in get_args(PrerequisStatus)}
_STATUS_ALIASES = {
    "n/a": "Sans objet",
    "na": "Sans objet",
    "so": "Sans objet",
    "non concerne": "Sans objet",
    "a faire": "À faire",
    "fait.": "Fait",
    "termine": "Fait",
    "en-cours": "En cours",
}


def read_actions(sheet: RawSheet, out: Collector, catalogue: Catalogue) -> tuple[Action, ...]:
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    result: list[Action] = []
    first_seen: dict[str, str] = {}
    blank_scores: dict[str, list[int]] = {"impact": [], "faisabilite": []}
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        action = _read_row(row, catalogue)
        if action is None or not row.ok:
            continue
        if action.code != LIBRE and action.code in first_seen:
            out.warn("doublon", cell=row.cell("code"), quoi="Action", code=action.code, premier=first_seen[action.code])
            continue
        first_seen.setdefault(action.code, str(row.cell("code")))
        for key in blank_scores:
            if row.blank(key):
                blank_scores[key].append(r)
        result.append(action)
        out.rows_used += 1
    for key, rows in blank_scores.items():
        if key in table.columns:
            report_cells(out, table, key, rows)
    return tuple(result)


def _read_row(row: Row, catalogue: Catalogue) -> Action | None:
    raw_code = row.text("code")
    definition = None
    if raw_code is None or normalize_key(raw_code) == "libre":
        code = LIBRE
    else:
        definition = catalogue.action(raw_code) or next(
            (a for a in catalogue.actions if normalize_key(a.intitule) == normalize_key(raw_code)), None
        )
        if definition is None:
            row.error(
                "code-inconnu",
                "code",
                found=raw_code,
                suggestion=suggestion(raw_code.upper().replace(" ", "_"), [a.code for a in catalogue.actions]),
                expected="un code d'action du catalogue, ou « LIBRE » (ou vide) pour une action locale",
            )
            return None
        code = definition.code
    why = "une action locale (code LIBRE ou vide)"
    intitule = row.text("intitule") or (definition.intitule if definition else row.required_text("intitule", why))
    if row.blank("champ"):
        champ = definition.champ if definition else row.required_text("champ", why)
    else:
        champ = row.choice("champ", CHAMPS)
    enjeux_vises = _enjeux(row, definition, why, catalogue)
    impact = row.scale("impact", 1, 5)
    faisabilite = row.scale("faisabilite", 1, 5)
    cout = row.number("cout")
    if cout is not None and cout.value < 0:
        row.error("hors-echelle", "cout", found=row.raw("cout"), expected="un montant positif en euros")
    prerequis: dict[str, PrerequisStatus] = {}
    for key, label in zip(PREREQUIS_KEYS, PREREQUIS, strict=True):
        status = _STATUS.get(row.choice(key, PREREQUIS_STATUSES, _STATUS_ALIASES))
        if status is not None:
            prerequis[label] = status
    echeance = row.echeance("echeance")
    follow_up = _follow_up(row)
    if not row.ok or intitule is None or champ is None or not enjeux_vises:
        return None
    return Action(
        code=code,
        intitule=intitule,
        champ=champ,
        enjeux=enjeux_vises,
        impact=impact,
        faisabilite=faisabilite,
        cout=cout.value if cout else None,
        pilote=row.text("pilote"),
        partenaires=split_list(row.text("partenaires")),
        prerequis=prerequis,
        echeance=echeance,
        commentaire=row.text("commentaire"),
        cell=row.cell("code"),
        cells={c.key: cell for c in COLUMNS if (cell := row.table.cell(row.row, c.key)) is not None},
        **follow_up,
    )


_STATUT_ALIASES = {
    "a venir": "à venir",
    "prevue": "à venir",
    "realise": "réalisée",
    "terminee": "réalisée",
    "terminé": "réalisée",
    "fait": "réalisée",
    "en-cours": "en cours",
    "suspendue": "en pause",
    "abandonne": "abandonnée",
}


class FollowUp(TypedDict):
    """The follow-up fields of `Action` read from the Suivi 2024–2030 columns."""

    cible_indicateur: str | None
    cible_valeur: float | None
    financeur: str | None
    nature_financement: str | None
    statut: str | None
    date_demarrage: date | None
    indicateur_resultat: str | None
    valeur_resultat: float | None
    note: str | None
    preuve: str | None
    budget_engage: float | None
    budget_realise: float | None


def _follow_up(row: Row) -> FollowUp:
    """The optional Suivi 2024–2030 columns; absent columns give None (contract v1 workbooks)."""
    statut = None
    if not row.blank("statut"):
        if normalize_key(row.text("statut") or "") == "en retard":
            row.error(
                "valeur-hors-liste",
                "statut",
                found=row.text("statut"),
                expected=" | ".join(STATUTS_ACTION) + " (« en retard » est calculé par pilier-eco : "
                "indiquez le statut réel, par ex. « à venir »)",
            )
        else:
            statut = row.choice("statut", STATUTS_ACTION, _STATUT_ALIASES)
    budgets: dict[str, float | None] = {}
    for key in ("budget_engage", "budget_realise"):
        parsed = row.number(key)
        if parsed is not None and parsed.value < 0:
            row.error("hors-echelle", key, found=row.raw(key), expected="un montant positif en euros")
        budgets[key] = parsed.value if parsed is not None and parsed.value >= 0 else None
    resultat = row.number("valeur_resultat")
    cible = row.number("cible_valeur")
    nature = row.choice(
        "nature_financement",
        NATURES_FINANCEMENT,
        {"credits specifiques": "Crédits spécifiques", "crédits politique de la ville": "Crédits spécifiques"},
    )
    return {
        "cible_indicateur": row.text("cible_indicateur"),
        "cible_valeur": cible.value if cible is not None else None,
        "financeur": row.text("financeur"),
        "nature_financement": nature,
        "statut": statut,
        "date_demarrage": row.date("date_demarrage"),
        "indicateur_resultat": row.text("indicateur_resultat"),
        "valeur_resultat": resultat.value if resultat is not None else None,
        "note": row.text("note_annee"),
        "preuve": row.text("preuve"),
        "budget_engage": budgets["budget_engage"],
        "budget_realise": budgets["budget_realise"],
    }


def _enjeux(row: Row, definition: ActionDef | None, why: str, catalogue: Catalogue) -> tuple[str, ...]:
    # labels may hold commas (« … (RSE, achats, clauses, mécénat) »): split on them only if needed
    items: list[str] = []
    for part in split_list(row.text("enjeux"), commas=False):
        items.extend((part,) if catalogue.enjeu(part) else split_list(part))
    if not items:
        if definition is not None:
            return definition.enjeux
        row.required_text("enjeux", why)
        return ()
    codes = []
    for item in items:
        found = catalogue.enjeu(item)
        if found is None:
            codes_known = [e.code for e in catalogue.enjeux]
            row.error(
                "enjeu-inconnu",
                "enjeux",
                found=item,
                suggestion=suggestion(item, codes_known),
                expected="des codes d'enjeu séparés par « ; » (" + ", ".join(codes_known) + ")",
            )
            continue
        codes.append(found.code)
    return tuple(dict.fromkeys(codes))

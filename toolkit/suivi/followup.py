"""The follow-up fields of a workbook row, read in one place.

Actions may carry a statut, a real start date, budgets engaged and realised, a result indicator and its
value, the note of the year and a link to evidence; indicators may carry a target (cible 2030). All are
optional: a contract v1 workbook has none of them and every field is then None.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..model import Action, Indicateur

ACTION_FIELDS = (
    "statut",
    "date_demarrage",
    "budget_engage",
    "budget_realise",
    "indicateur_resultat",
    "valeur_resultat",
    "note",
    "preuve",
    "financeur",
    "nature_financement",
)


def action_followup(action: Action) -> dict[str, Any]:
    """Follow-up fields of an action (None when the workbook has no such column or cell)."""
    out = {name: getattr(action, name, None) for name in ACTION_FIELDS}
    if not isinstance(out["date_demarrage"], date):
        out["date_demarrage"] = None
    return out


def indicator_target(indicateur: Indicateur) -> tuple[int | None, float | None]:
    """(target year, target value) of an indicator, or (None, None)."""
    return getattr(indicateur, "cible_annee", None), getattr(indicateur, "cible_valeur", None)

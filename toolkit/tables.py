"""A diagnostic as pandas tables, for notebooks: sort, filter, plot, compare two what-ifs.

    t = pe.tables(diag)
    t.actions.sort_values("Score", ascending=False).head()
    t.actions[["Action", "Score", "Coût"]]            # one column per criterion (0-100, 100 = best)

Column names are French, as a chargé de mission reads them; numbers stay numbers at full precision (the
report rounds, the tables do not), dates stay dates, a missing value is NaN/None. The codes (`Code`, `Clé`)
are kept so that two diagnostics of the same workbook can be joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import callable_module
from .results import Diagnostic

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Tables", "tables"]

#: Column of each action criterion: its French name (the report's), on 0-100 (100 = most favourable).
CRITERIA = {
    "pertinence": "Pertinence",
    "impact": "Impact",
    "faisabilite": "Faisabilité",
    "cout": "Coût",
    "partenaires": "Partenaires",
    "prerequis": "Prérequis",
}
_PARTS = {"indicateurs": "Indicateurs", "importance": "Importance perçue", "votes": "Votes"}


@dataclass(frozen=True)
class Tables:
    """The five tables of a diagnostic (pandas DataFrames, one row per item, in the report's order)."""

    enjeux: pd.DataFrame
    actions: pd.DataFrame
    indicateurs: pd.DataFrame
    vigilance: pd.DataFrame
    feuille_de_route: pd.DataFrame


def _enjeux(diag: Diagnostic) -> list[dict]:
    rows = []
    for e in diag.enjeux:
        parts: dict[str, float | None] = {p.name: p.value for p in e.parts}
        rows.append(
            {
                "Rang": e.rang,
                "Code": e.code,
                "Enjeu": e.libelle,
                "Score": e.score,
                "Niveau": e.niveau,
                **{label: parts.get(name) for name, label in _PARTS.items()},
                "Médiane des votes": e.vote_median,
                "Votants": e.n_votes,
                "Avis partagés": e.dissensus,
                "Couverture": e.coverage,
            }
        )
    return rows


def _actions(diag: Diagnostic) -> list[dict]:
    rows = []
    for s in diag.actions:
        crit = {c.name: c.normalised * 100 for c in s.criteria}
        r = s.robustness
        rows.append(
            {
                "Rang": s.rang,
                "Clé": s.key,
                "Code": s.action.code,
                "Action": s.label,
                "Champ": s.action.champ,
                "Enjeux visés": ", ".join(s.action.enjeux),
                "Score": s.score,
                "Priorité": s.priorite,
                "Gain rapide": s.quick_win,
                **{label: crit.get(name) for name, label in CRITERIA.items()},
                "Coût saisi (€)": s.action.cout,
                "Rang fragile": r.fragile if r else None,
                "Probabilité même priorité": r.p_same_tier if r else None,
            }
        )
    return rows


def _indicateurs(diag: Diagnostic) -> list[dict]:
    from .report.wording import indicator_reason

    return [
        {
            "Code": s.indicateur.code,
            "Indicateur": s.indicateur.libelle,
            "Enjeu": s.indicateur.enjeu,
            "Unité": s.indicateur.unite,
            "Quartier": s.indicateur.valeur_quartier,
            "Référence": s.indicateur.valeur_reference,
            "Territoire de référence": s.indicateur.territoire_reference,
            "Écart": s.ecart,
            "Score": s.score,
            "Année": s.indicateur.annee,
            "Source": s.indicateur.source,
            "Illustratif": s.indicateur.illustratif,
            "Non noté car": indicator_reason(s.reason_not_scored),
        }
        for s in diag.indicateurs
    ]


def _vigilance(diag: Diagnostic) -> list[dict]:
    from .report.wording import vigilance_message

    return [
        {
            "Niveau": p.niveau,
            "Objet": p.objet,
            "Référence": p.ref,
            "Règle": p.rule,
            "Message": vigilance_message(p),
            "Cellules": ", ".join(str(c) for c in p.cells),
        }
        for p in diag.vigilance
    ]


def _roadmap(diag: Diagnostic) -> list[dict]:
    return [
        {
            "Rang": s.rang,
            "Action": s.label,
            "Priorité": s.priorite,
            "Début": s.debut,
            "Fin": s.fin,
            "Pilote": s.action.pilote,
            "Partenaires": ", ".join(s.action.partenaires),
            "Échéance souhaitée": s.action.echeance.text if s.action.echeance else None,
            "Échéance tenue": s.echeance_tenue,
        }
        for s in sorted(diag.actions, key=lambda s: (s.debut is None, s.debut, s.rang))
    ]


def tables(diag: Diagnostic) -> Tables:
    """The diagnostic's enjeux, actions (one column per criterion), indicators, vigilance points and
    roadmap as DataFrames with French column names."""
    import pandas as pd

    def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=columns)

    return Tables(
        enjeux=frame(
            _enjeux(diag),
            [
                "Rang",
                "Code",
                "Enjeu",
                "Score",
                "Niveau",
                *_PARTS.values(),
                "Médiane des votes",
                "Votants",
                "Avis partagés",
                "Couverture",
            ],
        ),
        actions=frame(
            _actions(diag),
            [
                "Rang",
                "Clé",
                "Code",
                "Action",
                "Champ",
                "Enjeux visés",
                "Score",
                "Priorité",
                "Gain rapide",
                *CRITERIA.values(),
                "Coût saisi (€)",
                "Rang fragile",
                "Probabilité même priorité",
            ],
        ),
        indicateurs=frame(
            _indicateurs(diag),
            [
                "Code",
                "Indicateur",
                "Enjeu",
                "Unité",
                "Quartier",
                "Référence",
                "Territoire de référence",
                "Écart",
                "Score",
                "Année",
                "Source",
                "Illustratif",
                "Non noté car",
            ],
        ),
        vigilance=frame(_vigilance(diag), ["Niveau", "Objet", "Référence", "Règle", "Message", "Cellules"]),
        feuille_de_route=frame(
            _roadmap(diag),
            [
                "Rang",
                "Action",
                "Priorité",
                "Début",
                "Fin",
                "Pilote",
                "Partenaires",
                "Échéance souhaitée",
                "Échéance tenue",
            ],
        ),
    )


callable_module(__name__, tables)

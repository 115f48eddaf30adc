"""The history as pandas DataFrames, for notebooks and exports: one row per snapshot × indicator, × action.

    base = pe.open_base("suivi.sqlite")
    snaps = base.snapshots("Carcassonne")
    pe.indicators_history(snaps)      # instantane, date_situation, code, valeur_quartier, annee, source, cible…
    pe.actions_history(snaps)         # instantane, date_situation, cle, rang, statut, budgets, note…

Numbers stay numbers and dates stay dates; nothing is formatted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import pandas as pd

from .snapshot import ActionState, IndicatorFigure, Snapshot

_HEAD = ["territoire", "instantane", "date_situation", "annee_situation"]


def _frame(snaps: Sequence[Snapshot], attr: str, cls: type) -> pd.DataFrame:
    names = [f.name for f in fields(cls)]
    rows = [
        [s.territoire, s.id, s.date_situation, s.annee, *(getattr(x, n) for n in names)]
        for s in snaps
        for x in getattr(s, attr)
    ]
    frame = pd.DataFrame(rows, columns=_HEAD + names)
    return frame.astype({"instantane": "Int64", "annee_situation": "int64"}) if len(frame) else frame


def indicators_history(snaps: Sequence[Snapshot]) -> pd.DataFrame:
    return _frame(snaps, "indicateurs", IndicatorFigure)


def actions_history(snaps: Sequence[Snapshot]) -> pd.DataFrame:
    return _frame(snaps, "actions", ActionState)


def snapshots_frame(snaps: Sequence[Snapshot]) -> pd.DataFrame:
    rows = [
        {
            "territoire": s.territoire,
            "instantane": s.id,
            "date_situation": s.date_situation,
            "annee_situation": s.annee,
            "enregistre_le": s.enregistre_le,
            "fichier": s.fichier,
            "version_outil": s.version_outil,
            "version_classeur": s.version_classeur,
            "periode": f"{s.periode[0]}-{s.periode[1]}",
            "empreinte": s.empreinte,
            "configuration": s.configuration,
        }
        for s in snaps
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "territoire",
            "instantane",
            "date_situation",
            "annee_situation",
            "enregistre_le",
            "fichier",
            "version_outil",
            "version_classeur",
            "periode",
            "empreinte",
            "configuration",
        ],
    )

"""The plan and its history as XLSX and CSV, read back without loss (`read_xlsx` / `read_csv`).

Sheets: Plan (latest state of each action), Actions (snapshot × action: statut, pilote, dates, budgets, the
note of each year), Indicateurs (snapshot × indicator, with year and source), Instantanés. Text that a
spreadsheet could take for a formula gets a leading apostrophe (io/safe_cells), removed again on reading.

In the XLSX, the texts people wrote or read (`SHOWN_COLUMNS`: labels, titles, sources, pilots, notes of the year)
are in French typography (’, no-break spaces before : ; ! ? »), so `read_xlsx` gives them back that way;
headers (the column keys), codes, statuses, territory names, links and everything in the CSV stay as stored.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..io.output import atomic_write
from ..io.safe_cells import neutralise, restore
from ..io.xlsx_style import first_sheet
from ..typography import french_text
from .history import actions_history, indicators_history, snapshots_frame
from .snapshot import Snapshot

SHEETS = ("Plan", "Actions", "Indicateurs", "Instantanés")
_FILES = {
    "Plan": "plan.csv",
    "Actions": "actions.csv",
    "Indicateurs": "indicateurs.csv",
    "Instantanés": "instantanes.csv",
}
_DATE_COLUMNS = {"date_situation", "debut_prevu", "fin_prevue", "date_demarrage"}
_INT_COLUMNS = {"instantane", "annee_situation", "rang", "priorite", "annee", "cible_annee"}
#: Columns of free text shown to people: French typography in the XLSX (never in the CSV, which is data).
SHOWN_COLUMNS = {"libelle", "intitule", "territoire_reference", "source", "pilote", "indicateur_resultat", "note"}
_FLOAT_COLUMNS = {
    "score",
    "cout",
    "budget_engage",
    "budget_realise",
    "valeur_resultat",
    "valeur_quartier",
    "valeur_reference",
    "cible_valeur",
}


def frames(snaps: Sequence[Snapshot]) -> dict[str, pd.DataFrame]:
    acts = actions_history(snaps)
    plan = acts[acts["instantane"] == snaps[-1].id].drop(columns=["annee_situation"]) if len(acts) else acts
    return {
        "Plan": plan.reset_index(drop=True),
        "Actions": acts,
        "Indicateurs": indicators_history(snaps),
        "Instantanés": snapshots_frame(snaps),
    }


def csv_paths(directory: Path) -> list[Path]:
    return [directory / _FILES[s] for s in SHEETS]


def _cell(v: object, shown: bool = False) -> object:
    """A value ready for a cell; `shown`: a text people read, in French typography (before neutralising)."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        return v.item()
    return neutralise(french_text(v) if shown and isinstance(v, str) else v)


def write_xlsx(snaps: Sequence[Snapshot], path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    data = frames(snaps)

    def write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(first_sheet(wb))
        for name in SHEETS:
            df = data[name]
            ws = wb.create_sheet(name)
            ws.append(list(df.columns))
            shown = [c in SHOWN_COLUMNS for c in df.columns]
            for row in df.itertuples(index=False):
                ws.append([_cell(v, s) for v, s in zip(row, shown, strict=True)])
                for c in ws[ws.max_row]:
                    if isinstance(c.value, str):
                        c.data_type = "s"
                    elif isinstance(c.value, (date, datetime)):
                        c.number_format = "DD/MM/YYYY"
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):
                ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(str(col)) + 2))
        wb.save(tmp)

    return atomic_write(path, write)


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """UTF-8 with BOM (Excel opens it in the right encoding), `;` separator (French Excel), ISO dates."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(df.columns)
            for row in df.itertuples(index=False):
                out = []
                for v in row:
                    v = _cell(v)
                    out.append(
                        ""
                        if v is None
                        else v.isoformat()
                        if isinstance(v, date)
                        else repr(v)
                        if isinstance(v, float)
                        else v
                    )
                w.writerow(out)

    return atomic_write(path, write)


def _none(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Back to the types the history has: dates, whole numbers, decimals, booleans, text."""
    for col in df.columns:
        if col in _INT_COLUMNS:
            df[col] = [None if _none(v) else int(float(v)) for v in df[col]]
        elif col in _FLOAT_COLUMNS:
            df[col] = [None if _none(v) else float(v) for v in df[col]]
        elif col == "illustratif":
            df[col] = [
                None if _none(v) else (v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1"))
                for v in df[col]
            ]
        elif col in _DATE_COLUMNS:
            df[col] = [
                None
                if v is None or v != v
                else (v.date() if isinstance(v, datetime) else date.fromisoformat(v) if isinstance(v, str) else v)
                for v in df[col]
            ]
        elif df[col].dtype == object:
            df[col] = [restore(v) if isinstance(v, str) else (None if v is None or v != v else v) for v in df[col]]
    return df


def read_xlsx(path: str | Path) -> dict[str, pd.DataFrame]:
    """The sheets as written by `write_xlsx` (formula-neutralising apostrophes removed)."""
    sheets = pd.read_excel(path, sheet_name=list(SHEETS), engine="openpyxl", dtype=object)
    return {name: _typed(df) for name, df in sheets.items()}


def read_csv(path: str | Path) -> pd.DataFrame:
    return _typed(
        pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False).replace({"": None})
    )

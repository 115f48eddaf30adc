"""Reading + validation of a territory workbook: `check(path)` never raises for a bad file.

report = check("carcassonne.xlsx")   # CheckReport: every issue, located `Feuille!Cellule`
wb = read("carcassonne.xlsx")        # Workbook, or WorkbookError carrying the report
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..catalog.catalogue import Catalogue
from ..config import Config, Limits
from ..io.reader import read_raw
from ..model import CheckReport, Workbook
from ..problems import INFORMATION_NOTE, MESSAGES, Problem, problem
from .workbook import validate

__all__ = ["MESSAGES", "WorkbookError", "check", "check_json", "read", "validate"]


class WorkbookError(Exception):
    """The file is unreadable or has errors; `report` holds every issue."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        errors = report.errors
        lines = [i.format() for i in errors[:5]]
        more = f"\n… et {len(errors) - 5} autre(s) erreur(s)" if len(errors) > 5 else ""
        super().__init__(f"{Path(report.path).name} : classeur inutilisable\n" + "\n".join(lines) + more)


def _settings(cfg: Config | Limits | None) -> tuple[Limits, Catalogue]:
    """`cfg` is a Config (limits and catalogue), None for the defaults of `Config()`, or, as before the
    catalogue was explicit, a bare `Limits` (with the default catalogue)."""
    if isinstance(cfg, Limits):
        return cfg, Config().catalogue
    cfg = cfg if cfg is not None else Config()
    return cfg.limits, cfg.catalogue


def check(path: str | Path, cfg: Config | Limits | None = None, today: date | None = None) -> CheckReport:
    """Read and validate `path` with the limits and catalogue of `cfg` (defaults when None).

    `today`: the date of the report to come (`diagnose --date`; default: the system date) — the age of the
    data, the years « to come » and the geography in force are judged at that date, as the report judges them.
    Exit codes via `report.exit_code` (0 usable, 1 errors, 2 unreadable)."""
    limits, catalogue = _settings(cfg)
    raw = read_raw(path, limits)
    if isinstance(raw, Problem):
        return CheckReport(path=str(path), issues=(raw,), workbook=None, readable=False)
    n_actions, most = _action_rows(raw), limits.actions
    if n_actions > most:  # refused before validation: every later step costs per action
        from babel.numbers import format_decimal

        too_many = problem(
            "erreur",
            "trop-d-actions",
            file=Path(path).name,
            n=format_decimal(n_actions, locale="fr_FR"),
            maximum=format_decimal(most, locale="fr_FR"),
        )
        return CheckReport(path=str(path), issues=(too_many,), workbook=None)
    return validate(raw, catalogue, today)


def _action_rows(raw) -> int:
    """Action rows of the Actions sheet: every row under the « Code » header with any filled cell (a pasted
    list of local actions has an intitulé and no code: each row still costs a line of the report), `#` rows
    excluded."""
    sheet = next((s for s in raw.sheets if s.name.strip().casefold() == "actions"), None)
    if sheet is None:
        return 0
    header = next((i for i, row in enumerate(sheet.rows) if row and str(row[0]).strip().casefold() == "code"), None)
    if header is None:
        return 0
    return sum(
        1
        for row in sheet.rows[header + 1 :]
        if any(c is not None and str(c).strip() for c in row) and not str(row[0] or "").strip().startswith("#")
    )


def read(path: str | Path, cfg: Config | Limits | None = None) -> Workbook:
    """The validated `Workbook`; raises `WorkbookError` when the file is unreadable or has errors."""
    report = check(path, cfg)
    if not report.ok or report.workbook is None:
        raise WorkbookError(report)
    return report.workbook


def check_json(report: CheckReport) -> dict:
    """The payload of `check --json` and of the web page's `POST /api/check`: one shape for both doors.

    `informations` (findings on rows the tool pre-filled, nothing to correct) never count in `utilisable`
    nor `code_sortie`; `note_informations` says why, once, when there are some."""

    return {
        "fichier": Path(report.path).name,
        "lisible": report.readable,
        "utilisable": report.ok,
        "code_sortie": report.exit_code,
        "qualite_donnees": {
            "lignes_lues": report.rows_read,
            "lignes_utilisees": report.rows_used,
            "lignes_commentaire": report.rows_comment,
            "erreurs": [i.to_json() for i in report.errors],
            "avertissements": [i.to_json() for i in report.warnings],
            "informations": [i.to_json() for i in report.informations],
            "note_informations": INFORMATION_NOTE if report.informations else None,
        },
    }

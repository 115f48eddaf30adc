"""Reading + validation of a territory workbook: `check(path)` never raises for a bad file.

    report = check("carcassonne.xlsx")   # CheckReport: every issue, located `Feuille!Cellule`
    wb = read("carcassonne.xlsx")        # Workbook, or WorkbookError carrying the report
"""

from __future__ import annotations

from pathlib import Path

from ..config import Limits
from ..io.limits import ReadFailure
from ..io.reader import read_raw
from ..model import CheckReport, Workbook
from .messages import MESSAGES, make_issue
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


def check(path: str | Path, limits: Limits | None = None) -> CheckReport:
    """Read and validate `path`; exit codes via `report.exit_code` (0 usable, 1 errors, 2 unreadable)."""
    raw = read_raw(path, limits)
    if isinstance(raw, ReadFailure):
        issue = make_issue("erreur", raw.code, detail=f"{raw.message}. Pour continuer : {raw.hint}.", file=Path(path).name)
        return CheckReport(path=str(path), issues=(issue,), workbook=None, readable=False)
    limits = limits or Limits()
    n_actions = _action_rows(raw)
    if n_actions > limits.actions:  # refused before validation: every later step costs per action
        from babel.numbers import format_decimal

        issue = make_issue("erreur", "trop-d-actions", file=Path(path).name, n=format_decimal(n_actions, locale="fr_FR"), max=format_decimal(limits.actions, locale="fr_FR"))
        return CheckReport(path=str(path), issues=(issue,), workbook=None)
    return validate(raw)


def _action_rows(raw) -> int:  # noqa: ANN001 - RawWorkbook
    """Action rows of the Actions sheet: non-empty first cell under the « Code » header, `#` rows excluded."""
    sheet = next((s for s in raw.sheets if s.name.strip().casefold() == "actions"), None)
    if sheet is None:
        return 0
    header = next((i for i, row in enumerate(sheet.rows) if row and str(row[0]).strip().casefold() == "code"), None)
    if header is None:
        return 0
    return sum(1 for row in sheet.rows[header + 1:]
               if row and str(row[0]).strip() and not str(row[0]).strip().startswith("#"))


def read(path: str | Path, limits: Limits | None = None) -> Workbook:
    """The validated `Workbook`; raises `WorkbookError` when the file is unreadable or has errors."""
    report = check(path, limits)
    if not report.ok or report.workbook is None:
        raise WorkbookError(report)
    return report.workbook


def check_json(report: CheckReport) -> dict:
    """The payload of `check --json` and of the web page's `POST /api/check`: one shape for both doors."""

    def issue(i) -> dict:  # noqa: ANN001 - Issue
        return {"niveau": i.level, "code": i.code, "cellule": i.location, "message": i.message,
                "trouve": i.found, "attendu": i.expected}

    return {
        "fichier": Path(report.path).name,
        "lisible": report.readable,
        "utilisable": report.ok,
        "code_sortie": report.exit_code,
        "qualite_donnees": {
            "lignes_lues": report.rows_read,
            "lignes_utilisees": report.rows_used,
            "lignes_commentaire": report.rows_comment,
            "erreurs": [issue(i) for i in report.errors],
            "avertissements": [issue(i) for i in report.warnings],
        },
    }

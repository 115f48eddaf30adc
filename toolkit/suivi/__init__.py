"""Suivi 2024–2030: record a territory's diagnostic year after year and review it.

import toolkit as pe
with pe.open_base("suivi.sqlite") as base:           # or "postgresql://user@host/base"
    base.record(pe.take_snapshot(wb, pe.diagnose(wb, today=wb.territoire.date_diagnostic)))
    snaps = base.snapshots("Carcassonne")
pe.indicators_history(snaps), pe.actions_history(snaps)   # pandas DataFrames
pe.render_review(pe.build_review(snaps), "revue.pdf")   # toolkit.report.review
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

#: Lazy, like `toolkit`: `pilier-eco suivi historique` opens the store without loading pandas.
_LAZY = {
    "actions_history": ".history",
    "indicators_history": ".history",
    "snapshots_frame": ".history",
    "Avis": ".review",
    "Review": ".review",
    "build_review": ".review",
    "read_avis": ".review",
    "Snapshot": ".snapshot",
    "take_snapshot": ".snapshot",
    "Base": ".store",
    "BaseDamagedError": ".store",
    "BaseBusyError": ".store",
    "BaseTooRecentError": ".store",
    "SuiviError": ".store",
    "open_base": ".store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'toolkit.suivi' has no attribute {name!r}")


def record(workbook_path: str | Path, base: str | Path | None = None, config=None):
    """Check, diagnose and record one workbook (base: suivi.sqlite beside it by default); returns RecordResult."""
    from ..diagnostic import diagnose
    from ..validate import WorkbookError, check
    from .snapshot import take_snapshot
    from .store import open_base

    path = Path(workbook_path)
    report = check(path, config)
    if not report.ok or report.workbook is None:
        raise WorkbookError(report)
    # the snapshot is the plan as it stood on the situation date (the roadmap is anchored to that date)
    wb = report.workbook
    snap = take_snapshot(
        wb, diagnose(wb, config, report=report, today=wb.territoire.date_diagnostic), fichier=path.name
    )
    with open_base(base or (config.suivi_base if config and config.suivi_base else path.parent / "suivi.sqlite")) as b:
        return b.record(snap)


__all__ = [
    "Avis",
    "Base",
    "BaseBusyError",
    "BaseDamagedError",
    "BaseTooRecentError",
    "Review",
    "Snapshot",
    "SuiviError",
    "actions_history",
    "build_review",
    "indicators_history",
    "open_base",
    "read_avis",
    "record",
    "snapshots_frame",
    "take_snapshot",
]

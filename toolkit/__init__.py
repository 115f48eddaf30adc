"""pilier-eco: diagnostic and roadmap of the economic pillar of French contrats de ville.

The public API, for scripts and notebooks (the CLI only wraps it)::

    import toolkit as pe
    cfg = pe.load_config("pilier.toml")          # Config (frozen): weights, limits, cfg.catalogue (+ [catalogues])
    report = pe.check("carcassonne.xlsx", cfg)   # CheckReport: issues located as Feuille!Cellule
    wb = pe.read("carcassonne.xlsx", cfg)        # Workbook, or raises WorkbookError with the report
    diag = pe.diagnose(wb, cfg)                  # Diagnostic (immutable), with the catalogue entries it used
    pe.render_pdf(diag, "reports/carcassonne.pdf")
    data = pe.to_json(diag)                      # the JSON contract (diagnostic.schema.json)

Every argument is explicit: the catalogue travels in `cfg`, never in a global.

Imports are lazy so that `check` never loads the PDF stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "check": "toolkit.validate",
    "read": "toolkit.validate",
    "check_json": "toolkit.validate",
    "WorkbookError": "toolkit.validate",
    "make_template": "toolkit.io.template",
    "diagnose": "toolkit.diagnostic",
    "to_json": "toolkit.report.records",
    "render_pdf": "toolkit.report",
    "render_html": "toolkit.report",
    "render_xlsx": "toolkit.report",
    "load_config": "toolkit.config",
    "Config": "toolkit.config",
    "Catalogue": "toolkit.catalog.catalogue",
    "open_base": "toolkit.suivi",
    "record": "toolkit.suivi",
    "take_snapshot": "toolkit.suivi",
    "indicators_history": "toolkit.suivi",
    "actions_history": "toolkit.suivi",
    "build_review": "toolkit.suivi",
    "render_review": "toolkit.report.revue",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")

"""pilier-eco: diagnostic and roadmap of the economic pillar of French contrats de ville.

The public API, for scripts and notebooks (the CLI only wraps it; `docs/notebook.md` walks through it)::

    import toolkit as pe
    cfg = pe.load_config("pilier.toml")          # Config (frozen): weights, limits, cfg.catalogue (+ [catalogues])
    report = pe.check("carcassonne.xlsx", cfg)   # CheckReport: issues located as Feuille!Cellule
    wb = pe.read("carcassonne.xlsx", cfg)        # Workbook, or raises WorkbookError with the report
    diag = pe.diagnose(wb, cfg)                  # Diagnostic (immutable), with the catalogue entries it used
    t = pe.tables(diag)                          # pandas DataFrames: enjeux, actions, indicateurs, vigilance…
    cfg2 = cfg.with_weights(actions={"cout": 0.4})   # a what-if: a new Config, the file untouched
    pe.render_pdf(diag, "reports/carcassonne.pdf")
    pe.render_docx(diag, "reports/carcassonne.docx")   # editable Word; render_pptx: comité deck; render_note: 1 page
    data = pe.to_json(diag)                      # the JSON contract (diagnostic.schema.json)
    cmp = pe.compare([diag_a, diag_b])           # cross-territory Comparison
    results = pe.batch("classeurs/", "rapports/", cfg)   # one FileResult per workbook of the folder

Every argument is explicit: the catalogue travels in `cfg`, never in a global.

Imports are lazy so that `check` never loads the PDF stack; `dir(pe)` (and tab completion) lists the API.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
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
    "render_docx": "toolkit.report",
    "render_pptx": "toolkit.report",
    "render_note": "toolkit.report",
    "load_config": "toolkit.config",
    "Config": "toolkit.config",
    "ConfigError": "toolkit.config",
    "Catalogue": "toolkit.catalog.catalogue",
    "Tables": "toolkit.tables",
    "open_base": "toolkit.suivi",
    "record": "toolkit.suivi",
    "take_snapshot": "toolkit.suivi",
    "indicators_history": "toolkit.suivi",
    "actions_history": "toolkit.suivi",
    "build_review": "toolkit.suivi",
    "render_review": "toolkit.report.review",
}
#: Public functions that share their name with their module (`toolkit.compare.compare`): `pe.compare` is the
#: module, made callable (`callable_module`), so that `pe.compare(diags)` and `toolkit.compare.X` both work
#: whichever is imported first (importing a submodule sets the package attribute to the module).
_CALLABLE_MODULES = ("compare", "batch", "tables")

__all__ = sorted([*_EXPORTS, *_CALLABLE_MODULES, "__version__"])  # noqa: PLE0605 - built from _EXPORTS, the one list of public names


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    if name in _CALLABLE_MODULES:
        return import_module(f"toolkit.{name}")
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)


def callable_module(module_name: str, function: Any) -> None:
    """Make the module `module_name` callable as `function` (with its docstring and signature)."""
    module = sys.modules[module_name]

    class _CallableModule(ModuleType):
        __call__ = staticmethod(function)
        __wrapped__ = staticmethod(function)  # `inspect.signature(pe.compare)` shows the function's parameters

    module.__class__ = _CallableModule

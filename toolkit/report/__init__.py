"""Rendering a Diagnostic: the roadmap report (HTML, PDF) and the Excel results.

    render_html(diag, path=None, theme=None) -> str   # self-contained HTML (CSS inline, no external link)
    render_pdf(diag, path, theme=None)                # A4 tagged PDF (PDF/UA-1), written atomically
    render_xlsx(diag, path)                           # Excel results, formula-safe, written atomically
    render_docx(diag, path, theme=None)               # the report as editable Word (same sentences as the PDF)
    render_pptx(diag, path, theme=None)               # the comité de pilotage deck, 10 to 14 slides
    render_note(diag, path, theme=None)               # one A4 page for élus (PDF)

The renderers see only the Diagnostic (never the workbook file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.output import atomic_write, atomic_write_text

if TYPE_CHECKING:
    from ..results import Diagnostic
    from .theme import Theme

__all__ = [
    "Theme",
    "ThemeError",
    "load_theme",
    "render_docx",
    "render_html",
    "render_note",
    "render_pdf",
    "render_pptx",
    "render_xlsx",
]


def __getattr__(name: str) -> Any:
    """The theme names on first use: `check` reaches `report.formatting` (French plurals) and must not pay
    for the results model and the theme loader it never uses (docs/performance.md)."""
    if name in ("Theme", "ThemeError", "load_theme"):
        from . import theme

        return getattr(theme, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_html(
    diag: Diagnostic, path: str | Path | None = None, theme: Theme | None = None, detailed: int | None = None
) -> str:
    """The report as one HTML string; also written to `path` when given.

    `detailed`: how many actions are detailed (configuration `[rapport] actions_detaillees`; 40 by default).
    """
    from .render import render_report_html

    html = render_report_html(diag, theme, detailed=detailed)
    if path is not None:
        atomic_write_text(path, html)
    return html


def render_pdf(diag: Diagnostic, path: str | Path, theme: Theme | None = None, detailed: int | None = None) -> Path:
    from .pdf import html_to_pdf
    from .shared import html_for, view_for

    view = view_for(diag, theme, detailed=detailed)  # shared with --docx, --pptx, --note of the same run
    html = html_for(view)
    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp, view.data_uris))


def render_xlsx(diag: Diagnostic, path: str | Path) -> Path:
    from .results_xlsx import write_results

    return atomic_write(path, lambda tmp: write_results(diag, tmp))


def render_docx(diag: Diagnostic, path: str | Path, theme: Theme | None = None, detailed: int | None = None) -> Path:
    """The report as an editable Word document: same chapters, sentences, tables and charts as the PDF."""
    from .word import render_docx as write

    return write(diag, path, theme, detailed)


def render_pptx(diag: Diagnostic, path: str | Path, theme: Theme | None = None, detailed: int | None = None) -> Path:
    """The restitution deck for the comité de pilotage (10 to 14 slides, speaker notes from the synthesis)."""
    from .slides import render_pptx as write

    return write(diag, path, theme, detailed)


def render_note(diag: Diagnostic, path: str | Path, theme: Theme | None = None, detailed: int | None = None) -> Path:
    """The one-page note for élus (A4 recto PDF): three figures, three priorities, what blocks, decisions."""
    from .note import render_note as write

    return write(diag, path, theme, detailed)

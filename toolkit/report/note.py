"""The one-page note for élus (A4 recto, PDF): three figures, three priorities, what blocks, the decisions.

A renderer of the report's view through WeasyPrint, like the PDF: a small Jinja template
(`templates/note.html`, autoescape on, French typography by `french_html`), the no-fetch URL fetcher of
`fetcher.py` (nothing to fetch here: no image, no link). What goes in is picked from the view by `outline`
(never written here); long items are cut at a word so that the note stays on one page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.output import atomic_write
from ..typography import french_html
from . import outline
from .word import is_draft

if TYPE_CHECKING:
    from ..results import Diagnostic
    from .theme import Theme

#: Longest text of one item on the note (characters): beyond, cut at a word with « … » (the report has it whole).
ITEM_CHARS = 260
SITUATION_CHARS = 420


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def note_html(view, draft: bool = False) -> str:
    from .render import environment

    topics = outline.by_topic(view.narrative)
    situation = [shorten(t, SITUATION_CHARS) for _, t in topics.get("chiffres") or topics.get("enjeux", [])][:1]
    blocking = [shorten(t, ITEM_CHARS) for _, t in topics.get("vigilance", [])][:1]
    if not blocking:
        blocking = [shorten(p.message, ITEM_CHARS) for g in view.vigilance if g.key == "bloquant" for p in g.items][:3]
    decisions = [(h, shorten(t, ITEM_CHARS)) for h, t in outline.decisions(view)][:4]
    template = environment().get_template("note.html")
    return french_html(
        template.render(
            v=view,
            theme=view.theme,
            draft=draft,
            figures=[(f.value[:40], shorten(f.label, 90)) for f in view.key_figures[:3]],
            situation=situation,
            priorities=[
                (shorten(a.intitule, ITEM_CHARS // 2), a.quick_win, a.debut, a.fin) for a in outline.retained(view)[:3]
            ],
            structure=shorten(view.cover.structure, 120),
            blocking=blocking,
            decisions=decisions,
        )
    )


def render_note(
    diag: Diagnostic,
    path: str | Path,
    theme: Theme | None = None,
    detailed: int | None = None,
    generated: date | None = None,
) -> Path:
    """The one-page note for élus as a tagged PDF, written atomically."""
    from .pdf import html_to_pdf
    from .shared import view_for

    view = view_for(diag, theme, generated, detailed)
    html = note_html(view, is_draft(view, diag))
    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp))

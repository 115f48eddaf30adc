"""The one-page note for élus (A4 recto, PDF): three figures, three priorities, what blocks, the decisions.

A renderer of the report's view through WeasyPrint, like the PDF: a small Jinja template
(`templates/note.html`, autoescape on, French typography by `french_html`), the no-fetch URL fetcher of
`fetcher.py` (nothing to fetch here: no image, no link). What goes in is picked from the view by `outline`
(never written here), whole: no sentence is cut. The note is laid out at the largest type that holds it on
one page (`SIZES`, 9.6 pt down to a still legible 8 pt); only if it does not hold at 8 pt does the situation
keep its first sentence (the three figures are in their boxes above it). The priorities carry the report's
ranks (« 4. », as the deck and the report number them).
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

#: Body type sizes tried in turn (points), the first that holds the note on one page wins.
SIZES = (9.6, 9.2, 8.8, 8.4, 8.0)
#: Longest text of one item when nothing else holds the note on one page (pathological workbook texts).
LAST_RESORT_CHARS = 260


def shorten(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def note_html(view, draft: bool = False, size: float = SIZES[0], brief: bool = False, limit: int | None = None) -> str:
    """The note's HTML at body type `size`; `brief`: the situation in its first sentence only; `limit`: the
    last resort of `candidates`, each text cut at a word beyond that many characters."""
    from .render import environment

    topics = outline.by_topic(view.narrative)
    situation = [t for _, t in topics.get("chiffres") or topics.get("enjeux", [])][:1]
    if brief:
        situation = [s for t in situation for s in outline.sentences(t)[:1]]
    blocking = [line for _, t in topics.get("vigilance", []) for line in t.split("\n") if line.strip()]
    if not blocking:
        blocking = [p.message for g in view.vigilance if g.key == "bloquant" for p in g.items][:3]
    structuring, quick = outline.structuring_and_quick(view)
    priorities = (structuring or quick)[:3]
    others = quick[:3] if structuring else []
    template = environment().get_template("note.html")
    return french_html(
        template.render(
            v=view,
            theme=view.theme,
            draft=draft,
            size=size,
            figures=[(shorten(f.value, limit), shorten(f.label, limit)) for f in view.key_figures[:3]],
            situation=[shorten(t, limit) for t in situation],
            priorities=[
                (a.rang, shorten(outline.priority_label(a), limit), a.quick_win, a.debut, a.fin) for a in priorities
            ],
            structuring=bool(structuring),
            quick=[(a.rang, shorten(outline.priority_label(a), limit)) for a in others],
            structure=shorten(view.cover.structure, limit),
            blocking=[shorten(t, limit) for t in blocking],
            decisions=[(h, shorten(t, limit)) for h, t in outline.decisions(view)],
        )
    )


def candidates(view, draft: bool = False) -> tuple[list[list[str]], str]:
    """The note's HTML at each type size (`SIZES`), whole then with the situation in its first sentence;
    and the last resort: workbook texts so long that nothing holds at 8 pt (thousands of characters in a
    title) are the one case cut, at a word with « … » (`LAST_RESORT_CHARS`), to keep the note to its page."""
    groups = [[note_html(view, draft, size, brief) for size in SIZES] for brief in (False, True)]
    return groups, note_html(view, draft, SIZES[-1], brief=True, limit=LAST_RESORT_CHARS)


def render_note(
    diag: Diagnostic,
    path: str | Path,
    theme: Theme | None = None,
    detailed: int | None = None,
    generated: date | None = None,
) -> Path:
    """The one-page note for élus as a tagged PDF, written atomically."""
    from .pdf import write_first_fitting
    from .shared import view_for

    view = view_for(diag, theme, generated, detailed)
    groups, last_resort = candidates(view, is_draft(view, diag))
    # the largest type that holds the note on one A4 page, every sentence whole (docs/documents.md)
    shrink = (SIZES[0] / SIZES[-1]) ** 2  # text area ∝ type size², margins and figure boxes do not shrink
    return atomic_write(path, lambda tmp: write_first_fitting(groups, last_resort, tmp, shrink=shrink))

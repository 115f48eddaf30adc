"""One view and one HTML per Diagnostic for all the documents a command writes.

`pilier-eco diagnose --docx --pptx --note` (and a web job, and `batch`) renders the same Diagnostic four
times: the PDF, the Word report, the deck and the note all start from `build_view`, and the Word report from
the very HTML the PDF is made of. The last view built (for the same Diagnostic object, theme, date and
detail) and the last HTML rendered (for the same view object) are kept, so that they are computed once:
both are immutable values, and the entry holds the Diagnostic itself, so an identity check is sound.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

_lock = threading.Lock()
_last_view: tuple[Any, ...] | None = None  # (diag, theme, generated, detailed, view)
_last_html: tuple[Any, str] | None = None  # (view, html)


def view_for(diag: Any, theme: Any = None, generated: date | None = None, detailed: int | None = None) -> Any:
    """`build_view(diag, theme, generated, detailed)`, computed once for consecutive documents of one Diagnostic."""
    global _last_view
    from .view import build_view

    with _lock:
        last = _last_view
    if last is not None and last[0] is diag and last[1] == theme and last[2] == generated and last[3] == detailed:
        return last[4]
    view = build_view(diag, theme, generated, detailed)
    with _lock:
        _last_view = (diag, theme, generated, detailed, view)
    return view


def html_for(view: Any) -> str:
    """`render_view(view)`: the report's HTML (what the PDF is made of), computed once per view."""
    global _last_html
    from .render import render_view

    with _lock:
        last = _last_html
    if last is not None and last[0] is view:
        return last[1]
    html = render_view(view)
    with _lock:
        _last_html = (view, html)
    return html

"""Lay out SVG `<text>` runs whole instead of letter by letter while WeasyPrint renders.

WeasyPrint (68–70) positions every SVG letter with its own Pango layout and its own text operator, to
honour per-letter `x`, `y`, `dx`, `dy` and `rotate` lists. Our charts never use those lists, yet their
~3 400 letters made SVG text 8 % of a report's render (docs/performance.md). For a run that has at
most one position, no rotation, no letter spacing and no `textLength`, one layout of the whole run
gives the same origin, advance and bounding box (and keeps kerning); any other run goes to WeasyPrint's
own function unchanged.

Scope: WeasyPrint looks the function up in module globals (`weasyprint.svg.text` and `TAGS`), so the
swap is process-wide by nature. `whole_runs()` keeps it to the renders that ask for it: the first
thread in installs it and the last one out puts WeasyPrint's function back (even on error), under one
lock, and the swapped function only acts in threads that are inside `whole_runs()`; another thread
rendering with WeasyPrint meanwhile (a notebook, a web worker) gets WeasyPrint's own code.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

#: WeasyPrint majors whose `svg.text.text` this mirrors, checked by tests/report/test_svgtext.py; another
#: version keeps WeasyPrint's own function (slower, same page).
SUPPORTED_MAJORS = (70,)

_lock = threading.Lock()
_here = threading.local()  # .depth: how many whole_runs() the current thread is inside
_installed: dict[str, Any] = {}  # while installed: "original", "fast", "tags" (the TAGS entries replaced)
_users = 0  # whole_runs() in flight, all threads together


def _numbers(value: str | None) -> list[str]:
    from weasyprint.svg.utils import normalize

    return normalize(value).strip().split() if value else []


def _needs_letters(node: Any, font_size: float, svg: Any) -> bool:
    """True when the run uses a per-letter feature that only WeasyPrint's own function handles."""
    attrib = node.attrib
    if any(len(_numbers(attrib.get(name))) > 1 for name in ("x", "y", "dx", "dy")):
        return True
    if any(float(r) for r in _numbers(attrib.get("rotate"))):
        return True
    return bool(attrib.get("textLength") or svg.length(node.get("letter-spacing"), font_size))


def _whole_run(original: Any) -> Any:
    def text(svg: Any, node: Any, font_size: float) -> None:
        if not getattr(_here, "depth", 0) or not node.text or _needs_letters(node, font_size, svg):
            return original(svg, node, font_size)
        from weasyprint.css.properties import INITIAL_VALUES
        from weasyprint.draw.text import draw_emojis, draw_first_line
        from weasyprint.matrix import Matrix
        from weasyprint.svg.bounding_box import extend_bounding_box
        from weasyprint.svg.text import Style, TextBox
        from weasyprint.svg.utils import size
        from weasyprint.text.line_break import split_first_line

        style = Style()  # the same dummy style WeasyPrint builds for SVG text
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [f.strip("\"'") for f in node.get("font-family", "sans-serif").split(",")]
        style["font_style"] = node.get("font-style", "normal")
        style["font_size"] = font_size
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        weight = node.get("font-weight", 400)
        style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or (
            int(weight) if str(weight).isdigit() else 400
        )

        layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

        def first(name: str, reference: float) -> float | None:
            values = _numbers(node.attrib.get(name))
            return size(values[0], font_size, reference) if values else None

        x, y = first("x", svg.inner_width), first("y", svg.inner_height)
        dx, dy = first("dx", svg.inner_width), first("dy", svg.inner_height)
        if x is not None:
            svg.cursor_d_position[0] = 0
        if y is not None:
            svg.cursor_d_position[1] = 0
        svg.cursor_d_position[0] += dx or 0
        svg.cursor_d_position[1] += dy or 0
        x = svg.cursor_position[0] if x is None else x
        y = svg.cursor_position[1] if y is None else y
        svg.cursor_position = x + width, y

        ascent, descent = font_size * 0.8, font_size * 0.2  # WeasyPrint's own approximation
        anchor = node.get("display-anchor")
        baseline_kind = node.get("dominant-baseline", node.get("alignment-baseline"))
        y_align = 0.0
        if anchor == "middle":
            y_align = -height / 2
        elif anchor == "bottom":
            y_align = -height
        elif anchor != "top":
            if baseline_kind in ("central", "middle"):
                y_align = (ascent + descent) / 2 - descent
            elif baseline_kind in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
                y_align = ascent
            elif baseline_kind in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
                y_align = -descent

        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        node.text_bounding_box = extend_bounding_box(
            node.text_bounding_box,
            ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
        )

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        text_box = TextBox(layout, style)
        text_box.baseline = baseline
        emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)
        return None

    text.__wrapped__ = original  # type: ignore[attr-defined]  # a mark on a function, read by _install()
    return text


def supported() -> bool:
    import weasyprint

    try:
        return int(weasyprint.__version__.split(".")[0]) in SUPPORTED_MAJORS
    except ValueError:
        return False


def _install() -> None:
    import weasyprint.svg as wsvg

    original = wsvg.text
    if getattr(original, "__wrapped__", None) is not None:  # another copy of this module swapped it
        return
    fast = _whole_run(original)
    tags = {tag: fn for tag, fn in wsvg.TAGS.items() if fn is original}
    wsvg.text = fast  # draw_node compares TAGS entries with this module global for text-anchor
    wsvg.TAGS.update(dict.fromkeys(tags, fast))
    _installed.update(original=original, fast=fast, tags=tags)


def _uninstall() -> None:
    import weasyprint.svg as wsvg

    if not _installed:
        return
    if wsvg.text is _installed["fast"]:
        wsvg.text = _installed["original"]
    wsvg.TAGS.update(
        {
            tag: _installed["original"]
            for tag, fn in _installed["tags"].items()
            if wsvg.TAGS.get(tag) is _installed["fast"]
        }
    )
    _installed.clear()


@contextmanager
def whole_runs() -> Iterator[None]:
    """Whole-run SVG text for the renders of the current thread, for the duration of the block.

    An unknown WeasyPrint is left alone. Nested and concurrent uses are counted: WeasyPrint's own
    function is back as soon as the last block (of any thread) ends, even on exception.
    """
    global _users
    if not supported():
        yield
        return
    with _lock:
        if _users == 0:
            _install()
        _users += 1
    _here.depth = getattr(_here, "depth", 0) + 1
    try:
        yield
    finally:
        _here.depth -= 1
        with _lock:
            _users -= 1
            if _users == 0:
                _uninstall()

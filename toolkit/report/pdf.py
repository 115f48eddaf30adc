"""PDF output with WeasyPrint: tagged PDF/UA-1, metadata from the HTML head, restrictive fetcher.

Render isolation. A render changes nothing its caller can see afterwards, and renders from several
threads (a notebook, a web worker) are safe:

- the deflate level of the page streams is set by a WeasyPrint *finisher* on this PDF only (no module
  of pydyf or zlib is touched);
- what is process-wide by nature — the cyclic collector paused, the levels of the `weasyprint` and
  `fontTools` loggers, the whole-run SVG text of `svgtext.py`, pydyf's page references cached — is
  applied by `render_scope()`. It holds one lock for the whole render, so renders run one at a time
  (WeasyPrint holds the GIL for nearly all its work, so two threads would not go faster; Pango and
  fontconfig are not reliably thread-safe anyway), and puts every setting back as it found it when the
  render ends, even on exception. Logging from other threads during a render is filtered like ours.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..resources import templates_dir
from .fetcher import SafeURLFetcher
from .svgtext import whole_runs

#: One render at a time in this process; reentrant so that a render nested in a render cannot deadlock.
RENDER_LOCK = threading.RLock()

#: Loggers quietened during a render: WeasyPrint reports each refused fetch and unsupported CSS, and
#: fontTools each font table it drops while subsetting; the CLI user can do nothing with either.
QUIET_LOGGERS = ("weasyprint", "fontTools")


@contextmanager
def render_scope() -> Iterator[None]:
    """The process-wide settings of one render, under RENDER_LOCK, restored on the way out.

    The cyclic collector is paused during the render, then the young generations are collected once.
    A 40-page report allocates millions of objects, nearly all freed by reference counting, yet the
    collector still ran ~230 times per report (14 % of its time), its full passes rescanning the
    previous report's uncollected cycles. Everything the render allocates is still young when it
    returns, so one `collect(1)` frees its cycles without walking older objects: 5-9 % faster, peak
    memory unchanged (docs/performance.md). A caller that disabled the collector keeps it disabled;
    thresholds are never changed.
    """
    with RENDER_LOCK:
        was_enabled = gc.isenabled()
        levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        try:
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.ERROR)
            gc.disable()
            with whole_runs(), cached_page_references(), released_layouts():
                yield
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
            if was_enabled:
                gc.enable()
                gc.collect(1)


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count instead of at every call."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_pilier_eco_page_refs")
    if cached is None or cached[0] != len(kids):  # pages are only ever appended: the count says it all
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_pilier_eco_page_refs"] = cached
    return cached[1]


@contextmanager
def cached_page_references() -> Iterator[None]:
    """For the render: pydyf's page references computed once per page count.

    WeasyPrint's PDF tagging asks `pdf.page_references[n]` for every tagged element, and pydyf rebuilds the
    tuple of every page's reference each time: elements × pages, 6 % of a 41-page report's Python calls,
    and quadratic in longer ones. Same values, same PDF. Restored on the way out, even on exception; a
    pydyf without that property, or a render nested in a render, is left as it is.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is _page_references:  # a render nested in a render
        yield
        return
    pydyf.PDF.page_references = property(_page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


#: WeasyPrint majors whose layout context `released_layouts()` empties (checked by
#: tests/report/test_render_isolation.py); another version keeps its contexts to the cyclic collector.
RELEASED_LAYOUT_MAJORS = (70,)


def _releasing() -> bool:
    """Whether this WeasyPrint's layout objects are the ones `released_layouts` and `_release_boxes` know."""
    import weasyprint

    return int(weasyprint.__version__.split(".")[0]) in RELEASED_LAYOUT_MAJORS


_released = threading.local()  # .contexts: the layout contexts this thread's innermost render created
_recording: dict[str, Any] = {}  # "original": WeasyPrint's LayoutContext, "class": the recording subclass


def _recording_class(original: type) -> type:
    """A LayoutContext that notes itself in the creating thread's render, if that thread is inside one."""

    class RecordedLayoutContext(original):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            contexts = getattr(_released, "contexts", None)
            if contexts is not None:
                contexts.append(self)

    return RecordedLayoutContext


def _empty(context: Any) -> None:
    """Drop what a finished layout context holds, so that reference counting frees it."""
    style_for = context.__dict__.get("style_for")
    if style_for is not None:
        for style in style_for.__dict__.get("_computed_styles", {}).values():
            getattr(style, "__dict__", {}).pop("anonymous_style", None)
        style_for.__dict__.clear()
    context.__dict__.clear()


@contextmanager
def released_layouts() -> Iterator[None]:
    """For the render: WeasyPrint's layout contexts created by this thread emptied once the PDF is written.

    A layout context sits in reference cycles (its image loader is a partial holding it, SVG images hold
    it back) and, through its styles table, keeps every computed style of the document: about 185,000 of
    the 245,000 objects a 41-page report left to the cyclic collector, whose pass after the render took
    ~0.3 s, a tenth of the report. Emptied here, they go by reference counting as the document is
    dropped; measured A/B in one process, 7-10 % less CPU per report, same PDF (docs/performance.md).
    Only contexts created in this thread during this scope are touched; WeasyPrint's class is put back on
    the way out, even on exception. Another WeasyPrint major keeps its own class (slower, same PDF).
    """
    import weasyprint.document as wdocument

    current = getattr(wdocument, "LayoutContext", None)
    if not _releasing() or not isinstance(current, type):
        yield
        return
    installed_here = False
    if current is not _recording.get("class"):
        _recording["original"], _recording["class"] = current, _recording_class(current)
        wdocument.LayoutContext = _recording["class"]
        installed_here = True
    outer = getattr(_released, "contexts", None)
    contexts: list[Any] = []
    _released.contexts = contexts
    try:
        yield
    finally:
        _released.contexts = outer
        if installed_here:
            wdocument.LayoutContext = _recording["original"]
        for context in contexts:
            _empty(context)
        contexts.clear()


#: Deflate level of the PDF streams. pydyf asks zlib for 9; on our streams 6 (zlib's default) costs a
#: third of the time for 2 % more bytes: ~80 ms of a 2.3 s report (docs/performance.md).
DEFLATE_LEVEL = 6


def deflate_streams(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: deflate the streams of this PDF at DEFLATE_LEVEL before pydyf writes them.

    Each stream pydyf would compress (at level 9) is compressed here instead and handed to pydyf as
    already filtered: the same `/FlateDecode` stream it would write, built with level 6. Only the two
    small streams pydyf builds while writing (object and cross-reference streams) stay at level 9.
    """
    import pydyf

    to_bytes = pydyf._to_bytes
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            # how pydyf joins a stream; most items are already bytes (90,000 in a 41-page report)
            raw = b"\n".join(item if type(item) is bytes else to_bytes(item) for item in obj.stream)
            obj.stream = [zlib.compress(raw, DEFLATE_LEVEL)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def _release_boxes(document: Any) -> None:
    """Cut the reference cycles WeasyPrint leaves in a written document's boxes, so they go by reference counting.

    Each laid-out table's columns keep a closure over the table (`get_cells`), and a box may point to
    itself (`missing_link`): every table of the report, with its cells and their text, otherwise waited
    for the cyclic collector (≈ 0.1 s of a 41-page report; docs/performance.md). Called once the PDF is
    written, when nothing reads these boxes again; WeasyPrint majors of RELEASED_LAYOUT_MAJORS only.
    """
    from weasyprint.formatting_structure.boxes import TableBox

    if not _releasing():
        return
    for page in getattr(document, "pages", ()):
        root = getattr(page, "_page_box", None)
        if root is None:
            continue
        for box in root.descendants():
            attributes = getattr(box, "__dict__", None)
            if attributes is None:
                continue
            attributes.pop("missing_link", None)
            if isinstance(box, TableBox):
                for group in box.column_groups:
                    for column in group.children:
                        column.__dict__.pop("get_cells", None)


#: The document's own stylesheet: the first `<style>` of the head, which our templates alone write.
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@functools.lru_cache(maxsize=8)
def _stylesheet(text: str, base_url: str) -> Any:
    """A parsed stylesheet, kept for the next render with the same theme: parsing and indexing the report's
    rules cost 2-3 % of each render (docs/performance.md). Only our templates' CSS comes here (theme colours
    checked as #RRGGBB), never workbook text, and it has no `url()` or `@import` to fetch."""
    from weasyprint import CSS

    return CSS(string=text, base_url=base_url, url_fetcher=SafeURLFetcher(templates_dir()))


def _split_style(html: str) -> tuple[str, str]:
    """(html without its head stylesheet, the stylesheet); (html, "") when there is none."""
    head_end = html.find("</head>")
    found = _STYLE.search(html, 0, head_end if head_end >= 0 else len(html))
    if found is None:
        return html, ""
    return html[: found.start()] + html[found.end() :], found.group(1)


#: WeasyPrint's options for every PDF of the tool: tagged PDF/UA-1 (accessible), no custom metadata.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "custom_metadata": False}


def write_first_fitting(
    groups: Sequence[Sequence[str]], fallback: str, target: Path, max_pages: int = 1, shrink: float = float("inf")
) -> str:
    """Write as a PDF the first HTML, in order of preference, that lays out on at most `max_pages` pages, and
    return it (`fallback` when none does). Within a group the candidates go from the longest layout to the
    shortest (the type shrinks): its first is tried, then its last, then the fitting one is found by
    bisection — 2 to 4 layouts instead of one per candidate; the chosen one is written as it was laid out,
    never laid out again. `shrink`: how much more text a group's last candidate holds than its first (the
    area ratio of their type sizes); a first layout more than that many times over `max_pages` (plus a page
    for the one partly filled) rules the group out without laying out its last. For a small page of our own
    (the note for élus): its stylesheet is not cached."""
    from weasyprint import HTML

    root = templates_dir()
    base_url = root.as_uri() + "/"
    fetcher = SafeURLFetcher(root)

    def layout(html: str) -> Any:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**PDF_OPTIONS)

    def fits(document: Any) -> bool:
        if len(document.pages) <= max_pages:
            return True
        _release_boxes(document)
        return False

    with render_scope():
        chosen: tuple[str, Any] | None = None
        for group in groups:
            if not group:
                continue
            first = layout(group[0])
            pages = len(first.pages)
            if fits(first):
                chosen = (group[0], first)
                break
            if len(group) == 1 or pages > max_pages * shrink + 1 or not fits(last := layout(group[-1])):
                continue  # (a layout more than `shrink` times too long: the group's smallest type cannot hold it)
            chosen = (group[-1], last)
            lo, hi = 1, len(group) - 1  # group[hi] fits, group[lo - 1] does not
            while lo < hi:
                mid = (lo + hi) // 2
                if fits(document := layout(group[mid])):
                    _release_boxes(chosen[1])
                    chosen, hi = (group[mid], document), mid
                else:
                    lo = mid + 1
            break
        html, document = chosen if chosen is not None else (fallback, layout(fallback))
        try:
            document.write_pdf(target, finisher=deflate_streams, **PDF_OPTIONS)
        finally:
            _release_boxes(document)
            del document, chosen
    return html


def html_to_pdf(html: str, target: Path, allowed_data_uris: tuple[str, ...] = ()) -> SafeURLFetcher:
    """Write `html` as a PDF to `target`; return the fetcher (to inspect what was served or refused).

    The head's stylesheet is given to WeasyPrint parsed once per theme (a « user » stylesheet: above the
    user agent's, below the `style` attributes, as an author `<style>` would be for our rules)."""
    from weasyprint import HTML  # heavy import, kept local

    root = templates_dir()
    base_url = root.as_uri() + "/"
    fetcher = SafeURLFetcher(root, allowed_data_uris)
    body, css = _split_style(html)
    with render_scope():
        sheets = [_stylesheet(css, base_url)] if css else None
        document = HTML(string=body, base_url=base_url, url_fetcher=fetcher).render(stylesheets=sheets, **PDF_OPTIONS)
        try:
            document.write_pdf(target, finisher=deflate_streams, **PDF_OPTIONS)
        finally:
            _release_boxes(document)
            del document  # before render_scope collects: what it still holds must be garbage by then
    return fetcher

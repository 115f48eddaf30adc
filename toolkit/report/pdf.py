"""PDF output with WeasyPrint: tagged PDF/UA-1, metadata from the HTML head, restrictive fetcher."""

from __future__ import annotations

import gc
import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..resources import templates_dir
from .fetcher import SafeURLFetcher
from .svgtext import whole_runs


@contextmanager
def _one_collection_after() -> Iterator[None]:
    """Pause the cyclic collector during the render, then collect the young generations once.

    A 40-page report allocates millions of objects, nearly all freed by reference counting, yet the
    collector still ran ~230 times per report (14 % of its time), its full passes rescanning the previous
    report's uncollected cycles. Everything the render allocates is still young when it returns, so one
    `collect(1)` frees its cycles without walking older objects: 5-9 % faster, peak memory unchanged
    (docs/performance.md). A caller that disabled the collector keeps it disabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)


#: Deflate level of the page streams. pydyf asks zlib for 9; on our streams 6 (zlib's default) costs a
#: third of the time for 2 % more bytes: ~80 ms of a 2.3 s report (docs/performance.md).
DEFLATE_LEVEL = 6


class _Deflate:
    """`zlib` as pydyf sees it during a render, with `compressobj` capped at DEFLATE_LEVEL."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: object, **kwargs: object) -> object:
        return zlib.compressobj(min(level, DEFLATE_LEVEL) if level >= 0 else level, *args, **kwargs)


@contextmanager
def _lighter_deflate() -> Iterator[None]:
    import pydyf

    original = pydyf.zlib
    if isinstance(original, _Deflate):  # already swapped by a render running in another thread
        yield
        return
    pydyf.zlib = _Deflate()
    try:
        yield
    finally:
        pydyf.zlib = original


def html_to_pdf(html: str, target: Path, allowed_data_uris: tuple[str, ...] = ()) -> SafeURLFetcher:
    """Write `html` as a PDF to `target`; return the fetcher (to inspect what was served or refused)."""
    from weasyprint import HTML  # heavy import, kept local

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    root = templates_dir()
    fetcher = SafeURLFetcher(root, allowed_data_uris)
    with _one_collection_after(), whole_runs(), _lighter_deflate():
        HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).write_pdf(
            target, pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=False,
        )
    return fetcher

"""PDF output with WeasyPrint: tagged PDF/UA-1, metadata from the HTML head, restrictive fetcher."""

from __future__ import annotations

import logging
from pathlib import Path

from ..resources import templates_dir
from .fetcher import SafeURLFetcher


def html_to_pdf(html: str, target: Path, allowed_data_uris: tuple[str, ...] = ()) -> SafeURLFetcher:
    """Write `html` as a PDF to `target`; return the fetcher (to inspect what was served or refused)."""
    from weasyprint import HTML  # heavy import, kept local

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    root = templates_dir()
    fetcher = SafeURLFetcher(root, allowed_data_uris)
    HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        target, pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=False,
    )
    return fetcher

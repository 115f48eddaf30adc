"""Text of a PDF as a reader's tool sees it: poppler's `pdftotext` (installed by `.ci/run`), a real client.

pypdf's `extract_text` took 3 s of CPU for a 32-page report, pdftotext 0.14 s: tests that read whole
documents use this (docs/performance.md, « Suite de tests »)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(source: Path | str | bytes, layout: bool = False) -> str:
    """The text of every page, pages separated by form feeds; `source` a path or the PDF's bytes."""
    data = source if isinstance(source, bytes) else None
    args = ["pdftotext", *(["-layout"] if layout else []), "-" if data is not None else str(source), "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode("utf-8")

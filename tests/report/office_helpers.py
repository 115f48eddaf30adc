"""Shared by the Word, slides and note tests: open a document in LibreOffice (a real client) and read it back.

LibreOffice is required: `.ci/run` installs libreoffice-writer-nogui and libreoffice-impress-nogui, and a
missing `soffice` fails the test (never a skip).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pdf_helpers
import pytest

#: Fields pilier-eco writes itself in a DOCX: the sommaire, the page number and the page count. Nothing else.
OUR_FIELDS = re.compile(r'^\s*(TOC \\o "1-2" \\h \\z \\u|PAGE|NUMPAGES)\s*$')


def soffice_pdf(document: Path, outdir: Path) -> Path:
    """`document` converted to PDF by LibreOffice headless, in its own profile (concurrent runs never collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) est absent : .ci/run installe libreoffice-writer-nogui et -impress-nogui")
    profile = outdir / f"lo-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = outdir / (document.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    shutil.rmtree(profile, ignore_errors=True)
    return pdf


def pdf_text(pdf: Path, layout: bool = True) -> str:
    """The converted document's text, laid out as on the page (`pdf_helpers.pdf_text` with -layout)."""
    return pdf_helpers.pdf_text(pdf, layout)


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_images(pdf: Path) -> int:
    """Images LibreOffice actually drew into the PDF (a picture it could not load is not there)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines()[2:] if line.strip() and " smask " not in line)


def package_parts(path: Path) -> dict[str, str]:
    """Every XML part (and .rels) of an Office package, as text."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def package_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def normalise(text: str) -> str:
    """Spaces as a reader sees them: runs of spaces collapsed, no-break spaces kept apart from ordinary ones."""
    return re.sub(r"[ \t\n\r]+", " ", text).strip()

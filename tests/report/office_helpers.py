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
from report_factories import GENERATED, SAMPLES

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


#: The re-audit's report date (7 December 2026: programmes ending, actions « à reconfigurer »), beside the
#: factories' GENERATED: the deck and the note are checked at both.
AUDIT_DATE = __import__("datetime").date(2026, 12, 7)
DATED = [(s, d) for s in ("carcassonne", "vauvert", "bedarieux") for d in (AUDIT_DATE, GENERATED)]


def dated_sample(sample: str, today):
    """(Diagnostic, view) of a sample at the report date `today`, as `diagnose --date` makes them."""
    from toolkit.diagnostic import diagnose
    from toolkit.report.view import build_view
    from toolkit.validate import check

    report = check(SAMPLES / f"{sample}.xlsx")
    diag = diagnose(report.workbook, report=report, today=today)
    return diag, build_view(diag, generated=today)

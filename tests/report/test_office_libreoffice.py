"""The Word report, the annual review in Word and the comité deck opened by a real client: LibreOffice.

Each document is converted to PDF headless (`soffice --convert-to pdf`, its own profile); the converted PDF
must have the chapters (or slides) a reader expects and every picture drawn (a picture LibreOffice could not
load is missing from the PDF). A missing LibreOffice fails (`.ci/run` installs it), never skips.
"""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from report_factories import GENERATED, build_diagnostic

from toolkit.report.review import SECTIONS as REVIEW_SECTIONS
from toolkit.report.slides import build_deck
from toolkit.report.view import SECTIONS, build_view
from toolkit.report.word import DRAFT_MARK, render_review_docx, write_report_docx
from toolkit.typography import french_text

from .office_helpers import normalise, pdf_images, pdf_pages, pdf_text, soffice_pdf
from .test_office_hostile import PAYLOAD


def _media(path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if "/media/" in n)


def _review():
    """The annual review of the Carcassonne sample (one snapshot), as `suivi bilan` builds it."""
    from report_factories import SAMPLES

    from toolkit.diagnostic import diagnose
    from toolkit.suivi.review import build_review
    from toolkit.suivi.snapshot import take_snapshot
    from toolkit.validate import check

    report = check(SAMPLES / "carcassonne.xlsx")
    wb = report.workbook
    return build_review([take_snapshot(wb, diagnose(wb, report=report, today=wb.territoire.date_diagnostic))])


def _pages_text(pdf) -> list[str]:
    return [normalise(p) for p in pdf_text(pdf).split("\f") if p.strip()]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("libreoffice")
    diag = build_diagnostic(sample="vauvert")
    view = build_view(diag, generated=GENERATED)
    out = {}
    out["docx"] = tmp / "rapport.docx"
    write_report_docx(view, out["docx"])
    out["pptx"] = tmp / "comite.pptx"
    build_deck(view, diag, out["pptx"])
    hostile = build_diagnostic(hostile=True, payload=PAYLOAD)
    out["hostile"] = tmp / "hostile.docx"
    write_report_docx(build_view(hostile, generated=GENERATED), out["hostile"], draft=True)
    out["hostile_pptx"] = tmp / "hostile-deck.pptx"  # its own PDF name
    build_deck(build_view(hostile, generated=GENERATED), hostile, out["hostile_pptx"], draft=True)
    return {k: (path, soffice_pdf(path, tmp)) for k, path in out.items()}


def test_word_report_has_every_chapter_and_picture(converted):
    docx_path, pdf = converted["docx"]
    text = normalise(pdf_text(pdf))
    for _, title, _ in SECTIONS:
        assert french_text(title) in text, title
    assert pdf_pages(pdf) >= 12
    assert pdf_images(pdf) == _media(docx_path) >= 3


def test_hostile_draft_converts_with_the_mark_on_every_page(converted):
    docx_path, pdf = converted["hostile"]
    pages = _pages_text(pdf)
    assert len(pages) >= 12 and all(DRAFT_MARK in p for p in pages)
    assert pdf_images(pdf) == _media(docx_path)
    assert "=HYPERLINK(" in normalise(pdf_text(pdf))


def test_deck_has_ten_to_fourteen_slides_with_their_titles(converted):
    pptx_path, pdf = converted["pptx"]
    n = pdf_pages(pdf)
    assert 10 <= n <= 14
    pages = _pages_text(pdf)
    for subject in ("Le territoire en chiffres", "Feuille de route", "Points de vigilance", "Décisions attendues"):
        assert any(french_text(subject) in p for p in pages), subject
    assert pdf_images(pdf) == _media(pptx_path) == 0  # the enjeux and the roadmap are drawn, not pictures


def test_hostile_deck_converts(converted):
    pptx_path, pdf = converted["hostile_pptx"]
    assert 10 <= pdf_pages(pdf) <= 14
    assert all(DRAFT_MARK in p for p in _pages_text(pdf)[1:])
    assert pdf_images(pdf) == _media(pptx_path)


def test_annual_review_in_word_has_its_chapters(tmp_path):
    review = _review()
    path = tmp_path / "revue.docx"
    render_review_docx(review, path)
    rows = [tr for table in docx.Document(str(path)).tables for tr in table._tbl.tr_lst]
    assert rows and all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    pdf = soffice_pdf(path, tmp_path)
    text = normalise(pdf_text(pdf))
    for _, title, _ in REVIEW_SECTIONS:
        assert french_text(title) in text, title
    assert pdf_images(pdf) == _media(path) >= 1

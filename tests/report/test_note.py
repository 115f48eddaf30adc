"""The one-page note for élus (--note): one A4 page, three figures, three priorities, what blocks, decisions.

Rendered by WeasyPrint from the report's view; hostile workbook text stays text and nothing is fetched.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from report_factories import GENERATED, build_diagnostic

from toolkit.report import outline
from toolkit.report.note import note_html, render_note
from toolkit.report.pdf import html_to_pdf
from toolkit.report.view import build_view
from toolkit.typography import french_text

from .office_helpers import normalise, pdf_text

A4 = (595, 842)


@pytest.fixture(scope="module", params=["carcassonne", "vauvert", "bedarieux"])
def note(request, tmp_path_factory):
    diag = build_diagnostic(sample=request.param)
    path = tmp_path_factory.mktemp("note") / "note.pdf"
    render_note(diag, path)
    return path, build_view(diag, generated=GENERATED)


def test_one_a4_recto_page(note):
    path, _ = note
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4


def test_three_figures_three_priorities_blocks_and_decisions(note):
    path, view = note
    text = normalise(pdf_text(path, layout=False).replace("\n", " "))
    for heading in (
        "La situation en trois chiffres",
        "Trois priorités",
        "Ce qui bloque ou reste à trancher",
        "Décisions attendues",
    ):
        assert heading in text

    def folded(s: str) -> str:  # the PDF's text layer may carry a no-break space as a space
        return s.replace("\u00a0", " ").replace("\u202f", " ")

    for figure in view.key_figures[:3]:
        assert folded(normalise(french_text(figure.label))) in folded(text)
    for action in outline.retained(view)[:3]:
        assert normalise(french_text(action.intitule))[:30] in text


def test_draft_mark_only_on_a_draft():
    view = build_view(build_diagnostic(sample="bedarieux"), generated=GENERATED)
    assert "PROJET — non diffusable" in note_html(view, draft=True)
    assert "PROJET — non diffusable" not in note_html(view, draft=False)


def test_hostile_text_is_inert_and_nothing_fetched(tmp_path):
    payload = '<img src="http://127.0.0.1:9/x.png"><a href="file:///etc/passwd">lien</a>=HYPERLINK("http://x")'
    view = build_view(build_diagnostic(hostile=True, payload=payload), generated=GENERATED)
    html = note_html(view)
    assert "<img" not in html and "<a " not in html and "&lt;img" in html
    fetcher = html_to_pdf(html, tmp_path / "n.pdf")
    assert fetcher.refused == [] and fetcher.served == []
    assert "=HYPERLINK(" in pdf_text(tmp_path / "n.pdf")


def test_long_workbook_texts_keep_the_note_on_one_page(tmp_path):
    long_text = ("Très long intitulé " * 600)[:10_000]
    diag = build_diagnostic(hostile=True, payload=long_text)
    render_note(diag, tmp_path / "n.pdf")
    assert len(PdfReader(tmp_path / "n.pdf").pages) == 1

"""The one-page note for élus as they read it (issue 24 audit): every sentence whole on one A4 page, the
priorities numbered with the report's ranks.

The samples are rendered at the report date of the audit (7 December 2026, the longest synthesis: delays,
programmes ending) and at the tests' date; the PDF's text is compared with the view's sentences with the
spaces and hyphens taken out (a line may break after a hyphen).
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from toolkit.report import outline
from toolkit.report.note import render_note
from toolkit.typography import french_text

from .office_helpers import DATED, dated_sample, pdf_text


def _squeezed(text: str) -> str:
    """Without spaces or hyphens: the PDF's text joins a line broken after a hyphen (« Pont-⏎Vieux »)."""
    return re.sub(r"[\s\u00a0\u202f-]+", "", text)


@pytest.fixture(scope="module", params=DATED)
def note(request, tmp_path_factory):
    diag, view = dated_sample(*request.param)
    path = tmp_path_factory.mktemp("note") / "note.pdf"
    render_note(diag, path, generated=request.param[1])
    return path, view


def test_one_page_and_no_sentence_cut(note):
    path, view = note
    assert len(PdfReader(path).pages) == 1
    text = pdf_text(path, layout=False)
    assert "…" not in text
    shown = _squeezed(text)
    for _, decision in outline.decisions(view):
        assert _squeezed(french_text(decision)) in shown, decision[:60]
    topics = outline.by_topic(view.narrative)
    for _, paragraph in topics.get("vigilance", []):
        for line in filter(None, paragraph.split("\n")):
            assert _squeezed(french_text(line)) in shown, line[:60]
    situation = topics["chiffres"][0][1]
    assert _squeezed(french_text(outline.sentences(situation)[0])) in shown
    for figure in view.key_figures[:3]:
        assert _squeezed(french_text(figure.label)) in shown  # with its year


def test_priorities_carry_the_report_ranks(note):
    path, view = note
    shown = _squeezed(pdf_text(path, layout=False))
    structuring, quick = outline.structuring_and_quick(view)
    for a in (structuring or quick)[:3]:  # with the report's « sous condition » (Bédarieux's « 2. Aide… »)
        assert _squeezed(f"{a.rang}.{french_text(outline.priority_label(a))}") in shown, (a.rang, a.intitule)
        assert ("(sous condition)" in outline.priority_label(a)) == a.sous_condition
    if structuring:
        for a in quick[:3]:  # the quick wins too, with their ranks
            assert _squeezed(f"{a.rang}.{french_text(a.intitule)}") in shown, (a.rang, a.intitule)

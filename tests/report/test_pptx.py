"""The comité de pilotage deck (--pptx): 10 to 14 titled slides, readable from the back of a room.

Read back with python-pptx: each slide has a title placeholder with text, the expected sequence of
subjects, no run under 18 pt, the theme's colours, the enjeux and the roadmap drawn on the slide (no
shrunk picture), and the speaker notes carry the synthesis paragraphs of the view word for word (each one
somewhere, once; which slide: test_office_deck.py).
"""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.util import Pt
from report_factories import GENERATED, build_diagnostic

from toolkit.report.slides import MIN_PT, build_deck
from toolkit.report.theme import Theme
from toolkit.report.view import build_view
from toolkit.typography import french_text

from .office_helpers import package_parts

SUBJECTS = (
    "Le territoire en chiffres",
    "Les enjeux du territoire",
    "Ce que disent les données, ce que perçoit la salle",
    "Priorités",
    "Feuille de route",
    "Points de vigilance",
    "Expériences transférables",
    "Décisions attendues du comité",
    "Prochaines étapes jusqu'à la revue annuelle",
)


@pytest.fixture(scope="module", params=["carcassonne", "vauvert", "bedarieux"])
def deck(request, tmp_path_factory):
    diag = build_diagnostic(sample=request.param)
    theme = Theme(primary="#2B4C3F", accent="#8A1538")
    view = build_view(diag, theme, GENERATED)
    path = tmp_path_factory.mktemp("pptx") / f"{request.param}.pptx"
    n = build_deck(view, diag, path)
    return path, Presentation(str(path)), view, n


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def test_ten_to_fourteen_slides_each_with_a_title(deck):
    _, prs, _, n = deck
    assert 10 <= len(prs.slides) == n <= 14
    assert all(_title(s).strip() for s in prs.slides)


def test_slides_follow_the_comite_sequence(deck):
    _, prs, view, _ = deck
    titles = [_title(s) for s in prs.slides]
    assert titles[0] == french_text(view.meta.territory)  # the samples' names are short
    positions = [next(k for k, t in enumerate(titles) if t.startswith(french_text(s))) for s in SUBJECTS]
    assert positions == sorted(positions)


def test_structuring_actions_apart_from_quick_wins(deck):
    _, prs, view, _ = deck
    titles = [_title(s) for s in prs.slides]
    retained = [a for a in view.actions if a.priorite in (1, 2)]
    if any(a.quick_win for a in retained) and not all(a.quick_win for a in retained):
        assert french_text("Priorités : actions structurantes") in titles
        quick = prs.slides[titles.index(french_text("Priorités : gains rapides"))]
        text = "\n".join(sh.text_frame.text for sh in quick.shapes if sh.has_text_frame)
        assert all(french_text(a.intitule) in text for a in [a for a in retained if a.quick_win][:5])
    else:
        assert "Actions prioritaires" in titles


def test_no_text_under_18_points(deck):
    path, prs, _, _ = deck
    sizes = []
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for tf in frames:
                for p in tf.paragraphs:
                    for r in p.runs:
                        if r.text.strip():
                            assert r.font.size is not None and r.font.size >= Pt(MIN_PT), (_title(slide), r.text)
                            sizes.append(r.font.size)
    assert sizes
    slides_xml = [v for k, v in package_parts(path).items() if k.startswith("ppt/slides/slide")]
    assert not any("normAutofit" in x or "fontScale" in x for x in slides_xml)  # no shrinking by the client


def test_theme_colours_and_drawn_charts(deck):
    path, prs, _, _ = deck
    slides_xml = "".join(v for k, v in package_parts(path).items() if k.startswith("ppt/slides/slide"))
    assert 'val="2B4C3F"' in slides_xml and 'val="8A1538"' in slides_xml
    titles = [_title(s) for s in prs.slides]
    for subject in ("Les enjeux du territoire", "Feuille de route"):
        slide = next(s for s, t in zip(prs.slides, titles, strict=True) if t.startswith(subject))
        assert not [sh for sh in slide.shapes if sh.shape_type == 13]  # drawn on the slide, no shrunk picture
        groups = [sh for sh in slide.shapes if sh.shape_type == 6]  # MSO_SHAPE_TYPE.GROUP
        assert len(groups) == 1 and groups[0]._element.xpath("./p:nvGrpSpPr/p:cNvPr/@descr")[0]  # alt text


def test_speaker_notes_carry_each_synthesis_paragraph_once(deck):
    _, prs, view, _ = deck
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in prs.slides]
    assert view.narrative
    for _, text in view.narrative:  # each paragraph of the report's synthesis, with the PDF's typography
        for paragraph in filter(None, text.split("\n")):
            assert sum(french_text(paragraph) in n for n in notes) == 1, paragraph[:60]
    assert any("\u00a0:" in n or "\u202f;" in n for n in notes)


def test_vigilance_five_to_eight_points_in_body(deck):
    _, prs, view, _ = deck
    total = sum(len(g.items) for g in view.vigilance)
    slides = [s for s in prs.slides if _title(s).startswith("Points de vigilance")]
    assert 1 <= len(slides) <= 2
    items = [
        p
        for s in slides
        for sh in s.shapes
        if sh.has_text_frame and sh != s.shapes.title
        for p in sh.text_frame.paragraphs
        if p.text.strip()
    ]
    body = view.vigilance_body or [p for g in view.vigilance for p in g.items][:8]
    assert len(items) == len(body) <= 8 and (total < 5 or len(items) >= 5)
    text = " ".join(p.text for p in items)
    assert all(french_text(p.message)[:40] in text for p in body)

"""The comité deck as the speaker and the back of the room see it (issue 24 audit).

Read back with python-pptx for the three samples: each slide's speaker notes are the synthesis paragraphs
of that slide's subject, once; no sentence is cut with « … » (decisions, vigilance points, key figures and
their year, priorities: whole on the slides, on two slides if need be); the enjeux and the roadmap are
drawn on the slide with their labels at 18 pt or more (not the report's charts shrunk to 9 pt). The
converted slides (LibreOffice) keep their text inside the slide's body.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from pptx import Presentation
from pptx.util import Pt
from report_factories import GENERATED, build_diagnostic

from toolkit.report import outline
from toolkit.report.slides import MIN_PT, SLIDE_H_IN, build_deck
from toolkit.report.view import build_view
from toolkit.typography import french_text

from .office_helpers import DATED, dated_sample, package_names, package_parts, soffice_pdf


@pytest.fixture(scope="module", params=["carcassonne", "vauvert", "bedarieux"])
def deck(request, tmp_path_factory):
    diag = build_diagnostic(sample=request.param)
    view = build_view(diag, generated=GENERATED)
    path = tmp_path_factory.mktemp("deck") / f"{request.param}.pptx"
    build_deck(view, diag, path)
    return path, Presentation(str(path)), view


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def _shapes(shapes):
    for sh in shapes:
        yield sh
        if sh.shape_type == 6:  # a group: its own shapes
            yield from _shapes(sh.shapes)


def _runs(slide):
    for sh in _shapes(slide.shapes):
        frames = [sh.text_frame] if sh.has_text_frame else []
        if getattr(sh, "has_table", False) and sh.has_table:
            frames += [c.text_frame for row in sh.table.rows for c in row.cells]
        for tf in frames:
            for p in tf.paragraphs:
                yield from (r for r in p.runs if r.text.strip())


def _text(slide) -> str:
    return " ".join(r.text for r in _runs(slide))


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def _slides(prs, subject: str) -> list:
    return [s for s in prs.slides if _title(s).startswith(french_text(subject))]


def _paragraphs(view, heading_word: str) -> list[str]:
    return [
        french_text(line)
        for heading, text in view.narrative
        if heading_word in heading.lower()
        for line in text.split("\n")
        if line.strip()
    ]


def test_each_slide_has_the_synthesis_paragraphs_of_its_subject_once(deck):
    _, prs, view = deck
    notes = [_notes(s) for s in prs.slides]
    every = [french_text(line) for _, text in view.narrative for line in text.split("\n") if line.strip()]
    for paragraph in every:
        assert sum(paragraph in n for n in notes) == 1, paragraph[:70]

    structuring, quick = outline.structuring_and_quick(view)
    lead, gains = _slides(prs, "Priorités : actions structurantes"), _slides(prs, "Priorités : gains rapides")
    assert structuring and quick and lead and gains
    priorities = _paragraphs(view, "priorit")
    quick_paragraphs = [p for p in priorities if p.startswith(("Gains rapides", "Gain rapide"))]
    assert quick_paragraphs and all(p in _notes(gains[0]) for p in quick_paragraphs)
    assert not any(p in _notes(lead[0]) for p in quick_paragraphs)
    assert all(p in _notes(lead[0]) for p in priorities if p.startswith("Action structurante"))

    roadmap = _slides(prs, "Feuille de route")[0]
    assert _notes(roadmap).strip()
    assert all(french_text(f"« {a.intitule} »") in _notes(roadmap) for a in quick[:1])  # who starts it this year

    workshop = french_text(view.atelier.synthese)
    holders = [_title(s) for s in prs.slides if workshop in _notes(s)]
    assert holders == [french_text("Ce que disent les données, ce que perçoit la salle")]


def test_no_sentence_is_cut_on_the_slides(deck):
    _, prs, view = deck
    shown = " ".join(_text(s) for s in prs.slides)
    assert "…" not in shown
    for decision in view.decisions:
        assert french_text(decision) in shown, decision[:60]
    for point in view.vigilance_body:
        assert french_text(point.message) in shown, point.message[:60]
    figures = _text(_slides(prs, "Le territoire en chiffres")[0])
    for figure in view.key_figures[:6]:
        assert french_text(figure.label) in figures  # with its year: « … habitants (2019) »
    structuring, quick = outline.structuring_and_quick(view)
    for a in structuring[:5] + quick[:5]:
        assert french_text(a.intitule) in shown


def test_enjeux_and_roadmap_are_drawn_at_18_points_or_more(deck):
    _, prs, view = deck
    enjeux = _slides(prs, "Les enjeux du territoire")[0]
    roadmap = _slides(prs, "Feuille de route")[0]
    for slide in (enjeux, roadmap):
        assert not [sh for sh in _shapes(slide.shapes) if sh.shape_type == 13]  # no picture
        sizes = [r.font.size for r in _runs(slide)]
        assert len(sizes) > 5 and all(s is not None and s >= Pt(MIN_PT) for s in sizes)
    text = _text(enjeux)
    for e in view.enjeux:
        assert french_text(e.libelle) in text
        if e.score.isdigit():
            assert re.search(rf"\b{e.score}\b", text)
    text = _text(roadmap)
    assert "Prérequis" in text and "Mise en œuvre" in text and "2030" in text
    assert french_text(f"{view.actions[0].rang}. {view.actions[0].intitule}") in text


def test_converted_slides_keep_their_text_on_the_slide(tmp_path):
    """LibreOffice lays the deck out: no word below the slide's body (the draft mark's line), none off the
    slide; the Carcassonne decisions hold whole."""
    diag = build_diagnostic(sample="carcassonne")
    view = build_view(diag, generated=GENERATED)
    path = tmp_path / "comite.pptx"
    build_deck(view, diag, path)
    pdf = soffice_pdf(path, tmp_path)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    height = SLIDE_H_IN * 72
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)
    assert words
    low = [w for _, _, _, y1, w in words if float(y1) > height * 6.85 / 7.5]
    assert not low, low[:10]
    off = [w for _, _, x1, _, w in words if float(x1) > 13.333 * 72]
    assert not off, off[:10]


def test_the_deck_file_says_pilier_eco_wrote_it_on_the_report_date(deck):
    path, prs, view = deck
    props = prs.core_properties
    assert (props.created.year, props.created.month, props.created.day) == (
        GENERATED.year,
        GENERATED.month,
        GENERATED.day,
    )
    assert props.modified == props.created and props.author == props.last_modified_by == "pilier-eco"
    assert props.title == french_text(view.meta.title) and props.language == "fr-FR"
    parts = package_parts(path)
    assert (
        "thumbnail" not in parts["_rels/.rels"] and "<Application>pilier-eco</Application>" in parts["docProps/app.xml"]
    )


def test_no_template_leftover_parts_and_the_theme_is_ours(deck):
    """python-pptx's template brings Apple print settings (ppt/printerSettings/printerSettings1.bin) and a theme
    named « Office Theme »: the file holds neither (no part, relationship or content-type override)."""
    path, _, _ = deck
    names = package_names(path)
    assert not [n for n in names if "printerSettings" in n], names
    parts = package_parts(path)
    assert all("printerSettings" not in v for k, v in parts.items() if k.endswith(".rels") or k.startswith("[Content"))
    themes = [v for k, v in parts.items() if k.startswith("ppt/theme/")]
    assert themes and all('name="pilier-eco"' in t and "Office Theme" not in t for t in themes)


def _nested_brackets(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth > 1:
            return True
    return False


def test_no_brackets_inside_brackets_in_slides_or_notes(deck):
    """« Alès (Alès Agglomération) » is never put in brackets (« (Alès (Alès Agglomération)) »): the place
    follows a dash, on the slides and in their notes."""
    _, prs, view = deck
    texts = []
    for slide in prs.slides:
        texts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    assert texts and not [t for t in texts if _nested_brackets(t)]
    notes = "\n".join(texts)
    for e in view.experiences[:4]:
        assert french_text(f"{e.titre} — {e.lieu}") in notes


@pytest.fixture(scope="module", params=DATED)
def dated_deck(request, tmp_path_factory):
    diag, view = dated_sample(*request.param)
    sample = request.param[0]
    path = tmp_path_factory.mktemp("deck") / f"{sample}.pptx"
    build_deck(view, diag, path)
    return Presentation(str(path)), view


def _ranks(slides) -> list[int]:
    """The ranks of the actions listed on these slides, in order (each item's bold « 5. »)."""
    return [int(r.text.strip(" .")) for s in slides for r in _runs(s) if re.fullmatch(r"\d+\.\s*", r.text)]


def test_priorities_are_the_reports_own_lists_whole_in_order_and_marked(dated_deck):
    """The re-audit's Vauvert slide read « 1. 5. 6. 7. 8. » (rank 9 dropped by a cut at five) and its roadmap
    showed an action the report lists « À reconfigurer » among the « premières priorités »."""
    prs, view = dated_deck
    structuring, quick = list(view.structurantes), list(view.gains_rapides)
    prio = [a.rang for a in (*structuring, *quick)]
    if structuring and quick:
        assert _ranks(_slides(prs, "Priorités : actions structurantes")) == [a.rang for a in structuring]
        assert _ranks(_slides(prs, "Priorités : gains rapides")) == [a.rang for a in quick]
    else:
        assert _ranks(_slides(prs, "Actions prioritaires")) == prio
    reconfigure = _slides(prs, "À reconfigurer avant d'être engagées")
    assert _ranks(reconfigure) == [a.rang for a in view.a_reconfigurer]  # (the samples' decks have room for it)
    roadmap = _slides(prs, "Feuille de route des premières priorités")[0]
    described = " ".join(d for sh in _shapes(roadmap.shapes) for d in sh._element.xpath(".//p:cNvPr/@descr"))
    shown = [int(n) for n in re.findall(r"(?:\. |; )(\d+)\. ", described)]
    assert shown and set(shown) <= set(prio) and shown == sorted(shown)
    assert not {a.rang for a in view.a_reconfigurer} & set(shown)
    text = {_text(s) for t in ("Priorités", "Actions prioritaires") for s in _slides(prs, t)}
    for a in (*structuring, *quick):
        marked = any(french_text(f"{a.intitule} (sous condition)") in t for t in text)
        assert marked == a.sous_condition, (a.rang, a.intitule)


def test_sous_condition_is_the_decisions_own_mark():
    """Bédarieux: the decisions validate « Aide à la rénovation… » only « sous condition »: its row says so."""
    view = build_view(build_diagnostic(sample="bedarieux"), generated=GENERATED)
    conditional = " ".join(d.split(", qui répond")[0] for d in view.decisions if d.startswith("Valider sous condition"))
    rows = (*view.structurantes, *view.gains_rapides)
    named = [a for a in rows if f"« {a.intitule} »" in conditional]
    assert named and all(a.sous_condition for a in named)
    assert not any(a.sous_condition for a in rows if f"« {a.intitule} »" in " ".join(view.decisions[:1]))


def test_each_part_of_a_split_slide_carries_the_notes_of_what_it_shows(dated_deck):
    """« Décisions attendues du comité (2/2) » had empty notes while 1/2 had all six decisions."""
    prs, _ = dated_deck
    split = [s for s in prs.slides if re.search(r"\(\d/\d\)$", _title(s))]
    for slide in split:
        notes, shown = _notes(slide), _text(slide)
        assert notes.strip(), _title(slide)
        if _title(slide).startswith(french_text("Décisions attendues")):
            for line in (x for x in notes.split("\n") if x.strip()):
                assert re.sub(r"\W+", "", line)[:40] in re.sub(r"\W+", "", shown), (_title(slide), line)

"""The report as Word (--docx): what a consultant opening it in Word or LibreOffice gets.

Read back with python-docx and compared with the HTML of the PDF (one source of sentences): the same
chapters as real Heading 1 paragraphs, the synthesis word for word, real tables, the charts as PNG with
their alt text, French as the document language, page numbers, and « PROJET — non diffusable » in the
header of a draft only. LibreOffice conversions are in test_office_libreoffice.py.
"""

from __future__ import annotations

import copy
import re
import zipfile

import docx
import lxml.html
import pytest
from report_factories import GENERATED, build_diagnostic

from toolkit.report.render import render_view
from toolkit.report.view import SECTIONS, build_view
from toolkit.report.word import DRAFT_MARK, is_draft, render_docx, write_report_docx

from .office_helpers import OUR_FIELDS, normalise, package_parts


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    diag = build_diagnostic(sample="vauvert")
    view = build_view(diag, generated=GENERATED)
    path = tmp / "vauvert.docx"
    write_report_docx(view, path)
    html = lxml.html.document_fromstring(render_view(view))
    return path, docx.Document(str(path)), html, view


def _heading_texts(document, level: int) -> list[str]:
    return [normalise(p.text) for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_chapters_are_word_headings_in_the_pdf_order(rendered):
    _, document, html, _ = rendered
    h1 = [normalise(h.text_content()) for h in html.iter("h1") if h.get("id") != "sommaire"]
    assert _heading_texts(document, 1) == h1
    assert [title for _, title, _ in SECTIONS] == h1  # the report's own list of chapters
    assert _heading_texts(document, 2) == [_title_only(h) for h in html.iter("h2")]


def _title_only(h) -> str:
    """A heading as the navigation pane shows it: without the PDF's score and badges, its rank as « 1. »."""
    h = copy.deepcopy(h)
    for badge in h.xpath('.//span[contains(@class, "score-pill") or contains(@class, "tag")]'):
        badge.drop_tree()
    for rank in h.xpath('./span[@class="rank"]'):
        rank.text = rank.text.strip() + "."
    return normalise(h.text_content())


def _synthesis_paragraphs_docx(document) -> list[str]:
    out, inside = [], False
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            if inside:
                break
            inside = normalise(p.text) == "Synthèse"
            continue
        if inside and normalise(p.text):
            out.append(normalise(p.text))
    return out


def test_synthesis_sentences_are_the_pdf_sentences(rendered):
    _, document, html, view = rendered
    section = next(h for h in html.iter("h1") if h.get("id") == "synthese").getparent()
    expected = [normalise(p.text_content()) for p in section.iter("p", "h2")]
    got = _synthesis_paragraphs_docx(document)
    assert [x for x in got if x in expected] == expected  # every paragraph, in order, none rewritten
    assert view.narrative, "the sample has a synthesis for élus"
    for _, text in view.narrative:
        assert any(text.split(" ")[0] in x for x in got)
    joined = "\n".join(got)
    assert "\u00a0:" in joined or "\u202f;" in joined  # French typography kept


def test_real_tables_with_header_rows(rendered):
    path, document, html, _ = rendered
    n_html = sum(1 for _ in html.iter("table"))
    assert len(document.tables) >= n_html  # + the key figures row
    portrait = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicateur")
    assert [c.text for c in portrait.rows[0].cells][:2] == ["Indicateur", "Quartier"]  # then the comparisons
    assert len(portrait.rows) > 10
    body = package_parts(path)["word/document.xml"]
    with_head = sum(1 for t in html.iter("table") if t.find("thead") is not None)
    assert body.count("<w:tblHeader") == with_head > 5  # header rows repeat on each page


def test_charts_are_png_pictures_with_alt_text(rendered):
    path, _, html, view = rendered
    charts = [i for i in html.iter("img") if (i.get("src") or "").startswith("data:image/svg+xml")]
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == len(charts) >= 3
        assert all(z.read(n).startswith(b"\x89PNG\r\n\x1a\n") for n in media)
    body = package_parts(path)["word/document.xml"]
    assert view.enjeux_alt[:40].replace("'", "’")[:20] in body or "Score des enjeux" in body
    assert len(re.findall(r'<wp:docPr [^>]*descr="[^"]{10,}', body)) == len(charts)


def test_french_language_cover_and_page_numbers(rendered):
    path, document, _, view = rendered
    parts = package_parts(path)
    assert 'w:lang w:val="fr-FR"' in parts["word/styles.xml"]
    assert document.core_properties.language == "fr-FR"
    assert document.core_properties.title == view.meta.title
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert normalise(title.text) == normalise(view.cover.nom)
    footer = next(v for k, v in parts.items() if k.startswith("word/footer"))
    assert "PAGE" in footer and "NUMPAGES" in footer
    instr = [normalise(m) for p in parts.values() for m in re.findall(r"<w:instrText[^>]*>([^<]*)<", p)]
    assert instr and all(OUR_FIELDS.match(i) for i in instr), instr
    assert any(i.startswith("TOC") for i in instr)  # the sommaire Word and LibreOffice update


def test_draft_header_only_on_a_draft(rendered, tmp_path):
    path, _, _, view = rendered
    headers = "".join(v for k, v in package_parts(path).items() if k.startswith("word/header"))
    assert DRAFT_MARK not in headers
    draft = tmp_path / "projet.docx"
    write_report_docx(view, draft, draft=True)
    headers = "".join(v for k, v in package_parts(draft).items() if k.startswith("word/header"))
    assert DRAFT_MARK in headers
    sections = docx.Document(str(draft)).sections
    assert all(not s.different_first_page_header_footer for s in sections)  # on every page, cover included


def test_draft_flag_read_from_view_or_diagnostic():
    class Flag:
        def __init__(self, projet):
            self.projet = projet

    assert is_draft(Flag(True)) and not is_draft(Flag(False), Flag(True))
    assert is_draft(object(), Flag(True)) and not is_draft(object(), object())


def test_render_docx_is_atomic_and_public(tmp_path):
    import toolkit as pe

    target = tmp_path / "sous-dossier" / "rapport.docx"
    assert pe.render_docx(build_diagnostic(sample="bedarieux"), target) == target
    assert target.read_bytes()[:2] == b"PK" and not list(target.parent.glob(".*.tmp"))
    assert render_docx is not None


def test_chapters_start_a_page_annexes_flow_on(rendered):
    _, document, html, _ = rendered
    breaks = {
        normalise(p.text): bool(p.paragraph_format.page_break_before)
        for p in document.paragraphs
        if p.style.name == "Heading 1"
    }
    for section in html.iter("section"):
        classes = (section.get("class") or "").split()
        if "chapter" not in classes:
            continue
        title = normalise(next(section.iter("h1")).text_content())
        # as the PDF's CSS (.chapter.flow, .chapter.annex: break-before auto): no near-empty page before them
        assert breaks[title] == ("flow" not in classes and ("annex" not in classes or "fiches" in classes)), title
    assert any("flow" in (s.get("class") or "").split() for s in html.iter("section"))


def test_the_annex_points_keep_the_report_numbers(rendered):
    """Annex E numbers its points as the report does (one numbering across the levels): the Word list says
    « 12. » where the PDF says 12, not a count restarted under each heading."""
    _, document, html, _ = rendered
    expected = [int(li.get("value")) for li in html.xpath('//ol[@class="vig-list"]/li')]
    numbers, inside = [], False
    for par in document.paragraphs:
        if par.style.name == "Heading 1":
            inside = par.text.startswith("Annexe E")
        elif inside and (m := re.match(r"(\d+)\.[\t ]", par.text)):
            numbers.append(int(m.group(1)))
    assert len(expected) > 3 and expected == list(range(1, len(expected) + 1))
    assert numbers == expected

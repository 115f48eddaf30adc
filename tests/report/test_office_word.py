"""The Word report as its reader meets it (issue 24 audit): tables whose headers LibreOffice lays out
whole, a draft's cover marked once (plus the page header), the file's own properties, headings that are
titles in the navigation pane, and the pre-filled sommaire in French typography.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import docx
import pytest
from report_factories import GENERATED, build_diagnostic

from toolkit.report.view import build_view
from toolkit.report.word import DRAFT_MARK, write_report_docx
from toolkit.typography import french_text

from .office_helpers import normalise, package_names, package_parts, pdf_text, soffice_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def carcassonne(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("word")
    view = build_view(build_diagnostic(sample="carcassonne"), generated=GENERATED)
    path = tmp / "rapport.docx"
    write_report_docx(view, path)
    return path, docx.Document(str(path)), view


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\u00a0\u202f]+", text.replace("\u00ad", "")) if w]


@pytest.fixture(scope="module")
def carcassonne_pdf(carcassonne, tmp_path_factory):
    return soffice_pdf(carcassonne[0], tmp_path_factory.mktemp("word-pdf"))


def test_table_headers_are_whole_words_in_libreoffice(carcassonne, carcassonne_pdf):
    _, document, _ = carcassonne
    shown = set(_words(pdf_text(carcassonne_pdf)))
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "Rang" and len(t.columns) >= 8)
    heads = [c.text for c in ranking.rows[0].cells]
    assert {"Rang", "Score", "Prio.", "Pertinence", "Faisabilité", "Partenaires"} <= set(_words(" ".join(heads)))
    cut = sorted(
        {w for t in document.tables for c in t.rows[0].cells for w in _raw_words(c.text) if not _whole(w, shown)}
    )
    assert not cut, cut  # « Ran g », « Sco re », « Pertine nce » were the audit's


def _raw_words(text: str) -> list[str]:
    """Words with their soft hyphens (the places a header may break, « Écart inter­quartile »)."""
    return [w for w in re.split(r"[\s\u00a0\u202f]+", text) if w]


def _whole(word: str, shown: set[str]) -> bool:
    """The word is drawn whole, or broken only where it has a soft hyphen (« inter- » then « quartile »)."""
    parts = word.split("\u00ad")
    if "".join(parts) in shown or len(parts) == 1:
        return "".join(parts) in shown
    return all(p + "-" in shown for p in parts[:-1]) and parts[-1] in shown


def test_no_table_row_breaks_across_pages(carcassonne, carcassonne_pdf):
    """Every row says « cantSplit »: on each page of the « Classement » table LibreOffice draws, the first row
    under the repeated header starts with its rank (the audit's pages began with « accompagné et auto- »)."""
    _, document, _ = carcassonne
    rows = [tr for table in document.tables for tr in table._tbl.tr_lst]
    assert rows and all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    pages = [p for p in pdf_text(carcassonne_pdf).split("\f") if re.search(r"Rang +Action +Score +Prio", p)]
    assert len(pages) >= 2  # the table runs over more than one page
    for page in pages:
        lines = page.splitlines()
        head = next(k for k, line in enumerate(lines) if re.search(r"Rang +Action +Score +Prio", line))
        body = [line for line in lines[head + 1 :] if line.strip() and not re.fullmatch(r"[\d %\s]+", line)]
        assert re.match(r"\s*\d+ \S", body[0]), body[:3]


def test_tables_have_widths_libreoffice_honours(carcassonne):
    _, document, _ = carcassonne
    for table in document.tables:
        tbl = table._tbl
        layout = tbl.tblPr.find(f"{W}tblLayout")
        if layout is None or layout.get(f"{W}type") == "autofit":  # the key figures' row: sized by Word itself
            continue
        grid = [int(g.get(f"{W}w")) for g in tbl.tblGrid.findall(f"{W}gridCol")]
        assert len(grid) == len(table.columns) and all(g > 0 for g in grid)
        assert tbl.tblPr.find(f"{W}tblW").get(f"{W}type") == "dxa"
        assert abs(int(tbl.tblPr.find(f"{W}tblW").get(f"{W}w")) - sum(grid)) <= len(grid)
        for tc in tbl.iter(f"{W}tc"):
            assert tc.find(f"{W}tcPr/{W}tcW") is not None


def test_a_draft_cover_carries_the_mark_once_and_the_header_on_every_page(tmp_path):
    diag = replace(build_diagnostic(sample="carcassonne"), projet=True, projet_raison=None)
    view = build_view(diag, generated=GENERATED)
    path = tmp_path / "projet.docx"
    write_report_docx(view, path, draft=True)
    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    first_h1 = next(k for k, p in enumerate(document.paragraphs) if p.style.name.startswith("Heading"))
    assert sum(DRAFT_MARK in t for t in body[:first_h1]) == 1  # the cover's own mark
    assert sum(DRAFT_MARK in t for t in body) == 1
    headers = "".join(v for k, v in package_parts(path).items() if k.startswith("word/header"))
    assert headers.count(DRAFT_MARK) == 1


def test_the_file_says_pilier_eco_wrote_it_on_the_report_date(carcassonne):
    path, document, view = carcassonne
    props = document.core_properties
    day = datetime(GENERATED.year, GENERATED.month, GENERATED.day, tzinfo=UTC)
    assert props.created == props.modified == day.replace(tzinfo=None) or props.created == day
    assert props.author == props.last_modified_by == "pilier-eco"
    assert props.title == view.meta.title and props.language == "fr-FR"
    names = package_names(path)
    assert not [n for n in names if "thumbnail" in n]
    parts = package_parts(path)
    assert "thumbnail" not in parts["_rels/.rels"]
    app = parts["docProps/app.xml"]
    assert "<Application>pilier-eco</Application>" in app
    assert "Microsoft" not in app and "Normal.dotm" not in app
    assert "2013" not in parts["docProps/core.xml"]


def test_no_near_empty_page_in_libreoffice(carcassonne_pdf):
    """The shorter body chapters follow on as in the PDF (.chapter.flow): no page of a running header, a line
    and the footer before « Expériences transférables » (Carcassonne's page 16), the last page aside."""
    pages = [p for p in pdf_text(carcassonne_pdf).split("\f") if p.strip()]
    thin = [
        (k + 1, p.strip()[:120]) for k, p in enumerate(pages[:-1]) if sum(1 for x in p.splitlines() if x.strip()) < 5
    ]
    assert not thin, thin


def test_no_template_leftover_parts_and_the_theme_is_ours(carcassonne):
    """python-docx's template brings an APA bibliography stub (customXml/item1.xml and its props) and a theme
    named « Office Theme »: the file holds neither (no part, relationship or content-type override)."""
    path, _, _ = carcassonne
    names = package_names(path)
    assert not [n for n in names if n.startswith("customXml/")], names
    parts = package_parts(path)
    assert "customXml" not in parts["[Content_Types].xml"] and "customXml" not in parts["word/_rels/document.xml.rels"]
    themes = [v for k, v in parts.items() if k.startswith("word/theme/")]
    assert themes and all('name="pilier-eco"' in t and "Office Theme" not in t for t in themes)


def test_headings_are_titles_and_their_score_follows(carcassonne):
    _, document, view = carcassonne
    paragraphs = document.paragraphs
    h2 = {normalise(p.text): k for k, p in enumerate(paragraphs) if p.style.name == "Heading 2"}
    scored = [e for e in view.enjeux if e.score.isdigit()]  # a chapter each; the others: one list
    assert len(scored) >= 3
    for e in scored:
        title = normalise(french_text(f"{e.rang}. {e.libelle}"))
        assert title in h2, title
        below = normalise(paragraphs[h2[title] + 1].text)
        assert french_text(f"Score : {e.score} sur 100 · {e.niveau}") in below
    for title in h2:
        assert not re.search(r"\b\d+ (enjeu|à objectiver)", title), title  # no score or badge in a heading


def test_sommaire_entries_keep_no_break_spaces(carcassonne):
    _, document, view = carcassonne
    entries = [p.text for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries
    with_colon = [e for e in entries if ":" in e]
    assert with_colon and all("\u00a0:" in e and " :" not in e for e in with_colon)
    fiche = next(f for f in view.fiches if ":" in f.intitule)
    assert french_text(f"{fiche.rang}. {fiche.intitule}") in entries

"""The PDF itself: rendered once per module (WeasyPrint takes a few seconds), then read back.

Checks what a reader and a screen reader get: sections, French numbers, page count, page numbers in the
sommaire, tagged PDF/UA with language and metadata, bookmarks, embedded fonts, theme footer and logo.
"""

from __future__ import annotations

import base64
import re
import subprocess

import pytest
from pypdf import PdfReader
from report_factories import build_diagnostic

from toolkit.report import load_theme, render_pdf
from toolkit.typography import french_text

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    (tmp / "logo.png").write_bytes(PNG_1PX)
    (tmp / "theme.toml").write_text(
        'logo = "logo.png"\npied_de_page = "Version de travail du comité"\n[couleurs]\nprincipale = "#2B4C3F"\n',
        encoding="utf-8",
    )
    path = tmp / "carcassonne.pdf"
    render_pdf(build_diagnostic(), path, load_theme(tmp / "theme.toml"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return path, PdfReader(path), text


def test_at_least_twelve_a4_pages(pdf):
    _, reader, _ = pdf
    assert len(reader.pages) >= 12
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_section_titles_in_order(pdf):
    _, _, text = pdf
    titles = [
        "Sommaire",
        "Synthèse",
        "Portrait du territoire",
        "Enjeux",
        "Priorités",
        "Feuille de route",
        "Points de vigilance",
        "Expériences transférables",
        "Annexe A — Fiches action",
        "Annexe B — Gouvernance et partenariats",
        "Annexe C — Méthode et comparaisons",
        "Annexe D — Qualité des données",
        "Annexe E — Tous les points de vigilance",
        "Annexe F — Sources",
        "Annexe G — Glossaire",
    ]
    # a chapter title is alone on its line (the running header pairs it with the territory name)
    positions = []
    for t in titles:
        m = re.search(rf"^\s*{re.escape(t)}\s*$", text, re.M)
        assert m, t
        positions.append(m.start())
    assert positions == sorted(positions)


def test_french_number_formats(pdf):
    _, _, text = pdf
    flat = text.replace("\u202f", " ").replace("\xa0", " ")
    assert re.search(r"33,7 %", flat)  # decimal comma, space before % (EMPLOI_15_64 of the sample)
    assert re.search(r"\b9 831 habitants", flat)  # thousands separator
    assert re.search(r"120 000 €", flat)  # euros (a retained action of the sample)
    assert "14 mars 2025" in flat  # long French date
    assert not re.search(r"\d\.\d %", flat)


def test_sommaire_has_page_numbers(pdf):
    _, reader, text = pdf
    toc = text[text.index("Sommaire") : text.index("Annexe F — Sources") + 400]
    match = re.search(r"Synthèse[ .]*(\d+)", toc)
    assert match and int(match.group(1)) == 3
    last = int(re.search(r"Annexe F — Sources[ .\n]*(\d+)", toc).group(1))
    assert 12 <= last <= len(reader.pages)


def test_page_footer_and_theme(pdf):
    _, reader, text = pdf
    n = len(reader.pages)
    assert f"Page 2 / {n}" in text and f"Page {n} / {n}" in text
    assert text.count("Version de travail du comité") >= n - 1  # every page but the cover


def test_every_page_but_the_cover_carries_territory_chapter_footer_and_number(pdf):
    _, reader, text = pdf
    pages = text.split("\f")[: len(reader.pages)]
    assert "Page 1 /" not in pages[0]  # the cover has no margin boxes
    for k, page in enumerate(pages[1:], start=2):
        lines = [line for line in page.splitlines() if line.strip()]
        assert lines[0].strip().startswith("Carcassonne"), (k, lines[0])  # header: the territory…
        if k > 2:  # …and the chapter on the right (the sommaire has none)
            assert re.search(r"Carcassonne.*\S\s{3,}\S", lines[0]), (k, lines[0])
        assert "Version de travail du comité" in lines[-1] and f"Page {k} / {len(pages)}" in lines[-1], (k, lines[-1])


def test_tagged_pdf_ua_with_language_and_metadata(pdf):
    _, reader, _ = pdf
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("fr")
    meta = reader.metadata
    t = build_diagnostic().territoire
    assert meta.title == f"Emploi et développement économique — {french_text(t.nom)}"  # « 5 quartiers » held
    assert meta.author == t.structure
    assert "QPV" in meta["/Keywords"]
    xmp = reader.xmp_metadata
    assert xmp is not None  # PDF/UA identification lives in XMP


def test_bookmarks_follow_headings(pdf):
    _, reader, _ = pdf
    top = [o for o in reader.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    assert "Synthèse" in titles and "Annexe F — Sources" in titles
    assert any(isinstance(o, list) and o for o in reader.outline)  # h2 nested under h1


def test_fonts_are_embedded_and_free(pdf):
    _, reader, _ = pdf
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert names and all("DejaVu" in n for n in names), names
    assert not any("Marianne" in n for n in names)


def _struct_elements(node, seen=None):
    seen = set() if seen is None else seen
    node = node.get_object()
    if id(node) in seen:
        return
    seen.add(id(node))
    if hasattr(node, "get") and node.get("/S") is not None:
        yield node
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            yield from _struct_elements(kid, seen)


def test_illustrative_badge_and_charts_alt_text(pdf):
    _, reader, text = pdf
    assert "ILLUSTRATIF" in text
    figures = [e for e in _struct_elements(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Figure"]
    alts = [str(e.get("/Alt", "")) for e in figures]
    assert any(a.startswith("Score des enjeux sur 100") for a in alts), alts
    assert any(a.startswith("Feuille de route 2024–2030") for a in alts)
    assert any(a.startswith("Matrice impact × faisabilité") for a in alts)


def test_charts_are_served_from_the_report_own_allow_list(tmp_path):
    """Charts travel as `data:` SVG images; the fetcher serves exactly those and refuses them otherwise."""
    from toolkit.report.pdf import html_to_pdf
    from toolkit.report.render import render_view
    from toolkit.report.view import build_view

    view = build_view(build_diagnostic())
    html = render_view(view)
    n_charts = html.count('<img class="chart" src="data:image/svg+xml;base64,')
    assert n_charts >= 4 and "<svg" not in html
    assert len(view.data_uris) == n_charts  # no logo in the default theme

    served = html_to_pdf(html, tmp_path / "ok.pdf", view.data_uris)
    assert served.refused == [] and len(served.served) == n_charts

    locked = html_to_pdf(html, tmp_path / "locked.pdf")
    assert len(locked.refused) == n_charts and locked.served == []
    drawn = subprocess.run(["pdftotext", str(tmp_path / "ok.pdf"), "-"], capture_output=True, text=True).stdout
    bare = subprocess.run(["pdftotext", str(tmp_path / "locked.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Prérequis (hachuré)" in drawn and "Prérequis (hachuré)" not in bare  # the Gantt legend, drawn or not

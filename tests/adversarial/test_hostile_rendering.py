"""A workbook full of attacks goes through the real command: HTML, PDF, Excel and JSON are written, nothing is
fetched, no markup survives unescaped, no file appears outside the output folder, and it never hangs.

One end-to-end render (a few seconds; the 10,000-character title and territory name make it the slowest
test of the suite) shared by the assertions below.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from xml.etree import ElementTree

import openpyxl
import pytest

from .conftest import run_cli, tree
from .hostile import LONG


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, hostile_xlsx, listener):
    work = tmp_path_factory.mktemp("rendu")
    src = work / "classeur.xlsx"
    shutil.copy(hostile_xlsx, src)
    before = tree(work)
    result = run_cli(
        "diagnose",
        str(src),
        "-o",
        "out/r.pdf",
        "--html",
        "out/r.html",
        "--xlsx",
        "out/r.xlsx",
        "--json",
        "out/r.json",
        cwd=work,
    )
    return work, before, result


def test_hostile_workbook_is_accepted_and_every_output_written(rendered):
    work, _, result = rendered
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    out = work / "out"
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF") and (out / "r.pdf").stat().st_size > 20_000
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert data["territoire"]["nom"].startswith("Très long intitulé")
    openpyxl.load_workbook(out / "r.xlsx")  # a valid file, despite control characters in the input


def test_nothing_was_fetched(rendered, listener):
    assert rendered[2].returncode == 0
    assert listener[1] == []


def test_no_file_outside_the_output_folder(rendered):
    work, before, result = rendered
    assert result.returncode == 0
    created = tree(work) - before
    assert created == {p.relative_to(work) for p in (work / "out").rglob("*")} | {(work / "out").relative_to(work)}
    assert sorted(p.name for p in (work / "out").iterdir()) == ["r.html", "r.json", "r.pdf", "r.xlsx"]  # no .tmp


def test_html_holds_no_live_markup(rendered, listener):
    work, _, result = rendered
    assert result.returncode == 0
    html = (work / "out" / "r.html").read_text(encoding="utf-8")
    base = listener[0]
    for raw in (
        "<script",
        "<iframe",
        "<svg><image",
        f'<img src="{base}',
        '<img src="file:',
        f'href="{base}',
        "</style><style>",
        'onerror="',
    ):
        assert raw not in html, raw
    charts = [
        base64.b64decode(m).decode("utf-8")
        for m in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    ]
    assert charts and all("<script" not in c and "<iframe" not in c for c in charts)  # charts: SVG images
    for svg in charts:
        ElementTree.fromstring(svg)  # well-formed: workbook text stayed text inside the SVG
    shown = html + "".join(charts)
    assert "&lt;script&gt;document.title=" in shown  # shown as text, escaped
    assert "&lt;iframe src=" in shown
    assert html.count("<style") == 1 and html.count("</style>") == 1  # only the report's own stylesheet
    assert base not in html[html.index("<style") : html.index("</style>")]
    for ch in ("\x01", "\x07", "\x1b", "\x7f", "\ufffe"):
        assert ch not in html, repr(ch)
    assert "🏙" in html and "עברית" in html  # legitimate Unicode survives


def test_long_texts_are_kept_in_the_document_body(rendered):
    """Wrapped, not lost: the full title is in the JSON; the report shows it (wrapped or shortened)."""
    work, _, result = rendered
    assert result.returncode == 0
    data = json.loads((work / "out" / "r.json").read_text(encoding="utf-8"))
    titles = [a["intitule"] for a in data["actions"] if a["intitule"].startswith("Très long")]
    assert titles and len(titles[0]) == len(LONG.strip())


def test_excel_output_has_no_formula_and_no_control_character(rendered):
    work, _, result = rendered
    assert result.returncode == 0
    book = openpyxl.load_workbook(work / "out" / "r.xlsx")
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{ws.title}!{cell.coordinate}"
    joined = "".join(texts)
    assert "'=HYPERLINK(" in joined or "HYPERLINK" not in joined
    assert not any(ch in joined for ch in "\x01\x07\x1b")


def test_long_territory_name_is_shortened_only_where_it_repeats(rendered):
    """Running header, footer and metadata: 120 characters; the cover and the body keep the full text, wrapped."""
    import re

    work, _, result = rendered
    assert result.returncode == 0
    html = (work / "out" / "r.html").read_text(encoding="utf-8")
    for css_class in ("running-header", "running-footer"):
        text = re.search(rf'<div class="{css_class}">(.*?)</div>', html, re.S).group(1)
        assert len(text) <= 200 and "…" in text, css_class
    assert len(re.search(r"<title>(.*?)</title>", html, re.S).group(1)) <= 200
    assert LONG.strip() in html

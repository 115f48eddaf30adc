"""Hostile workbook text in the Word report and the slides stays inert text (package XML inspected).

Formulas (=HYPERLINK), markup, remote image URLs, file:// links and control characters go everywhere the
workbook supplies free text; the DOCX and the PPTX must then hold: no field but the ones pilier-eco writes
(TOC, PAGE, NUMPAGES), no fldSimple, no hyperlink, no external relationship, no picture but the report's own
charts (none in the deck: it draws them), no macro part and no macro-enabled content type — and the attack is still there, as plain text.
"""

from __future__ import annotations

import re

import pytest
from report_factories import GENERATED, build_diagnostic

from toolkit.report.slides import build_deck
from toolkit.report.view import build_view
from toolkit.report.word import write_report_docx

from .office_helpers import OUR_FIELDS, package_names, package_parts

PAYLOAD = (
    '=HYPERLINK("http://127.0.0.1:9/f","clic") <img src="http://127.0.0.1:9/x.png"> '
    '<a href="file:///etc/passwd">lien</a> { INCLUDEPICTURE "http://127.0.0.1:9/p.png" } '
    "Contrôle\x01\x07\x1b[31m\x7f fin"
)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-office")
    diag = build_diagnostic(hostile=True, payload=PAYLOAD)
    view = build_view(diag, generated=GENERATED)
    docx_path, pptx_path = tmp / "r.docx", tmp / "p.pptx"
    write_report_docx(view, docx_path, draft=True)
    build_deck(view, diag, pptx_path, draft=True)
    return docx_path, pptx_path


@pytest.fixture(params=["docx", "pptx"])
def package(request, documents):
    return documents[0] if request.param == "docx" else documents[1]


def test_no_field_but_ours_and_no_fldsimple(documents):
    for path in documents:
        xml = "".join(package_parts(path).values())
        assert "fldSimple" not in xml
        for code in re.findall(r"<w:instrText[^>]*>([^<]*)<", xml):
            assert OUR_FIELDS.match(code), code


def test_no_external_relationship_no_hyperlink(package):
    parts = package_parts(package)
    rels = "".join(v for k, v in parts.items() if k.endswith(".rels"))
    assert 'TargetMode="External"' not in rels
    assert "/hyperlink" not in rels and "127.0.0.1" not in rels and "file:" not in rels
    xml = "".join(parts.values())
    assert "<w:hyperlink" not in xml and "hlinkClick" not in xml
    assert not re.search(r'r:link="', xml)  # a picture linked from outside instead of embedded


def test_no_macro(package):
    names = package_names(package)
    risky = ("vba", "activex", "oleobject", "embeddings/", "macro")
    assert not any(word in n.lower() for n in names for word in risky), names
    types = package_parts(package)["[Content_Types].xml"]
    assert "macroEnabled" not in types and "vbaProject" not in types


def test_only_the_report_charts_as_pictures(documents):
    docx_path, pptx_path = documents
    media = [n for n in package_names(docx_path) if "/media/" in n]
    assert media and all(n.endswith(".png") for n in media)
    assert not [n for n in package_names(pptx_path) if "/media/" in n]  # the deck draws its charts itself


def test_the_attack_is_still_there_as_text(package):
    xml = "".join(package_parts(package).values())
    assert "=HYPERLINK(" in xml and "&lt;img src=" in xml and "file:///etc/passwd" in xml
    assert "INCLUDEPICTURE" in xml  # as text in a run, never an instruction
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)  # control characters dropped
    assert "Contrôle" in xml and "fin" in xml

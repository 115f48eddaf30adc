"""Cards (4 A6 per A4 page, cut lines) and the facilitator sheet: views, HTML and PDF."""

from __future__ import annotations

import math
import re

from pdf_helpers import pdf_text
from pypdf import PdfReader

from toolkit.catalog import packaged_catalogue
from toolkit.diagnostic import diagnose
from toolkit.typography import french_text
from toolkit.workshop.documents import (
    DIVERGENCE_POINTS,
    agenda,
    cards_html,
    enjeu_gaps,
    facilitator_html,
    facilitator_view,
    write_pdf,
)
from toolkit.workshop.items import BallotItem, ballot_items

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_cards_four_per_page_with_cut_lines(sample_workbook):
    items = ballot_items(sample_workbook, CAT)
    html = cards_html(items, sample_workbook.territoire.nom)
    pages = html.count('<section class="sheet"')
    assert pages == math.ceil(len(items) / 4)
    assert html.count('<article class="card') == len(items)
    assert html.count('class="cuts"') == pages
    assert len(re.findall(r"stroke-dasharray", html)) == 2 * pages  # the two cut lines of each sheet
    for it in items:
        assert f">{french_text(it.objet)}<" in html


def test_cards_pdf_page_count_and_text(sample_workbook, tmp_path):
    items = ballot_items(sample_workbook, CAT)[:6]
    pdf = write_pdf(cards_html(items, "Bédarieux"), tmp_path / "cartes.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297
    text = reader.pages[0].extract_text()
    assert french_text("Accès à l'emploi") in text and "Ma note" in text


def test_card_text_is_escaped():
    html = cards_html([BallotItem("action", "X", "<img src=x onerror=alert(1)>")], "T")
    assert "<img" not in html and "&lt;img" in html


def test_enjeu_gaps_put_data_and_perception_side_by_side(sample_workbook):
    diag = diagnose(sample_workbook)
    gaps = enjeu_gaps(diag)
    assert len(gaps) == len(diag.enjeux)
    flagged = [g for g in gaps if g.flag]
    for e in diag.enjeux:
        parts = {p.name: p.value for p in e.parts}
        if parts.get("indicateurs") is not None and parts.get("importance") is not None:
            far = abs(parts["importance"] - parts["indicateurs"]) >= DIVERGENCE_POINTS
            assert any(g.libelle == e.libelle and g.flag == far for g in gaps)
    assert flagged == list(gaps[: len(flagged)])  # largest disagreements first


def test_agenda_grows_with_the_number_of_objects_within_bounds():
    short, long = agenda(10), agenda(200)
    assert short[2][0] == "15 min" and long[2][0] == "45 min"
    assert all(len(row) == 3 for row in short)


def test_facilitator_pdf_has_rules_merge_command_and_objects(sample_workbook, tmp_path):
    items = ballot_items(sample_workbook, CAT)
    view = facilitator_view(items, diagnose(sample_workbook), "bedarieux.xlsx")
    pdf = write_pdf(facilitator_html(view), tmp_path / "animateur.pdf")
    reader = PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in (
        "Déroulé",
        "Règles de vote",
        "Fusionner les notes",
        "pilier-eco atelier merge bedarieux.xlsx",
        "médiane",
        "Borda",
        "Où les données et le ressenti divergent",
        items[-1].objet[:20],
    ):
        assert needle in text, needle
    assert 1 <= len(reader.pages) <= 4
    lines = text.splitlines()  # the two commands are printed one per line, ready to paste
    merge = next(line for line in lines if "pilier-eco atelier merge" in line)
    assert "pilier-eco diagnose" not in merge
    assert any(line.lstrip().startswith("pilier-eco diagnose") for line in lines)


def test_the_web_page_kit_says_the_page_steps_without_commands_or_server_paths(sample_workbook, tmp_path):
    """Issue 25 § 14: a kit made on the web page is read by a trainer who never opens a terminal — the sheet
    names the page's steps and buttons, never a command line nor a path of the server's disk."""
    from toolkit.workshop.kit import make_kit

    result = make_kit(sample_workbook, tmp_path / "kit", commands=False)
    text = " ".join(pdf_text(result.facilitator).split())
    assert "Fusionner les notes" in text and "page « Atelier »" in text and "page « Diagnostic »" in text
    assert not re.search(r"pilier-eco (?:atelier|diagnose)|--[a-z]|atelier merge", text), text
    assert str(tmp_path) not in text
    cli = make_kit(sample_workbook, tmp_path / "kit-cli")  # the terminal's kit keeps its ready-to-paste commands
    assert "pilier-eco atelier merge" in " ".join(pdf_text(cli.facilitator).split())

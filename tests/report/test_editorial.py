"""The three samples' reports read as a comité de pilotage would (issue 23, ../shared/spec/editorial.md):
a core of at most 20 pages and 32 in all for Carcassonne (counted on the contents page), a two-page
synthesis, five to eight vigilance points in the body, at most six prerequisite phases at once, no action
called late while its deadline holds, no internal code, date code or statistical word in the body pages."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

import toolkit as pe
from toolkit.report import render_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module", params=["carcassonne", "bedarieux", "vauvert"])
def report(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / f"{request.param}.xlsx", cfg), cfg, today=TODAY)
    pdf = out / "r.pdf"
    render_pdf(diag, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    return request.param, pages, pe.to_json(diag)


def _contents(pages: list[str]) -> dict[str, int]:
    """Chapter -> page, read on the contents page as a reader would."""
    out = {}
    for line in pages[1].splitlines():
        m = re.match(r"\s*(\S.*?)(?:\s*(?:\.\s*){2,}|\s{2,})(\d+)\s*$", line)
        if m and not re.match(r"\d+\.", m.group(1)):
            out[m.group(1).strip(" .")] = int(m.group(2))
    return out


def test_a_core_élus_read_and_annexes_for_the_chargé_de_mission(report):
    name, pages, _ = report
    toc = _contents(pages)
    first_annex = min(p for t, p in toc.items() if t.startswith("Annexe"))
    assert first_annex - 1 <= 20
    if name == "carcassonne":
        assert len(pages) <= 32  # was 41 before issue 23
    body = [t for t, p in toc.items() if p < first_annex]
    assert body[:3] == ["Synthèse", "Portrait du territoire", "Enjeux"]
    assert {"Priorités", "Feuille de route", "Points de vigilance", "Expériences transférables"} <= set(body)


def test_no_near_empty_page(report):
    """editorial.md §6: a heading alone above a chart that moved on, or three table rows before a chapter that
    opens a page, leave a page two-thirds empty. Every page but the cover, the contents and the last carries
    at least a third of a page of text."""
    _, pages, _ = report
    for n, page in enumerate(pages[2:-1], start=3):
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) >= 20, f"page {n} : {len(lines)} lignes — {lines[1:3]}"


def test_a_two_page_synthesis_in_prose(report):
    _, pages, _ = report
    toc = _contents(pages)
    start, end = toc["Synthèse"], toc["Portrait du territoire"]
    assert end - start <= 2
    synthesis = "\n".join(pages[start - 1 : end - 1])
    for heading in (
        "La situation",
        "Les enjeux",
        "Les priorités et pourquoi",
        "Ce qui bloque ou reste à trancher",
        "Décisions demandées",
    ):
        assert heading in synthesis
    assert not re.search(r"\bet \d+ autres?\b", synthesis) and "détail au chapitre" not in synthesis
    assert len(re.findall(r"[A-Za-zÀ-ÿ’']{2,}", synthesis)) >= 450  # sentences, not a dashboard


def test_five_to_eight_vigilance_points_in_the_body_every_blocking_one_among_them(report):
    _, _, js = report
    shown = [v for v in js["vigilance"] if v["corps"]]
    assert 5 <= len(shown) <= 8
    assert all(v["corps"] for v in js["vigilance"] if v["niveau"] == "bloquant")
    # one point per action (two about the same action read as a duplicate); missed deadlines are summed up by
    # the chapter's sentence, not listed one by one
    actions = {a["cle"] for a in js["actions"]}
    about = [v["ref"] for v in shown if v["ref"] in actions and v["niveau"] != "bloquant"]
    assert len(about) == len(set(about))
    assert not [v for v in shown if v["regle"] == "echeance-non-tenue"]


def test_the_body_numbers_its_points_and_sends_to_their_annex_number(report):
    """1, 2, 3… in the chapter, each with its number in annex E (« 1, 12, 26 » read as missing points)."""
    _, pages, js = report
    start = next(i for i, p in enumerate(pages) if "Ce qu’il faut surveiller" in p or "Ce qu'il faut surveiller" in p)
    chapter = "\n".join(pages[start : start + 2])  # the table may run onto the next page
    chapter = re.split(r"Ce qu.il faut surveiller", chapter, maxsplit=1)[1]
    chapter = re.split(r"À lever avant|Expériences transférables", chapter, maxsplit=1)[0]
    flat = " ".join(chapter.split())
    numbers = [n for n, v in enumerate(js["vigilance"], start=1) if v["corps"]]
    for n in numbers:
        assert f"(annexe E, n° {n})" in flat or f"(annexe E, n°\u00a0{n})" in flat
    rows = re.findall(r"^\s*(\d+)\s+(?:Bloquant|Attention)\b", chapter, flags=re.MULTILINE)
    assert [int(r) for r in rows] == list(range(1, len(numbers) + 1))


def test_a_roadmap_that_could_happen(report):
    _, _, js = report
    spans = [(p["debut"], p["fin"]) for a in js["actions"] for p in a["phases"] if p["type"] == "prerequis"]
    days = {d for span in spans for d in span}
    assert max(sum(1 for s, e in spans if s <= d <= e) for d in days) <= 6
    assert not [a["rang"] for a in js["actions"] if a["en_retard"] and a["echeance_tenue"]]
    assert all(not a["a_reconfigurer"] or a["phases"][0]["type"] == "prerequis" for a in js["actions"])


def test_plain_words_in_the_body(report):
    _, pages, _ = report
    toc = _contents(pages)
    first_annex = min(p for t, p in toc.items() if t.startswith("Annexe"))
    body = "\n".join(pages[2 : first_annex - 1])
    assert not re.findall(r"\b[A-Z]{2,}_[A-Z0-9_]{2,}\b", body)  # no internal code
    assert not re.findall(r"\b20\d\d-S[12]\b|\b20\d\d-\d\d-\d\d\b", body)  # months in words
    assert not re.findall(r"Dirichlet|Borda|p\((?:top|même)|interquartile", body)  # statistics in the annex


def test_no_command_configuration_word_or_file_path_in_the_report(report):
    """Issue 25 § 14: élus and chargés de mission read the PDF; no command line, option, configuration key or
    documentation path anywhere in it (annexes included)."""
    _, pages, _ = report
    text = " ".join(" ".join(pages).split())
    assert not re.search(r"pilier-eco [a-z]|--[a-z]|\[[a-z_.]+\]|docs/|\.md\b|\.toml\b", text), re.findall(
        r".{60}(?:pilier-eco [a-z]|--[a-z]|docs/|\.toml).{40}", text
    )


def test_annex_e_numbers_every_point_once_and_the_fiches_cite_those_numbers(report):
    """The levels' lists go on from one another (« Informations » restarted at 1 while the fiches cited n° 36),
    and every number a fiche cites is a point of annex E."""
    _, pages, js = report
    toc = _contents(pages)
    annex_e = toc["Annexe E — Tous les points de vigilance"]
    text = "\n".join(pages[annex_e - 1 : toc["Annexe F — Sources"]])
    # from the chapter's heading (a line of its own; the running headers carry the territory's name too)
    text = re.split(r"^Annexe E — Tous les points de vigilance\s*$", text, maxsplit=1, flags=re.MULTILINE)[1]
    text = re.split(r"^Annexe F — Sources\s*$", text, maxsplit=1, flags=re.MULTILINE)[0]
    numbers = [
        int(n)
        for n in re.findall(
            r"^\s*(\d+)\.\s+(?:Action|Gouvernance|Données|Enjeu|Territoire|Atelier)\b", text, re.MULTILINE
        )
    ]
    assert numbers == list(range(1, len(js["vigilance"]) + 1))
    fiches = "\n".join(pages[toc["Annexe A — Fiches action"] - 1 : toc["Annexe B — Gouvernance et partenariats"]])
    cited = {int(n) for n in re.findall(r"n°\s*(\d+) \((?:bloquant|attention|information)\)", fiches)}
    assert cited and cited <= set(numbers)

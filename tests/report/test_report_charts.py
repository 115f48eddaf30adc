"""SVG charts: well-formed, accessible (role, title, aria-label), meaning not by colour alone, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from report_factories import build_diagnostic

from toolkit.model import ACTOR_TYPES
from toolkit.report import charts
from toolkit.report import formatting as fmt
from toolkit.typography import french_text

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def diag():
    return build_diagnostic()


def parse(chart: charts.Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{NS}svg"
    alt = french_text(chart.alt)  # the SVG carries the same French typography as the page around it
    assert root.get("role") == "img" and root.get("aria-label") == alt
    assert root[0].tag == f"{NS}title" and root[0].text == alt  # first child: WeasyPrint's Alt text
    return root


def plain(text: str) -> str:
    """The words without their typography (asserted on its own below)."""
    return text.replace("\xa0", " ").replace("\u202f", " ").replace("’", "'")


def texts(root: ET.Element) -> list[str]:
    return [plain(t.text or "") for t in root.iter(f"{NS}text")]


def test_chart_labels_carry_french_typography(diag):
    """Charts travel as images: the page's typography filter never sees them, so they get their own."""
    raw = [t.text or "" for t in ET.fromstring(charts.enjeux_chart(diag.enjeux).svg).iter(f"{NS}text")]
    assert any("l’emploi" in t for t in raw) and not any("'" in t for t in raw)


def test_enjeux_chart_writes_every_label_and_score(diag):
    chart = charts.enjeux_chart(diag.enjeux)
    root = parse(chart)
    words = " ".join(texts(root))
    for e in diag.enjeux:
        if e.a_objectiver:  # never a number without data
            assert "à objectiver (aucun indicateur chiffré)" in texts(root)
        else:
            assert fmt.score(e.score) in texts(root)
        assert f"{e.rang}." in words
    assert {"Indicateurs", "Importance perçue", "Votes"} <= set(texts(root))  # legend
    fills = {r.get("fill") for r in root.iter(f"{NS}rect")}
    assert any(f and f.startswith("url(#enj-hatch") for f in fills)  # pattern, not only colour
    assert "Accès à l'emploi" in chart.alt


def test_stacked_parts_sum_to_the_score(diag):
    root = parse(charts.enjeux_chart(diag.enjeux[:1]))
    e = diag.enjeux[0]
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") == "18.0" or r.get("height") == "18"]
    width = sum(float(r.get("width")) for r in bars)
    assert width == pytest.approx(330 * e.score / 100, abs=1.0)


def test_matrix_places_every_rated_action_with_its_rank(diag):
    root = parse(charts.matrix_chart(diag.actions))
    labels = texts(root)
    for a in diag.actions:
        assert str(a.rang) in labels
    assert "Gains rapides" in labels and "Priorité" in labels


def test_matrix_lists_actions_without_ratings(diag):
    a = diag.actions[0]
    unrated = replace(a, action=replace(a.action, impact=None))
    root = parse(charts.matrix_chart((unrated, *diag.actions[1:])))
    assert any("n° 1" in t for t in texts(root))


def test_gantt_labels_prerequisites_and_hatches_them(diag):
    chart = charts.gantt_chart(diag.actions, (2024, 2030))
    root = parse(chart)
    labels = texts(root)
    assert any(t.startswith("Prérequis : ") for t in labels)
    assert "Prérequis (hachuré)" in labels and "Échéance souhaitée" in labels
    assert {str(y) for y in range(2024, 2031)} <= set(labels)
    hatched = [r for r in root.iter(f"{NS}rect") if (r.get("fill") or "").startswith("url(#chart-gantt-hatch")]
    n_pre = sum(1 for a in diag.actions for p in a.phases if p.kind == "prerequis")
    assert len(hatched) == n_pre + 1  # + legend swatch


def test_gantt_starts_with_the_first_phase_and_ends_with_the_contract(diag):
    """A phase before the period widens the axis; one past the contract's end is cut there and says until when
    (the axis does not run to 2032 for one late action)."""
    first = min(a.debut for a in diag.actions).year
    last = max(a.fin for a in diag.actions).year
    assert first < 2028 and last > 2029  # the sample's roadmap runs from 2027 to 2030
    labels = texts(parse(charts.gantt_chart(diag.actions, (2028, 2029))))
    assert str(first) in labels and "2029" in labels and str(last) not in labels
    beyond = [t for t in labels if "jusqu'en" in t or "jusqu’en" in t]
    assert beyond and all(t.endswith(str(last)) or t[-4:].isdigit() for t in beyond)


def test_partner_map_marks_absent_types_in_words(diag):
    root = parse(charts.partner_map(diag.governance, ACTOR_TYPES))
    labels = texts(root)
    assert all(t in labels for t in ACTOR_TYPES)
    assert any(t.startswith("absent") for t in labels)
    assert "3/3" in labels and "1/3" in labels  # Commune, EPCI moteurs; Région, Financeur peu impliqués


def test_workbook_text_is_escaped_in_svg():
    payload = '<script>alert(1)</script><image href="http://127.0.0.1:9/x"/>'
    diag = build_diagnostic(hostile=True, payload=payload)
    for chart in (charts.gantt_chart(diag.actions, (2024, 2030)), charts.partner_map(diag.governance, ACTOR_TYPES)):
        root = parse(chart)
        assert not list(root.iter(f"{NS}script")) and not list(root.iter(f"{NS}image"))
        assert "&lt;script&gt;" in chart.svg

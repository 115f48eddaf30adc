"""The report HTML from `diagnose()` of the real samples: one snapshot per section, content rules,
self-containment, escaping.

Snapshots live in `__snapshots__/<sample>/<nn>-<section>.html`, cut to what they protect: Carcassonne's
sections in full (text and markup; each chart shown by its accessible title only, the charts' SVG has its
own tests in test_report_charts.py), the other two samples' sections as their structure (elements and
classes, no text), so that a change of wording touches one sample's files, not three. After an intended
change of layout or wording, regenerate them and review the diff:

    PILIER_ECO_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/report/test_report_html.py -q
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_factories import build_diagnostic

from toolkit.report import render_html
from toolkit.report.view import build_view
from toolkit.report.wording import vigilance_message
from toolkit.typography import french_text

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
SAMPLES = ("carcassonne", "bedarieux", "vauvert")


#: The sample snapshotted in full; the others by structure.
FULL = "carcassonne"


def normalise(html: str) -> str:
    """Remove what may legitimately vary between runs (generation date); a chart is shown by its title."""
    html = re.sub(r"Document généré le [^<]*? avec", "Document généré le <DATE> avec", html)

    def chart(m: re.Match) -> str:
        svg = base64.b64decode(m.group(1)).decode("utf-8")
        title = re.search(r"<title>(.*?)</title>", svg, re.S) or re.search(r'aria-label="([^"]*)"', svg)
        return f'src="data:image/svg+xml;base64,…" data-snapshot-svg="{title.group(1) if title else "?"}"'

    return re.sub(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', chart, html)


def structure(html: str) -> str:
    """The element tree (tags and classes, no text) — what the templates build, not what they say; a run of
    identical siblings (table rows, list items) is one entry marked « ×N », so neither wording nor data
    repeat through the file."""
    root: list = []
    stack = [root]
    for m in re.finditer(r"<(/?)([a-zA-Z0-9]+)([^>]*?)(/?)>", html):
        closing, tag, attrs, selfclose = m.groups()
        if closing:
            if len(stack) > 1:
                stack.pop()
            continue
        cls = re.search(r'class="([^"]*)"', attrs)
        node = (tag + (f".{cls.group(1).replace(' ', '.')}" if cls else ""), [])
        stack[-1].append(node)
        if not selfclose and tag.lower() not in _VOID:
            stack.append(node[1])

    def lines(nodes: list, depth: int) -> list[str]:
        out: list[str] = []
        blocks = [[("  " * depth) + label, *lines(children, depth + 1)] for label, children in nodes]
        k = 0
        while k < len(blocks):
            n = 1
            while k + n < len(blocks) and blocks[k + n] == blocks[k]:
                n += 1
            out += [blocks[k][0] + (f" ×{n}" if n > 1 else ""), *blocks[k][1:]]
            k += n
        return out

    return "\n".join(lines(root, 0))


_VOID = {"br", "img", "col", "meta", "link", "hr", "input", "wbr", "source"}


def sections(html: str) -> dict[str, str]:
    """Top-level `<section>` elements, named `01-couverture`, `02-synthese`… after their heading's id."""
    out: dict[str, str] = {}
    depth, start = 0, 0
    for m in re.finditer(r"<section\b[^>]*>|</section>", html):
        if m.group(0).startswith("<section"):
            if depth == 0:
                start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                body = html[start : m.end()]
                heading = re.search(r'<h[12][^>]*\bid="([^"]+)"', body)
                name = heading.group(1) if heading else "couverture"
                out[f"{len(out) + 1:02d}-{name}"] = body
    return out


@pytest.fixture(scope="module", params=SAMPLES)
def sample_html(request):
    return request.param, render_html(build_diagnostic(sample=request.param))


def test_each_section_matches_its_snapshot(sample_html):
    sample, html = sample_html
    found = sections(normalise(html))
    if sample != FULL:
        found = {name: structure(body) for name, body in found.items()}
    folder = SNAPSHOTS / sample
    update = os.environ.get("PILIER_ECO_UPDATE_SNAPSHOTS") == "1"
    if update or not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.html"):
            old.unlink()
        for name, body in found.items():
            (folder / f"{name}.html").write_text(body + "\n", encoding="utf-8")
        if not update:
            pytest.fail(f"instantanés de {sample} créés : relisez-les puis relancez les tests")
    expected = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}
    assert sorted(found) == sorted(expected), "les sections du rapport ont changé"
    changed = [name for name, body in found.items() if body + "\n" != expected[name]]
    assert not changed, f"{sample} : sections changées {changed} ; vérifiez le diff puis PILIER_ECO_UPDATE_SNAPSHOTS=1"


def test_the_section_splitter_keeps_every_section():
    html = '<p>x</p><section><h1 id="a">A</h1><section>in</section></section><section><h2 id="b">B</h2></section>'
    assert list(sections(html)) == ["01-a", "02-b"] and "in" in sections(html)["01-a"]


@pytest.fixture(scope="module")
def diag():
    return build_diagnostic()


@pytest.fixture(scope="module")
def html(diag):
    return render_html(diag)


def test_head_is_french_and_described(diag, html):
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    name = french_text(diag.territoire.nom)  # « 5 quartiers »: a count never parted from its word
    assert f"<title>Emploi et développement économique — {name}</title>" in html
    assert f'<meta name="author" content="{diag.territoire.structure}">' in html
    assert '<meta name="keywords" content="contrat de ville, QPV' in html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.urls.append(v)
            if k == "id" and v:
                self.ids.append(v)

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained(html):
    c = _Collector()
    c.feed(html)
    assert "link" not in c.tags and "script" not in c.tags
    for url in c.urls:
        assert url.startswith(("#", "data:")), url
    css = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in css and "@import" not in css


def test_internal_links_and_ids_resolve_once(html):
    c = _Collector()
    c.feed(html)
    assert len(c.ids) == len(set(c.ids)), "identifiants en double"
    for url in c.urls:
        if url.startswith("#"):
            assert url[1:] in c.ids, url


def test_no_raw_python_values_or_english_in_text(html):
    c = _Collector()
    c.feed(html)
    text = " ".join(c.text)
    bad = re.search(r"\b(None|nan|NaN|True|False|null|Traceback)\b", text)
    assert bad is None, text[max(0, bad.start() - 60) : bad.end() + 20]


def test_every_section_is_present(html):
    for title in (
        "Sommaire",
        "Synthèse",
        "Portrait du territoire",
        "Enjeux",
        "Priorités",
        "Feuille de route",
        "Points de vigilance",
        "À lever avant de lancer les priorités",
        "Expériences transférables",
        "Territoires qui vous ressemblent",
        "Décisions demandées au comité de pilotage",
        "Annexe A — Fiches action",
        "Annexe B — Gouvernance et partenariats",
        "Annexe C — Méthode et comparaisons",
        "Annexe D — Qualité des données",
        "Annexe E — Tous les points de vigilance",
        "Annexe F — Sources",
        "Annexe G — Glossaire",
    ):
        assert title in html, title


def test_illustrative_values_are_badged(diag, html):
    n = sum(1 for s in diag.indicateurs if s.indicateur.illustratif)
    assert n > 0
    assert html.count('<span class="badge-illustratif">illustratif</span>') >= n


def test_one_fiche_per_retained_action(diag, html):
    retained = [a for a in diag.actions if a.priorite in (1, 2)]
    assert html.count('<article class="fiche">') == len(retained)
    not_retained = [a for a in diag.actions if a.priorite == 3]
    assert not_retained and f'id="fiche-{not_retained[0].rang}"' not in html


def test_every_vigilance_point_and_quality_issue_is_listed(diag, html):
    for v in diag.vigilance:
        assert french_text(vigilance_message(v)) in html
    for i in diag.qualite.issues:
        assert i.location in html


def test_method_annex_prints_the_weights_used(diag):
    custom = replace(diag, method=replace(diag.method, action_weights={**diag.method.action_weights, "impact": 0.35}))
    view = build_view(custom)
    assert ("Impact", "(impact − 1) ÷ 4", "35\u202f%") in view.method.action_weights
    assert "35\u202f%" in render_html(custom)


def test_missing_sheets_and_empty_lists_say_so():
    d = build_diagnostic()
    empty = replace(
        d,
        experiences=(),
        similaires=(),
        vigilance=(),
        governance=replace(d.governance, maturite=None, available=False, partners=(), gaps=(), detail=(), answers={}),
        qualite=replace(d.qualite, issues=()),
    )
    html = render_html(empty)
    assert "Aucune expérience du catalogue ne correspond" in html
    assert "feuilles Gouvernance et/ou Acteurs sont absentes" in html
    assert french_text("Aucun acteur n'est renseigné.") in html
    assert "Aucune remarque sur les données." in html
    assert "Territoires qui vous ressemblent" not in html


def test_hostile_workbook_text_is_escaped():
    payload = '<b onmouseover="x">{{ 7*7 }}</b><img src=x>'
    html = render_html(build_diagnostic(hostile=True, payload=payload))
    assert "<b onmouseover" not in html and "<img src=x>" not in html
    assert "&lt;b onmouseover=&#34;x&#34;&gt;{{ 7*7 }}&lt;/b&gt;" in html  # not evaluated by Jinja either


def test_html_written_to_path(tmp_path, diag):
    out = tmp_path / "r.html"
    html = render_html(diag, out)
    assert out.read_text(encoding="utf-8") == html


def test_long_shared_source_is_cited_once_as_a_numbered_note(diag):
    long_source = "INSEE (démographie 2015, revenus 2017), via Toulouse DataViz Hackaviz 2021 ; QPV QP034020"
    scores = tuple(
        replace(s, indicateur=replace(s.indicateur, source=long_source)) if not s.indicateur.illustratif else s
        for s in diag.indicateurs
    )
    view = build_view(replace(diag, indicateurs=scores))
    assert view.indicator_sources == (long_source,)
    cited = [r for r in view.indicators if r.source_ref]
    assert cited and all(r.source_ref == 1 for r in cited)
    assert all(r.source_ref is None for r in view.indicators if r.illustratif)
    html = render_html(replace(diag, indicateurs=scores))
    portrait = html.split('id="portrait"', 1)[1].split("<section", 1)[0]
    assert portrait.count(french_text("Hackaviz 2021 ; QPV QP034020")) == 1  # once, under the table, not on every row
    assert portrait.count("source (1)") == len(cited)


def test_ranking_table_shows_the_weight_of_each_criterion(diag):
    view = build_view(diag)
    weights = diag.method.action_weights
    total = sum(weights.values())
    assert [w for _, w in view.criteria_header] == [
        f"{round(100 * weights[c.name] / total)}\u202f%" for c in diag.actions[0].criteria
    ]
    assert view.criteria_header[0][0] == "Pertinence"


def test_enjeu_weights_live_in_the_method_annex_not_in_the_body(diag, html):
    """Élus read what each score rests on; the weights and contributions are one table of annex A."""
    parts = sections(html)
    body, annex = parts["04-enjeux"], parts["11-annexe-methode"]
    assert "Poids effectif" not in body and "Sur quoi repose ce score" in body
    rows = re.findall(
        r"<tr><td>(.*?)</td>(.*?)</tr>", annex.split('<table class="data parts">')[1].split("</table>")[0]
    )
    assert [french_text(name) for name, _ in rows] == [french_text(e.libelle) for e in diag.enjeux]
    for (_, cells), e in zip(rows, diag.enjeux, strict=False):
        assert ("à objectiver" in cells) == e.a_objectiver
        assert cells.count("absent") == sum(1 for p in e.parts if p.value is None)

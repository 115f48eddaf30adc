"""Cross-territory comparison: the pure model (toolkit.compare) and its HTML (toolkit.report.compare)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from engine_factories import action, territoire, workbook

from toolkit.compare import MAX_TRANSFERS, compare
from toolkit.diagnostic import diagnose
from toolkit.report import formatting as fmt
from toolkit.report.compare import build_compare_view, heat_style, render_compare_html
from toolkit.validate import check

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
NAMES = ("carcassonne", "bedarieux", "vauvert")


@pytest.fixture(scope="module")
def sample_diags():
    diags = []
    for name in NAMES:
        report = check(SAMPLES / f"{name}.xlsx")
        assert report.ok, name
        diags.append(diagnose(report.workbook, report=report))
    return diags


def _diag(nom: str, codes: tuple[str, ...], **kw):
    acts = tuple(action(c, row=7 + i) for i, c in enumerate(codes))
    return diagnose(workbook(territoire=territoire(nom=nom), actions=acts, **kw))


def test_heat_table_has_one_cell_per_territory_with_the_engine_score(sample_diags):
    cmp = compare(sample_diags, [f"{n}.xlsx" for n in NAMES])
    assert [t.court for t in cmp.territories] == ["Carcassonne", "Bédarieux", "Vauvert"]
    assert [t.source for t in cmp.territories] == [f"{n}.xlsx" for n in NAMES]
    for row in cmp.enjeux:
        assert len(row.cells) == 3
        for d, cell in zip(sample_diags, row.cells, strict=False):
            e = next((e for e in d.enjeux if e.code == row.code), None)
            if e is not None and e.a_objectiver:  # as in the territory's own report: no score
                assert cell.score is None and cell.a_objectiver and cell.niveau is None
            else:
                assert (cell.score, cell.rang) == ((e.score, e.rang) if e else (None, None))
    emploi = next(r for r in cmp.enjeux if r.code == "EMPLOI")
    assert emploi.spread == max(c.score for c in emploi.cells) - min(c.score for c in emploi.cells)
    mobilite = next(r for r in cmp.enjeux if r.code == "MOBILITE")  # à objectiver in the three samples
    assert all(c.a_objectiver and c.score is None for c in mobilite.cells) and mobilite.spread is None


def test_common_and_specific_actions_partition_every_planned_action(sample_diags):
    cmp = compare(sample_diags)
    planned = sum(len(d.actions) for d in sample_diags)
    in_rows = sum(len(a.territories) for a in cmp.common_actions + cmp.specific_actions)
    assert in_rows == planned
    assert all(len(a.territories) >= 2 for a in cmp.common_actions)
    assert all(len(a.territories) == 1 for a in cmp.specific_actions)
    # MOB_PLATEFORME is planned in Carcassonne and Bédarieux, not in Vauvert
    mob = next(a for a in cmp.common_actions if a.key == "MOB_PLATEFORME")
    assert mob.territories == (0, 1)


def test_local_actions_are_matched_by_normalised_title_never_by_row():
    """Issue 22: the same cell in two workbooks is not the same action; the same title is."""
    a = _diag("Alpha – A", ("COM_BOUTIQUE_ESSAI",))
    libre = action("LIBRE", row=9, intitule="Marché du samedi", champ="Commerce", enjeux=("COMMERCE",))
    other = action("LIBRE", row=9, intitule="Épicerie solidaire", champ="Commerce", enjeux=("COMMERCE",))
    same = action("LIBRE", row=14, intitule="  MARCHÉ du Samedi ! ", champ="Commerce", enjeux=("COMMERCE",))
    b = diagnose(workbook(territoire=territoire(nom="Beta – B"), actions=(libre,)))
    c = diagnose(workbook(territoire=territoire(nom="Gamma – C"), actions=(other,)))
    d = diagnose(workbook(territoire=territoire(nom="Delta – D"), actions=(same,)))
    cmp = compare([a, b, c, d])
    assert [(x.key, x.territories) for x in cmp.common_actions] == [("LIBRE:marche du samedi", (1, 3))]
    assert sorted(x.key for x in cmp.specific_actions) == ["COM_BOUTIQUE_ESSAI", "LIBRE:epicerie solidaire"]
    # same cell A9 in Beta and Gamma, different actions: never matched
    assert not any({1, 2} <= set(x.territories) for x in cmp.common_actions)


def test_transfers_offer_tier_one_actions_the_other_lacks_and_never_what_it_has():
    a = _diag("Alpha", ("COM_BOUTIQUE_ESSAI", "MOB_PERMIS"))
    b = _diag("Beta", ("MOB_PERMIS",))
    cmp = compare([a, b])
    tier1_a = {s.key for s in a.actions if s.priorite == 1}
    to_b = {t.key for t in cmp.transfers if t.to == 1}
    assert to_b == tier1_a - {"MOB_PERMIS"}
    assert all(t.source == 0 for t in cmp.transfers if t.to == 1)
    assert not [t for t in cmp.transfers if t.to == 0 and t.key == "MOB_PERMIS"]


def test_transfers_cite_the_experiences_matched_in_the_source_territory(sample_diags):
    cmp = compare(sample_diags)
    for t in cmp.transfers:
        src = sample_diags[t.source]
        expected = {f"{m.experience.titre} ({m.experience.lieu})" for m in src.experiences if t.key in m.actions}
        assert set(t.experiences) == expected
        assert t.key not in {a.key for a in sample_diags[t.to].actions}
    assert any(t.experiences for t in cmp.transfers)
    per = [sum(1 for t in cmp.transfers if t.to == i) for i in range(3)]
    assert all(n <= MAX_TRANSFERS for n in per)
    assert all(left == 0 or n == MAX_TRANSFERS for n, left in zip(per, cmp.transfers_left_out, strict=False))


def test_shared_vigilance_needs_the_same_rule_and_object_in_two_territories(sample_diags):
    cmp = compare(sample_diags)
    assert cmp.shared_vigilance
    for s in cmp.shared_vigilance:
        assert len(s.territories) >= 2
        for i in s.territories:
            assert any(v.rule == s.rule and v.ref == s.ref for v in sample_diags[i].vigilance)
    levels = [s.niveau for s in cmp.shared_vigilance]
    order = {"bloquant": 0, "attention": 1, "info": 2}
    assert levels == sorted(levels, key=order.get)


def test_coverage_counts_scored_and_illustratif_indicators(sample_diags):
    cmp = compare(sample_diags)
    for d, c in zip(sample_diags, cmp.coverage, strict=False):
        assert c.indicateurs == len(d.indicateurs)
        assert c.notes == sum(1 for s in d.indicateurs if s.score is not None)
        assert c.illustratifs == sum(1 for s in d.indicateurs if s.indicateur.illustratif)
        assert all(not s.lower().startswith("illustratif") for s in c.sources)
        assert 0 <= c.share_illustratif <= 1


def test_one_territory_is_not_a_comparison(sample_diags):
    with pytest.raises(ValueError, match="au moins deux"):
        compare(sample_diags[:1])


def test_same_short_name_falls_back_to_full_names():
    a = _diag("Ville – Nord", ("COM_BOUTIQUE_ESSAI",))
    b = _diag("Ville – Sud", ("COM_BOUTIQUE_ESSAI",))
    assert [t.court for t in compare([a, b]).territories] == ["Ville – Nord", "Ville – Sud"]
    twice = compare([a, a], ["ville-2024.xlsx", "ville-2025.xlsx"]).territories
    assert [(t.court, t.homonyme, t.source) for t in twice] == [
        ("Ville", True, "ville-2024.xlsx"),
        ("Ville", True, "ville-2025.xlsx"),
    ]
    assert all(t.date == a.territoire.date_diagnostic for t in twice)


class _Cells(HTMLParser):
    """Texts of the heat table cells, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_heat = self.in_cell = False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "table" and "heat" in cls:
            self.in_heat = True
        if self.in_heat and tag == "tr":
            self.rows.append([])
        if self.in_heat and tag == "span" and cls == "v":  # the number written in the cell
            self.in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_heat = False
        if tag == "span":
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.rows[-1][-1] += data


def test_html_writes_every_score_in_its_heat_cell(sample_diags, tmp_path):
    cmp = compare(sample_diags, [f"{n}.xlsx" for n in NAMES])
    out = tmp_path / "c.html"
    html = render_compare_html(cmp, out)
    assert out.read_text(encoding="utf-8") == html
    for name in ("Carcassonne", "Bédarieux", "Vauvert"):
        assert name in html
    parser = _Cells()
    parser.feed(html)
    rows = [r for r in parser.rows if r]
    assert len(rows) == len(cmp.enjeux)
    for row, model in zip(rows, cmp.enjeux, strict=False):
        for text, cell in zip(row, model.cells, strict=False):
            assert text == fmt.score(cell.score)
    for title in (
        "Les enjeux côte à côte",
        "Actions communes",
        "Actions propres à un territoire",
        "Points de vigilance partagés",
        "Ce que chaque territoire peut reprendre des autres",
        "Couverture des données",
    ):
        assert title in html
    assert "http://" not in html and "https://" not in html.split("<body>")[0]


def test_workbook_text_is_escaped_in_the_comparison():
    evil = "<script>alert(1)</script>"
    a = _diag(evil, ("COM_BOUTIQUE_ESSAI",))
    b = _diag("Beta", ("MOB_PERMIS",))
    html = render_compare_html(compare([a, b]))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_heat_colour_doubles_the_number_and_keeps_text_readable():
    assert heat_style(None, "#B5562B").startswith("background:#FFFFFF")
    low, high = heat_style(0, "#B5562B"), heat_style(100, "#B5562B")
    assert "color:#111111" in low and "color:#FFFFFF" in high
    view = build_compare_view(compare([_diag("A", ("COM_BOUTIQUE_ESSAI",)), _diag("B", ("MOB_PERMIS",))]))
    assert all(c.text for r in view.heat for c in r.cells)


def test_points_raised_everywhere_are_grouped_once_without_the_names(sample_diags):
    cmp = compare(sample_diags, [f"{n}.xlsx" for n in NAMES])
    view = build_compare_view(cmp)
    everywhere = [s for s in cmp.shared_vigilance if len(s.territories) == len(NAMES)]
    assert everywhere and len(everywhere) < len(cmp.shared_vigilance)  # the samples have both kinds
    assert len(view.vigilance_everywhere) == len(everywhere)
    assert len(view.vigilance) == len(cmp.shared_vigilance) - len(everywhere)
    assert all(row.territories.count(",") == 1 for row in view.vigilance)  # two of three: both named
    html = render_compare_html(cmp)
    assert f"Relevés dans tous les territoires ({len(everywhere)})" in html


def test_many_territories_read_as_all_but(sample_diags):
    from toolkit.report.compare import _who

    names = [f"T{i}" for i in range(12)]
    assert _who(range(11), names) == "tous sauf T11"
    assert _who([0, 3], names) == "T0, T3"


def test_two_workbooks_of_the_same_territory_are_labelled_by_file_and_date():
    from toolkit.report.compare import build_compare_view

    a = _diag("Ville – Nord", ("COM_BOUTIQUE_ESSAI",))
    view = build_compare_view(compare([a, a], ["ville-2024.xlsx", "ville-2025.xlsx"]))
    labels = [short for short, _ in view.territories]
    assert labels[0] != labels[1]
    assert "ville-2024.xlsx" in labels[0] and "ville-2025.xlsx" in labels[1]
    assert all(str(a.territoire.date_diagnostic.year) in label for label in labels)


def test_comparison_figures_equal_each_territory_own_json(sample_diags):
    """Every enjeu score of the comparison is the one of the territory's own JSON (null when à objectiver)."""
    from toolkit.report.records import to_json

    cmp = compare(sample_diags)
    for i, d in enumerate(sample_diags):
        own = {e["code"]: e["score"] for e in to_json(d)["enjeux"]}
        for row in cmp.enjeux:
            cell = row.cells[i]
            assert (None if cell.score is None else round(cell.score, 1)) == own.get(row.code)

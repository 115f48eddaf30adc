"""`report.view.build_view` tested directly on `diagnose()` of the real samples: what each section shows is
the engine's result, on the engine's scales (scores 0–100, shares 0–1), formatted in French."""

from __future__ import annotations

import re

import pytest
from report_factories import build_diagnostic

from toolkit.report import formatting as fmt
from toolkit.report import wording
from toolkit.report.view import build_view, is_retained


@pytest.fixture(scope="module", params=["carcassonne", "bedarieux", "vauvert"])
def pair(request):
    diag = build_diagnostic(sample=request.param)
    return diag, build_view(diag)


def test_every_action_is_ranked_once_with_its_score_and_criteria(pair):
    diag, view = pair
    assert [r.key for r in view.actions] == [a.key for a in diag.actions]
    for row, a in zip(view.actions, diag.actions, strict=False):
        assert row.score == fmt.score(a.score) and row.priorite == a.priorite
        assert [imputed for _, _, imputed in row.criteria] == [c.imputed for c in a.criteria]
        assert [value for _, value, _ in row.criteria] == [fmt.score(c.normalised * 100) for c in a.criteria]
    shares = [float(s.replace("\u202f%", "").replace(",", ".")) for _, s in view.criteria_header]
    assert sum(shares) == pytest.approx(100, abs=len(shares))  # rounded shares of the weights


def test_enjeux_are_shown_with_their_parts_and_words(pair):
    diag, view = pair
    assert [b.code for b in view.enjeux] == [e.code for e in diag.enjeux]
    for block, e in zip(view.enjeux, diag.enjeux, strict=False):
        assert block.score == ("à objectiver" if e.a_objectiver else fmt.score(e.score)) and block.libelle == e.libelle
        assert [p.detail for p in block.parts] == [wording.part_detail(p) for p in e.parts]
        labels = {d.code: d.libelle for d in diag.definitions.indicators}
        assert set(block.indicateurs) <= set(labels.values()) | set(e.indicateurs)


def test_experience_relevance_is_the_engine_score_over_100(pair):
    diag, view = pair
    for shown, m in zip(view.experiences, diag.experiences, strict=False):
        assert 0 < m.score <= 100  # the engine's scale: the view never guesses it
        assert shown.pertinence == fmt.share(m.score / 100)
        assert shown.reasons == wording.experience_reasons(m.reasons, diag.definitions.enjeu_label)
        assert not any(e.code in " ".join(shown.reasons) for e in diag.definitions.enjeux)  # names, not codes


def test_one_fiche_per_retained_action_and_every_point_grouped(pair):
    diag, view = pair
    assert [f.key for f in view.fiches] == [a.key for a in diag.actions if is_retained(a)]
    assert view.n_vigilance == len(diag.vigilance)
    shown = [item.message for group in view.vigilance for item in group.items]
    assert sorted(shown) == sorted(wording.vigilance_message(p) for p in diag.vigilance)


def test_cover_names_communes_from_the_definitions_the_diagnostic_carries(pair):
    diag, view = pair
    for code, name in diag.definitions.communes:
        assert f"{name} ({code})" in view.cover.communes


def test_method_annex_cites_configuration_and_critical_gaps(pair):
    diag, view = pair
    assert "Paramètres par défaut" in view.method.config_source
    bounded = [
        d
        for d in diag.definitions.indicators
        if d.ecart_critique is not None and any(s.indicateur.code == d.code for s in diag.indicateurs)
    ]
    assert len(view.method.ecarts_critiques) == len(bounded)


def test_the_synthesis_speaks_to_elus_in_the_editorial_order():
    from datetime import date as _date

    from report_factories import SAMPLES as _SAMPLES

    import toolkit as pe
    from toolkit.report.view import build_view as _build

    d = pe.diagnose(pe.read(_SAMPLES / "carcassonne.xlsx"), today=_date(2026, 12, 2))
    view = _build(d)
    headings = [h for h, _ in view.narrative]
    assert headings == [
        "La situation",
        "Les enjeux",
        "Les priorités et pourquoi",
        "Ce qui bloque ou reste à trancher",
        "Qui fait quoi en 2027",
    ]
    text = " ".join(t for _, t in view.narrative)
    assert "Bastide Pont-Vieux" in text and "mi-parcours de 2027" in text
    assert any("données qui manquent" in d and "Mobilité vers l'emploi" in d for d in view.decisions)  # à objectiver
    # editorial.md §2: no « et N autres », no sentence starting with a digit, partners named as the workbook does
    assert not re.search(r"\bet \d+ autres?\b", text)
    assert not re.search(r"(?:^|[.!?] )\d", text)
    assert "Mission locale de l'Ouest audois" in text and "Actions!" not in text
    assert view.decisions and all(d.endswith(".") for d in view.decisions)
    assert "Actions!" not in text and "Dirichlet" not in text and "Borda" not in text
    assert view.par_quartier is not None and len(view.par_quartier[0]) == 5
    assert "géographie prioritaire 2015" in view.cover.donnees


def test_a_fiche_points_to_its_vigilance_points_by_number_instead_of_repeating_them(pair):
    diag, view = pair
    number = {(item.ref, item.message): item.numero for group in view.vigilance for item in group.items}
    assert any(f.vigilance for f in view.fiches)
    for f in view.fiches:
        expected = sorted(
            number[(p.ref, wording.vigilance_message(p))]
            for p in diag.vigilance
            if p.objet == "action" and p.ref == f.key
        )
        assert [n for _, n in f.vigilance] == expected


def test_synthesis_cards_and_narrative_never_call_a_weak_enjeu_a_priority(pair):
    diag, view = pair
    level = {e.code: (e.niveau, e.a_objectiver) for e in diag.enjeux}
    assert all(level[c.code][0] in ("fort", "moyen") and not level[c.code][1] for c in view.top_enjeux)
    found = dict(view.narrative)["Les enjeux"]
    for e in diag.enjeux:
        if e.niveau == "faible" and not e.a_objectiver:
            assert f"« {e.libelle} » ressort" not in found


def test_the_synthesis_names_a_disagreement_between_the_room_and_the_figures():
    """editorial.md §1: Bédarieux commerce, perception 100/100 and data 0/100, is not called « marqué »."""
    from datetime import date as _date

    from report_factories import SAMPLES as _SAMPLES

    import toolkit as pe
    from toolkit.report.view import build_view as _build

    d = pe.diagnose(pe.read(_SAMPLES / "bedarieux.xlsx"), today=_date(2026, 12, 7))
    text = dict(_build(d).narrative)["Les enjeux"]
    assert "« Commerce et services de proximité » compte pour les acteurs" in text
    assert "les données ne le confirment pas" in text
    assert "« Commerce et services de proximité » ressort" not in text

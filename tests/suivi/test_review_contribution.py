"""The annual review as the economic pillar's contribution to the rapport annuel (décret n° 2015-1118): its
title, the means by funder, « avis reçus et suites données », the consultation procedure, corrections told
apart from improvements, questions once, no blank first page, no command-line words (issue 23 point 6)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from pdf_helpers import pdf_text

from suivi.helpers import snapshot_of, yearly_workbook
from toolkit.report.review import render_review_html, render_review_pdf
from toolkit.suivi.review import AvisError, build_review, read_avis

FUNDED = {
    "ACC_MICROCREDIT": {
        "Statut (suivi)": "en cours",
        "Budget engagé (€)": 15000,
        "Budget réalisé (€)": 9000,
        "Financeur principal": "Région Occitanie",
        "Nature des crédits": "Droit commun",
    },
    "MOB_PERMIS": {
        "Statut (suivi)": "en cours",
        "Budget engagé (€)": 20000,
        "Financeur principal": "État — crédits politique de la ville",
        "Nature des crédits": "Crédits spécifiques",
    },
}
AVIS = """Instance : Conseil citoyen de La Conte
Date : 1er octobre 2026
Point soulevé : la mobilité des jeunes vers les zones d'activités
Suite donnée : la plateforme de mobilité est avancée en 2027
Décidée par : comité de pilotage du 12 novembre 2026
---
Le conseil citoyen demande que la mobilité des jeunes soit traitée en priorité.
"""


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    d = tmp_path_factory.mktemp("contribution")
    y1 = snapshot_of(yearly_workbook(d, 2025))
    y2 = snapshot_of(yearly_workbook(d, 2026, follow_up=FUNDED))
    avis = d / "avis.txt"
    avis.write_text(AVIS, encoding="utf-8")
    silent = d / "avis-sans-suite.txt"
    silent.write_text("Avis libre, sans en-tête.", encoding="utf-8")
    return build_review([y1, y2], avis=(read_avis(avis), read_avis(silent)))


def _text(html: str) -> str:
    flat = re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return " ".join(flat.split())


def test_means_mobilised_by_funder_and_nature(review):
    means = {(m.financeur, m.nature): m for m in review.means}
    region = means[("Région Occitanie", "Droit commun")]
    assert (region.engage, region.realise, region.actions) == (15000, 9000, 1)
    assert means[("État — crédits politique de la ville", "Crédits spécifiques")].engage == 20000
    assert (None, None) in means  # actions whose funder is not named yet are grouped, never dropped
    assert sum(m.actions for m in review.means) == len(review.actions)


def test_the_document_is_a_contribution_with_avis_and_their_follow_up(review):
    text = _text(render_review_html(review))
    assert "Contribution du volet « emploi et développement économique » au rapport annuel 2026" in text
    assert "qui porte sur l'ensemble du contrat de ville" in text.replace("’", "'")
    assert "4. Moyens mobilisés" in text and "Région Occitanie" in text
    # avis, date, point raised, response, instance — and the one without a response is asked about
    assert "Conseil citoyen de La Conte 1er octobre 2026" in text
    assert "la plateforme de mobilité est avancée en 2027 comité de pilotage du 12 novembre 2026" in text
    assert "à donner" in text and any("suite donner à l'avis" in q for q in review.questions)
    assert "Procédure de consultation" in text and "réputé favorable" in text
    assert "--avis" not in text and "option" not in text  # no command-line words in the document


def test_questions_appear_once(review):
    html = render_review_html(review)
    for q in review.questions:
        assert _text(html).count(_text(q)) == 1, q


def test_a_same_year_value_that_changed_is_a_correction(review):
    t = review.indicators[0]
    b = t.points[0]
    moved = replace(t, points=(b, replace(b, situation=t.points[-1].situation, valeur=(b.valeur or 0) + 3)))
    assert moved.evolution == "correction" and moved.stale
    later = replace(
        t,
        points=(
            b,
            replace(b, situation=t.points[-1].situation, valeur=(b.valeur or 0) + 3, annee=(b.annee or 2020) + 1),
        ),
    )
    assert later.evolution in ("amélioration", "dégradation")


def test_no_blank_first_page(review, tmp_path):
    from pypdf import PdfReader

    pdf = render_review_pdf(review, tmp_path / "revue.pdf")
    first = PdfReader(pdf).pages[0].extract_text()
    assert "Contribution du volet" in first
    # issue 25 § 14: a document for the comité names no command, option, configuration key nor file path
    text = " ".join(pdf_text(pdf).split())
    assert not re.search(r"pilier-eco [a-z]|--[a-z]|\[[a-z_]+\]|docs/|\.md\b|\.toml\b", text), text


def test_an_avis_with_a_header_but_no_text_is_refused(tmp_path):
    p = tmp_path / "avis.txt"
    p.write_text("Instance : Conseil citoyen\n---\n", encoding="utf-8")
    with pytest.raises(AvisError, match="texte de l'avis manque"):
        read_avis(p)


def test_the_funding_is_recorded_with_the_snapshot_and_read_back(tmp_path):
    """Schema 5: the main funder travels through the base, so next year's contribution still knows it."""
    from toolkit.suivi.store import open_base

    snap = snapshot_of(yearly_workbook(tmp_path, 2026, follow_up=FUNDED))
    with open_base(tmp_path / "s.sqlite") as base:
        base.record(snap)
        (back,) = base.snapshots(snap.territoire)
    assert back.action("ACC_MICROCREDIT").financeur == "Région Occitanie"
    assert back.action("MOB_PERMIS").nature_financement == "Crédits spécifiques"
    assert back.empreinte == snap.empreinte

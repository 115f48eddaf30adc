"""Several quartiers are never only averaged: each one's own figures travel with the diagnostic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import toolkit as pe

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def test_carcassonne_shows_its_five_quartiers_beside_the_aggregate():
    d = pe.diagnose(pe.read(SAMPLES / "carcassonne.xlsx"), today=date(2026, 12, 2))
    assert [q.code for q in d.par_quartier] == ["QP011002", "QP011003", "QP011004", "QP011005", "QP011006"]
    poverty = {q.nom: dict(q.valeurs)["PAUVRETE"] for q in d.par_quartier}
    aggregate = next(s.indicateur.valeur_quartier for s in d.indicateurs if s.indicateur.code == "PAUVRETE")
    # the centre-ville (Bastide) is far below the aggregate, Le Viguier far above: the average hides both
    assert min(poverty.values()) < aggregate - 5 < aggregate + 5 < max(poverty.values())
    data = pe.to_json(d)
    assert len(data["par_quartier"]) == 5 and data["donnees"]["geographie"] == "2015"


def test_a_single_quartier_needs_no_breakdown():
    d = pe.diagnose(pe.read(SAMPLES / "vauvert.xlsx"), today=date(2026, 12, 2))
    assert d.par_quartier == ()


def test_a_zero_density_that_may_be_missing_never_makes_the_worst_quartier():
    """Grazailles' 0 ‰ of service establishments (INSEE's file writes 0 where a figure may be missing; the
    pre-fill says « à vérifier ») no longer doubles the commerce score; the worst is a quartier with a figure,
    and the synthesis names it with its article contracted (« au Viguier », never « à Le Viguier »)."""
    from toolkit.report.view.synthesis import narrative

    d = pe.diagnose(pe.read(SAMPLES / "carcassonne.xlsx"), today=date(2026, 12, 7))
    by_code = {q.code: dict(q.valeurs) for q in d.par_quartier}
    services = next(s for s in d.indicateurs if s.indicateur.code == "SERVICES_1000_HAB")
    assert by_code["QP011006"]["SERVICES_1000_HAB"] == 0  # Grazailles, as the file gives it
    assert services.pire_quartier not in (None, "QP011006")
    assert by_code[services.pire_quartier]["SERVICES_1000_HAB"] > 0
    text = " ".join(body for _, body in narrative(d))
    assert "à Grazailles" not in text and "à Le " not in text and "au Viguier - Saint-Jacques" in text


def test_a_zero_that_may_be_missing_is_marked_in_the_portrait_table():
    """Grazailles' 0 establishments and Fleming's 0 job seekers were printed as plain figures."""
    from toolkit.report.render import render_report_html
    from toolkit.report.view.assemble import build_view

    d = pe.diagnose(pe.read(SAMPLES / "carcassonne.xlsx"), today=date(2026, 12, 7))
    header, rows = build_view(d).par_quartier
    by_label = {label: values for label, _, values in rows}
    etab = next(v for k, v in by_label.items() if k.startswith("Établissements pour 1 000"))
    assert etab[header.index(next(h for h in header if h.startswith("Grazailles")))] == "0*"
    assert not any("0*" in v for k, v in by_label.items() if k.endswith("(%)"))  # a rate of 0 % is a figure
    assert "valeur nulle dans le fichier de l’INSEE, peut-être une donnée manquante" in render_report_html(d)

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

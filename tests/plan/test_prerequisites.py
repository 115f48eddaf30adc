"""The method's prerequisites per action: status cells and catalogue conditions, with why, who, how long."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import toolkit as pe

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _needs(sample: str):
    d = pe.diagnose(pe.read(SAMPLES / f"{sample}.xlsx"), today=date(2026, 12, 2))
    return {a.key: a.needs for a in d.actions if a.needs}  # stored in the Diagnostic by diagnose


def test_tzcld_needs_its_national_steps_with_why_who_and_duration():
    tz = {n.quoi: n for n in _needs("bedarieux")["EMP_TZCLD"]}
    # domain-facts §8: the habilitation step after 2026 is uncertain, shown in parallel with the date checked
    hab = tz["Habilitation ou conventionnement selon le cadre 2027 (incertain)"]
    assert hab.origine == "catalogue" and not hab.bloquant and hab.duree_mois == 15
    assert "décret" in hab.pourquoi and "07/12/2026" in hab.pourquoi and hab.source.startswith("http")
    assert hab.debut is not None and hab.fin is not None
    assert tz["Diagnostic préalable"].origine == "classeur" and str(tz["Diagnostic préalable"].cell) == "Actions!J13"
    assert tz["Cadre légal après 2026"].debut is None  # a check, not a phase


def test_workbook_status_cells_still_count():
    needs = _needs("vauvert")
    # « Fait » / « Sans objet » everywhere: the catalogue conditions are only to confirm
    clauses = needs["EMP_CLAUSES_SOCIALES"]
    assert [n.origine for n in clauses] == ["catalogue"] and clauses[0].a_confirmer and clauses[0].debut is None
    assert all(n.statut in ("À faire", "En cours") for v in needs.values() for n in v if n.origine == "classeur")

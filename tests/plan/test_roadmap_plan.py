"""Feuille de route: semesters, prerequisites first, tiers staggered, wished deadlines."""

from dataclasses import replace
from datetime import date

import pytest
from engine_factories import action

from toolkit.catalog import packaged_catalogue
from toolkit.config import ActionWeights, Tiers
from toolkit.plan.roadmap import add_months, first_start, next_semester, plan
from toolkit.score.actions import ActionContext, score_actions

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

DURATIONS = {"Diagnostic préalable": 4, "Étude de faisabilité": 6, "Mobilisation des partenaires": 3}


def scored(*actions, ctx=None):
    """Scored actions; without a context every action is put in priority 1 to test dates alone."""
    out = score_actions(actions, ctx or ActionContext({}, (), CAT), ActionWeights(), Tiers())
    return out if ctx else tuple(replace(s, priorite=1) for s in out)


def test_semester_helpers():
    assert next_semester(date(2024, 3, 15)) == date(2024, 7, 1)
    assert next_semester(date(2024, 7, 1)) == date(2025, 1, 1)
    assert add_months(date(2024, 7, 1), 8) == date(2025, 3, 1)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize(
    "diag, periode, expected",
    [(date(2024, 3, 15), (2024, 2030), date(2024, 7, 1)), (date(2023, 10, 1), (2024, 2030), date(2024, 1, 1)),
     (date(2024, 9, 1), None, date(2025, 1, 1)), (date(2024, 3, 1), (2026, 2030), date(2026, 1, 1))],
)  # fmt: skip
def test_never_before_the_semester_after_the_diagnostic_nor_the_period(diag, periode, expected):
    assert first_start(diag, periode) == expected


def test_prerequisites_first_then_action_at_next_semester():
    # catalogue: diagnostic 3 months for this action (replaces the default 4), study 6 (default), partners 3,
    # and its own condition « locaux vacants disponibles… » (4 months, blocking) after the diagnostic
    a = action("COM_BOUTIQUE_ESSAI", prerequis=("À faire", "À faire", "En cours"))
    (s,) = plan(scored(a), date(2024, 3, 15), (2024, 2030), DURATIONS, catalogue=CAT)
    kinds = [(p.label, p.kind, p.origine) for p in s.phases]
    assert kinds[:3] == [("Diagnostic préalable", "prerequis", "classeur"), ("Étude de faisabilité", "prerequis", "classeur"),
                         ("Mobilisation des partenaires", "prerequis", "classeur")]  # fmt: skip
    assert kinds[3][0].startswith("Locaux vacants") and kinds[3][2] == "catalogue"
    assert s.phases[0].debut == date(2024, 7, 1) and s.phases[1].debut == date(2024, 10, 1)
    assert s.phases[2].fin == date(2024, 8, 31)  # « En cours »: half of 3 months, rounded up
    assert (s.phases[3].debut, s.phases[3].fin) == (date(2024, 10, 1), date(2025, 1, 31))
    assert s.debut == date(2025, 4, 1)  # the month after the study ends (2025-03-31)
    assert s.fin == date(2026, 3, 31) and s.phases[-1].kind == "action"


def test_no_prerequisite_left_starts_at_first_semester():
    (s,) = plan(
        scored(action(prerequis=("Fait", "Sans objet", "Fait"))), date(2024, 3, 15), None, DURATIONS, catalogue=CAT
    )
    assert s.debut == date(2024, 7, 1) and len(s.phases) == 1


def test_lower_tiers_start_later_unless_deadline_needs_earlier():
    ctx = ActionContext({"COMMERCE": 100.0, "ENTREPRENEURIAT": 100.0}, (), CAT)
    strong = action(row=7, impact=5, faisabilite=5, cout=10_000)
    weak = action(row=8, impact=1, faisabilite=1, cout=2_000_000)
    weak_wish = action(row=9, impact=1, faisabilite=1, cout=2_000_000, echeance="2024-S2")
    out = {
        s.action.cell.ref: s
        for s in plan(scored(strong, weak, weak_wish, ctx=ctx), date(2024, 3, 15), None, DURATIONS, catalogue=CAT)
    }
    assert out["A7"].priorite == 1 and out["A8"].priorite > 1
    assert out["A7"].debut == date(2024, 7, 1)
    assert out["A8"].debut > out["A7"].debut
    assert out["A9"].debut == date(2024, 7, 1) and out["A9"].echeance_tenue is True


def test_deadline_is_about_engaging_the_action():
    a = action("EMP_TZCLD", prerequis=("À faire", "À faire", "Fait"), echeance="2024-S2")  # starts 2025-05
    (s,) = plan(scored(a), date(2024, 3, 15), None, DURATIONS, catalogue=CAT)
    assert s.echeance_tenue is False
    # every prerequisite declared done: the catalogue's conditions are not planned; a running service lasts
    # to the contract's end
    b = action("EMP_TZCLD", prerequis=("Fait", "Sans objet", "Fait"), echeance="2024-S2")
    (s,) = plan(scored(b), date(2024, 3, 15), None, DURATIONS, catalogue=CAT)
    assert s.echeance_tenue is True and s.debut == date(2024, 7, 1) and s.fin == date(2030, 12, 31)
    assert s.en_continu and len(s.phases) == 1


def test_no_deadline_gives_none():
    (s,) = plan(scored(action()), date(2024, 3, 15), None, DURATIONS, catalogue=CAT)
    assert s.echeance_tenue is None


def test_local_action_takes_default_duration():
    (s,) = plan(
        scored(action("LIBRE", prerequis=("Fait", "Fait", "Fait"))), date(2024, 3, 15), None, DURATIONS, catalogue=CAT
    )
    assert (s.debut, s.fin) == (date(2024, 7, 1), date(2025, 6, 30))

"""Feuille de route: semesters, prerequisites first, tiers staggered, wished deadlines."""

from dataclasses import replace
from datetime import date

import pytest

from engine_factories import action
from toolkit.config import ActionWeights, Tiers
from toolkit.plan.roadmap import add_months, first_start, next_semester, plan, semester_label
from toolkit.score.actions import ActionContext, score_actions

DURATIONS = {"Diagnostic préalable": 4, "Étude de faisabilité": 6, "Mobilisation des partenaires": 3}


def scored(*actions, ctx=None):
    """Scored actions; without a context every action is put in priority 1 to test dates alone."""
    out = score_actions(actions, ctx or ActionContext({}, ()), ActionWeights(), Tiers())
    return out if ctx else tuple(replace(s, priorite=1) for s in out)


def test_semester_helpers():
    assert next_semester(date(2024, 3, 15)) == date(2024, 7, 1)
    assert next_semester(date(2024, 7, 1)) == date(2025, 1, 1)
    assert semester_label(date(2025, 8, 1)) == "2025-S2"
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
    a = action("COM_BOUTIQUE_ESSAI", prerequis=("À faire", "À faire", "En cours"))  # 4 + 6 then 12 months
    (s,) = plan(scored(a), date(2024, 3, 15), (2024, 2030), DURATIONS)
    kinds = [(p.label, p.kind) for p in s.phases]
    assert kinds[:3] == [("Diagnostic préalable", "prerequis"), ("Étude de faisabilité", "prerequis"),
                         ("Mobilisation des partenaires", "prerequis")]  # fmt: skip
    assert s.phases[0].debut == date(2024, 7, 1) and s.phases[1].debut == date(2024, 11, 1)
    assert s.phases[2].fin == date(2024, 8, 31)  # « En cours »: half of 3 months, rounded up
    assert s.debut == date(2025, 5, 1)  # the month after the study ends (2025-04-30)
    assert s.fin == date(2026, 4, 30) and s.phases[-1].kind == "action"


def test_no_prerequisite_left_starts_at_first_semester():
    (s,) = plan(scored(action(prerequis=("Fait", "Sans objet", "Fait"))), date(2024, 3, 15), None, DURATIONS)
    assert s.debut == date(2024, 7, 1) and len(s.phases) == 1


def test_lower_tiers_start_later_unless_deadline_needs_earlier():
    ctx = ActionContext({"COMMERCE": 100.0, "ENTREPRENEURIAT": 100.0}, ())
    strong = action(row=7, impact=5, faisabilite=5, cout=10_000)
    weak = action(row=8, impact=1, faisabilite=1, cout=2_000_000)
    weak_wish = action(row=9, impact=1, faisabilite=1, cout=2_000_000, echeance="2024-S2")
    out = {s.action.cell.ref: s for s in plan(scored(strong, weak, weak_wish, ctx=ctx), date(2024, 3, 15), None, DURATIONS)}
    assert out["A7"].priorite == 1 and out["A8"].priorite > 1
    assert out["A7"].debut == date(2024, 7, 1)
    assert out["A8"].debut > out["A7"].debut
    assert out["A9"].debut == date(2024, 7, 1) and out["A9"].echeance_tenue is True


def test_deadline_is_about_engaging_the_action():
    a = action("EMP_TZCLD", prerequis=("À faire", "À faire", "Fait"), echeance="2024-S2")  # starts 2025-05
    (s,) = plan(scored(a), date(2024, 3, 15), None, DURATIONS)
    assert s.echeance_tenue is False
    b = action("EMP_TZCLD", prerequis=("Fait", "Sans objet", "Fait"), echeance="2024-S2")  # 36 months, starts 2024-07
    (s,) = plan(scored(b), date(2024, 3, 15), None, DURATIONS)
    assert s.echeance_tenue is True and s.fin == date(2027, 6, 30)


def test_no_deadline_gives_none():
    (s,) = plan(scored(action()), date(2024, 3, 15), None, DURATIONS)
    assert s.echeance_tenue is None


def test_local_action_takes_default_duration():
    (s,) = plan(scored(action("LIBRE", prerequis=("Fait", "Fait", "Fait"))), date(2024, 3, 15), None, DURATIONS)
    assert (s.debut, s.fin) == (date(2024, 7, 1), date(2025, 6, 30))

"""A roadmap anchored in time, as a user sees it in `diagnose --json --date`.

Generated on 2 December 2026, a diagnostic made in early 2025 must not plan anything in the past: what
should already have begun is flagged « en retard » and replanned; running services last to the end of
the contract (2030); national steps (an habilitation by decree) come before the start; the annual
reviews and the mid-term evaluation are milestones.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit as pe
from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"


@pytest.fixture(scope="module")
def bedarieux_json(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("json") / "bedarieux.json"
    result = CliRunner().invoke(
        app,
        [
            "diagnose",
            str(SAMPLES / "bedarieux.xlsx"),
            "-o",
            str(out.with_suffix(".pdf")),
            "--json",
            str(out),
            "--date",
            "2026-12-02",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_nothing_starts_before_the_generation_month(bedarieux_json):
    starts = [p["debut"] for a in bedarieux_json["actions"] for p in a["phases"]] + [
        a["debut"] for a in bedarieux_json["actions"]
    ]
    assert starts and min(starts) >= "2026-12-01"
    assert bedarieux_json["date_generation"] == "2026-12-02"


def test_past_starts_are_flagged_late_and_keep_their_first_date(bedarieux_json):
    late = [a for a in bedarieux_json["actions"] if a["en_retard"]]
    assert late
    assert any(a["debut_initial"] < "2026-12-01" for a in late)  # e.g. an action planned for 2025
    assert all(a["debut"] > a["debut_initial"] for a in late if a["debut_initial"] < "2026-12-01")


def test_tzcld_habilitation_is_prepared_in_parallel_while_the_2027_framework_is_uncertain(bedarieux_json):
    """domain-facts §8: after 2026 the « emergence then decree » chain may be obsolete; the step is shown, with the
    date it was checked, in parallel with the emergence instead of pushing the start to 2030."""
    tz = next(a for a in bedarieux_json["actions"] if a["code"] == "EMP_TZCLD")
    habilitation = next(p for p in tz["phases"] if "abilitation" in p["libelle"])
    assert habilitation["type"] == "prerequis" and habilitation["origine"] == "catalogue"
    assert not habilitation["bloquant"] and "incertain" in habilitation["libelle"]
    # 15 months between the favourable opinion and the decree, as at Pézenas (catalogue source)
    start, end = date.fromisoformat(habilitation["debut"]), date.fromisoformat(habilitation["fin"])
    assert (end.year - start.year) * 12 + end.month - start.month + 1 == 15
    # the start waits for the blocking steps only (the team's capacity may still stagger it behind higher ranks)
    blocking_end = max(p["fin"] for p in tz["phases"] if p["type"] == "prerequis" and p["bloquant"])
    assert blocking_end < tz["debut"] <= "2030-12-31"
    assert date.fromisoformat(tz["debut"]) - date.fromisoformat(blocking_end) == timedelta(days=1)


def test_running_services_last_to_the_end_of_the_contract(bedarieux_json):
    running = [a for a in bedarieux_json["actions"] if a["en_continu"] and a["debut"] <= "2030-12-31"]
    assert len(running) >= 5  # the vacancy watch, the consular desks, microcredit, the IAE, the TZCLD…
    assert {a["fin"] for a in running} == {"2030-12-31"}
    once = [a for a in bedarieux_json["actions"] if not a["en_continu"]]
    assert once and all(a["fin"] != "2030-12-31" for a in once)  # a project ends when delivered, not with the contract


def test_milestones_mid_term_2027_and_a_review_each_year_to_2030(bedarieux_json):
    jalons = bedarieux_json["jalons"]
    assert {(j["type"], j["annee"]) for j in jalons if j["type"] == "evaluation-mi-parcours"} == {
        ("evaluation-mi-parcours", 2027)
    }
    assert [j["annee"] for j in jalons if j["type"] == "revue-annuelle"] == [2026, 2027, 2028, 2029, 2030]
    assert jalons[-1]["type"] == "fin-contrat" and jalons[-1]["date"] == "2030-12-31"


def test_generated_on_the_diagnostic_date_nothing_is_late():
    wb = pe.read(SAMPLES / "vauvert.xlsx")
    d = pe.diagnose(wb, today=wb.territoire.date_diagnostic)
    assert not any(a.en_retard for a in d.actions)
    later = pe.diagnose(wb, today=date(2026, 12, 2))
    assert all(a.debut >= date(2026, 12, 1) for a in later.actions)


def test_a_bad_date_is_a_french_message():
    result = CliRunner().invoke(app, ["diagnose", str(SAMPLES / "vauvert.xlsx"), "--date", "02/12/2026"])
    assert result.exit_code == 2
    assert "AAAA-MM-JJ" in result.output


def test_an_action_already_started_keeps_its_real_date():
    from dataclasses import replace as _replace

    wb = pe.read(SAMPLES / "vauvert.xlsx")
    started = tuple(_replace(a, date_demarrage=date(2025, 9, 1)) if a.code == "COM_MANAGER" else a for a in wb.actions)
    d = pe.diagnose(_replace(wb, actions=started), today=date(2026, 12, 2))
    manager = next(a for a in d.actions if a.action.code == "COM_MANAGER")
    assert manager.debut == date(2025, 9, 1) and not manager.en_retard
    assert manager.fin == date(2030, 12, 31) and [p.kind for p in manager.phases] == ["action"]

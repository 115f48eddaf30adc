"""A roadmap that could happen (issue 23): the team's capacity bounds the prerequisite phases running at
once, « en retard » only where the wished deadline can no longer be met, a programme that ended is
reconfigured before it starts, a one-day event is a milestone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import toolkit as pe
from toolkit.plan.roadmap import CAPACITY_BY_ANSWER, EXPIRED_LABEL, RECONFIGURATION_LABEL, team_capacity

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
TODAY = date(2026, 12, 7)


def _overlap(diag) -> int:
    """Most prerequisite phases running on the same day (as a comité member would count the Gantt's bars)."""
    spans = [(p.debut, p.fin) for a in diag.actions for p in a.phases if p.kind == "prerequis"]
    days = {d for span in spans for d in span}
    return max((sum(1 for s, e in spans if s <= d <= e) for d in days), default=0)


@pytest.fixture(scope="module", params=["carcassonne", "bedarieux", "vauvert"])
def sample(request):
    cfg = pe.load_config(None)
    return pe.diagnose(pe.read(SAMPLES / f"{request.param}.xlsx", cfg), cfg, today=TODAY)


def test_capacity_comes_from_the_governance_answer_and_bounds_the_overlap(sample):
    answer = {c: r for c, _, r in sample.governance.detail}.get("GOUV03")
    assert sample.method.capacite == CAPACITY_BY_ANSWER.get(answer or "", 4)
    assert _overlap(sample) <= sample.method.capacite <= 6


def test_unbounded_plan_would_open_many_more_phases_at_once():
    """The bound is what staggers the plan: without it the same sample opens far more phases at once."""
    cfg = pe.load_config(None)
    wb = pe.read(SAMPLES / "carcassonne.xlsx", cfg)
    wide = pe.diagnose(wb, replace(cfg, roadmap=replace(cfg.roadmap, capacite=99)), today=TODAY)
    tight = pe.diagnose(wb, replace(cfg, roadmap=replace(cfg.roadmap, capacite=2)), today=TODAY)
    alone = max(sum(1 for p in a.phases if p.kind == "prerequis") for a in tight.actions)
    assert _overlap(wide) > 6 and _overlap(tight) <= max(2, alone)
    # staggered by priority: the first action starts as early under both plans
    assert tight.actions[0].debut == wide.actions[0].debut


def test_capacity_setting_in_pilier_toml(tmp_path):
    toml = tmp_path / "pilier.toml"
    toml.write_text("[feuille_de_route]\ncapacite = 3\n", encoding="utf-8")
    cfg = pe.load_config(toml)
    diag = pe.diagnose(pe.read(SAMPLES / "vauvert.xlsx", cfg), cfg, today=TODAY)
    assert diag.method.capacite == 3 and _overlap(diag) <= 3


def test_capacity_rule():
    assert team_capacity((("GOUV03", "q", "Oui"),)) == 6
    assert team_capacity((("GOUV03", "q", "Non"),)) == 4
    assert team_capacity(()) == 4  # no answer: the prudent default
    assert team_capacity((("GOUV03", "q", "Oui"),), override=2) == 2


def test_late_only_when_the_wished_deadline_can_no_longer_be_met(sample):
    assert any(a.en_retard for a in sample.actions)  # the samples' 2025 wishes are past in December 2026
    for a in sample.actions:
        if a.en_retard:
            assert a.echeance_tenue is False and a.debut_initial < a.debut, a.label


def test_a_programme_that_ended_is_reconfigured_before_it_starts():
    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "carcassonne.xlsx", cfg), cfg, today=TODAY)
    cite = next(a for a in diag.actions if a.action.code == "EMP_CITES_EMPLOI")
    assert cite.a_reconfigurer
    first = cite.phases[0]
    assert first.label == RECONFIGURATION_LABEL and first.kind == "prerequis" and first.fin < cite.debut
    # a programme still running when checked but ending before the action starts (Action cœur de ville, to
    # 31 December 2026, for an action planned in 2027) is reconfigured first too; no other action is
    for a in diag.actions:
        d = diag.definitions.action(a.action.code)
        ends = d.programme.fin if d is not None and d.programme is not None else None
        expired = ends is not None and ends < a.phases[0].debut
        assert a.a_reconfigurer == (a.action.code == "EMP_CITES_EMPLOI" or expired), a.action.code
    acv = next(a for a in diag.actions if a.action.code == "ATT_COEUR_DE_VILLE")
    assert acv.a_reconfigurer and acv.phases[0].label == EXPIRED_LABEL
    # the comité is asked to decide its future, not to validate it as is
    from toolkit.report.view.synthesis import decisions

    asked = decisions(diag, projet=False)
    assert any("Décider de la suite de l'action « Articulation avec Action cœur de ville" in d for d in asked)
    assert not any(d.startswith("Valider") and "Action cœur de ville" in d for d in asked)


def test_a_forum_is_an_event():
    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "vauvert.xlsx", cfg), cfg, today=TODAY)
    forum = next(a for a in diag.actions if a.action.code == "ANIM_FORUM_EMPLOI")
    assert forum.evenement and not any(a.evenement for a in diag.actions if a is not forum)


def test_a_deadline_still_ahead_is_never_called_past_and_a_wait_for_capacity_is_said(sample):
    """« Dépassée » is said only of a wished deadline before the report's date; a later one the plan cannot
    reach is « non tenable », and when the action waits for the team's capacity (its own prerequisites would
    let it start earlier) the point says so instead of blaming the prerequisites."""
    from toolkit.report.records import to_json
    from toolkit.report.view.synthesis import late_sentence

    points = [v for v in to_json(sample)["vigilance"] if v["regle"] == "echeance-non-tenue"]
    assert points
    for v in points:
        p = v["parametres"]
        action = next(a for a in sample.actions if a.key == v["ref"])
        assert p["echeance_passee"] == (action.action.echeance.date < TODAY)
        assert ("déjà passée" in v["message"]) == p["echeance_passee"]
        assert ("non tenable" in v["message"]) != p["echeance_passee"]
        waits = action.debut_possible is not None and action.debut_possible < action.debut
        assert ("chantiers préalables à la fois" in v["message"]) == waits, v["message"]
    late = [a for a in sample.actions if a.en_retard]
    past = [a for a in late if a.action.echeance.date < TODAY]
    sentence = late_sentence(sample, late)
    assert ("déjà passées" in sentence) == bool(past)
    assert ("hors d'atteinte avec ce plan" in sentence) == (len(past) < len(late))


def test_who_does_what_names_every_action_at_work_that_year(sample):
    """Vauvert's « Qui fait quoi en 2027 » left out four actions starting in 2027, among them the chef de projet
    post: the first priorities are told with their pilot, every other action at work that year (priority 3
    included: Bédarieux's TZCLD is reconfigured in 2027) is named after them."""
    from toolkit.report.view.synthesis import narrative

    (heading, text) = next((h, t) for h, t in narrative(sample) if h.startswith("Qui fait quoi"))
    year = int(heading.rsplit(" ", 1)[1])
    at_work = [
        a for a in sample.actions if a.debut is not None and any(p.debut.year <= year <= p.fin.year for p in a.phases)
    ]
    assert at_work
    flat = " ".join(text.split())
    for a in at_work:
        title = " ".join((a.action.intitule or a.action.code).split())
        assert f"« {title} »" in flat, title


def test_the_decisions_never_validate_as_is_what_the_synthesis_calls_unconfirmed():
    """Bédarieux's synthesis says commerce is « à vérifier avant d'en faire une priorité »: the comité is asked
    to validate its commerce actions on that condition, except the watch on vacant shops, which is how the
    figures will come (`observation` in the catalogue) and is validated outright."""
    from toolkit.report.view.synthesis import decisions

    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "bedarieux.xlsx", cfg), cfg, today=TODAY)
    commerce = next(e for e in diag.enjeux if e.code == "COMMERCE")
    assert commerce.divergence == "perception"
    asked = decisions(diag, projet=False)
    firm = next(d for d in asked if d.startswith("Valider «"))
    conditional = next(d for d in asked if d.startswith("Valider sous condition"))
    assert "« Aide à la rénovation des vitrines et devantures »" in conditional
    assert "« Aide à la rénovation des vitrines" not in firm
    assert "« Veille et observatoire de la vacance commerciale »" in firm
    assert "« Commerce et services de proximité »" in conditional and "doit mesurer" in conditional
    # and the priorities paragraph, which names the same action, says it too
    from toolkit.report.view.synthesis import narrative

    priorities = " ".join(dict(narrative(diag))["Les priorités et pourquoi"].split())
    assert "« Aide à la rénovation des vitrines et devantures »" in priorities
    assert "sous condition, les données ne confirmant pas encore l'enjeu" in priorities


def test_governance_maturity_has_one_verdict_in_the_annex_and_the_vigilance():
    """Bédarieux's 34/100 was « faible » in a vigilance point and « intermédiaire » in annex B."""
    from toolkit.report.view.assemble import build_view

    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "bedarieux.xlsx", cfg), cfg, today=TODAY)
    assert diag.governance.maturite is not None and diag.governance.maturite < 40
    assert any(v.rule == "gouvernance-faible" for v in diag.vigilance)
    text = " ".join(str(x) for x in vars(build_view(diag).governance).values())
    assert "Gouvernance du volet économique faible." in text and "intermédiaire" not in text


def test_the_calendar_says_why_a_deadline_is_not_kept(sample):
    """Annex A's calendar said « non » on every row: it now says whether the date is past, or the action waits
    for the team's capacity, or for its prerequisites."""
    from toolkit.report.view.assemble import build_view

    rows = {r.rang: r for r in build_view(sample).actions}
    for a in sample.actions:
        reason = rows[a.rang].tenue_raison
        if a.echeance_tenue is not False:
            assert reason == ""
        elif a.action.echeance.date < TODAY:
            assert reason == "passée"
        else:
            assert reason == ("capacité" if a.debut_possible < a.debut else "prérequis")


def test_a_priority_outlasting_the_contract_is_said_with_what_this_contract_prepares():
    """Vauvert's commercial centre starts in December 2030 and runs to 2034: the synthesis says so, with the
    action's own conditions (land control, the ANCT's agreement) as what this contract prepares."""
    from toolkit.report.view.synthesis import narrative

    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "vauvert.xlsx", cfg), cfg, today=TODAY)
    beyond = [a for a in diag.actions if a.priorite in (1, 2) and a.fin > date(diag.periode[1], 12, 31)]
    assert beyond
    blocking = " ".join(dict(narrative(diag))["Ce qui bloque ou reste à trancher"].split())
    for a in beyond:
        assert f"« {a.action.intitule} » ne démarre qu'en" in blocking and "au-delà du contrat" in blocking
    assert "maîtrise du foncier" in blocking


def test_the_post_that_gives_the_team_its_capacity_is_prepared_first():
    """Vauvert's chef de projet (rank 7, « renfort_equipe » in the catalogue) started in January 2028, after
    the actions it was to run: the roadmap now prepares it from the first month, whatever its rank."""
    cfg = pe.load_config(None)
    diag = pe.diagnose(pe.read(SAMPLES / "vauvert.xlsx", cfg), cfg, today=TODAY)
    post = next(a for a in diag.actions if a.action.code == "GOUV_CHEF_PROJET")
    first = min(p.debut for a in diag.actions for p in a.phases)
    assert post.phases[0].debut == first and post.debut < date(2028, 1, 1)
    assert [a.rang for a in diag.actions] == sorted(a.rang for a in diag.actions)  # the plan keeps rank order
    assert _overlap(diag) <= diag.method.capacite

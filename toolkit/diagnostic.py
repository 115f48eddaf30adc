"""Orchestration: a validated `Workbook` -> an immutable `Diagnostic`, and its stable JSON form.

    diag = diagnose(workbook)              # default weights; or diagnose(wb, load_config("pilier.toml"))
    data = to_json(diag)                   # dict with the contract's keys (workbook-v1, « Machine-readable »)

The steps follow docs/methode.md: indicators -> enjeux -> governance -> action scores -> robustness ->
feuille de route -> points de vigilance -> experiences and similar territories. Nothing here reads files
except the packaged catalogues; the result is a pure function of the workbook and the configuration.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from datetime import date
from typing import Any

from . import __version__
from .catalog.catalogue import Catalogue
from .catalog.communes import commune_name
from .catalog.qpv import SOURCE as QPV_SOURCE
from .config import Config
from .model import CheckReport, Issue, Workbook
from .plan.experiences import match_experiences
from .plan.roadmap import DEFAULT_PERIOD, plan
from .plan.similar import similar_territories
from .plan.vigilance import VigilanceContext, vigilance
from .results import ActionScore, DataQuality, Definitions, Diagnostic, ExperienceMatch, MethodTrace, VigilancePoint
from .score.actions import CRITERIA, ActionContext, criteria_matrix, score_actions, tier_floor
from .score.enjeux import score_enjeux, score_indicator
from .score.governance import governance
from .score.robustness import robustness
from .score.votes import summarize_votes
from .workshop.summary import vote_results

__all__ = ["diagnose", "to_json"]


def _rows(wb: Workbook) -> int:
    return sum(len(x) for x in (wb.indicateurs, wb.actions, wb.enjeux, wb.acteurs, wb.gouvernance, wb.votes))


def _quality(wb: Workbook, report: CheckReport | None) -> DataQuality:
    if report is None:
        n = _rows(wb)
        return DataQuality(n, n, ())
    return DataQuality(report.rows_read, report.rows_used, report.issues)


def _definitions(wb: Workbook, cat: Catalogue, experiences: tuple[ExperienceMatch, ...], similar: bool) -> Definitions:
    """The catalogue entries this diagnostic used, so that renderers never consult a catalogue themselves."""
    indicators = {d.code: d for i in wb.indicateurs if (d := cat.indicator(i.code)) is not None}
    actions = {d.code: d for a in wb.actions if (d := cat.action(a.code)) is not None}
    communes = tuple((c, name) for c in wb.territoire.communes if (name := commune_name(c)))
    return Definitions(
        enjeux=cat.enjeux,
        indicators=tuple(indicators.values()),
        actions=tuple(actions.values()),
        experiences=tuple(m.experience for m in experiences),
        communes=communes,
        comparison_source=QPV_SOURCE if similar else None,
    )


def diagnose(workbook: Workbook, config: Config | None = None, *, report: CheckReport | None = None) -> Diagnostic:
    """The whole method on one workbook; `report` (from `check`) feeds the data-quality annex."""
    config = config or Config()
    cat = config.catalogue
    wb = workbook
    indicator_scores = tuple(score_indicator(i, cat) for i in wb.indicateurs)
    votes = summarize_votes(wb.votes)
    enjeux, not_evaluated = score_enjeux(indicator_scores, wb.enjeux, votes, config.enjeu_weights, cat)
    gov = governance(wb.gouvernance, wb.acteurs, wb.actions, wb.missing_sheets, cat)
    acteurs_ok = "acteurs" not in {s.casefold() for s in wb.missing_sheets}
    ctx = ActionContext({e.code: e.score for e in enjeux}, gov.partners, acteurs_ok, cat)
    scored = score_actions(wb.actions, ctx, config.action_weights, config.tiers)
    weights = [config.action_weights.as_dict()[c] for c in CRITERIA]
    robust = robustness(
        criteria_matrix(scored),
        weights,
        [s.priorite for s in scored],
        config.tiers,
        config.robustness,
        floors=[tier_floor(s.action, cat) for s in scored],
    )
    scored = tuple(replace(s, robustness=r) for s, r in zip(scored, robust))
    planned = plan(scored, wb.territoire.date_diagnostic, wb.territoire.periode, catalogue=cat)
    points = vigilance(VigilanceContext(wb, indicator_scores, enjeux, not_evaluated, planned, gov, votes, cat))
    similaires, _ = similar_territories(wb, catalogue=cat)
    experiences = match_experiences(planned, wb.territoire, catalogue=cat)
    return Diagnostic(
        version=wb.territoire.version,
        territoire=wb.territoire,
        indicateurs=indicator_scores,
        enjeux=enjeux,
        governance=gov,
        actions=planned,
        vigilance=points,
        experiences=experiences,
        similaires=similaires,
        qualite=_quality(wb, report),
        method=MethodTrace(
            enjeu_weights=config.enjeu_weights.as_dict(),
            action_weights=config.action_weights.as_dict(),
            tiers=asdict(config.tiers),
            robustness=asdict(config.robustness),
            config_source=config.source,
            catalogues=cat.files,
        ),
        periode=wb.territoire.periode or DEFAULT_PERIOD,
        votes=vote_results(wb.votes, enjeux, planned),
        definitions=_definitions(wb, cat, experiences, bool(similaires)),
    )


# ---------------------------------------------------------------------------------------------- JSON


def _r(x: float | None, digits: int = 1) -> float | None:
    return None if x is None else round(float(x), digits)


def _d(x: date | None) -> str | None:
    return x.isoformat() if x else None


def _s(x: object) -> str | None:
    return str(x) if x is not None else None


def _issue(i: Issue) -> dict[str, Any]:
    return i.to_json()  # the one JSON shape of a problem, shared with `check --json`


def _point(p: VigilancePoint) -> dict[str, Any]:
    return {
        "niveau": p.niveau,
        "objet": p.objet,
        "ref": p.ref,
        "regle": p.rule,
        "message": p.message,
        "cellules": [str(c) for c in p.cells],
    }


def _action(s: ActionScore, points: tuple[VigilancePoint, ...]) -> dict[str, Any]:
    a = s.action
    r = s.robustness
    return {
        "code": a.code,
        "cle": a.key,
        "intitule": a.intitule,
        "libelle_catalogue": s.libelle_catalogue,
        "champ": a.champ,
        "enjeux": list(a.enjeux),
        "score": _r(s.score),
        "rang": s.rang,
        "priorite": s.priorite,
        "quick_win": s.quick_win,
        "criteres": [
            {
                "nom": c.name,
                "brut": c.raw if isinstance(c.raw, (int, float, str)) or c.raw is None else str(c.raw),
                "normalise": _r(c.normalised, 3),
                "poids": c.weight,
                "impute": c.imputed,
            }
            for c in s.criteria
        ],
        "robustesse": None
        if r is None
        else {
            "p_meme_priorite": _r(r.p_same_tier, 3),
            "p_top_n": _r(r.p_top_n, 3),
            "top_n": r.top_n,
            "rang_min": r.rank_min,
            "rang_max": r.rank_max,
            "fragile": r.fragile,
        },
        "debut": _d(s.debut),
        "fin": _d(s.fin),
        "echeance_souhaitee": a.echeance.text if a.echeance else None,
        "echeance_tenue": s.echeance_tenue,
        "phases": [{"libelle": p.label, "type": p.kind, "debut": _d(p.debut), "fin": _d(p.fin)} for p in s.phases],
        "pilote": a.pilote,
        "partenaires": list(a.partenaires),
        "partenaires_requis": list(s.partner_types),
        "prerequis": dict(a.prerequis),
        "suivi": list(s.suivi),
        "statut_programme": s.programme_status,
        "sources": list(s.sources),
        "vigilance": [_point(p) for p in points if p.objet == "action" and p.ref == s.key],
        "cellule": _s(a.cell),
    }


def to_json(diag: Diagnostic) -> dict[str, Any]:
    """The contract's keys (version, territoire, indicateurs, enjeux, actions, vigilance, experiences,
    qualite_donnees) plus gouvernance, similaires and methode. Scores rounded to 0.1 for display only."""
    t = diag.territoire
    g = diag.governance
    return {
        "version": diag.version,
        "pilier_eco": __version__,
        "territoire": {
            "nom": t.nom,
            "communes": list(t.communes),
            "typologie": t.typologie,
            "population_quartiers": t.population_quartiers,
            "quartiers": [{"code": q.code, "nom": q.nom} for q in t.quartiers],
            "date_diagnostic": t.date_diagnostic.isoformat(),
            "epci": t.epci,
            "departement": t.departement,
            "periode": list(diag.periode),
            "structure": t.structure,
        },
        "indicateurs": [
            {
                "code": s.indicateur.code,
                "libelle": s.indicateur.libelle,
                "enjeu": s.indicateur.enjeu,
                "sens": s.indicateur.sens,
                "unite": s.indicateur.unite,
                "valeur_quartier": s.indicateur.valeur_quartier,
                "valeur_reference": s.indicateur.valeur_reference,
                "territoire_reference": s.indicateur.territoire_reference,
                "annee": s.indicateur.annee,
                "source": s.indicateur.source,
                "illustratif": s.indicateur.illustratif,
                "score": _r(s.score),
                "ecart": _r(s.ecart, 3),
                "ecart_relatif": _r(s.ecart_relatif, 3),
                "raison_non_note": s.reason_not_scored,
                "cellule": _s(s.indicateur.value_cell or s.indicateur.cell),
                "cellule_code": _s(s.indicateur.cell),
            }
            for s in diag.indicateurs
        ],
        "enjeux": [
            {
                "code": e.code,
                "libelle": e.libelle,
                "score": _r(e.score),
                "rang": e.rang,
                "niveau": e.niveau,
                "parts": [
                    {
                        "source": p.name,
                        "valeur": _r(p.value),
                        "poids": p.weight,
                        "poids_effectif": _r(p.effective_weight, 4),
                        "detail": p.detail,
                        "n": p.n,
                    }
                    for p in e.parts
                ],
                "indicateurs": list(e.indicateurs),
                "couverture": _r(e.coverage, 3),
                "votes": {"mediane": e.vote_median, "ecart_interquartile": e.vote_iqr, "n": e.n_votes, "dissensus": e.dissensus},
                "atouts": e.atouts,
                "faiblesses": e.faiblesses,
                "cellules": [str(c) for c in e.cells],
            }
            for e in diag.enjeux
        ],
        "actions": [_action(s, diag.vigilance) for s in diag.actions],
        "vigilance": [_point(p) for p in diag.vigilance],
        "experiences": [
            {
                "code": m.experience.code,
                "titre": m.experience.titre,
                "lieu": m.experience.lieu,
                "annee": m.experience.annee,
                "resume": m.experience.resume,
                "typologie": m.experience.typologie,
                "sources": list(m.experience.sources),
                "actions": list(m.actions),
                "raisons": list(m.reasons),
                "score": _r(m.score),
            }
            for m in diag.experiences
        ],
        "qualite_donnees": {
            "lignes_lues": diag.qualite.lignes_lues,
            "lignes_utilisees": diag.qualite.lignes_utilisees,
            "erreurs": [_issue(i) for i in diag.qualite.erreurs],
            "avertissements": [_issue(i) for i in diag.qualite.avertissements],
        },
        "gouvernance": {
            "disponible": g.available,
            "maturite": _r(g.maturite),
            "reponses": dict(g.answers),
            "detail": [{"code": c, "question": q, "reponse": r} for c, q, r in g.detail],
            "partenaires": [
                {"type": p.type, "structures": list(p.structures), "implication": p.implication, "signataire": p.signataire}
                for p in g.partners
            ],
            "manques": [{"type": x.type, "statut": x.status, "actions": list(x.actions), "message": x.message} for x in g.gaps],
        },
        "similaires": [
            {
                "code": s.code,
                "nom": s.nom,
                "commune": s.commune,
                "distance": _r(s.distance, 3),
                "explication": s.explanation,
                "population": s.population,
            }
            for s in diag.similaires
        ],
        "methode": {
            "poids_enjeux": dict(diag.method.enjeu_weights),
            "poids_actions": dict(diag.method.action_weights),
            "priorites": dict(diag.method.tiers),
            "robustesse": dict(diag.method.robustness),
            "configuration": diag.method.config_source,
            "catalogues": list(diag.method.catalogues),
        },
    }

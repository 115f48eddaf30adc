"""Orchestration: a validated `Workbook` -> an immutable `Diagnostic`, and its stable JSON form.

    diag = diagnose(workbook)              # default weights; or diagnose(wb, load_config("pilier.toml"))

Its JSON form (`report.records.to_json`, `pe.to_json`) is written at the edge, with the report's words.

The steps follow docs/methode.md: indicators -> enjeux -> governance -> action scores -> robustness ->
feuille de route -> points de vigilance -> experiences and similar territories. Nothing here reads files
except the packaged catalogues; the result is a pure function of the workbook and the configuration.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from .catalog.catalogue import Catalogue
from .catalog.communes import commune_name
from .catalog.qpv import SOURCE as QPV_SOURCE
from .catalog.qpv import geography, millesimes, packaged_metadata, qpv_occitanie
from .config import Config
from .model import CheckReport, Workbook
from .plan.experiences import match_experiences
from .plan.prerequisites import with_needs
from .plan.roadmap import DEFAULT_PERIOD, milestones, plan, team_capacity
from .plan.similar import similar_territories
from .plan.suggestions import suggestions
from .plan.vigilance import VigilanceContext, vigilance
from .results import DataQuality, Definitions, Diagnostic, ExperienceMatch, MethodTrace, QuartierFigures
from .score.actions import CRITERIA, ActionContext, criteria_matrix, score_actions, tier_floor
from .score.enjeux import score_enjeux, score_indicator
from .score.governance import governance
from .score.robustness import robustness
from .score.votes import summarize_votes, vote_results
from .validate.territoire import workbook_geography

__all__ = ["diagnose"]


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
    actions = {ad.code: ad for a in wb.actions if (ad := cat.action(a.code)) is not None}
    communes = tuple((c, name) for c in wb.territoire.communes if (name := commune_name(c)))
    return Definitions(
        enjeux=cat.enjeux,
        indicators=tuple(indicators.values()),
        actions=tuple(actions.values()),
        experiences=tuple(m.experience for m in experiences),
        communes=communes,
        comparison_source=QPV_SOURCE if similar else None,
        donnees=packaged_metadata(),
    )


def _contours(wb: Workbook, cfg: Config, defs: Definitions) -> Definitions:
    """The definitions with the projected perimeters of the territory's quartiers (the run's contours, else the
    packaged ones) and their source: the file the shapes come from, and the user's own file even when none of
    the quartiers is in it (the report then names that file instead of asking for one)."""
    from .catalog.contours import packaged_contours

    contours = cfg.contours or packaged_contours()
    shapes = contours.for_quartiers(q.code for q in wb.territoire.quartiers if q.code)
    named = bool(shapes) or cfg.contours is not None
    return replace(defs, contours=shapes, contours_source=contours.source if named else "")


def _per_quartier(wb: Workbook, cat: Catalogue) -> tuple[QuartierFigures, ...]:
    """Each quartier's packaged INSEE figures when the territory has several QPV of the packaged geography.

    Same columns and calculation as the template pre-fill (`catalog.prefill.indicator_rows`, one record at
    a time), so a figure here is exactly what pre-filling that quartier alone would have written.
    """
    from .catalog.prefill import indicator_rows

    codes = [q.code.strip().upper() for q in wb.territoire.quartiers if q.code]
    if len(codes) < 2:
        return ()
    data = {r.code.upper(): r for r in qpv_occitanie()}
    data_geo = packaged_metadata().geographie
    out = []
    for code in codes:
        record = data.get(code)
        if record is None or geography(code) != data_geo:
            continue
        rows = indicator_rows([record], cat.indicators, millesimes(), QPV_SOURCE)
        out.append(
            QuartierFigures(
                code=record.code,
                nom=record.nom,
                commune=record.commune,
                population=record.pop_mun,
                valeurs=tuple((r.code, float(r.valeur)) for r in rows if r.valeur is not None),
                annees=tuple((r.code, r.annee) for r in rows if r.annee is not None),
                source=QPV_SOURCE,
            )
        )
    return tuple(out) if len(out) >= 2 else ()


def diagnose(
    workbook: Workbook, config: Config | None = None, *, report: CheckReport | None = None, today: date | None = None
) -> Diagnostic:
    """The whole method on one workbook; `report` (from `check`) feeds the data-quality annex.

    `today`: the generation date the roadmap is anchored to (default: the computer's date); pass it
    explicitly for a reproducible result.
    """
    config = config or Config()
    today = today or date.today()
    cat = config.catalogue
    wb = workbook
    par_quartier = _per_quartier(wb, cat)
    own: dict[str, list[tuple[str, float]]] = {}
    for q in par_quartier:
        for code, value in q.valeurs:
            own.setdefault(code, []).append((q.code, value))
    indicator_scores = tuple(
        score_indicator(i, cat, year_now=today.year, quartiers=own.get(i.code, ())) for i in wb.indicateurs
    )
    votes = summarize_votes(wb.votes)
    enjeux, not_evaluated = score_enjeux(
        indicator_scores, wb.enjeux, votes, config.enjeu_weights, cat, config.enjeu_rules
    )
    gov = governance(wb.gouvernance, wb.acteurs, wb.actions, wb.missing_sheets, catalogue=cat)
    acteurs_ok = "acteurs" not in {s.casefold() for s in wb.missing_sheets}
    ctx = ActionContext(
        {e.code: e.score for e in enjeux},
        gov.partners,
        cat,
        acteurs_ok,
        a_objectiver=frozenset(e.code for e in enjeux if e.a_objectiver),
    )
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
    scored = tuple(replace(s, robustness=r) for s, r in zip(scored, robust, strict=False))
    capacity = team_capacity(gov.detail, config.roadmap.capacite or None)
    planned = plan(
        scored, wb.territoire.date_diagnostic, wb.territoire.periode, catalogue=cat, today=today, capacity=capacity
    )
    planned = with_needs(planned, cat)
    points = vigilance(
        VigilanceContext(wb, indicator_scores, enjeux, not_evaluated, planned, gov, votes, cat, today, capacity)
    )
    similaires, _ = similar_territories(wb, catalogue=cat)
    experiences = match_experiences(planned, wb.territoire, catalogue=cat)
    scored_values = [s for s in indicator_scores if s.score is not None]
    n_illustr = sum(1 for s in scored_values if s.indicateur.illustratif)
    projet_raison = (
        "demande"
        if config.report.projet
        else "aucune-valeur-notee"
        if not scored_values
        else "illustratif"
        if 2 * n_illustr > len(scored_values)
        else None
    )
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
            capacite=capacity,
        ),
        periode=wb.territoire.periode or DEFAULT_PERIOD,
        votes=vote_results(wb.votes, enjeux, planned, {d.code: d.libelle for d in cat.enjeux}),
        definitions=_contours(wb, config, _definitions(wb, cat, experiences, bool(similaires))),
        generated=today,
        jalons=milestones(wb.territoire.periode, today),
        par_quartier=par_quartier,
        projet=projet_raison is not None,
        projet_raison=projet_raison,
        valeurs_notees=len(scored_values),
        valeurs_illustratives=n_illustr,
        geographie=workbook_geography(wb, today),
        suggestions=suggestions(enjeux, planned, cat),
    )

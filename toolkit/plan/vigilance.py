"""Points de vigilance: one small function per rule, registered with `@rule`; adding a rule = one function.

Each rule reads the finished analysis (`VigilanceContext`) and returns points with a level (bloquant,
attention, info), the object concerned, a stable rule key and its parameters (numbers, dates, codes, names
and the cells of the user's file): the sentence is written by the report (`report.wording`), never here.
Cells of the `Actions` sheet come from `Action.cells` (where the validator read each field); for an action
built in code without them, the column letters of `layout.ACTIONS` (the template's order) are assumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from ..catalog.actions import suggested_actions
from ..catalog.catalogue import Catalogue
from ..layout import ACTIONS, PREREQUIS, PREREQUIS_KEYS
from ..model import Action, Cell, Workbook
from ..results import ActionScore, EnjeuScore, Governance, IndicatorScore, VigilancePoint
from ..score.votes import VoteSummary
from .roadmap import first_start, month_after, period_end

#: Indicators older than this many years (before the diagnostic year) are flagged.
MAX_INDICATOR_AGE = 5
#: Governance maturity below this (0–100) is flagged.
LOW_MATURITY = 40.0
#: From this maturity the governance is « avancée » (annex B); between the two, « intermédiaire ».
HIGH_MATURITY = 66.0
#: « Coût élevé » = from this amount (start of the third cost band), with feasibility ≤ LOW_FEASIBILITY.
HIGH_COST = 200_000.0
LOW_FEASIBILITY = 2
LEVEL_ORDER = {"bloquant": 0, "attention": 1, "info": 2}


@dataclass(frozen=True)
class VigilanceContext:
    workbook: Workbook
    indicators: tuple[IndicatorScore, ...]
    enjeux: tuple[EnjeuScore, ...]
    not_evaluated: tuple[str, ...]
    actions: tuple[ActionScore, ...]  # scored, planned, with their prerequisite needs
    governance: Governance
    votes: Mapping[str, VoteSummary]
    catalogue: Catalogue
    today: date | None = None  # generation date the roadmap is anchored to
    capacity: int | None = None  # prerequisite phases the team runs at once (`roadmap.team_capacity`)

    def served(self, action: Action) -> tuple[str, ...]:
        """The enjeux an action aims at: as typed, else those of its catalogue entry."""
        d = self.catalogue.action(action.code)
        return tuple(action.enjeux) or (d.enjeux if d else ())


Rule = Callable[[VigilanceContext], Iterable[VigilancePoint]]
RULES: dict[str, Rule] = {}


def rule(key: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[key] = fn
        return fn

    return register


def action_cell(action: Action, key: str) -> Cell | None:
    """The cell of column `key` (of `layout.ACTIONS`) on the row the action was read from (`Actions!J7`)."""
    if key in action.cells:
        return action.cells[key]
    if action.cell is None or action.cells:  # column absent from the user's sheet: cite the row's code cell
        return action.cell
    row = "".join(ch for ch in action.cell.ref if ch.isdigit())
    return Cell(action.cell.sheet, f"{ACTIONS.letter(key)}{row}")


def _enjeu_label(ctx: VigilanceContext, code: str) -> str:
    d = ctx.catalogue.enjeu(code)
    return d.libelle if d else code


def _s(cell: Cell | None) -> str | None:
    return str(cell) if cell else None


def _action(s: ActionScore) -> dict[str, Any]:
    """How every action point names its action: title and the cell of its row."""
    return {"action": s.action.intitule or s.libelle_catalogue or s.action.code, "cellule_action": _s(s.action.cell)}


def _cells(*cells: Cell | None) -> tuple[Cell, ...]:
    return tuple(c for c in cells if c is not None)


def _point(niveau, objet, ref, key, params: dict[str, Any], cells=()) -> VigilancePoint:
    return VigilancePoint(niveau, objet, ref, key, tuple(params.items()), tuple(cells))


def _prerequisites_break_deadline(ctx: VigilanceContext, s: ActionScore) -> bool:
    """The wished deadline is missed, yet the action, started at once without prerequisites, would hold it."""
    if s.echeance_tenue is not False or s.action.echeance is None:
        return False
    t = ctx.workbook.territoire
    origin = first_start(t.date_diagnostic, t.periode)
    if ctx.today is not None:  # a wish already past on the generation date is not the prerequisites' fault
        origin = max(origin, month_after(ctx.today))
    return origin <= s.action.echeance.date


@rule("prerequis-non-fait")
def prerequisite_not_met(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    """The method's prerequisites of each action (`plan.prerequisites`): what, why, who, how long, when.

    Workbook status cells still count (« À faire », « En cours »); the catalogue's own conditions of the
    action (an habilitation, land control, a post recruited…) join them. Bloquant only when the catalogue's
    blocking conditions push the start beyond the contract (a wished deadline out of reach is attention:
    the roadmap says when the action can start); attention when something is still to do or the deadline
    is out of reach; info when only « En cours » remains or the catalogue's conditions are to confirm.
    """
    end = period_end(ctx.workbook.territoire.periode)
    for s in ctx.actions:
        # an action the workbook declares ready keeps only the catalogue's checks (a law, a tax status…)
        needs = tuple(n for n in s.needs if not n.a_confirmer or n.duree_mois == 0)
        if not needs:
            continue
        todo = [n for n in needs if n.origine == "classeur"]
        planned = [n for n in needs if n.origine == "catalogue" and not n.a_confirmer and n.bloquant]
        if planned and s.debut is not None and s.debut > end:
            niveau = "bloquant"
        elif any(n.statut == "À faire" for n in todo) or planned or _prerequisites_break_deadline(ctx, s):
            niveau = "attention"
        else:  # only « En cours », or conditions to confirm
            niveau = "info"
        keys = dict(zip(PREREQUIS, PREREQUIS_KEYS, strict=False))
        cells = {n.quoi: n.cell or action_cell(s.action, keys[n.quoi]) for n in todo}
        yield _point(
            niveau,
            "action",
            s.key,
            "prerequis-non-fait",
            {
                **_action(s),
                "prerequis": tuple((n.quoi, n.statut, _s(cells[n.quoi])) for n in todo),
                "besoins": tuple(asdict(n) | {"cell": _s(cells.get(n.quoi))} for n in needs),
                "debut": s.debut,
                "fin_contrat": end.year,
            },
            _cells(s.action.cell, *cells.values()),
        )


@rule("echeance-non-tenue")
def deadline_missed(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for s in ctx.actions:
        if s.echeance_tenue is False and s.debut is not None and s.action.echeance is not None:
            c = action_cell(s.action, "echeance")
            yield _point("attention", "action", s.key, "echeance-non-tenue",
                         {**_action(s), "echeance": s.action.echeance.text, "cellule": _s(c), "debut": s.debut,
                          "debut_possible": s.debut_possible, "echeance_passee": ctx.today is not None and s.action.echeance.date < ctx.today,
                          "capacite": ctx.capacity},
                         _cells(c))  # fmt: skip


@rule("sans-pilote")
def no_pilot(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for s in ctx.actions:
        if not (s.action.pilote or "").strip():
            c = action_cell(s.action, "pilote")
            yield _point("attention", "action", s.key, "sans-pilote",
                         {**_action(s), "cellule": _s(c)}, _cells(c))  # fmt: skip


@rule("partenaire-manquant")
def missing_partner(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    cells = {s.key: s.action.cell for s in ctx.actions}
    titles = {s.key: s.action.intitule or s.action.code for s in ctx.actions}
    for g in ctx.governance.gaps:
        where = _cells(*(cells.get(k) for k in g.actions))
        yield _point("attention" if g.status == "absent" else "info", "gouvernance", g.type, f"partenaire-{g.status}",
                     {"type": g.type, "statut": g.status, "implication": g.implication, "structures": g.structures,
                      "actions": tuple(titles.get(k, k) for k in g.actions),
                      "cellules": tuple(str(c) for c in where)}, where)  # fmt: skip


def _cost(action: Action, catalogue: Catalogue) -> float | None:
    if action.cout is not None:
        return action.cout
    d = catalogue.action(action.code)
    return d.cout_min if d else None


@rule("cout-eleve-faisabilite-faible")
def high_cost_low_feasibility(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for s in ctx.actions:
        cost, f = _cost(s.action, ctx.catalogue), s.action.faisabilite
        if cost is not None and cost >= HIGH_COST and f is not None and f <= LOW_FEASIBILITY:
            where = action_cell(s.action, "cout") if s.action.cout is not None else None
            d = ctx.catalogue.action(s.action.code)
            band = d.cout_bande if s.action.cout is None and d is not None else None
            fcell = action_cell(s.action, "faisabilite")
            yield _point("attention", "action", s.key, "cout-eleve-faisabilite-faible",
                         {**_action(s), "cout": cost, "bande": band, "cellule_cout": _s(where), "faisabilite": f,
                          "cellule_faisabilite": _s(fcell)}, _cells(where, fcell))  # fmt: skip


@rule("programme-modifie")
def programme_changed(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for s in ctx.actions:
        d = ctx.catalogue.action(s.action.code)
        if d is not None and d.statut:
            etat = d.programme.etat if d.programme is not None else None  # « prolongé »: not « a changé »
            yield _point(d.statut_niveau, "action", s.key, "programme-modifie",
                         {**_action(s), "statut": d.statut, "source": d.statut_source, "etat": etat},
                         _cells(s.action.cell))  # fmt: skip


@rule("indicateurs-anciens")
def old_indicators(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    year = (
        ctx.today or ctx.workbook.territoire.date_diagnostic
    ).year  # data age is measured against the report's date, not the diagnostic's
    old = [i for i in ctx.workbook.indicateurs if i.annee is not None and year - i.annee > MAX_INDICATOR_AGE]
    if old:
        cells = [i.cell for i in old if i.cell]
        yield _point("attention", "données", "indicateurs", "indicateurs-anciens",
                     {"n": len(old), "age_max": MAX_INDICATOR_AGE, "codes": tuple(i.code for i in old),
                      "libelles": tuple(i.libelle or i.code for i in old), "cellules": tuple(str(c) for c in cells)}, cells)  # fmt: skip


@rule("donnees-illustratives")
def illustrative_data(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    rows = [i for i in ctx.workbook.indicateurs if i.illustratif]
    if rows:
        cells = [i.cell for i in rows if i.cell]
        yield _point("attention", "données", "indicateurs", "donnees-illustratives",
                     {"n": len(rows), "cellules": tuple(str(c) for c in cells)}, cells)  # fmt: skip


@rule("valeurs-a-verifier")
def values_to_check(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    """Figures the plausibility rule calls implausible: left out of every score, each listed with its cell."""
    rows = [s for s in ctx.indicators if s.a_verifier]
    if rows:
        cells = [v.cell for s in rows for v in s.a_verifier if v.cell]
        yield _point("attention", "données", "indicateurs", "valeurs-a-verifier",
                     {"n": len(rows), "libelles": tuple(s.indicateur.libelle for s in rows),
                      "codes": tuple(s.indicateur.code for s in rows),
                      "raisons": tuple(v.code for s in rows for v in s.a_verifier),
                      "cellules": tuple(str(c) for c in cells)}, cells)  # fmt: skip


@rule("indicateurs-non-notes")
def unscored_indicators(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    rows = [s for s in ctx.indicators if s.score is None and s.indicateur.enjeu and not s.a_verifier]
    if rows:
        cells = [s.indicateur.cell for s in rows if s.indicateur.cell]
        yield _point("info", "données", "indicateurs", "indicateurs-non-notes",
                     {"n": len(rows), "indicateurs": tuple((s.indicateur.code, s.reason_not_scored) for s in rows),
                      "libelles": tuple(s.indicateur.libelle or s.indicateur.code for s in rows),
                      "cellules": tuple(str(c) for c in cells)}, cells)  # fmt: skip


@rule("enjeux-non-evalues")
def enjeux_not_evaluated(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    if ctx.not_evaluated:
        yield _point("info", "enjeu", ";".join(ctx.not_evaluated), "enjeux-non-evalues",
                     {"codes": tuple(ctx.not_evaluated)})  # fmt: skip


@rule("enjeu-fort-sans-action")
def strong_enjeu_without_action(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    """Also names up to three catalogue actions that serve the enjeu (issue 22 pt 10), not only a warning."""
    served = {e for s in ctx.actions for e in ctx.served(s.action)}
    have = [s.action.code for s in ctx.actions]
    for e in ctx.enjeux:
        if e.niveau == "fort" and e.code not in served:
            ideas = suggested_actions(ctx.catalogue.actions, e.code, exclude=have)
            yield _point("attention", "enjeu", e.code, "enjeu-fort-sans-action",
                         {"libelle": e.libelle, "code": e.code, "score": e.score,
                          "suggestions": tuple(a.intitule for a in ideas),
                          "suggestions_codes": tuple(a.code for a in ideas)}, e.cells[:6])  # fmt: skip


@rule("action-sans-enjeu-fort")
def action_without_strong_enjeu(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    strong = {e.code for e in ctx.enjeux if e.niveau == "fort"}
    if not strong:
        return
    for s in ctx.actions:
        targets = set(ctx.served(s.action))
        if targets and not targets & strong:
            c = action_cell(s.action, "enjeux")
            yield _point("info", "action", s.key, "action-sans-enjeu-fort",
                         {**_action(s), "enjeux": tuple(sorted(targets)), "cellule": _s(c),
                          "libelles": tuple(_enjeu_label(ctx, e) for e in sorted(targets))}, _cells(c))  # fmt: skip


@rule("gouvernance-faible")
def weak_governance(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    g = ctx.governance
    if g.maturite is not None and g.maturite < LOW_MATURITY:
        yield _point("attention", "gouvernance", "maturite", "gouvernance-faible",
                     {"maturite": g.maturite, "ne_sait_pas": g.answers.get("Ne sait pas", 0)})  # fmt: skip


@rule("feuilles-absentes")
def missing_sheets(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for sheet in ctx.workbook.missing_sheets:
        yield _point("info", "données", sheet, "feuille-absente", {"feuille": sheet})


@rule("dissensus-votes")
def split_votes(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for code, v in sorted(ctx.votes.items()):
        if v.dissensus:
            d, a = ctx.catalogue.enjeu(code), ctx.catalogue.action(code)
            kind, label = ("enjeu", d.libelle) if d else ("action", a.intitule) if a else ("objet", None)
            yield _point("attention", "enjeu" if d else "action", code, "dissensus-votes",
                         {"type": kind, "libelle": label, "code": code, "mediane": v.median, "ecart_interquartile": v.iqr,
                          "n": v.n, "part_basse": v.share_low, "part_haute": v.share_high},
                         _cells(*(x.cell for x in ctx.workbook.votes if x.objet.strip().upper() == code))[:6])  # fmt: skip


@rule("hors-periode")
def beyond_period(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    end = period_end(ctx.workbook.territoire.periode)
    for s in ctx.actions:
        if s.fin is not None and s.fin > end:
            yield _point("info", "action", s.key, "hors-periode",
                         {**_action(s), "fin": s.fin, "fin_contrat": end.year}, _cells(s.action.cell))  # fmt: skip


@rule("classement-fragile")
def fragile_ranking(ctx: VigilanceContext) -> Iterable[VigilancePoint]:
    for s in ctx.actions:
        r = s.robustness
        if r is not None and r.fragile:
            yield _point("info", "action", s.key, "classement-fragile",
                         {**_action(s), "priorite": s.priorite, "p_meme_priorite": r.p_same_tier, "rang_min": r.rank_min,
                          "rang_max": r.rank_max}, _cells(s.action.cell))  # fmt: skip


#: Which kinds of points élus read first, most decisive first (docs/methode.md, « Points de vigilance »):
#: what stops an action, what nobody carries, what the money and the calendar allow, then the data.
BODY_ORDER = (
    "programme-modifie",
    "prerequis-non-fait",
    "hors-periode",
    "sans-pilote",
    "partenaire-manquant",
    "cout-eleve-faisabilite-faible",
    "gouvernance-faible",
    "enjeu-fort-sans-action",
    "donnees-illustratives",
    "dissensus-votes",
    "indicateurs-anciens",
    "feuilles-absentes",
)
BODY_MIN, BODY_MAX = 5, 8


def body_points(points: Sequence[VigilancePoint], ranks: Mapping[str, int]) -> frozenset[int]:
    """Indices of the 5 to 8 points the report's body shows; the others go to the annex.

    Every blocking point is shown. Then one point per kind, in `BODY_ORDER`, the one about the best-ranked
    action first, and never a second point about an action already shown (a comité reads one point per
    action); then second points of the same kinds while fewer than five are shown. Information points
    (`info`) stay in the annex, and so do the missed deadlines, which the chapter sums up in one sentence
    (`echeance-non-tenue` is not in `BODY_ORDER`).
    """

    def key(i: int) -> tuple[int, int]:
        p = points[i]
        return (BODY_ORDER.index(p.rule), ranks.get(p.ref, 10**6))

    def about_an_action(i: int) -> str | None:
        return points[i].ref if points[i].ref in ranks else None

    chosen = [i for i, p in enumerate(points) if p.niveau == "bloquant"]
    candidates = sorted(
        (i for i, p in enumerate(points) if p.niveau == "attention" and i not in chosen and p.rule in BODY_ORDER),
        key=key,
    )
    kinds = {points[i].rule for i in chosen}
    actions = {about_an_action(i) for i in chosen} - {None}
    for i in candidates:
        if len(chosen) >= BODY_MAX:
            break
        if points[i].rule not in kinds and about_an_action(i) not in actions:
            chosen.append(i)
            kinds.add(points[i].rule)
            actions.add(about_an_action(i))
    for i in candidates:
        if len(chosen) >= BODY_MIN:
            break
        if i not in chosen and about_an_action(i) not in actions:
            chosen.append(i)
            actions.add(about_an_action(i))
    return frozenset(chosen)


def vigilance(ctx: VigilanceContext, rules: Mapping[str, Rule] | None = None) -> tuple[VigilancePoint, ...]:
    """All points of all rules, bloquant first, then attention, then info (rule order kept within a level);
    `corps` marks the 5 to 8 the report's body shows (`body_points`)."""
    points = sorted((p for fn in (rules or RULES).values() for p in fn(ctx)), key=lambda p: LEVEL_ORDER[p.niveau])
    shown = body_points(points, {s.key: s.rang for s in ctx.actions})
    return tuple(replace(p, corps=i in shown) for i, p in enumerate(points))


__all__ = ["BODY_ORDER", "RULES", "VigilanceContext", "action_cell", "body_points", "rule", "vigilance"]

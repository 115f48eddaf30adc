"""Comparing territories: several Diagnostics -> one immutable cross-territory model.

    cmp = compare([diag_a, diag_b, diag_c])   # pure: no file read, no formatting

The study-action that motivated the tool worked on three towns at once; what the partners asked for was
the side-by-side view: which enjeux weigh where, which actions are shared or specific, which vigilance
points recur, what one town can borrow from another (an action it ranks first that the other lacks, with
the documented experiences that back it), and how solid the data of each territory is. Every number here
is raw (0–100 scores, counts, shares); the report view formats them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import callable_module
from .results import ActionScore, Diagnostic, VigilancePoint
from .text import normalize_key

#: Per receiving territory, at most this many transferable actions are listed (the most relevant first).
MAX_TRANSFERS = 8


@dataclass(frozen=True)
class TerritoryInfo:
    index: int
    nom: str
    court: str  # short name for table headers (`Carcassonne`), unique among the compared territories
    source: str  # file name the diagnostic came from, when known
    date: date | None = None  # date of the diagnostic
    #: the same territory twice (two workbooks, two dates): the report labels it by file and date
    homonyme: bool = False


@dataclass(frozen=True)
class HeatCell:
    score: float | None  # 0–100, None when not evaluated there or « à objectiver » (as in its own diagnostic)
    rang: int | None
    niveau: str | None  # fort / moyen / faible; None when « à objectiver »
    dissensus: bool = False
    a_objectiver: bool = False  # no scored indicator: no score, exactly as the territory's own report


@dataclass(frozen=True)
class EnjeuComparison:
    code: str
    libelle: str
    cells: tuple[HeatCell, ...]  # one per territory, in territory order

    @property
    def spread(self) -> float | None:
        """Max − min score over the territories that evaluated the enjeu: where they differ most."""
        scores = [c.score for c in self.cells if c.score is not None]
        return max(scores) - min(scores) if len(scores) >= 2 else None

    @property
    def mean(self) -> float | None:
        scores = [c.score for c in self.cells if c.score is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class ActionCell:
    priorite: int
    rang: int
    score: float


@dataclass(frozen=True)
class ActionComparison:
    key: str  # catalogue code, or `LIBRE@…` for a local action (then specific by construction)
    libelle: str
    champ: str
    cells: tuple[ActionCell | None, ...]  # one per territory; None = not planned there

    @property
    def territories(self) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.cells) if c is not None)


@dataclass(frozen=True)
class SharedVigilance:
    rule: str
    ref: str  # what it is about (action key, actor type, enjeu…), as the engine names it
    niveau: str  # the most severe level among the territories
    territories: tuple[int, ...]
    points: tuple[VigilancePoint, ...]  # one point per territory, same order as `territories` (report words them)


@dataclass(frozen=True)
class Transfer:
    """What territory `to` can take from territory `source`: an action `source` ranks first and `to` lacks."""

    to: int
    source: int
    key: str
    libelle: str
    enjeux: tuple[str, ...]  # enjeu codes the action addresses
    relevance: float  # highest score, in `to`, of the enjeux the action addresses (0–100); 0 when none
    experiences: tuple[str, ...]  # titles (and places) of the experiences matched to it in `source`


@dataclass(frozen=True)
class Coverage:
    indicateurs: int
    notes: int  # indicators actually scored
    illustratifs: int
    sources: tuple[str, ...]  # distinct sources of non-illustratif indicators
    votes: int  # votes that fed enjeu scores
    avertissements: int
    erreurs: int

    @property
    def share_scored(self) -> float | None:
        return self.notes / self.indicateurs if self.indicateurs else None

    @property
    def share_illustratif(self) -> float | None:
        return self.illustratifs / self.indicateurs if self.indicateurs else None


@dataclass(frozen=True)
class Comparison:
    territories: tuple[TerritoryInfo, ...]
    enjeux: tuple[EnjeuComparison, ...]  # catalogue order
    common_actions: tuple[ActionComparison, ...]  # planned in at least two territories
    specific_actions: tuple[ActionComparison, ...]  # planned in exactly one
    shared_vigilance: tuple[SharedVigilance, ...]  # same rule and object in at least two territories
    transfers: tuple[Transfer, ...]
    transfers_left_out: tuple[int, ...]  # per territory, how many transfers were not listed (over MAX_TRANSFERS)
    coverage: tuple[Coverage, ...]  # one per territory
    enjeu_labels: tuple[tuple[str, str], ...] = ()  # (code, libellé) of every enjeu, catalogue order

    def enjeu_label(self, code: str) -> str:
        return dict(self.enjeu_labels).get(code.strip().upper(), code)


_LEVEL_ORDER = {"bloquant": 0, "attention": 1, "info": 2}


def _short_names(noms: Sequence[str]) -> tuple[str, ...]:
    """`Carcassonne – 5 quartiers prioritaires` -> `Carcassonne`, unless two territories would then clash."""
    short = [n.split(" – ")[0].split(" - ")[0].strip() or n for n in noms]
    full: dict[str, set[str]] = {}
    for s, n in zip(short, noms, strict=True):
        full.setdefault(s.casefold(), set()).add(normalize_key(n))
    if any(len(v) > 1 for v in full.values()):  # two different territories would share a short name
        short = list(noms)
    return tuple(short)  # the same territory twice keeps its short name: the report adds file and date


def _same_territory(noms: Sequence[str]) -> tuple[bool, ...]:
    """True for each territory whose (short) name another one shares: two workbooks of the same place."""
    keys = [normalize_key(n) for n in noms]
    return tuple(keys.count(k) > 1 for k in keys)


def action_match_key(a: ActionScore) -> str:
    """What makes two territories' actions « the same »: the catalogue type, else the normalised title —
    never the row it was typed on (a local action in Actions!A12 here and there is not the same action)."""
    if a.action.code != "LIBRE":
        return a.action.code.upper()
    title = " ".join(re.sub(r"[^a-z0-9]+", " ", normalize_key(a.action.intitule or "")).split())
    return f"LIBRE:{title}" if title else a.key


def _title(a: ActionScore) -> str:
    return (a.libelle_catalogue or a.action.intitule or a.key).strip()


def _enjeu_labels(diags: Sequence[Diagnostic]) -> dict[str, str]:
    """Code -> label, from the catalogue entries each diagnostic carries (first one wins)."""
    out: dict[str, str] = {}
    for d in diags:
        for e in d.definitions.enjeux:
            out.setdefault(e.code, e.libelle)
    return out


def _heat(diags: Sequence[Diagnostic]) -> tuple[EnjeuComparison, ...]:
    by_code = [{e.code: e for e in d.enjeux} for d in diags]
    labels = _enjeu_labels(diags)
    codes = list(labels)
    codes += sorted({c for m in by_code for c in m} - set(codes))
    rows = []
    for code in codes:
        cells = tuple(
            (
                HeatCell(None, m[code].rang, None, m[code].dissensus, a_objectiver=True)
                if m[code].a_objectiver
                else HeatCell(m[code].score, m[code].rang, m[code].niveau, m[code].dissensus)
            )
            if code in m
            else HeatCell(None, None, None)
            for m in by_code
        )
        if all(c.score is None and not c.a_objectiver for c in cells):
            continue
        label = labels.get(code) or next((m[code].libelle for m in by_code if code in m), code)
        rows.append(EnjeuComparison(code, label, cells))
    return tuple(rows)


def _actions(diags: Sequence[Diagnostic]) -> tuple[tuple[ActionComparison, ...], tuple[ActionComparison, ...]]:
    n = len(diags)
    cells: dict[str, list[ActionCell | None]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for i, d in enumerate(diags):
        for a in d.actions:  # ranked: the first of two same-type actions of one territory is the one shown
            key = action_match_key(a)
            row = cells.setdefault(key, [None] * n)
            if row[i] is None:
                row[i] = ActionCell(a.priorite, a.rang, a.score)
            labels.setdefault(key, (_title(a), a.action.champ))
    rows = [ActionComparison(k, labels[k][0], labels[k][1], tuple(v)) for k, v in cells.items()]

    def best(r: ActionComparison) -> tuple:
        present = [c for c in r.cells if c is not None]
        return (
            -len(present),
            min(c.priorite for c in present),
            -sum(c.score for c in present) / len(present),
            r.libelle,
        )

    rows.sort(key=best)
    common = tuple(r for r in rows if len(r.territories) >= 2)
    specific = tuple(r for r in rows if len(r.territories) == 1)
    return common, specific


def _vigilance(diags: Sequence[Diagnostic]) -> tuple[SharedVigilance, ...]:
    groups: dict[tuple[str, str], dict[int, tuple[str, VigilancePoint]]] = {}
    for i, d in enumerate(diags):
        keys = {a.key: action_match_key(a) for a in d.actions}  # a local action's row is not its identity
        for v in d.vigilance:
            ref = keys.get(v.ref, v.ref) if v.objet == "action" else v.ref
            groups.setdefault((v.rule, ref), {}).setdefault(i, (v.niveau, v))
    shared = []
    for (rule, ref), per in groups.items():
        if len(per) < 2:
            continue
        idx = tuple(sorted(per))
        level = min((per[i][0] for i in idx), key=lambda lv: _LEVEL_ORDER.get(lv, 9))
        shared.append(SharedVigilance(rule, ref, level, idx, tuple(per[i][1] for i in idx)))
    shared.sort(key=lambda s: (_LEVEL_ORDER.get(s.niveau, 9), -len(s.territories), s.rule, s.ref))
    return tuple(shared)


def _transfers(diags: Sequence[Diagnostic]) -> tuple[tuple[Transfer, ...], tuple[int, ...]]:
    planned = [{action_match_key(a) for a in d.actions} for d in diags]
    scores = [{e.code: e.score for e in d.enjeux if not e.a_objectiver} for d in diags]  # as each report shows
    result: list[Transfer] = []
    left_out: list[int] = []
    for to in range(len(diags)):
        offers: dict[str, Transfer] = {}
        for source, d in enumerate(diags):
            if source == to:
                continue
            for a in d.actions:
                if a.priorite != 1 or a.action.code == "LIBRE" or action_match_key(a) in planned[to]:
                    continue
                relevance = max((scores[to].get(c, 0.0) for c in a.action.enjeux), default=0.0)
                exps = tuple(f"{m.experience.titre} ({m.experience.lieu})" for m in d.experiences if a.key in m.actions)
                t = Transfer(to, source, a.key, _title(a), tuple(a.action.enjeux), relevance, exps)
                prev = offers.get(a.key)
                # the same action offered by two territories: keep the better-documented, then the first
                if prev is None or len(t.experiences) > len(prev.experiences):
                    offers[a.key] = t
        ranked = sorted(offers.values(), key=lambda t: (-t.relevance, -len(t.experiences), t.libelle))
        result.extend(ranked[:MAX_TRANSFERS])
        left_out.append(max(0, len(ranked) - MAX_TRANSFERS))
    return tuple(result), tuple(left_out)


def _coverage(d: Diagnostic) -> Coverage:
    sources: dict[str, None] = {}
    for s in d.indicateurs:
        src = (s.indicateur.source or "").strip()
        if src and not s.indicateur.illustratif:
            sources[src] = None
    return Coverage(
        indicateurs=len(d.indicateurs),
        notes=sum(1 for s in d.indicateurs if s.score is not None),
        illustratifs=sum(1 for s in d.indicateurs if s.indicateur.illustratif),
        sources=tuple(sources),
        votes=sum(e.n_votes for e in d.enjeux if not e.votes_non_comptes),
        avertissements=len(d.qualite.avertissements),
        erreurs=len(d.qualite.erreurs),
    )


def compare(diags: Sequence[Diagnostic], sources: Sequence[str] | None = None) -> Comparison:
    """The cross-territory model; `sources` names the file of each diagnostic (same order), for the report."""
    if len(diags) < 2:
        raise ValueError("au moins deux territoires sont nécessaires pour une comparaison")
    sources = list(sources) if sources is not None else [""] * len(diags)
    short = _short_names([d.territoire.nom for d in diags])
    same = _same_territory(short)
    territories = tuple(
        TerritoryInfo(i, d.territoire.nom, short[i], sources[i], d.territoire.date_diagnostic, same[i])
        for i, d in enumerate(diags)
    )
    common, specific = _actions(diags)
    transfers, left_out = _transfers(diags)
    return Comparison(
        territories=territories,
        enjeux=_heat(diags),
        common_actions=common,
        specific_actions=specific,
        shared_vigilance=_vigilance(diags),
        transfers=transfers,
        transfers_left_out=left_out,
        coverage=tuple(_coverage(d) for d in diags),
        enjeu_labels=tuple(_enjeu_labels(diags).items()),
    )


callable_module(__name__, compare)

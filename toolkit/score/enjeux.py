"""Scoring the enjeux 0–100 (100 = most acute stake) from indicators, perceived importance and votes.

Each indicator places the quartier among QPV and in its surroundings on the bound its catalogue DECLARES
(`ecart_critique`, see `score.comparisons`): scores never depend on the other rows of the file. Each
source of an enjeu score stays visible as a `ScorePart`; a missing source is dropped and the others
re-weighted. An enjeu no scored indicator informs is « à objectiver » (`a_objectiver`): the report never
prints a number for it, and it ranks after the enjeux the data objectivate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Literal

from ..catalog.catalogue import Catalogue
from ..catalog.indicators import IndicatorDef
from ..config import EnjeuRules, EnjeuWeights
from ..model import Cell, EnjeuLocal, Indicateur
from ..plausibility import implausible_values
from ..results import EnjeuScore, IndicatorScore, Level, PartDetail, PartName, ScorePart, ValueToCheck
from .comparisons import comparisons, indicator_position
from .votes import VoteSummary

#: Levels of an enjeu score: ≥ fort is "fort", ≥ moyen is "moyen", below is "faible".
LEVEL_FORT = 60.0
LEVEL_MOYEN = 40.0
_LEVELS: tuple[Level, ...] = ("faible", "moyen", "fort")


def score_indicator(
    ind: Indicateur,
    catalogue: Catalogue,
    *,
    year_now: int | None = None,
    quartiers: Sequence[tuple[str, float]] = (),
) -> IndicatorScore:
    """The quartier's position among QPV and in its surroundings (`score.comparisons`, docs/methode.md § 1.1).

    `ecart` / `ecart_relatif` stay the gap to `Valeur référence` when the row gives one (else to the first
    comparison the score rests on); every comparison is kept in `comparaisons`, the basis in `base`.

    A row with a figure `plausibility.implausible_values` calls implausible (the rule `check` warns with;
    `year_now`: the report's year) is not scored: « valeur à vérifier », each figure with its cell.
    `quartiers`: (code, value) of each quartier's own figure when the territory has several: the score is
    then the mean of the aggregate's and the most unfavourable quartier's, so that one quartier cannot hide
    the others.
    """
    if ind.valeur_quartier is None:
        return IndicatorScore(ind, None, None, None, "valeur-quartier-manquante")
    definition = catalogue.indicator(ind.code)
    found = comparisons(ind, definition)
    wrong = implausible_values(
        ind.unite, ind.valeur_quartier, ind.valeur_reference, ind.comparaisons, ind.annee, year_now
    )
    if wrong:
        to_check = tuple(ValueToCheck(f.code, f.field, f.value, ind.cells.get(f.field)) for f in wrong)
        return IndicatorScore(ind, None, None, None, wrong[0].code, comparaisons=found, a_verifier=to_check)
    if not found:
        return IndicatorScore(ind, None, None, None, "reference-manquante")
    score, base = indicator_position(found)
    shown = next((c for c in found if c.reference == ind.valeur_reference), None) or next(
        (c for c in found if c.position is not None), found[0]
    )
    oriented = shown.ecart if ind.sens == "hausse = dégradation" else -shown.ecart
    relatif = oriented / abs(shown.reference) if shown.reference != 0 else None
    if score is None:
        return IndicatorScore(ind, None, shown.ecart, None, "reference-nulle", comparaisons=found)
    worst = _worst_quartier(ind, definition, quartiers)
    if worst is not None and worst[1] > score:
        return IndicatorScore(
            ind,
            (score + worst[1]) / 2,
            shown.ecart,
            relatif,
            comparaisons=found,
            base=base,
            score_ensemble=score,
            pire_quartier=worst[0],
            score_pire_quartier=worst[1],
        )
    return IndicatorScore(ind, score, shown.ecart, relatif, comparaisons=found, base=base)


#: Units whose quartier figure of exactly 0 may be a missing one in INSEE's file (no establishment of any kind
#: for 1 000 inhabitants): such a zero never makes a quartier the worst by itself.
ZERO_MAY_BE_MISSING = ("‰", "nb")


def _worst_quartier(
    ind: Indicateur, definition: IndicatorDef | None, quartiers: Sequence[tuple[str, float]]
) -> tuple[str, float] | None:
    """(code, score) of the quartier whose own figure scores worst against the same comparisons (two at the
    bound: the one whose figure is the more unfavourable, 0 ‰ before 28 ‰ of establishments)."""
    best: tuple[str, float] | None = None
    best_key: tuple[float, float] | None = None
    for code, value in quartiers:
        if implausible_values(ind.unite, value, ind.valeur_reference, ind.comparaisons):
            continue
        if value == 0 and ind.unite in ZERO_MAY_BE_MISSING and any(v for _, v in quartiers):
            continue  # INSEE's file writes 0 where a figure may be missing (the pre-fill says « à vérifier »)
        own, _ = indicator_position(comparisons(replace(ind, valeur_quartier=value), definition))
        key = (own, value if ind.sens == "hausse = dégradation" else -value) if own is not None else None
        if key is not None and own is not None and (best_key is None or key > best_key):
            best, best_key = (code, own), key
    return best


def level(score: float) -> Level:
    if score >= LEVEL_FORT:
        return "fort"
    if score >= LEVEL_MOYEN:
        return "moyen"
    return "faible"


def _importance_of(locals_: Iterable[EnjeuLocal], catalogue: Catalogue) -> dict[str, EnjeuLocal]:
    out: dict[str, EnjeuLocal] = {}
    for row in locals_:
        d = catalogue.enjeu(row.enjeu)
        if d is not None:
            out[d.code] = row
    return out


def _catalogue_counts(catalogue: Catalogue) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in catalogue.indicators:
        if d.enjeu:
            counts[d.enjeu] = counts.get(d.enjeu, 0) + 1
    return counts


def _combine(
    parts: Sequence[tuple[PartName, float | None, float, PartDetail, int]],
) -> tuple[float | None, tuple[ScorePart, ...]]:
    """Weighted mean of the present sources; weights of missing ones are shared among the others."""
    present = sum(w for _, v, w, _, _ in parts if v is not None)
    out = []
    total = 0.0
    for name, value, weight, detail, n in parts:
        eff = weight / present if value is not None and present > 0 else 0.0
        out.append(ScorePart(name, value, weight, eff, detail, n))
        if value is not None:
            total += eff * value
    if present <= 0:
        return None, tuple(out)
    return total, tuple(out)


def score_enjeux(
    scored: Sequence[IndicatorScore],
    locals_: Iterable[EnjeuLocal],
    vote_summaries: Mapping[str, VoteSummary],
    weights: EnjeuWeights,
    catalogue: Catalogue,
    rules: EnjeuRules | None = None,
) -> tuple[tuple[EnjeuScore, ...], tuple[str, ...]]:
    """Ranked enjeu scores, and the codes of the enjeux that no source informs (not evaluated).

    `rules` (`[enjeux.regles]`): votes count only from `votants_min` voters (fewer: shown, not counted); a
    perception above the data by more than `ecart_perception` points is a `divergence`, and the level is
    then the data's (an enjeu is never « fort » on perception alone)."""
    rules = rules or EnjeuRules()
    by_enjeu: dict[str, list[IndicatorScore]] = {}
    for s in scored:
        code = s.indicateur.enjeu
        d = catalogue.enjeu(code)
        if d is not None:
            by_enjeu.setdefault(d.code, []).append(s)
    importance = _importance_of(locals_, catalogue)
    counts = _catalogue_counts(catalogue)
    out: list[EnjeuScore] = []
    not_evaluated: list[str] = []
    for d in catalogue.enjeux:
        rows = by_enjeu.get(d.code, [])
        notes = [s for s in rows if s.score is not None]
        in_catalogue = {s.indicateur.code.upper() for s in notes if catalogue.indicator(s.indicateur.code) is not None}
        n_cat = counts.get(d.code, 0)
        coverage = min(1.0, len(in_catalogue) / n_cat) if n_cat else None
        scores = [s.score for s in notes if s.score is not None]  # all of them: notes are the scored rows
        ind_value = sum(scores) / len(scores) if scores else None
        ind_detail = PartDetail(scored=len(notes), rows=len(rows), in_catalogue=len(in_catalogue), catalogue=n_cat)
        local = importance.get(d.code)
        imp = local.importance if local is not None else None
        imp_value = (imp - 1) / 4 * 100 if imp is not None else None
        vote = vote_summaries.get(d.code)
        counted = vote is not None and vote.n >= rules.votants_min
        vote_detail = (
            PartDetail(median=vote.median, iqr=vote.iqr, voters=vote.n, dissensus=vote.dissensus, counted=counted)
            if vote
            else PartDetail()
        )
        vote_value = vote.score if vote is not None and counted else None
        parts: list[tuple[PartName, float | None, float, PartDetail, int]] = [
            ("indicateurs", ind_value, weights.indicateurs, ind_detail, len(notes)),
            ("importance", imp_value, weights.importance, PartDetail(importance=imp), 1 if imp is not None else 0),
            ("votes", vote_value, weights.votes, vote_detail, vote.n if vote else 0),
        ]
        score, score_parts = _combine(parts)
        perceived = [(v, w) for v, w in ((imp_value, weights.importance), (vote_value, weights.votes)) if v is not None]
        w_perceived = sum(w for _, w in perceived)
        perception = sum(v * w for v, w in perceived) / w_perceived if perceived and w_perceived > 0 else None
        if score is None:
            not_evaluated.append(d.code)
            continue
        cells: list[Cell] = [c for s in notes for c in (s.indicateur.value_cell or s.indicateur.cell,) if c]
        if local is not None and local.cell is not None:
            cells.append(local.cell)
        divergence: Literal["perception", "donnees"] | None = None
        niveau = level(score)
        if ind_value is not None and perception is not None:
            if perception - ind_value > rules.ecart_perception:
                divergence = "perception"
                # never « marqué » on perception alone: the level is the data's (the score stays, its parts shown)
                niveau = min(niveau, level(ind_value), key=_LEVELS.index)
            elif ind_value - perception > rules.ecart_perception:
                divergence = "donnees"
        out.append(
            EnjeuScore(
                code=d.code,
                libelle=d.libelle,
                score=score,
                rang=0,
                parts=score_parts,
                indicateurs=tuple(s.indicateur.code for s in notes),
                coverage=coverage,
                atouts=local.atouts if local else None,
                faiblesses=local.faiblesses if local else None,
                niveau=niveau,
                vote_median=vote.median if vote else None,
                vote_iqr=vote.iqr if vote else None,
                n_votes=vote.n if vote else 0,
                dissensus=vote.dissensus if vote else False,
                cells=tuple(cells),
                a_objectiver=not notes,
                illustratif=any(s.indicateur.illustratif for s in notes),
                part_donnees=ind_value,
                part_perception=perception,
                divergence=divergence,
                votes_non_comptes=vote is not None and not counted,
            )
        )
    order = {d.code: i for i, d in enumerate(catalogue.enjeux)}
    ranked = sorted(out, key=lambda e: (e.a_objectiver, -round(e.score, 9), order[e.code]))
    return tuple(replace(e, rang=i) for i, e in enumerate(ranked, start=1)), tuple(not_evaluated)

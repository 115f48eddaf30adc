"""The report's « Votes de l'atelier » block: perceived and data-driven scores side by side, vote spread.

Built from `Diagnostic.votes` (toolkit.score.votes.vote_results) and the enjeu score parts; the block is absent
when the workbook holds no vote. Formatted here in French, like the rest of the view model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Diagnostic
from . import formatting as fmt

#: Data-driven and perceived scores further apart than this (0–100 points) are flagged « à discuter ».
DIVERGENCE_POINTS = 25.0


@dataclass(frozen=True)
class EnjeuVoteRow:
    libelle: str
    donnees: str  # score from indicators
    importance: str  # score from the importance noted in the workbook
    votes: str  # score from the workshop median
    mediane: str
    iqr: str
    votants: str
    borda: str
    dissensus: bool
    a_discuter: bool  # data and perception (importance or votes) disagree by DIVERGENCE_POINTS or more


@dataclass(frozen=True)
class ActionVoteRow:
    libelle: str
    rang: str  # rank in the multi-criteria ranking
    mediane: str
    iqr: str
    votants: str
    borda: str
    dissensus: bool


@dataclass(frozen=True)
class AtelierView:
    enjeux: tuple[EnjeuVoteRow, ...]
    actions: tuple[ActionVoteRow, ...]
    n_votants: int
    divergence: str
    synthese: str = ""  # one sentence for the synthesis page: a workshop happened, how many notes, where it split
    partages: tuple[str, ...] = ()  # labels of the enjeux with « avis partagés » (dissensus)


def _objects(diag: Diagnostic) -> str:
    """« 3 enjeux et 2 actions »: what the room noted, named, never « 5 objets »."""
    kinds = (("enjeu", "enjeu", "enjeux"), ("action", "action", "actions"))
    counts = [(sum(v.kind == k for v in diag.votes), one, many) for k, one, many in kinds]
    return fmt.listing([fmt.plural(n, one, many) for n, one, many in counts if n])


def _synthese(diag: Diagnostic, n_votants: int, enjeux: tuple[str, ...], actions: tuple[str, ...]) -> str:
    n_notes = sum(v.n for v in diag.votes)
    head = (
        f"Un atelier de notation a réuni jusqu'à {fmt.plural(n_votants, 'votant')} "
        f"({fmt.plural(n_notes, 'note')} sur {_objects(diag)})."
    )

    def quoted(labels: tuple[str, ...]) -> str:  # no-break spaces: a « never ends a line, a » never starts one
        return fmt.listing([f"«\u00a0{x}\u00a0»" for x in labels])

    enjeu_word = "l'enjeu" if len(enjeux) == 1 else "les enjeux"
    action_word = "l'action" if len(actions) == 1 else "les actions"
    split = [f"{enjeu_word} {quoted(enjeux)}"] if enjeux else []
    split += [f"{action_word} {quoted(actions)}"] if actions else []
    if not split:
        return head + " Aucun enjeu ni aucune action ne divise la salle."
    return head + " Avis partagés sur " + " et sur ".join(split) + "."


def _part(e, name: str) -> float | None:
    return next((p.value for p in e.parts if p.name == name), None)


def atelier_view(diag: Diagnostic) -> AtelierView | None:
    if not diag.votes:
        return None
    by_code = {v.objet: v for v in diag.votes if v.kind == "enjeu"}
    enjeux = []
    for e in diag.enjeux:
        v = by_code.get(e.code)
        data, imp, vot = _part(e, "indicateurs"), _part(e, "importance"), _part(e, "votes")
        perceived = [x for x in (imp, vot) if x is not None]
        far = data is not None and any(abs(x - data) >= DIVERGENCE_POINTS for x in perceived)
        enjeux.append(
            EnjeuVoteRow(
                libelle=fmt.text(e.libelle),
                donnees=fmt.score(data),
                importance=fmt.score(imp),
                votes=fmt.score(vot),
                mediane=fmt.number(v.median, 1) if v else fmt.DASH,
                iqr=fmt.number(v.iqr, 1) if v else fmt.DASH,
                votants=fmt.number(v.n, 0) if v else "0",
                borda=str(v.borda_rang) if v and v.borda_rang else fmt.DASH,
                dissensus=bool(v and v.dissensus),
                a_discuter=far,
            )
        )
    ranks = {a.key: a.rang for a in diag.actions}
    actions = tuple(
        ActionVoteRow(
            fmt.text(v.libelle),
            str(ranks.get(v.objet, fmt.DASH)),
            fmt.number(v.median, 1),
            fmt.number(v.iqr, 1),
            fmt.number(v.n, 0),
            str(v.borda_rang) if v.borda_rang else fmt.DASH,
            v.dissensus,
        )
        for v in sorted((v for v in diag.votes if v.kind == "action"), key=lambda v: ranks.get(v.objet, 10**6))
    )
    n_votants = max((v.n for v in diag.votes), default=0)
    partages = tuple(r.libelle for r in enjeux if r.dissensus)
    split_actions = tuple(r.libelle for r in actions if r.dissensus)
    return AtelierView(
        tuple(enjeux),
        actions,
        n_votants,
        fmt.number(DIVERGENCE_POINTS, 0),
        _synthese(diag, n_votants, partages, split_actions),
        partages,
    )

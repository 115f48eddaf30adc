"""The enjeux chapter: one block per enjeu with what its score is made of."""

from __future__ import annotations

from ...results import Definitions, EnjeuScore
from ...score.enjeux import level
from .. import formatting as fmt
from .. import wording
from .labels import A_OBJECTIVER, A_OBJECTIVER_NOTE, NIVEAU_LABELS, PART_LABELS
from .model import EnjeuBlock, PartRow


def _enjeu_block(e: EnjeuScore, defs: Definitions) -> EnjeuBlock:
    parts = tuple(
        PartRow(
            label=PART_LABELS.get(p.name, p.name),
            value=fmt.score(p.value) if p.value is not None else "absent",
            weight=fmt.share(p.weight),
            effective_weight=fmt.share(p.effective_weight),
            contribution=fmt.number(p.value * p.effective_weight, 1) if p.value is not None else fmt.DASH,
            detail=wording.part_detail(p),
            missing=p.value is None,
        )
        for p in e.parts
    )
    if e.n_votes:
        votes = (
            f"médiane {fmt.number(e.vote_median, 1)} / 5, écart interquartile {fmt.number(e.vote_iqr, 1)}, "
            f"{fmt.plural(e.n_votes, 'votant')}"
        )
    else:
        votes = "pas de vote en atelier"
    ind_labels = []
    for code in e.indicateurs:
        d = defs.indicator(code)
        ind_labels.append(d.libelle if d else code)
    return EnjeuBlock(
        rang=e.rang,
        code=e.code,
        libelle=fmt.text(e.libelle) or defs.enjeu_label(e.code),
        score=A_OBJECTIVER if e.a_objectiver else fmt.score(e.score),
        niveau=(A_OBJECTIVER_NOTE if e.a_objectiver else NIVEAU_LABELS.get(e.niveau, e.niveau))
        # its level is the data's when perception alone would raise it: said, so that « 50 » beside « faible »
        # does not read as a contradiction of the thresholds (annexe C)
        + (" selon les données" if _lowered(e) else "")
        + (" · illustratif" if e.illustratif else ""),
        niveau_key="objectiver" if e.a_objectiver else e.niveau,
        parts=parts,
        atouts=fmt.text(e.atouts),
        faiblesses=fmt.text(e.faiblesses),
        votes=votes,
        dissensus=e.dissensus,
        indicateurs=tuple(ind_labels),
        coverage=fmt.share(e.coverage) if e.coverage is not None else fmt.DASH,
        donnees_perception=_data_and_perception(e),
        divergence=wording.divergence_text(e.divergence),
    )


def _data_and_perception(e: EnjeuScore) -> str:
    """« Selon les données : 0/100 ; selon la perception (importance perçue, votes comptés) : 100/100. » — what each
    side says of the enjeu, on the same 0-100 scale (a « part » read as a share of the score, which it is not)."""
    data = "aucun indicateur noté" if e.part_donnees is None else f"{fmt.score(e.part_donnees)}/100"
    seen = "non renseignée" if e.part_perception is None else f"{fmt.score(e.part_perception)}/100"
    return f"Selon les données : {data} ; selon la perception (importance perçue, votes comptés) : {seen}."


def _lowered(e: EnjeuScore) -> bool:
    """The level was taken from the data part, below what the score alone would give (score.enjeux)."""
    return e.divergence == "perception" and e.score is not None and e.niveau != level(e.score)

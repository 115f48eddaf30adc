"""Governance and partnerships: maturity, answers, partner map, missing partners."""

from __future__ import annotations

from ...model import ACTOR_TYPES, REPONSES
from ...plan.vigilance import HIGH_MATURITY, LOW_MATURITY
from ...results import Diagnostic
from .. import charts, wording
from .. import formatting as fmt
from ..theme import Theme
from .common import _join, _title, chart_img
from .model import GapRow, GovernanceView, KeyFigure, QuestionRow


def _governance(diag: Diagnostic, theme: Theme) -> GovernanceView:
    g = diag.governance
    if g.maturite is None:
        mat, mat_text = fmt.DASH, "La maturité n'a pas pu être calculée (feuille Gouvernance absente ou vide)."
    else:
        # the thresholds of the vigilance rule: a 34/100 is « faible » there and here, never « intermédiaire »
        level = (
            "avancée" if g.maturite >= HIGH_MATURITY else "intermédiaire" if g.maturite >= LOW_MATURITY else "faible"
        )
        mat, mat_text = fmt.score(g.maturite), f"Gouvernance du volet économique {level}."
    pm = charts.partner_map(g, ACTOR_TYPES, theme) if (g.partners or g.gaps) else None
    keys_by_action = {a.key: f"{a.rang}. {_title(a)}" for a in diag.actions}
    return GovernanceView(
        available=g.available,
        maturite=mat,
        maturite_text=mat_text,
        answers=tuple(KeyFigure(fmt.number(g.answers.get(r, 0), 0), r) for r in REPONSES),
        questions=tuple(QuestionRow(c, fmt.text(q), fmt.text(r) or "sans réponse") for c, q, r in g.detail),
        partner_map=chart_img(pm) if pm else None,
        partner_alt=pm.alt if pm else "",
        gaps=tuple(
            GapRow(
                gap.type,
                "absent" if gap.status == "absent" else "peu impliqué",
                _join([keys_by_action.get(k, k) for k in gap.actions], fmt.DASH),
                wording.gap_message(gap, {a.key: a.action.intitule or a.action.code for a in diag.actions}),
            )
            for gap in g.gaps
        ),
        n_partners=sum(len(p.structures) for p in g.partners),
    )

"""What each action needs before it can start, as the method says: what, why, who, how long, blocking or not.

Two sources, merged per action:
- the workbook's status cells (Diagnostic préalable, Étude de faisabilité, Mobilisation des partenaires):
  « À faire » or « En cours » is a need, « Fait » or « Sans objet » is not;
- the catalogue's own conditions of the action (`[[action.prerequis_detail]]`: land control, an
  habilitation by decree, a convention, a post recruited…), with their why, who and duration. They are to
  confirm (`a_confirmer`) when the workbook declares every prerequisite done or not applicable.

Dates come from the roadmap's phases, so a need says when it is planned. Numbers, dates and codes only:
the report words them (`report/wording.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..catalog.catalogue import Catalogue
from ..model import PREREQUIS
from ..results import ActionScore, PrerequisiteNeed
from ..text import normalize_key
from .roadmap import STATUS_FACTOR, declared_ready


def prerequisite_needs(s: ActionScore, catalogue: Catalogue) -> tuple[PrerequisiteNeed, ...]:
    """The needs of one planned action, workbook prerequisites first, in the catalogue's order.

    `diagnose` stores them in each `ActionScore.needs`; what reads a Diagnostic reads them there."""
    d = catalogue.action(s.action.code)
    detail = {normalize_key(p.quoi): p for p in (d.prerequis_detail if d else ())}
    phases = {normalize_key(p.label): p for p in s.phases if p.kind == "prerequis"}
    out: list[PrerequisiteNeed] = []
    for name in PREREQUIS:
        status = s.action.prerequis.get(name)
        if status not in STATUS_FACTOR:
            continue
        p, ph = detail.get(normalize_key(name)), phases.get(normalize_key(name))
        out.append(
            PrerequisiteNeed(
                quoi=name,
                pourquoi=p.pourquoi if p else None,
                qui=p.qui if p else None,
                duree_mois=p.duree_mois if p else None,
                bloquant=True,
                origine="classeur",
                statut=status,
                debut=ph.debut if ph else None,
                fin=ph.fin if ph else None,
                source=p.source if p else None,
                cell=s.action.cells.get(_status_key(name)),
            )
        )
    ready = declared_ready(s.action)
    own = {normalize_key(p) for p in PREREQUIS}
    for p in d.prerequis_detail if d else ():
        if normalize_key(p.quoi) in own:
            continue
        ph = phases.get(normalize_key(p.quoi))
        out.append(
            PrerequisiteNeed(
                quoi=p.quoi,
                pourquoi=p.pourquoi,
                qui=p.qui,
                duree_mois=p.duree_mois,
                bloquant=p.bloquant,
                origine="catalogue",
                a_confirmer=ready,
                debut=ph.debut if ph else None,
                fin=ph.fin if ph else None,
                source=p.source,
            )
        )
    return tuple(out)


def _status_key(name: str) -> str:
    from ..layout import PREREQUIS_KEYS

    return dict(zip(PREREQUIS, PREREQUIS_KEYS, strict=False))[name]


def with_needs(actions: Sequence[ActionScore], catalogue: Catalogue) -> tuple[ActionScore, ...]:
    """The same planned actions, each carrying its `needs` (dates from its roadmap phases)."""
    return tuple(replace(s, needs=prerequisite_needs(s, catalogue)) for s in actions)


__all__ = ["PrerequisiteNeed", "prerequisite_needs", "with_needs"]

"""Catalogue suggestions for the strong enjeux that no action of the workbook serves.

A warning « enjeu fort sans action » alone leaves the comité with a gap; the method also says where to
look: the catalogue's actions that target that enjeu (docs/methode.md § 6). Computed from the catalogue
passed in (packaged data plus the user's files), never from a global.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..catalog.catalogue import Catalogue
from ..results import ActionScore, EnjeuScore, Suggestion
from ..score.actions import served_enjeux

#: Catalogue actions suggested per enjeu, at most.
MAX_PER_ENJEU = 3


def suggestions(
    enjeux: Sequence[EnjeuScore], actions: Sequence[ActionScore], catalogue: Catalogue
) -> tuple[Suggestion, ...]:
    """For each « fort » enjeu the data objectivate (not « à objectiver ») that no action serves: catalogue
    actions targeting it, the enjeu named first in their targets before the others, programmes that have
    ended (`statut_niveau = "bloquant"`) left out, codes the workbook already has left out."""
    served = {e for s in actions for e in served_enjeux(s.action, catalogue)}
    used = {s.action.code.upper() for s in actions}
    out = []
    for e in enjeux:
        if e.niveau != "fort" or e.a_objectiver or e.code in served:
            continue
        found = [
            d
            for d in catalogue.actions
            if e.code in d.enjeux and d.statut_niveau != "bloquant" and d.code.upper() not in used
        ]
        found.sort(key=lambda d: (d.enjeux.index(e.code), d.cout_min))
        if found:
            out.append(Suggestion(e.code, tuple((d.code, d.intitule) for d in found[:MAX_PER_ENJEU])))
    return tuple(out)

"""What the comité deck and the one-page note pick from the report's view: which synthesis paragraph goes
where, the priorities, the vigilance points kept for the body, the decisions. Picking, never writing: every
sentence here is the view's (the few labels of `fallback_decisions` stand in until the synthesis names the
decisions asked of the comité itself, as docs/editorial wants).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Keywords of the synthesis headings (`view.narrative`), in the order they are tried, to the slide whose
#: notes carry that paragraph. A heading no keyword matches goes to the decisions slide: nothing is lost.
NOTE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("decisions", ("décision", "comité")),
    ("chiffres", ("chiffre", "situation")),
    ("vigilance", ("vigilance", "bloque", "frein", "obstacle", "lever")),
    ("suite", ("mobiliser", "qui fait", "étape", "suite", "2027", "calendrier", "suivre")),
    ("priorites", ("commencer", "priorit", "action")),
    ("enjeux", ("constat", "enjeu")),
)


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def by_topic(narrative: Sequence[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Each synthesis paragraph (heading, text) assigned to exactly one topic (a slide, a block of the note)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for heading, text in narrative:
        key = next((k for k, words in NOTE_KEYS if any(w in _norm(heading) for w in words)), "decisions")
        out.setdefault(key, []).append((heading, text))
    return out


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences (after . ! ? followed by a capital), for slide items."""
    parts = re.split(r"(?<=[.!?])\s+(?=[«A-ZÀÂÉÈÊÎÔÙÛÇ0-9])", text.strip())
    return [p for p in (x.strip() for x in parts) if p]


def structuring_and_quick(view) -> tuple[list, list]:
    """The priorities exactly as the report's « Priorités » chapter lists them, in its order and count:
    structuring actions, quick wins (and one-day events); never an action « à reconfigurer » (`to_reconfigure`).
    A view without these lists (an older one) falls back on priorities 1 and 2."""
    if hasattr(view, "structurantes"):
        return list(view.structurantes), list(getattr(view, "gains_rapides", ()))
    chosen = [a for a in view.actions if a.priorite in (1, 2)] or list(view.actions[:5])
    return [a for a in chosen if not a.quick_win], [a for a in chosen if a.quick_win]


def to_reconfigure(view) -> list:
    """The priorities « à reconfigurer avant d'être engagées », as the report lists them apart."""
    return list(getattr(view, "a_reconfigurer", ()))


def priority_label(a) -> str:
    """An action's title with the report's « sous condition » mark when the comité validates it on condition."""
    return a.intitule + (" (sous condition)" if getattr(a, "sous_condition", False) else "")


def retained(view) -> list:
    """The actions the comité is asked to retain: structuring first, then quick wins."""
    structuring, quick = structuring_and_quick(view)
    return structuring + quick


def vigilance_points(view) -> list:
    """Five to eight points for the body: the view's own (`vigilance_body`), else its headline points
    completed level by level."""
    body = list(getattr(view, "vigilance_body", ()))
    if body:
        return body[:8]
    chosen = list(getattr(view, "top_vigilance", ()))
    seen = {(p.niveau, p.message) for p in chosen}
    for group in view.vigilance:
        for p in group.items:
            if len(chosen) >= 8:
                break
            if (p.niveau, p.message) not in seen:
                chosen.append(p)
                seen.add((p.niveau, p.message))
    return chosen[:8]


def decisions(view) -> list[tuple[str, str]]:
    """The decisions asked of the comité, as (bold head, text): the synthesis' own list (`view.decisions`)."""
    own = list(getattr(view, "decisions", ()))
    if own:
        return [("", d) for d in own]
    return fallback_decisions(view)


def fallback_decisions(view) -> list[tuple[str, str]]:
    """For a view without its own list of decisions: the choices the report puts before the comité."""
    p1 = [a for a in view.actions if a.priorite == 1][:3]
    items = []
    if p1:
        items.append(("Valider les priorités : ", " ; ".join(a.intitule for a in p1)))
    blocking = [p for g in view.vigilance if g.key == "bloquant" for p in g.items]
    if blocking:
        items.append(("Lever le point bloquant : ", blocking[0].message))
    items.append(("Désigner : ", "le pilote et les partenaires de chaque action retenue"))
    return items

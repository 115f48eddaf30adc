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


def retained(view) -> list:
    """The actions the comité is asked to retain: priorities 1 and 2 (else the first five of the ranking)."""
    return [a for a in view.actions if a.priorite in (1, 2)] or list(view.actions[:5])


def vigilance_points(view) -> list:
    """Five to eight points for the body: the view's headline points, completed level by level."""
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


def fallback_decisions(view) -> list[tuple[str, str]]:
    """Until the synthesis names the decisions itself: the choices the report puts before the comité."""
    p1 = [a for a in view.actions if a.priorite == 1][:3]
    items = []
    if p1:
        items.append(("Valider les priorités : ", " ; ".join(a.intitule for a in p1)))
    blocking = [p for g in view.vigilance if g.key == "bloquant" for p in g.items]
    if blocking:
        items.append(("Lever le point bloquant : ", blocking[0].message))
    items.append(("Désigner : ", "le pilote et les partenaires de chaque action retenue"))
    return items

"""French typography on the text nodes of a rendered page: no-break spaces, typographic apostrophes.

Applied once, at render time, to the final HTML (the report, and any page built the same way), so that
no sentence writer has to think about it: an ordinary space before « : ; ! ? » » or after « « » becomes a
no-break space (U+202F, espace fine insécable, before ; ! ? ; U+00A0 before : and » and after «), and a
straight apostrophe between letters becomes ’. Only text is touched — between tags, and the alt, title and
aria-label attributes —: tag names, other attributes (URLs, classes, ids), <style> and <script> stay as they are,
and so do <pre>, <code> and <textarea>: commands, paths and what a person typed are copied character for
character (a ’ in `l'atelier.xlsx` would make the path wrong).
"""

from __future__ import annotations

import re

NBSP, NNBSP = "\u00a0", "\u202f"

_PARTS = re.compile(r"(<!--.*?-->|<(style|script|pre|code|textarea)\b.*?</\2\s*>|<[^>]*>)", re.IGNORECASE | re.DOTALL)
_BEFORE_THIN = re.compile(r"[ \t\n\u00a0]+([;!?])")
_BEFORE_WIDE = re.compile(r"[ \t\n\u202f]+([:»])")
_AFTER_OPEN = re.compile(r"«[ \t\n\u202f]+")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=[\w«])")
#: Imprimerie nationale: « n° » never parted from its number, a number never parted from its unit.
_NUMERO = re.compile(r"\b(n°|no)[ \t]+(?=\d)")
#: a number written with ordinary spaces between its groups of three (« 1 000 habitants », as a catalogue
#: or a workbook types it) is one number: its groups take the narrow no-break space Babel's own numbers use
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")
#: a date's day never parted from its month (« 7 novembre 2024 », « 1er octobre »)
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}}|1er)[ \t]+(?=(?:{_MONTHS})\b)")
_UNIT = re.compile(r"(?<=\d)[ \t]+(?=(?:%|‰|€|k€|M€|Md€|ans?\b|mois\b|h\b|km\b|hab\.))")
#: a count never parted from the word it counts (« 1 000 habitants », « 7 actions », « 0,7 point »); a year
#: (four figures, no group separator) is not a count and keeps its ordinary space, nor is a number followed by
#: a small word (« n° 27 et », « 3 sur 5 »)
_COUNTED = re.compile(
    r"(?<![\d,.\u202f])(\d{1,3}(?:\u202f\d{3})*(?:,\d+)?)[ \t]+(?=[a-zà-ÿœæ])(?!(?:et|ou|à|au|aux|de|des|du|en|sur|par|pour|dans|contre|avec|sans|sous|entre|puis|mais|le|la|les|un|une)(?![a-zà-ÿœæ]))"
)


def french_text(text: str) -> str:
    """French typography on one text node (no tags inside)."""
    text = _APOSTROPHE.sub("’", text.replace("&#39;", "'"))
    text = _BEFORE_THIN.sub(NNBSP + r"\1", text)
    text = _BEFORE_WIDE.sub(NBSP + r"\1", text)
    text = _AFTER_OPEN.sub("«" + NBSP, text)
    text = _NUMERO.sub(r"\1" + NBSP, text)
    text = _THOUSANDS.sub(NNBSP, text)
    text = _UNIT.sub(NBSP, text)
    text = _COUNTED.sub(r"\1" + NBSP, text)
    text = _DAY_MONTH.sub(r"\1" + NBSP, text)
    return _nested_quotes(text)


def _nested_quotes(text: str) -> str:
    """Quotes inside « » are “ ” (Imprimerie nationale): « la “ville” est » — never « la « ville » est »."""
    if text.count("«") < 2:
        return text
    out, depth, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "«":
            depth += 1
            if depth > 1:
                out.append("“")
                i += 1
                while i < len(text) and text[i] in " \u00a0\u202f":
                    i += 1
                continue
        elif ch == "»" and depth > 0:
            depth -= 1
            if depth >= 1:
                while out and out[-1] in " \u00a0\u202f":
                    out.pop()
                out.append("”")
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


_READ_ATTRIBUTES = re.compile(r'(\b(?:alt|title|aria-label|content)=")([^"]*)(")')


def _tag(tag: str) -> str:
    """Attributes a reader hears or sees (alt, title, aria-label, a meta content) are text too; the others are left alone."""
    if tag.startswith("<!--"):
        return tag
    return _READ_ATTRIBUTES.sub(lambda m: m.group(1) + french_text(m.group(2)) + m.group(3), tag)


def french_html(html: str) -> str:
    """French typography on every text node of an HTML (or inline SVG) document, and on alt/title texts."""
    out, pos = [], 0
    for m in _PARTS.finditer(html):
        out.append(french_text(html[pos : m.start()]))
        out.append(m.group(0) if m.group(2) else _tag(m.group(0)))  # verbatim blocks kept whole
        pos = m.end()
    out.append(french_text(html[pos:]))
    return "".join(out)

"""Tolerant matching of names typed by people (sheet names, headers, list values)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 controls but tab/newline/carriage return, DEL, C1 controls and the two non-characters U+FFFE/U+FFFF:
# no spreadsheet user types them, XML (hence .xlsx) cannot hold them, and openpyxl refuses them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def normalize_key(text: object) -> str:
    """Fold case, accents, surrounding and repeated spaces: `Valeur  QUARTIER ` -> `valeur quartier`.

    Apostrophes and dashes are unified too, because Excel and LibreOffice autocorrect them.
    """
    s = "" if text is None else str(text)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACES.sub(" ", s).strip().casefold()


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})
_NOT_WORD = re.compile(r"[^a-z0-9\n]+")


def fold_words(text: str) -> str:
    """Lower-case ASCII words separated by one space (accents dropped, ligatures spelt out, any other
    character a space); line breaks are kept, so that many names fold in one call. C-speed steps only."""
    s = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii")
    return "\n".join(" ".join(line.split()) for line in _NOT_WORD.sub(" ", s.lower()).split("\n"))


def strip_controls(text: str) -> str:
    """`text` without invisible control characters (a hostile .xlsx can carry them as `_x0001_`)."""
    return _CONTROLS.sub("", text)


def slugify(text: str, default: str = "territoire", max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: never a path separator, never `..`, never empty."""
    s = normalize_key(text)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:max_len].strip("-")
    return s or default

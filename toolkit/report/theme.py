"""The visual theme of a report: colours, logo and footer, with neutral defaults and a checked TOML override.

A collectivité may supply its colours and logo (`--theme theme.toml`); the default is a sober neutral
theme with free fonts (DejaVu), deliberately unlike the State design system reserved to State services.

```toml
[couleurs]
principale = "#1F3A5F"   # headings, bars
accent = "#B5562B"       # highlights, priority 1
texte = "#222222"
discret = "#6B7280"      # captions, rules
fond = "#F3F4F6"         # table stripes, boxes

logo = "logo.png"        # PNG, JPEG or SVG, at most 512 Kio; relative to the theme file
pied_de_page = "Document de travail — Carcassonne Agglo"
```

Colours must be `#RRGGBB`: they are written into CSS, so nothing else is accepted. The logo is read
once, checked by its magic bytes and size, and embedded as a `data:` URI (the report never fetches it).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..config import read_toml

MAX_LOGO_BYTES = 512 * 1024
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COLOUR_KEYS = {"principale": "primary", "accent": "accent", "texte": "text", "discret": "muted", "fond": "light"}


class ThemeError(ValueError):
    """A French message naming the theme file and the key."""


@dataclass(frozen=True)
class Theme:
    primary: str = "#1F3A5F"
    accent: str = "#B5562B"
    text: str = "#222222"
    muted: str = "#6B7280"
    light: str = "#F1F3F5"
    logo_data_uri: str | None = None
    footer: str | None = None
    source: str | None = None

    def colours(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in _COLOUR_KEYS.values()}


DEFAULT_THEME = Theme()


def sniff_image(data: bytes) -> str | None:
    """MIME type from the first bytes: PNG, JPEG or SVG; anything else is refused."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None


def logo_data_uri(path: Path) -> str:
    """Read a logo file and return it as a `data:` URI, or raise ThemeError in French."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ThemeError(f"{path} : logo introuvable") from None
    if size > MAX_LOGO_BYTES:
        raise ThemeError(f"{path} : logo trop lourd ({size // 1024} Kio) ; maximum {MAX_LOGO_BYTES // 1024} Kio")
    data = path.read_bytes()
    mime = sniff_image(data)
    if mime is None:
        raise ThemeError(f"{path} : le logo doit être une image PNG, JPEG ou SVG")
    if mime == "image/svg+xml" and re.search(rb"<script|javascript:|<foreignObject", data, re.I):
        raise ThemeError(f"{path} : logo SVG refusé (il contient du script ou du contenu actif)")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def load_theme(path: str | Path | None = None) -> Theme:
    """Defaults, overridden by the TOML file at `path`; unknown keys are an error."""
    if path is None:
        return DEFAULT_THEME
    path = Path(path)
    data = read_toml(path, "de thème", ThemeError)
    updates: dict[str, Any] = {}  # Theme field -> value, each checked above
    for key, value in data.items():
        if key == "couleurs" and isinstance(value, dict):
            for ck, cv in value.items():
                if ck not in _COLOUR_KEYS:
                    raise ThemeError(f"{path} : couleur « {ck} » inconnue ; possibles : {', '.join(_COLOUR_KEYS)}")
                if not isinstance(cv, str) or not _HEX.match(cv):
                    raise ThemeError(f"{path} : [couleurs] {ck} = {cv!r} ; attendu : une couleur #RRGGBB")
                updates[_COLOUR_KEYS[ck]] = cv.upper()
        elif key == "logo" and isinstance(value, str):
            logo = Path(value)
            updates["logo_data_uri"] = logo_data_uri(logo if logo.is_absolute() else path.parent / logo)
        elif key == "pied_de_page" and isinstance(value, str):
            updates["footer"] = value.strip()[:200] or None
        else:
            raise ThemeError(
                f"{path} : clé « {key} » inconnue ou mal formée ; clés possibles : couleurs, logo, pied_de_page"
            )
    return replace(DEFAULT_THEME, **updates, source=str(path))

"""The report's charts as PNG for Word and slides: the same SVG the PDF draws, rasterised by resvg.

Word and PowerPoint cannot be trusted with SVG (older Word, LibreOffice Impress and most viewers want a
bitmap), so the editable documents embed a PNG made from the exact SVG of the PDF. The rasteriser is
resvg (`resvg-py`, a maintained Rust binding shipped as self-contained wheels): no system library (cairosvg
would need Cairo), no network, no external resource. Before rasterising, every `<image>`, `href` and `<use>`
pointing outside the document is dropped: our charts never hold one, a hostile one stays inert.

Only `data:` URIs the view generated itself are rasterised (`allowed`): the same allow-list the PDF fetcher
serves from. PNG and JPEG logos pass through as they are.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "{http://www.w3.org/1999/xlink}href"

#: Pixels per SVG user unit: the charts are drawn at 96 px per inch; ×1.5 gives ~150 dpi at their printed width
#: (16 cm in Word), sharp on paper and a projector; ×2 cost 40 % more time for no visible gain.
ZOOM = 1.5

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


@dataclass(frozen=True)
class Picture:
    """A bitmap ready for Word or PowerPoint: PNG/JPEG bytes, its size in CSS pixels (96 per inch), its alt text."""

    data: bytes
    width_px: float
    height_px: float
    alt: str = ""

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px if self.width_px else 0.75


def _font_dirs() -> list[str] | None:
    found = [d for d in _FONT_DIRS if Path(d).is_dir()]
    return found or None


def _strip_external(svg: str) -> str:
    """The SVG without anything that could point outside it (images, hrefs other than `#id`, scripts), and
    without the characters XML forbids (a control character typed in a workbook label reaches the chart text)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(_XML_INVALID.sub("", svg))
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("image", "script", "foreignObject", "feImage"):
                parent.remove(child)
    for el in root.iter():
        for attr in ("href", XLINK):
            value = el.get(attr)
            if value is not None and not value.startswith("#"):
                del el.attrib[attr]
        for attr in ("style", "fill", "stroke", "filter", "mask", "clip-path"):
            value = el.get(attr)
            if value and _OUTSIDE_URL.search(value):
                del el.attrib[attr]
    return ET.tostring(root, encoding="unicode")


def _size(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    try:
        return float(root.get("width", "").rstrip("px")), float(root.get("height", "").rstrip("px"))
    except ValueError:
        box = (root.get("viewBox") or "0 0 600 400").replace(",", " ").split()
        return float(box[2]), float(box[3])


@lru_cache(maxsize=64)
def svg_to_png(svg: str, zoom: float = ZOOM) -> Picture:
    """One SVG chart as a PNG (cached: Word and slides share the enjeux chart and the Gantt)."""
    import resvg_py

    clean = _strip_external(svg)
    width, height = _size(clean)
    dirs = _font_dirs()
    png = resvg_py.svg_to_bytes(
        svg_string=clean, zoom=zoom, background="#ffffff", skip_system_fonts=dirs is not None, font_dirs=dirs
    )
    return Picture(bytes(png), width, height)


_DATA = re.compile(r"data:(image/(?:svg\+xml|png|jpeg));base64,([A-Za-z0-9+/=]+)\Z")


def picture(uri: str, allowed: frozenset[str] | tuple[str, ...], alt: str = "") -> Picture | None:
    """The bitmap of a `data:` URI the view generated (`allowed`), or None for anything else (refused)."""
    if uri not in allowed:
        return None
    m = _DATA.match(uri)
    if m is None:
        return None
    mime, payload = m.groups()
    data = base64.b64decode(payload)
    if mime == "image/svg+xml":
        pic = svg_to_png(data.decode("utf-8"))
        return Picture(pic.data, pic.width_px, pic.height_px, alt)
    return Picture(data, *_bitmap_size(data), alt)


def _bitmap_size(data: bytes) -> tuple[float, float]:
    from PIL import Image  # a dependency of python-pptx

    with Image.open(io.BytesIO(data)) as im:
        return float(im.width), float(im.height)

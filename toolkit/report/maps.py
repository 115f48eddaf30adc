"""Maps drawn locally as SVG from projected contours (no tiles, no network): data in, `Chart` out.

- `quartier_map`: the perimeters of a territory's quartiers (report portrait), numbered, with their names in
  a legend, a scale bar and a north arrow; the quartiers without contours are named under the map.
- `regional_map`: each territory of the observatory as a marker at the centre of its quartiers, its state
  told by shape *and* colour (never colour alone), the region's other quartiers as grey dots for context.

Coordinates come in metres of each quartier's plane projection (`catalog/contours.py` projected them once:
Lambert-93 in mainland France, UTM overseas); here they are only scaled to the drawing (y flipped: north up). Like the other charts: real `<text>`, a `<title>` and `aria-label`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import formatting as fmt
from .charts import Chart, _el, _svg, _tostring
from .theme import DEFAULT_THEME, Theme

if TYPE_CHECKING:
    from ..catalog.contours import QuartierShape

#: Map states of the observatory: code -> (label, marker, colour). Shape and colour both carry the state.
STATES: dict[str, tuple[str, str, str]] = {
    "prete": ("prêt pour l'évaluation à mi-parcours", "circle", "#2E7D32"),
    "en-cours": ("en cours, pas encore prêt", "square", "#1F5FA8"),
    "en-retard": ("actions en retard", "triangle", "#B3261E"),
    "depart": ("un seul instantané (point de départ)", "ring", "#6B7280"),
}


def _nice_length(max_m: float) -> float:
    """The longest 1-2-5 × 10^n metres not above `max_m`."""
    best = 1.0
    unit = 1.0
    while unit <= max_m:
        for k in (1, 2, 5):
            if k * unit <= max_m:
                best = k * unit
        unit *= 10
    return best


def _length_label(m: float) -> str:
    return f"{fmt.number(m / 1000, 0 if m >= 1000 else 1)} km" if m >= 1000 else f"{m:g} m"


@dataclass(frozen=True)
class _Frame:
    x0: float
    y1: float
    scale: float  # px per metre
    left: float
    top: float

    def px(self, x: float, y: float) -> tuple[float, float]:
        return self.left + (x - self.x0) * self.scale, self.top + (self.y1 - y) * self.scale


def _frame(bbox: tuple[float, float, float, float], left: float, top: float, w: float, h: float) -> _Frame:
    x0, y0, x1, y1 = bbox
    dx, dy = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    scale = min(w / dx, h / dy)
    # centre the drawing in the box
    left += (w - dx * scale) / 2
    top += (h - dy * scale) / 2
    return _Frame(x0, y1, scale, left, top)


def _scale_bar(root: ET.Element, f: _Frame, x: float, y: float, max_px: float, colour: str) -> None:
    metres = _nice_length(max_px / f.scale)
    w = metres * f.scale
    g = _el(root, "g", class_="scale-bar")
    _el(g, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=f"{w / 2:.1f}", height=4, fill=colour)
    _el(g, "rect", x=f"{x + w / 2:.1f}", y=f"{y:.1f}", width=f"{w / 2:.1f}", height=4, fill="#FFFFFF", stroke=colour)
    _el(g, "text", "0", x=f"{x:.1f}", y=f"{y - 3:.1f}", font_size=8, text_anchor="middle", fill=colour)
    _el(
        g,
        "text",
        _length_label(metres),
        x=f"{x + w:.1f}",
        y=f"{y - 3:.1f}",
        font_size=8,
        text_anchor="middle",
        fill=colour,
    )


def _north(root: ET.Element, x: float, y: float, colour: str) -> None:
    g = _el(root, "g", class_="north")
    _el(g, "path", d=f"M{x:.1f},{y:.1f} l5,14 l-5,-4 l-5,4 z", fill=colour)
    _el(g, "text", "N", x=f"{x:.1f}", y=f"{y + 24:.1f}", font_size=8, text_anchor="middle", fill=colour)


def _path(rings, f: _Frame) -> str:
    parts = []
    for ring in rings:
        pts = [f.px(x, y) for x, y in ring]
        parts.append("M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in pts) + " Z")
    return " ".join(parts)


def quartier_map(
    shapes: Sequence[QuartierShape],
    source: str,
    missing: Sequence[tuple[str, str]] = (),
    theme: Theme = DEFAULT_THEME,
    width: float = 480,
) -> Chart | None:
    """The quartiers' perimeters, numbered, with legend, scale bar and north arrow; None without any shape.

    One plane per map: shapes in another projection than the first one (a faulty file placing a territory's
    quartiers in two zones) are named under the map with the quartiers without contours."""
    if not shapes:
        return None
    projection = shapes[0].projection
    missing = (*missing, *((s.code, s.nom) for s in shapes if s.projection != projection))
    shapes = [s for s in shapes if s.projection == projection]
    names = [f"{i}. {s.nom} ({s.code})" for i, s in enumerate(shapes, start=1)]
    alt = (
        f"Carte des périmètres {'des quartiers' if len(shapes) > 1 else 'du quartier'} : "
        + ", ".join(f"{s.nom} ({s.code})" for s in shapes)
        + f". Source : {source}."
    )
    map_h = 260.0
    legend_lines = len(names) + (1 if missing else 0) + 1
    height = 10 + map_h + 14 + legend_lines * 12 + 8
    root = _svg(width, height, alt, "carte-quartiers")
    xs0, ys0, xs1, ys1 = zip(*(s.bbox for s in shapes), strict=True)
    bbox = (min(xs0), min(ys0), max(xs1), max(ys1))
    pad = max(bbox[2] - bbox[0], bbox[3] - bbox[1], 400.0) * 0.08
    bbox = (bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad)
    f = _frame(bbox, 10, 10, width - 20, map_h)
    _el(root, "rect", x=10, y=10, width=f"{width - 20:g}", height=f"{map_h:g}", fill=theme.light, stroke="#D0D5DB")
    for i, s in enumerate(shapes, start=1):
        g = _el(root, "g", class_="quartier")
        _el(g, "title", f"{s.nom} ({s.code})")
        _el(
            g,
            "path",
            d=_path(s.rings, f),
            fill=theme.accent,
            fill_opacity="0.35",
            stroke=theme.accent,
            stroke_width="1.2",
            fill_rule="evenodd",
        )
        cx, cy = f.px(*s.centre)
        _el(g, "circle", cx=f"{cx:.1f}", cy=f"{cy:.1f}", r=7, fill="#FFFFFF", stroke=theme.primary)
        _el(g, "text", str(i), x=f"{cx:.1f}", y=f"{cy + 3:.1f}", font_size=8, text_anchor="middle", fill=theme.primary)
    _scale_bar(root, f, 24, 10 + map_h - 14, min(140.0, (width - 20) / 3), theme.text)
    _north(root, width - 26, 18, theme.text)
    y = 10 + map_h + 16
    for line in names:
        _el(root, "text", line, x=12, y=f"{y:.1f}", font_size=9, fill=theme.text)
        y += 12
    if missing:
        text = "Sans contour disponible : " + ", ".join(f"{n} ({c})" if n else c for c, n in missing)
        _el(root, "text", text[:140], x=12, y=f"{y:.1f}", font_size=9, fill=theme.muted)
        y += 12
    _el(
        root, "text", f"Source : {source} ; projection {projection}.", x=12, y=f"{y:.1f}", font_size=8, fill=theme.muted
    )
    return Chart(_tostring(root), alt)


@dataclass(frozen=True)
class MapPoint:
    """One territory on the regional map: label, Lambert-93 position, state code (STATES)."""

    label: str
    x: float
    y: float
    state: str


def _marker(parent: ET.Element, kind: str, x: float, y: float, colour: str, r: float = 5.0) -> None:
    if kind == "circle":
        _el(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=colour, stroke="#FFFFFF")
    elif kind == "square":
        _el(
            parent, "rect", x=f"{x - r:.1f}", y=f"{y - r:.1f}", width=2 * r, height=2 * r, fill=colour, stroke="#FFFFFF"
        )
    elif kind == "triangle":
        d = f"M{x:.1f},{y - r - 1:.1f} L{x + r + 1:.1f},{y + r:.1f} L{x - r - 1:.1f},{y + r:.1f} Z"
        _el(parent, "path", d=d, fill=colour, stroke="#FFFFFF")
    else:  # ring
        _el(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r - 0.5, fill="#FFFFFF", stroke=colour, stroke_width=2)


def regional_map(
    points: Sequence[MapPoint],
    context: Sequence[tuple[float, float]],
    source: str,
    unplaced: Sequence[str] = (),
    theme: Theme = DEFAULT_THEME,
    width: float = 520,
    max_labels: int = 30,
    overseas: Sequence[str] = (),
) -> Chart:
    """Territories as markers by state over the region's quartiers (grey dots); labels when they are few.

    Points are Lambert-93 (mainland France): the overseas territories, `overseas`, are named under the map."""
    counts = {k: sum(p.state == k for p in points) for k in STATES}
    alt = (
        f"Carte des {len(points)} territoires placés : "
        + ", ".join(f"{n} {label}" for k, (label, _, _) in STATES.items() if (n := counts[k]))
        + (f" ; {len(unplaced)} sans contour, non placés" if unplaced else "")
        + (f" ; {len(overseas)} en outre-mer, hors de cette carte" if overseas else "")
        + "."
    )
    map_h = 330.0
    height = 10 + map_h + 14 + 12 * (len(STATES) + 3 + (1 if overseas else 0)) + 8
    root = _svg(width, height, alt, "carte-observatoire")
    xy = [(p.x, p.y) for p in points] + list(context)
    if not xy:
        xy = [(0.0, 0.0)]
    xs, ys = zip(*xy, strict=True)
    pad = max(max(xs) - min(xs), max(ys) - min(ys), 20000.0) * 0.06
    f = _frame((min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad), 10, 10, width - 20, map_h)
    _el(root, "rect", x=10, y=10, width=f"{width - 20:g}", height=f"{map_h:g}", fill=theme.light, stroke="#D0D5DB")
    g = _el(root, "g", class_="contexte")
    for x, y in context:
        px, py = f.px(x, y)
        _el(g, "circle", cx=f"{px:.1f}", cy=f"{py:.1f}", r=1.6, fill="#B0B7C0")
    labelled = len(points) <= max_labels
    for p in sorted(points, key=lambda p: -p.y):
        px, py = f.px(p.x, p.y)
        label, kind, colour = STATES[p.state]
        g = _el(root, "g", class_=f"territoire {p.state}")
        _el(g, "title", f"{p.label} : {label}")
        _marker(g, kind, px, py, colour)
        if labelled:
            _el(g, "text", p.label[:40], x=f"{px + 8:.1f}", y=f"{py + 3:.1f}", font_size=8, fill=theme.text)
    _scale_bar(root, f, 24, 10 + map_h - 14, 120.0, theme.text)
    _north(root, width - 26, 18, theme.text)
    y = 10 + map_h + 18
    for k, (label, kind, colour) in STATES.items():
        _marker(root, kind, 18, y - 3, colour, r=4)
        _el(root, "text", f"{label} ({counts[k]})", x=30, y=f"{y:.1f}", font_size=9, fill=theme.text)
        y += 12
    if unplaced:
        text = "Non placés (aucun contour de quartier) : " + ", ".join(unplaced)
        _el(root, "text", text[:150], x=12, y=f"{y:.1f}", font_size=9, fill=theme.muted)
        y += 12
    if overseas:
        text = "Outre-mer, hors de cette carte (chaque rapport a la sienne) : " + ", ".join(overseas)
        _el(root, "text", text[:150], x=12, y=f"{y:.1f}", font_size=9, fill=theme.muted)
        y += 12
    _el(
        root,
        "text",
        "Points gris : les quartiers du fichier de contours.",
        x=12,
        y=f"{y:.1f}",
        font_size=8,
        fill=theme.muted,
    )
    y += 11
    _el(root, "text", f"Source : {source} ; projection Lambert-93.", x=12, y=f"{y:.1f}", font_size=8, fill=theme.muted)
    return Chart(_tostring(root), alt)

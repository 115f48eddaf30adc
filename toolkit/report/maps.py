"""Maps drawn locally as SVG from projected contours (no tiles, no network): data in, `Chart` out.

- `quartier_map`: the perimeters of a territory's quartiers (report portrait), numbered, with their names in
  a legend, a scale bar and a north arrow; the quartiers without contours are named under the map.
- `regional_map`: each territory of the observatory as a marker at the centre of its quartiers, its state
  told by shape *and* colour (never colour alone), the region's other quartiers as grey dots for context.
  Labels are placed by `place_labels`: the first of a few positions around the marker that overlaps no label
  already placed, no marker, neither the north arrow nor the scale bar; a territory with no free position is
  numbered on the map and named under it.

Neither map puts a shape or a marker under the north arrow (top right) or the scale bar (bottom left): the
drawing's frame keeps a strip free above and below (`_TOP`, `_BOTTOM`).

Coordinates come in metres of each quartier's plane projection (`catalog/contours.py` projected them once:
Lambert-93 in mainland France, UTM overseas); here they are only scaled to the drawing (y flipped: north up). Like the other charts: real `<text>`, a `<title>` and `aria-label`.
"""

from __future__ import annotations

import math
import unicodedata
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


#: Strips of the map frame kept free of shapes and markers: the north arrow's (top) and the scale bar's (bottom).
_TOP = 36.0
_BOTTOM = 28.0

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG pixels (y down)

#: Advance widths of DejaVu Sans (the charts' font, `charts.FONT`) in hundredths of an em, for the printable
#: ASCII characters from the space to « ~ »; an accented letter takes its base letter's, anything else 0.64 em.
_ADVANCE = (
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34,
    84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79, 69, 63, 61, 73, 68, 99,
    69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52,
    39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84,
)  # fmt: skip


def text_width(text: str, size: float) -> float:
    """The width of `text` at `size` px in DejaVu Sans, 5 % wider (a viewer may substitute a near font)."""
    total = 0
    for c in text:
        i = ord(unicodedata.normalize("NFKD", c)[:1] or c) - 32
        total += _ADVANCE[i] if 0 <= i < len(_ADVANCE) else 64
    return total / 100 * size * 1.05


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a: Box, bounds: Box) -> bool:
    return a[0] >= bounds[0] and a[1] >= bounds[1] and a[2] <= bounds[2] and a[3] <= bounds[3]


def text_box(text: str, x: float, y: float, anchor: str, size: float) -> Box:
    """The box a `<text>` at (x, baseline y) with this `text-anchor` covers, with half a pixel around."""
    w = text_width(text, size)
    x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
    return (x0 - 0.5, y - 0.93 * size - 0.5, x0 + w + 0.5, y + 0.24 * size + 0.5)


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float  # baseline
    anchor: str  # SVG text-anchor: start, middle, end


#: Directions of a label from its marker, in order of preference: right, left, above, below, then the diagonals.
_AROUND = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))
#: Half the side of the square a marker keeps clear (markers are drawn within 6 px of their centre).
MARKER_CLEARANCE = 6.5


def _beside(text: str, x: float, y: float, ux: int, uy: int, d: float, size: float) -> Label:
    """The label `d` px from the marker at (x, y) in direction (ux, uy): its near edge, not its anchor, at `d`."""
    anchor = "start" if ux > 0 else "end" if ux < 0 else "middle"
    if uy == 0:
        baseline = y + 0.35 * size  # centred on the marker
    elif uy < 0:
        baseline = y - d - 0.24 * size - 0.5  # the descent and the box's margin above the marker
    else:
        baseline = y + d + 0.93 * size + 0.5
    return Label(text, x + ux * (d + 0.5), baseline, anchor)


def _gap(box: Box, x: float, y: float) -> float:
    """Distance from the point (x, y) to the box (0 inside)."""
    return math.hypot(max(box[0] - x, 0.0, x - box[2]), max(box[1] - y, 0.0, y - box[3]))


def _own(box: Box, x: float, y: float, anchors: Sequence[tuple[str, float, float]]) -> bool:
    """The label's box is read as its marker's: every other marker at least half as far again from it (« Sète » under
    its marker but level with Agde's read as Agde's name)."""
    mine = _gap(box, x, y)
    return all(_gap(box, ox, oy) >= 1.5 * mine for _, ox, oy in anchors if (ox, oy) != (x, y))


def place_labels(
    anchors: Sequence[tuple[str, float, float]],
    obstacles: Sequence[Box],
    bounds: Box,
    size: float = 8,
    distances: Sequence[float] = (MARKER_CLEARANCE + 1,),
) -> list[Label | None]:
    """One label per (text, x, y) marker, in the order given: the first position (each of `distances`, then each
    direction of `_AROUND`) whose box stays within `bounds`, overlaps no label already placed, no marker of
    `anchors` and no obstacle, and, unless a leader line will join it (farther than 3 px beyond the marker's
    clearance), is nearer its own marker than any other (`_own`); None when none is free. Deterministic: the same markers give the same map."""
    c = MARKER_CLEARANCE
    taken: list[Box] = [*obstacles, *((x - c, y - c, x + c, y + c) for _, x, y in anchors)]
    out: list[Label | None] = []
    for text, x, y in anchors:
        found = None
        for d in distances:
            for ux, uy in _AROUND:
                label = _beside(text, x, y, ux, uy, d, size)
                box = text_box(label.text, label.x, label.y, label.anchor, size)
                if (
                    _inside(box, bounds)
                    and not any(_overlaps(box, t) for t in taken)
                    and (d > c + 3 or _own(box, x, y, anchors))
                ):
                    found = label
                    taken.append(box)
                    break
            if found:
                break
        out.append(found)
    return out


def _wrapped(items: Sequence[str], lead: str, max_px: float, size: float) -> list[str]:
    """`lead` then the items separated by « ; », in lines no wider than `max_px`."""
    lines: list[str] = []
    line = lead
    for i, item in enumerate(items):
        piece = item + (" ;" if i < len(items) - 1 else ".")
        candidate = f"{line} {piece}" if line else piece
        if line and text_width(candidate, size) > max_px:
            lines.append(line)
            candidate = piece
        line = candidate
    lines.append(line)
    return lines


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


def _scale_bar_box(f: _Frame, x: float, y: float, max_px: float) -> Box:
    """Where `_scale_bar` draws: the bar and its « 0 » and length labels above it."""
    metres = _nice_length(max_px / f.scale)
    w = metres * f.scale
    half = text_width(_length_label(metres), 8) / 2
    return (x - 4, y - 12, x + w + half + 1, y + 5)


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


def _north_box(x: float, y: float) -> Box:
    """Where `_north` draws: the arrow and the « N » under it."""
    return (x - 7, y - 1, x + 7, y + 27)


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


def one_plane(shapes: Sequence[QuartierShape]) -> tuple[tuple[QuartierShape, ...], tuple[QuartierShape, ...]]:
    """(the shapes in the first shape's projection, the others): a map draws one plane; the others (a faulty
    file placing a territory's quartiers in two zones) are named with the quartiers without contours."""
    if not shapes:
        return (), ()
    projection = shapes[0].projection
    return tuple(s for s in shapes if s.projection == projection), tuple(
        s for s in shapes if s.projection != projection
    )


def quartier_map(
    shapes: Sequence[QuartierShape],
    source: str,
    theme: Theme = DEFAULT_THEME,
    width: float = 480,
) -> Chart | None:
    """The quartiers' perimeters, numbered, with legend, scale bar and north arrow; None without any shape.

    One plane per map (`one_plane`). The quartiers without contours are not written in the drawing: the report
    names them once, in a sentence under the map (`report/view/portrait.py`), never cut short."""
    shapes, _ = one_plane(shapes)
    if not shapes:
        return None
    projection = shapes[0].projection
    names = [f"{i}. {s.nom} ({s.code})" for i, s in enumerate(shapes, start=1)]
    alt = (
        f"Carte des périmètres {'des quartiers' if len(shapes) > 1 else 'du quartier'} : "
        + ", ".join(f"{s.nom} ({s.code})" for s in shapes)
        + f". Source : {source}."
    )
    map_h = 260.0
    legend_lines = len(names) + 1
    height = 10 + map_h + 14 + legend_lines * 12 + 8
    root = _svg(width, height, alt, "carte-quartiers")
    xs0, ys0, xs1, ys1 = zip(*(s.bbox for s in shapes), strict=True)
    bbox = (min(xs0), min(ys0), max(xs1), max(ys1))
    pad = max(bbox[2] - bbox[0], bbox[3] - bbox[1], 400.0) * 0.08
    bbox = (bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad)
    f = _frame(bbox, 10, 10 + _TOP, width - 20, map_h - _TOP - _BOTTOM)
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
    name: str = ""  # the territory's full name (the marker's tooltip), when the label shortens it


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


@dataclass(frozen=True)
class RegionalChart(Chart):
    """The regional map and its key as data (states and their counts, the numbered territories), so that the
    web page can give the key in HTML without reading it back from the SVG."""

    counts: tuple[tuple[str, int], ...] = ()  # (state code, territories on the map), in STATES order
    numbers: tuple[tuple[int, str], ...] = ()  # (number on the map, territory's full name)


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
        f"Carte des territoires ({fmt.plural(len(points), 'territoire placé', 'territoires placés')}) : "
        + " ; ".join(f"{label} : {n}" for k, (label, _, _) in STATES.items() if (n := counts[k]))
        + (f" ; {len(unplaced)} sans contour, non placés" if unplaced else "")
        + (f" ; {len(overseas)} en outre-mer, hors de cette carte" if overseas else "")
        + "."
    )
    map_h = 330.0
    xy = [(p.x, p.y) for p in points] + list(context)
    if not xy:
        xy = [(0.0, 0.0)]
    xs, ys = zip(*xy, strict=True)
    pad = max(max(xs) - min(xs), max(ys) - min(ys), 20000.0) * 0.06
    box = (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    f = _frame(box, 10, 10 + _TOP, width - 20, map_h - _TOP - _BOTTOM)
    north, scale = (width - 26, 18.0), (24.0, 10 + map_h - 14)
    ordered = sorted(points, key=lambda p: (-p.y, p.x, p.label))
    at = [f.px(p.x, p.y) for p in ordered]
    labels: list[Label | None] = [None] * len(ordered)
    numbered: list[int] = []  # indexes in `ordered` of the territories numbered on the map
    if len(points) <= max_labels:
        obstacles = [_north_box(*north), _scale_bar_box(f, *scale, 120.0)]
        bounds = (12.0, 12.0, width - 12, 8 + map_h)
        labels = place_labels(  # beside the marker, else set apart with a leader line, else numbered
            [(p.label[:40], x, y) for p, (x, y) in zip(ordered, at, strict=True)],
            obstacles,
            bounds,
            distances=(MARKER_CLEARANCE + 1, 16),
        )
        numbered = sorted((i for i, lab in enumerate(labels) if lab is None), key=lambda i: ordered[i].label)
        if numbered:  # each number beside its marker, farther with a leader line if need be (else to its right)
            c = MARKER_CLEARANCE
            taken = [
                *obstacles,
                *((x - c, y - c, x + c, y + c) for x, y in at),  # every marker, not only the numbered ones
                *(text_box(lab.text, lab.x, lab.y, lab.anchor, 8) for lab in labels if lab),
            ]
            numbers = place_labels(
                [(str(n), *at[i]) for n, i in enumerate(numbered, start=1)], taken, bounds, distances=(c + 1, 16, 26)
            )
            for n, (i, lab) in enumerate(zip(numbered, numbers, strict=True), start=1):
                labels[i] = lab or _beside(str(n), *at[i], 1, 0, c + 1, 8)
    listed = _wrapped(
        [f"{n}. {ordered[i].label}" for n, i in enumerate(numbered, start=1)],
        "Numéros sur la carte :",
        width - 24,
        9,
    )
    extra = (len(listed) if numbered else 0) + (1 if overseas else 0)
    height = 10 + map_h + 14 + 12 * (len(STATES) + 3 + extra) + 8
    root = _svg(width, height, alt, "carte-observatoire")
    _el(root, "rect", x=10, y=10, width=f"{width - 20:g}", height=f"{map_h:g}", fill=theme.light, stroke="#D0D5DB")
    g = _el(root, "g", class_="contexte")
    for x, y in context:
        px, py = f.px(x, y)
        _el(g, "circle", cx=f"{px:.1f}", cy=f"{py:.1f}", r=1.6, fill="#B0B7C0")
    for p, (px, py), lab in zip(ordered, at, labels, strict=True):
        label, kind, colour = STATES[p.state]
        g = _el(root, "g", class_=f"territoire {p.state}")
        _el(g, "title", f"{p.name or p.label} : {label}")
        if lab is not None:  # a name or number set apart from its marker: a leader line to it, under the marker
            x0, y0, x1, y1 = text_box(lab.text, lab.x, lab.y, lab.anchor, 8)
            near = (min(max(px, x0), x1), min(max(py, y0), y1))
            if math.dist((px, py), near) > MARKER_CLEARANCE + 3:
                ends = {"x1": f"{px:.1f}", "y1": f"{py:.1f}", "x2": f"{near[0]:.1f}", "y2": f"{near[1]:.1f}"}
                _el(g, "line", class_="renvoi", stroke=theme.muted, stroke_width="0.6", **ends)
        _marker(g, kind, px, py, colour)
        if lab is not None:  # placed clear of every marker: no marker drawn later hides it
            anchor = {"text_anchor": lab.anchor} if lab.anchor != "start" else {}
            _el(g, "text", lab.text, x=f"{lab.x:.1f}", y=f"{lab.y:.1f}", font_size=8, fill=theme.text, **anchor)
    _scale_bar(root, f, *scale, 120.0, theme.text)
    _north(root, *north, theme.text)
    y = 10 + map_h + 18
    for k, (label, kind, colour) in STATES.items():
        _marker(root, kind, 18, y - 3, colour, r=4)
        shown = f"{label} : {counts[k]} sur la carte" if unplaced or overseas else f"{label} ({counts[k]})"
        _el(root, "text", shown, x=30, y=f"{y:.1f}", font_size=9, fill=theme.text)
        y += 12
    for line in listed if numbered else ():
        _el(root, "text", line, x=12, y=f"{y:.1f}", font_size=9, fill=theme.text)
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
    return RegionalChart(
        _tostring(root),
        alt,
        counts=tuple(counts.items()),
        numbers=tuple((n, ordered[i].name or ordered[i].label) for n, i in enumerate(numbered, start=1)),
    )

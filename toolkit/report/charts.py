"""Vector charts of the report, built as SVG text with ElementTree (real `<text>`, no matplotlib).

Each chart carries its alternative text (`role="img"`, `aria-label` and a first-child `<title>`, which
WeasyPrint copies into the tagged PDF) and never relies on colour alone: segments have patterns, values
and labels are written. ElementTree escapes every text, so workbook text cannot become markup.
Chart functions are pure: data in, `Chart` (SVG string + alt text) out.
"""

from __future__ import annotations

import base64
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..results import ActionScore, EnjeuScore, Governance, Jalon, PartnerPresence, Phase
from ..typography import french_text
from . import formatting as fmt
from .theme import DEFAULT_THEME, Theme

FONT = "DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str

    @property
    def data_uri(self) -> str:
        """The SVG as a `data:` URI, for an `<img>` that the renderer's fetcher is told to accept."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def _svg(width: float, height: float, alt: str, chart_id: str) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width:g} {height:g}",
            "width": f"{width:g}",
            "height": f"{height:g}",
            "role": "img",
            "aria-label": alt,
            "id": chart_id,
            "font-family": FONT,
            "class": "chart",
        },
    )
    ET.SubElement(root, "title").text = alt
    return root


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    e = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        e.text = text
    return e


def _patterns(root: ET.Element, prefix: str, colour: str) -> dict[str, str]:
    """Hatching and dots so that segments differ without colour (printed in grey, read by the colour-blind)."""
    defs = _el(root, "defs")
    hatch = _el(
        defs,
        "pattern",
        id=f"{prefix}-hatch",
        patternUnits="userSpaceOnUse",
        width=6,
        height=6,
        patternTransform="rotate(45)",
    )
    _el(hatch, "rect", width=6, height=6, fill="#FFFFFF")
    _el(hatch, "line", x1=0, y1=0, x2=0, y2=6, stroke=colour, stroke_width=2.2)
    dots = _el(defs, "pattern", id=f"{prefix}-dots", patternUnits="userSpaceOnUse", width=5, height=5)
    _el(dots, "rect", width=5, height=5, fill="#FFFFFF")
    _el(dots, "circle", cx=2.5, cy=2.5, r=1.3, fill=colour)
    return {"solid": colour, "hatch": f"url(#{prefix}-hatch)", "dots": f"url(#{prefix}-dots)"}


def _tostring(root: ET.Element) -> str:
    """The SVG as text, with the same French typography as the pages (’, no-break spaces): charts travel as
    images, which the HTML-wide filter of `typography.py` never sees."""
    for el in root.iter():
        if label := el.get("aria-label"):
            el.set("aria-label", french_text(label))
        if el.text:
            el.text = french_text(el.text)
        if el.tail and el.tail.strip():
            el.tail = french_text(el.tail)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _lines(text: str, width: int, max_lines: int = 2) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return lines


def _multiline(parent: ET.Element, x: float, y: float, lines: Sequence[str], size: float, **attrs: object) -> None:
    """Lines centred vertically on `y`."""
    step = size * 1.2
    top = y - step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        _el(parent, "text", line, x=f"{x:g}", y=f"{top + i * step + size * 0.35:.1f}", font_size=size, **attrs)


# --- Enjeux -----------------------------------------------------------------------------------------

PART_STYLE = {"indicateurs": "solid", "importance": "hatch", "votes": "dots"}
PART_LABEL = {"indicateurs": "Indicateurs", "importance": "Importance perçue", "votes": "Votes"}


ENJEUX_LABEL_W, ENJEUX_BAR_W, ENJEUX_ROW_H, ENJEUX_TOP = 250.0, 330.0, 30.0, 34.0  # names left, bars on 0–100


def _enjeux_legend(root: ET.Element, fills: dict[str, str], theme: Theme) -> None:
    """The three sources' swatches above the bars: each has its own pattern, not only its colour."""
    x = ENJEUX_LABEL_W
    for name in ("indicateurs", "importance", "votes"):
        _el(root, "rect", x=x, y=6, width=14, height=10, fill=fills[PART_STYLE[name]], stroke=theme.primary)
        _el(root, "text", PART_LABEL[name], x=x + 19, y=15, font_size=9.5, fill=theme.text)
        x += 19 + 7.2 * len(PART_LABEL[name]) + 16


def _enjeux_grid(root: ET.Element, n: int, height: float, theme: Theme) -> None:
    """Lines at 0, 25, 50, 75 and 100 across the `n` rows, their values written at the bottom."""
    bottom = ENJEUX_TOP + ENJEUX_ROW_H * n
    for v in (0, 25, 50, 75, 100):
        gx = ENJEUX_LABEL_W + ENJEUX_BAR_W * v / 100
        _el(root, "line", x1=gx, y1=ENJEUX_TOP - 4, x2=gx, y2=bottom, stroke="#D5D8DC", stroke_width=0.6)
        _el(root, "text", str(v), x=gx, y=height - 8, font_size=8.5, fill=theme.muted, text_anchor="middle")


def _enjeu_bar(root: ET.Element, e: EnjeuScore, y: float, fills: dict[str, str], theme: Theme) -> float:
    """The enjeu's bar at row top `y`, split by source when the weighted parts add up to its score (else one
    plain bar); returns where the bar ends, for its score."""
    parts = [p for p in e.parts if p.value is not None and p.effective_weight > 0]
    contrib = sum((p.value or 0.0) * p.effective_weight for p in parts)  # value: not None, filtered above
    bx = ENJEUX_LABEL_W
    if parts and abs(contrib - e.score) <= 0.6:
        for p in parts:
            w = ENJEUX_BAR_W * (p.value or 0.0) * p.effective_weight / 100
            if w > 0:
                _el(
                    root,
                    "rect",
                    x=f"{bx:.1f}",
                    y=y + 6,
                    width=f"{w:.1f}",
                    height=ENJEUX_ROW_H - 12,
                    fill=fills[PART_STYLE.get(p.name, "solid")],
                    stroke=theme.primary,
                    stroke_width=0.8,
                )
            bx += w
        return bx
    _el(
        root,
        "rect",
        x=ENJEUX_LABEL_W,
        y=y + 6,
        width=f"{ENJEUX_BAR_W * e.score / 100:.1f}",
        height=ENJEUX_ROW_H - 12,
        fill=theme.primary,
    )
    return ENJEUX_LABEL_W + ENJEUX_BAR_W * e.score / 100


def _enjeu_row(root: ET.Element, e: EnjeuScore, y: float, fills: dict[str, str], theme: Theme) -> None:
    """One enjeu: its rank and name, then its bar and score, or « à objectiver » with neither when no
    indicator scored it."""
    cy = y + ENJEUX_ROW_H / 2
    label = _lines(f"{e.rang}. {e.libelle}", 40)
    _multiline(root, ENJEUX_LABEL_W - 8, cy, label, 9.5, text_anchor="end", fill=theme.text)
    if e.a_objectiver:
        _el(
            root,
            "text",
            "à objectiver (aucun indicateur chiffré)",
            x=ENJEUX_LABEL_W + 4,
            y=f"{cy + 3.5:.1f}",
            font_size=9.5,
            font_style="italic",
            fill=theme.muted,
        )
        return
    bx = _enjeu_bar(root, e, y, fills, theme)
    _el(
        root,
        "text",
        fmt.score(e.score),
        x=f"{bx + 5:.1f}",
        y=f"{cy + 3.5:.1f}",
        font_size=10,
        font_weight="bold",
        fill=theme.text,
    )


def enjeux_chart(enjeux: Sequence[EnjeuScore], theme: Theme = DEFAULT_THEME) -> Chart:
    """Ranked horizontal bars; each bar split into the weighted contribution of its sources."""
    width = ENJEUX_LABEL_W + ENJEUX_BAR_W + 60
    height = ENJEUX_TOP + ENJEUX_ROW_H * len(enjeux) + 24
    ranked = ", ".join(
        f"{e.rang}. {e.libelle} ({'à objectiver' if e.a_objectiver else fmt.score(e.score)})" for e in enjeux
    )
    alt = f"Score des enjeux sur 100, du plus au moins aigu : {ranked}."
    root = _svg(width, height, alt, "chart-enjeux")
    fills = _patterns(root, "enj", theme.primary)
    _enjeux_legend(root, fills, theme)
    _enjeux_grid(root, len(enjeux), height, theme)
    for i, e in enumerate(enjeux):
        _enjeu_row(root, e, ENJEUX_TOP + i * ENJEUX_ROW_H, fills, theme)
    return Chart(_tostring(root), alt)


# --- Impact x faisabilité matrix ----------------------------------------------------------------------

MARKERS = {1: "circle", 2: "square", 3: "triangle"}


def _marker(parent: ET.Element, kind: str, x: float, y: float, r: float, fill: str, stroke: str) -> None:
    if kind == "circle":
        _el(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=fill, stroke=stroke, stroke_width=1)
    elif kind == "square":
        _el(
            parent,
            "rect",
            x=f"{x - r:.1f}",
            y=f"{y - r:.1f}",
            width=2 * r,
            height=2 * r,
            fill=fill,
            stroke=stroke,
            stroke_width=1,
        )
    else:
        pts = f"{x:.1f},{y - r * 1.2:.1f} {x - r * 1.1:.1f},{y + r * 0.8:.1f} {x + r * 1.1:.1f},{y + r * 0.8:.1f}"
        _el(parent, "polygon", points=pts, fill=fill, stroke=stroke, stroke_width=1)


MATRIX_LEFT, MATRIX_TOP, MATRIX_SIZE = 46.0, 14.0, 300.0  # the plot's corner and side; the legend on its right
MATRIX_CELL = MATRIX_SIZE / 5  # one cell per value of the 1–5 scales


def _matrix_x(faisabilite: float) -> float:
    """The centre of a feasibility value's column."""
    return MATRIX_LEFT + (faisabilite - 0.5) * MATRIX_CELL


def _matrix_y(impact: float) -> float:
    """The centre of an impact value's row (5 at the top)."""
    return MATRIX_TOP + (5.5 - impact) * MATRIX_CELL


def _priority_fills(theme: Theme) -> dict[int, str]:
    """Each priority's fill, one per marker shape, so that the shape alone tells the priority too."""
    return {1: theme.accent, 2: theme.primary, 3: "#FFFFFF"}


def _matrix_grid(root: ET.Element, theme: Theme) -> None:
    """The quick wins' quadrant shaded, the four quadrants named, the grid with its dashed middle lines, and both
    scales with their titles."""
    left, top, size = MATRIX_LEFT, MATRIX_TOP, MATRIX_SIZE
    px, py, cell = _matrix_x, _matrix_y, MATRIX_CELL
    _el(root, "rect", x=px(3.5), y=top, width=size - (px(3.5) - left), height=py(3.5) - top, fill=theme.light)
    quadrants = (
        ("Gains rapides", px(4.5), top + 12),
        ("Projets structurants", px(1.5), top + 12),
        ("Actions d'appoint", px(4.5), top + size - 6),
        ("À réexaminer", px(1.5), top + size - 6),
    )
    for label, qx, qy in quadrants:
        _el(
            root,
            "text",
            label,
            x=f"{qx:.1f}",
            y=f"{qy:.1f}",
            font_size=9,
            fill=theme.muted,
            text_anchor="middle",
            font_style="italic",
        )
    for k in range(6):
        _el(
            root,
            "line",
            x1=left + k * cell,
            y1=top,
            x2=left + k * cell,
            y2=top + size,
            stroke="#D5D8DC",
            stroke_width=0.6,
        )
        _el(
            root,
            "line",
            x1=left,
            y1=top + k * cell,
            x2=left + size,
            y2=top + k * cell,
            stroke="#D5D8DC",
            stroke_width=0.6,
        )
    _el(root, "line", x1=px(3.5), y1=top, x2=px(3.5), y2=top + size, stroke=theme.muted, stroke_dasharray="4 3")
    _el(root, "line", x1=left, y1=py(3.5), x2=left + size, y2=py(3.5), stroke=theme.muted, stroke_dasharray="4 3")
    for v in range(1, 6):
        _el(root, "text", str(v), x=px(v), y=top + size + 14, font_size=9, fill=theme.text, text_anchor="middle")
        _el(root, "text", str(v), x=left - 8, y=py(v) + 3, font_size=9, fill=theme.text, text_anchor="end")
    _el(
        root,
        "text",
        "Faisabilité (1 à 5) →",
        x=left + size / 2,
        y=top + size + 32,
        font_size=10,
        fill=theme.text,
        text_anchor="middle",
    )
    _el(
        root,
        "text",
        "Impact attendu (1 à 5) →",
        x=14,
        y=top + size / 2,
        font_size=10,
        fill=theme.text,
        text_anchor="middle",
        transform=f"rotate(-90 14 {top + size / 2:.1f})",
    )


#: Where the actions sharing a cell go, around its centre (scaled by 17): four corners first, then the centre
#: and the sides; a tenth action shares a place with the first.
CELL_SPREAD = ((-0.7, -0.7), (0.7, -0.7), (-0.7, 0.7), (0.7, 0.7), (0, 0), (0, -1), (0, 1), (-1, 0), (1, 0))


def _cell_offsets(n: int) -> list[tuple[float, float]]:
    """Offsets of `n` actions in one cell: a lone action in the middle, several spread on a small circle."""
    return [(0.0, 0.0)] if n == 1 else [(17 * dx, 17 * dy) for dx, dy in CELL_SPREAD]


def _matrix_points(root: ET.Element, placed: Sequence[ActionScore], theme: Theme) -> None:
    """Each placed action as its priority's marker in its cell, numbered by its rank."""
    groups: dict[tuple[int, int], list[ActionScore]] = {}
    for a in placed:
        groups.setdefault((a.action.faisabilite, a.action.impact), []).append(a)  # type: ignore[arg-type]  # set: see `placed`
    fills = _priority_fills(theme)
    for (f, i), members in groups.items():
        for a, (dx, dy) in zip(members, _cell_offsets(len(members)) * 3, strict=False):
            x, y = _matrix_x(f) + dx, _matrix_y(i) + dy
            _marker(root, MARKERS[a.priorite], x, y, 9, fills[a.priorite], theme.text)
            _el(
                root,
                "text",
                str(a.rang),
                x=f"{x:.1f}",
                y=f"{y + 3.5:.1f}",
                font_size=9,
                font_weight="bold",
                text_anchor="middle",
                fill="#FFFFFF" if a.priorite != 3 else theme.text,
            )


def _matrix_legend(root: ET.Element, missing: Sequence[ActionScore], theme: Theme) -> None:
    """The priorities' markers, what the number is, and the actions that could not be placed (by rank)."""
    lx, ly = MATRIX_LEFT + MATRIX_SIZE + 22, MATRIX_TOP + 10
    fills = _priority_fills(theme)
    _el(root, "text", "Priorité", x=lx, y=ly, font_size=10, font_weight="bold", fill=theme.text)
    for k, prio in enumerate((1, 2, 3)):
        _marker(root, MARKERS[prio], lx + 9, ly + 20 + 22 * k, 8, fills[prio], theme.text)
        _el(root, "text", f"niveau {prio}", x=lx + 24, y=ly + 24 + 22 * k, font_size=9.5, fill=theme.text)
    _el(root, "text", "Le numéro est le rang", x=lx, y=ly + 96, font_size=9, fill=theme.muted)
    _el(root, "text", "de l'action au classement.", x=lx, y=ly + 108, font_size=9, fill=theme.muted)
    if missing:
        _el(root, "text", "Non placées (impact ou", x=lx, y=ly + 134, font_size=9, fill=theme.muted)
        _el(root, "text", "faisabilité manquant) :", x=lx, y=ly + 146, font_size=9, fill=theme.muted)
        _el(root, "text", ", ".join(f"n° {a.rang}" for a in missing), x=lx, y=ly + 158, font_size=9, fill=theme.text)


def matrix_chart(actions: Sequence[ActionScore], theme: Theme = DEFAULT_THEME) -> Chart:
    """Impact (y) against feasibility (x) on the declared 1–5 scales; points numbered by rank."""
    width, height = MATRIX_LEFT + MATRIX_SIZE + 190, MATRIX_TOP + MATRIX_SIZE + 44
    placed = [a for a in actions if a.action.impact is not None and a.action.faisabilite is not None]
    missing = [a for a in actions if a not in placed]
    desc = " ; ".join(f"n° {a.rang} impact {a.action.impact}, faisabilité {a.action.faisabilite}" for a in placed)
    alt = "Matrice impact × faisabilité des actions (échelles 1 à 5) : " + (desc or "aucune action renseignée") + "."
    root = _svg(width, height, alt, "chart-matrix")
    _matrix_grid(root, theme)
    _matrix_points(root, placed, theme)
    _matrix_legend(root, missing, theme)
    return Chart(_tostring(root), alt)


# --- Gantt ------------------------------------------------------------------------------------------

GANTT_LABEL_W, GANTT_PLOT_W = 200.0, 470.0  # the rows' names on the left, the semesters on the right
GANTT_TOP, GANTT_ROW_H = 40.0, 14.0  # below the years and semesters header; one row per title or phase
GANTT_WIDTH = GANTT_LABEL_W + GANTT_PLOT_W + 8


def _semesters(start_year: int, end_year: int) -> list[tuple[date, date, str]]:
    out = []
    for y in range(start_year, end_year + 1):
        out.append((date(y, 1, 1), date(y, 6, 30), f"S1 {y}"))
        out.append((date(y, 7, 1), date(y, 12, 31), f"S2 {y}"))
    return out


def gantt_rows(a: ActionScore) -> int:
    """Rows an action takes in the Gantt chart: its title and one per phase."""
    return 1 + len(a.phases)


JALON_LABELS = {
    "revue-annuelle": "revue annuelle",
    "evaluation-mi-parcours": "évaluation à mi-parcours",
    "fin-contrat": "fin du contrat",
}


@dataclass(frozen=True)
class _GanttAxis:
    """The time axis, by semester from `start_year` to `end_year`, and where a day falls on it."""

    start_year: int
    end_year: int
    semesters: tuple[tuple[date, date, str], ...]

    @property
    def origin(self) -> date:
        return self.semesters[0][0]

    @property
    def end(self) -> date:
        return self.semesters[-1][1]

    @property
    def span(self) -> int:
        """Days on the axis, the last one included."""
        return (self.end - self.origin).days + 1

    def x(self, d: date) -> float:
        return GANTT_LABEL_W + GANTT_PLOT_W * (d - self.origin).days / self.span

    def shows(self, d: date) -> bool:
        return self.origin <= d <= self.end


@dataclass(frozen=True)
class _GanttRow:
    """One row: the contract's milestones, an action's title, or one of its phases (`debut`–`fin` drawn as a bar,
    or as an event's diamonds; `after`: a phase that starts after the contract, named without a bar)."""

    kind: Literal["jalons", "title", "after", "prerequis", "action"]
    label: str
    action: ActionScore | None = None
    debut: date | None = None
    fin: date | None = None


def _gantt_axis(dated: Sequence[ActionScore], periode: tuple[int, int], today: date | None) -> _GanttAxis:
    """From the generation year (`today`), or an earlier phase's start, to the contract's end: the axis ends with
    the contract, a phase beyond it is cut at its end and says until when."""
    start_year, end_year = periode
    if today is not None:
        start_year = max(start_year, today.year)
    if dated:
        start_year = min(start_year, *(p.debut.year for a in dated for p in a.phases))
    end_year = max(end_year, start_year)
    return _GanttAxis(start_year, end_year, tuple(_semesters(start_year, end_year)))


def _phase_name(a: ActionScore, p: Phase) -> str:
    """What a phase's row says: the prerequisite's own label, or what kind of implementation it is."""
    if p.kind == "prerequis":
        return p.label
    if a.evenement:
        return "Événement, chaque année" if a.en_continu else "Événement (une journée)"
    # a missed wished deadline shows as its white diamond left of the bar (legend: « Échéance souhaitée »):
    # the label stays short enough to be read whole
    return "Mise en œuvre" + (" à reconfigurer" if a.a_reconfigurer else "")


def _phase_row(a: ActionScore, p: Phase, end_year: int) -> _GanttRow:
    """A phase's row, cut at the contract's end: one starting after it is named with its start and has no bar,
    one running past it says until when."""
    label = _phase_name(a, p)
    if p.debut.year > end_year:
        return _GanttRow("after", f"{label} : après {end_year} ({fmt.month_year(p.debut)})", a)
    if p.fin.year > end_year:
        until = f"jusqu'en {fmt.month_year(p.fin)}"
        label = f"{label}, {until}" if len(label) + len(until) < 38 else _capitalise_first(until)
    return _GanttRow(p.kind, label, a, p.debut, min(p.fin, date(end_year, 12, 31)))


def _gantt_rows(dated: Sequence[ActionScore], shown_jalons: Sequence[Jalon], end_year: int) -> tuple[_GanttRow, ...]:
    """The milestones' row first when one falls on the axis, then each action's title and its phases."""
    rows = [_GanttRow("jalons", "Jalons du contrat")] if shown_jalons else []
    for a in dated:
        rows.append(_GanttRow("title", f"{a.rang}. {a.action.intitule}", a))
        rows.extend(_phase_row(a, p, end_year) for p in a.phases)
    return tuple(rows)


def _gantt_alt(periode: tuple[int, int], dated: Sequence[ActionScore], shown_jalons: Sequence[Jalon]) -> str:
    """The chart in words, for a reader who cannot see it: each action's dates, the milestones, the deadlines
    missed."""
    descr = " ; ".join(
        f"{a.rang}. {a.action.intitule} : {fmt.of(fmt.month_year(a.debut))} à {fmt.month_year(a.fin)}" for a in dated
    )
    late = [a for a in dated if a.en_retard]
    marks = " ; ".join(f"{JALON_LABELS[j.kind]} {j.annee}" for j in shown_jalons)
    return (
        f"Feuille de route {periode[0]}–{periode[1]} par semestre ; les prérequis sont hachurés et marqués "
        f"« prérequis », la mise en œuvre est pleine. {descr}."
        + (f" Jalons : {marks}." if marks else "")
        + (" Échéance souhaitée non tenue : " + ", ".join(f"n° {a.rang}" for a in late) + "." if late else "")
    )


def _gantt_header(root: ET.Element, axis: _GanttAxis, bottom: float, theme: Theme) -> None:
    """Years on a coloured band, semesters under them, and each semester's line down to `bottom` (darker where a
    year starts), so that a bar's dates can be read without a table."""
    for year in range(axis.start_year, axis.end_year + 1):
        x0, x1 = axis.x(date(year, 1, 1)), axis.x(date(year, 12, 31))
        _el(root, "rect", x=f"{x0:.1f}", y=2, width=f"{x1 - x0:.1f}", height=16, fill=theme.primary, stroke="#FFFFFF")
        _el(
            root,
            "text",
            str(year),
            x=f"{(x0 + x1) / 2:.1f}",
            y=14,
            font_size=9.5,
            fill="#FFFFFF",
            text_anchor="middle",
            font_weight="bold",
        )
    col = GANTT_PLOT_W / len(axis.semesters)
    for k, (s0, _s1, label) in enumerate(axis.semesters):
        x0 = axis.x(s0)
        _el(
            root,
            "text",
            label.split()[0],
            x=f"{x0 + col / 2:.1f}",
            y=31,
            font_size=8,
            fill=theme.muted,
            text_anchor="middle",
        )
        _el(
            root,
            "line",
            x1=f"{x0:.1f}",
            y1=GANTT_TOP - 4,
            x2=f"{x0:.1f}",
            y2=bottom,
            stroke="#D5D8DC" if k % 2 else "#AEB4BA",
            stroke_width=0.6,
        )


def _jalons_row(
    root: ET.Element, label: str, y: float, jalons: Sequence[Jalon], axis: _GanttAxis, theme: Theme
) -> None:
    """The contract's milestones on one row: a dot for an annual review, a diamond for the evaluation and the end."""
    _el(root, "text", label, x=4, y=f"{y + GANTT_ROW_H * 0.7:.1f}", font_size=9, font_weight="bold", fill=theme.text)
    for j in jalons:
        jx, cy = axis.x(j.date), y + GANTT_ROW_H / 2
        if j.kind == "revue-annuelle":
            _el(root, "circle", cx=f"{jx:.1f}", cy=f"{cy:.1f}", r=4, fill=theme.primary)
        else:
            _el(
                root,
                "rect",
                x=f"{jx - 4.5:.1f}",
                y=f"{cy - 4.5:.1f}",
                width=9,
                height=9,
                fill=theme.accent,
                transform=f"rotate(45 {jx:.1f} {cy:.1f})",
            )


def _title_row(root: ET.Element, label: str, y: float, theme: Theme) -> None:
    """An action's title on a shaded band across the chart, so that its phases read as a group."""
    _el(root, "rect", x=0, y=f"{y:.1f}", width=GANTT_WIDTH, height=GANTT_ROW_H, fill=theme.light)
    txt = _lines(label, 110, 1)[0]
    _el(root, "text", txt, x=4, y=f"{y + GANTT_ROW_H * 0.7:.1f}", font_size=9, font_weight="bold", fill=theme.text)


def _phase_label(root: ET.Element, text: str, width: int, baseline: float, fill: str, style: str = "normal") -> None:
    """A Gantt row's label, cut to `width` characters on one line."""
    _el(root, "text", _lines(text, width, 1)[0], x=14, y=f"{baseline:.1f}", font_size=8.5, fill=fill, font_style=style)


def _capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _action_fill(a: ActionScore, theme: Theme) -> str:
    """Priority 1 in the accent colour, the others in the primary one: the legend's two plain swatches."""
    return theme.accent if a.priorite == 1 else theme.primary


def _event_days(debut: date, fin: date, recurring: bool) -> list[date]:
    """The days an event is drawn on: its day, then the first of that month each year until `fin` when it recurs."""
    days, day = [], debut
    while day <= fin:
        days.append(day)
        day = date(day.year + 1, day.month, 1)
        if not recurring:
            break
    return days


def _diamond(root: ET.Element, x: float, cy: float, half_width: float, fill: str, outline: str | None = None) -> None:
    """A diamond 12 high centred on (`x`, `cy`): an event's day, or a wished deadline (white, outlined)."""
    points = f"{x:.1f},{cy - 6:.1f} {x + half_width:.1f},{cy:.1f} {x:.1f},{cy + 6:.1f} {x - half_width:.1f},{cy:.1f}"
    if outline is None:
        _el(root, "polygon", points=points, fill=fill)
    else:
        _el(root, "polygon", points=points, fill=fill, stroke=outline, stroke_width=1.2)


def _phase_drawn(
    root: ET.Element, row: _GanttRow, y: float, axis: _GanttAxis, fills: dict[str, str], theme: Theme
) -> None:
    """A phase's label and its bar (hatched for a prerequisite), with the wished deadline's white diamond; a one-day
    event is a dated diamond instead (each year when it recurs)."""
    assert row.debut is not None and row.fin is not None and row.action is not None  # a phase row has them
    a, is_pre = row.action, row.kind == "prerequis"
    name = ("Prérequis : " if is_pre else "") + row.label
    _phase_label(root, name, 40, y + GANTT_ROW_H * 0.68, theme.text, "italic" if is_pre else "normal")
    cy = y + GANTT_ROW_H / 2
    if not is_pre and a.evenement:
        for day in _event_days(row.debut, row.fin, a.en_continu):
            _diamond(root, axis.x(day), cy, 6, _action_fill(a, theme))
        return
    x0, x1 = axis.x(row.debut), axis.x(row.fin) + GANTT_PLOT_W / axis.span
    _el(
        root,
        "rect",
        x=f"{x0:.1f}",
        y=f"{y + 3:.1f}",
        width=f"{max(x1 - x0, 2):.1f}",
        height=GANTT_ROW_H - 6,
        fill=fills["hatch"] if is_pre else _action_fill(a, theme),
        stroke=theme.text if is_pre else "none",
        stroke_width=0.6,
        rx=2,
    )
    if not is_pre and a.action.echeance is not None and a.action.echeance.date >= axis.origin:
        _diamond(root, axis.x(a.action.echeance.date), cy, 5, "#FFFFFF", theme.text)


def _gantt_row(
    root: ET.Element,
    row: _GanttRow,
    y: float,
    axis: _GanttAxis,
    jalons: Sequence[Jalon],
    fills: dict[str, str],
    theme: Theme,
) -> None:
    """One row at height `y`, drawn as its kind says."""
    if row.kind == "jalons":
        _jalons_row(root, row.label, y, jalons, axis, theme)
    elif row.kind == "title":
        _title_row(root, row.label, y, theme)
    elif row.kind == "after":  # starts after the contract: named, no bar
        _phase_label(root, row.label, 110, y + GANTT_ROW_H * 0.68, theme.muted)
    else:
        _phase_drawn(root, row, y, axis, fills, theme)


def _today_line(root: ET.Element, x: float, bottom: float) -> None:
    """The generation date, a dashed red line across the rows: what is left of it is late or under way."""
    _el(
        root,
        "line",
        x1=f"{x:.1f}",
        y1=GANTT_TOP - 4,
        x2=f"{x:.1f}",
        y2=bottom,
        stroke="#B03A2E",
        stroke_width=1.2,
        stroke_dasharray="3 2",
    )


def _gantt_legend(root: ET.Element, ly: float, fills: dict[str, str], theme: Theme) -> None:
    """The first legend line, at `ly`: prerequisite, priority 1, the others, the wished deadline."""
    x = GANTT_LABEL_W
    _el(root, "rect", x=x, y=ly, width=26, height=10, fill=fills["hatch"], stroke=theme.text, stroke_width=0.6)
    _el(root, "text", "Prérequis (hachuré)", x=x + 31, y=ly + 9, font_size=8.5, fill=theme.text)
    _el(root, "rect", x=x + 140, y=ly, width=26, height=10, fill=theme.accent)
    _el(root, "text", "Mise en œuvre, priorité 1", x=x + 171, y=ly + 9, font_size=8.5, fill=theme.text)
    _el(root, "rect", x=x + 300, y=ly, width=26, height=10, fill=theme.primary)
    _el(root, "text", "autres", x=x + 331, y=ly + 9, font_size=8.5, fill=theme.text)
    ex = x + 380
    _el(
        root,
        "polygon",
        points=f"{ex:.1f},{ly - 1} {ex + 5},{ly + 5} {ex:.1f},{ly + 11} {ex - 5},{ly + 5}",
        fill="#FFFFFF",
        stroke=theme.text,
        stroke_width=1.2,
    )
    _el(root, "text", "Échéance souhaitée", x=ex + 9, y=ly + 9, font_size=8.5, fill=theme.text)


def _gantt_legend_dates(root: ET.Element, ly2: float, today: bool, theme: Theme) -> None:
    """The second legend line, at `ly2`: the milestones' marks, and the report's date line when it is drawn."""
    x = GANTT_LABEL_W
    _el(root, "circle", cx=x + 5, cy=ly2 + 5, r=4, fill=theme.primary)
    _el(root, "text", "Revue annuelle", x=x + 14, y=ly2 + 9, font_size=8.5, fill=theme.text)
    _el(
        root,
        "rect",
        x=x + 140,
        y=ly2 + 1,
        width=8,
        height=8,
        fill=theme.accent,
        transform=f"rotate(45 {x + 144} {ly2 + 5})",
    )
    _el(
        root,
        "text",
        "Évaluation à mi-parcours, fin du contrat",
        x=x + 154,
        y=ly2 + 9,
        font_size=8.5,
        fill=theme.text,
    )
    if today:
        _el(
            root,
            "line",
            x1=x + 360,
            y1=ly2,
            x2=x + 360,
            y2=ly2 + 10,
            stroke="#B03A2E",
            stroke_width=1.2,
            stroke_dasharray="3 2",
        )
        _el(root, "text", "Date du rapport", x=x + 365, y=ly2 + 9, font_size=8.5, fill=theme.text)


def gantt_chart(
    actions: Sequence[ActionScore],
    periode: tuple[int, int],
    theme: Theme = DEFAULT_THEME,
    chart_id: str = "chart-gantt",
    jalons: Sequence[Jalon] = (),
    today: date | None = None,
) -> Chart:
    """One row per phase, by semester from the generation year (`today`) to the contract's end; prerequisites
    hatched and labelled; the contract's milestones on a first row; a line marks the generation date."""
    dated = [a for a in actions if a.phases]
    axis = _gantt_axis(dated, periode, today)
    shown_jalons = [j for j in jalons if axis.shows(j.date)]
    rows = _gantt_rows(dated, shown_jalons, axis.end_year)
    dates_legend = bool(shown_jalons) or today is not None  # a second legend line for the milestones and the date
    height = GANTT_TOP + GANTT_ROW_H * len(rows) + (56 if dates_legend else 40)
    bottom = GANTT_TOP + GANTT_ROW_H * len(rows)
    alt = _gantt_alt(periode, dated, shown_jalons)
    root = _svg(GANTT_WIDTH, height, alt, chart_id)
    fills = _patterns(root, chart_id, theme.muted)
    _gantt_header(root, axis, bottom, theme)
    for i, row in enumerate(rows):
        _gantt_row(root, row, GANTT_TOP + i * GANTT_ROW_H, axis, shown_jalons, fills, theme)
    if today is not None and axis.shows(today):
        _today_line(root, axis.x(today), bottom)
    ly = height - (34 if dates_legend else 20)
    _gantt_legend(root, ly, fills, theme)
    if dates_legend:
        _gantt_legend_dates(root, ly + 14, today is not None, theme)
    return Chart(_tostring(root), alt)


# --- Partners -----------------------------------------------------------------------------------------


PARTNER_COLS, TILE_W, TILE_H, TILE_GAP = 4, 160.0, 58.0, 8.0  # tiles by rows of four


def _partners_alt(present: dict[str, PartnerPresence], actor_types: Sequence[str]) -> str:
    """The map in words: each actor type, absent or with its structures, involvement and signature."""
    described = []
    for t in actor_types:
        p = present.get(t)
        if p is None:
            described.append(f"{t} : absent")
        else:
            impl = "implication inconnue" if p.implication is None else f"implication {p.implication}/3"
            described.append(
                f"{t} : {fmt.plural(len(p.structures), 'structure')}, {impl}{', signataire' if p.signataire else ''}"
            )
    return "Carte des partenaires par type d'acteur. " + " ; ".join(described) + "."


def _absent_tile(root: ET.Element, x: float, y: float, needed: bool, theme: Theme) -> None:
    """An absent type's text, on a white patch over the hatching; « requis » when an action retained needs it."""
    _el(
        root,
        "text",
        "absent" + (" — requis" if needed else ""),
        x=x + 8,
        y=y + 30,
        font_size=9,
        fill=theme.accent if needed else theme.muted,
        font_weight="bold" if needed else "normal",
    )


def _present_tile(root: ET.Element, x: float, y: float, p: PartnerPresence, needed: bool, theme: Theme) -> None:
    """A present type's involvement as three squares and written (« ?/3 » when unknown), its signature, its
    structures, and « faible » when an action retained needs more of it."""
    level = p.implication
    for j in range(3):
        filled = level is not None and j < level
        _el(
            root,
            "rect",
            x=x + 8 + j * 13,
            y=y + 24,
            width=10,
            height=10,
            fill=theme.primary if filled else "#FFFFFF",
            stroke=theme.primary,
            stroke_width=0.8,
        )
    _el(root, "text", "?/3" if level is None else f"{level}/3", x=x + 52, y=y + 33, font_size=9, fill=theme.text)
    if p.signataire:
        _el(root, "text", "signataire", x=x + 78, y=y + 33, font_size=8.5, fill=theme.muted, font_style="italic")
    names = ", ".join(p.structures)
    _el(root, "text", _lines(names, 30, 1)[0], x=x + 8, y=y + 48, font_size=8, fill=theme.muted)
    if needed:
        _el(
            root,
            "text",
            "faible",
            x=x + TILE_W - 8,
            y=y + 16,
            font_size=8.5,
            fill=theme.accent,
            text_anchor="end",
            font_weight="bold",
        )


def _partner_tile(
    root: ET.Element, k: int, t: str, p: PartnerPresence | None, needed: bool, fills: dict[str, str], theme: Theme
) -> None:
    """The `k`-th tile: its frame (hatched when the type is absent, dashed in the accent colour when a gap was
    reported), the type's name, then what is known of it."""
    x, y = (k % PARTNER_COLS) * (TILE_W + TILE_GAP), (k // PARTNER_COLS) * (TILE_H + TILE_GAP)
    _el(
        root,
        "rect",
        x=x,
        y=y,
        width=TILE_W,
        height=TILE_H,
        rx=3,
        fill=fills["hatch"] if p is None else "#FFFFFF",
        stroke=theme.accent if needed else "#AEB4BA",
        stroke_width=2 if needed else 0.8,
        stroke_dasharray="5 3" if needed else "none",
    )
    if p is None:
        _el(root, "rect", x=x + 4, y=y + 4, width=TILE_W - 8, height=32, fill="#FFFFFF", opacity=0.9)
    _el(root, "text", _lines(t, 26, 1)[0], x=x + 8, y=y + 16, font_size=9.5, font_weight="bold", fill=theme.text)
    if p is None:
        _absent_tile(root, x, y, needed, theme)
    else:
        _present_tile(root, x, y, p, needed, theme)


def _partners_legend(root: ET.Element, ly: float, fills: dict[str, str], theme: Theme) -> None:
    """The legend's line at `ly`: involvement, an absent type, a reported gap."""
    _el(root, "rect", x=0, y=ly - 9, width=10, height=10, fill=theme.primary)
    _el(root, "text", "implication (0 à 3)", x=14, y=ly, font_size=8.5, fill=theme.text)
    _el(root, "rect", x=120, y=ly - 9, width=16, height=10, fill=fills["hatch"], stroke="#AEB4BA")
    _el(root, "text", "type absent", x=140, y=ly, font_size=8.5, fill=theme.text)
    _el(
        root,
        "rect",
        x=220,
        y=ly - 9,
        width=16,
        height=10,
        fill="#FFFFFF",
        stroke=theme.accent,
        stroke_width=2,
        stroke_dasharray="5 3",
    )
    _el(root, "text", "manque signalé pour une action retenue", x=240, y=ly, font_size=8.5, fill=theme.text)


def partner_map(governance: Governance, actor_types: Sequence[str], theme: Theme = DEFAULT_THEME) -> Chart:
    """One tile per actor type: involvement 0–3 as filled squares and written, absent types hatched."""
    present = {p.type: p for p in governance.partners}
    gap_types = {g.type for g in governance.gaps}
    rows = (len(actor_types) + PARTNER_COLS - 1) // PARTNER_COLS
    width, height = PARTNER_COLS * (TILE_W + TILE_GAP), rows * (TILE_H + TILE_GAP) + 24
    alt = _partners_alt(present, actor_types)
    root = _svg(width, height, alt, "chart-partners")
    fills = _patterns(root, "prt", theme.muted)
    for k, t in enumerate(actor_types):
        _partner_tile(root, k, t, present.get(t), t in gap_types, fills, theme)
    _partners_legend(root, height - 12, fills, theme)
    return Chart(_tostring(root), alt)

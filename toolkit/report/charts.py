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

from ..results import ActionScore, EnjeuScore, Governance, Jalon
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


def enjeux_chart(enjeux: Sequence[EnjeuScore], theme: Theme = DEFAULT_THEME) -> Chart:
    """Ranked horizontal bars; each bar split into the weighted contribution of its sources."""
    label_w, bar_w, row_h, top = 250.0, 330.0, 30.0, 34.0
    width = label_w + bar_w + 60
    height = top + row_h * len(enjeux) + 24
    ranked = ", ".join(
        f"{e.rang}. {e.libelle} ({'à objectiver' if e.a_objectiver else fmt.score(e.score)})" for e in enjeux
    )
    alt = f"Score des enjeux sur 100, du plus au moins aigu : {ranked}."
    root = _svg(width, height, alt, "chart-enjeux")
    fills = _patterns(root, "enj", theme.primary)
    # legend
    x = label_w
    for name in ("indicateurs", "importance", "votes"):
        _el(root, "rect", x=x, y=6, width=14, height=10, fill=fills[PART_STYLE[name]], stroke=theme.primary)
        _el(root, "text", PART_LABEL[name], x=x + 19, y=15, font_size=9.5, fill=theme.text)
        x += 19 + 7.2 * len(PART_LABEL[name]) + 16
    # grid
    for v in (0, 25, 50, 75, 100):
        gx = label_w + bar_w * v / 100
        _el(root, "line", x1=gx, y1=top - 4, x2=gx, y2=top + row_h * len(enjeux), stroke="#D5D8DC", stroke_width=0.6)
        _el(root, "text", str(v), x=gx, y=height - 8, font_size=8.5, fill=theme.muted, text_anchor="middle")
    for i, e in enumerate(enjeux):
        y = top + i * row_h
        cy = y + row_h / 2
        _multiline(root, label_w - 8, cy, _lines(f"{e.rang}. {e.libelle}", 40), 9.5, text_anchor="end", fill=theme.text)
        if e.a_objectiver:  # no indicator: no bar, no number
            _el(
                root,
                "text",
                "à objectiver (aucun indicateur chiffré)",
                x=label_w + 4,
                y=f"{cy + 3.5:.1f}",
                font_size=9.5,
                font_style="italic",
                fill=theme.muted,
            )
            continue
        parts = [p for p in e.parts if p.value is not None and p.effective_weight > 0]
        contrib = sum((p.value or 0.0) * p.effective_weight for p in parts)  # value: not None, filtered above
        bx = label_w
        if parts and abs(contrib - e.score) <= 0.6:
            for p in parts:
                w = bar_w * (p.value or 0.0) * p.effective_weight / 100
                if w > 0:
                    _el(
                        root,
                        "rect",
                        x=f"{bx:.1f}",
                        y=y + 6,
                        width=f"{w:.1f}",
                        height=row_h - 12,
                        fill=fills[PART_STYLE.get(p.name, "solid")],
                        stroke=theme.primary,
                        stroke_width=0.8,
                    )
                bx += w
        else:
            bx = label_w + bar_w * e.score / 100
            _el(
                root,
                "rect",
                x=label_w,
                y=y + 6,
                width=f"{bar_w * e.score / 100:.1f}",
                height=row_h - 12,
                fill=theme.primary,
            )
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


def matrix_chart(actions: Sequence[ActionScore], theme: Theme = DEFAULT_THEME) -> Chart:
    """Impact (y) against feasibility (x) on the declared 1–5 scales; points numbered by rank."""
    left, top, size = 46.0, 14.0, 300.0
    width, height = left + size + 190, top + size + 44
    placed = [a for a in actions if a.action.impact is not None and a.action.faisabilite is not None]
    missing = [a for a in actions if a not in placed]
    desc = " ; ".join(f"n° {a.rang} impact {a.action.impact}, faisabilité {a.action.faisabilite}" for a in placed)
    alt = "Matrice impact × faisabilité des actions (échelles 1 à 5) : " + (desc or "aucune action renseignée") + "."
    root = _svg(width, height, alt, "chart-matrix")
    cell = size / 5

    def px(f: float) -> float:
        return left + (f - 0.5) * cell

    def py(i: float) -> float:
        return top + (5.5 - i) * cell

    # quadrant shading and names
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
    # points; several actions in one cell are spread on a small circle
    groups: dict[tuple[int, int], list[ActionScore]] = {}
    for a in placed:
        groups.setdefault((a.action.faisabilite, a.action.impact), []).append(a)  # type: ignore[arg-type]  # set: see `placed`
    fills = {1: theme.accent, 2: theme.primary, 3: "#FFFFFF"}
    for (f, i), members in groups.items():
        offsets = (
            [(0.0, 0.0)]
            if len(members) == 1
            else [
                (17 * dx, 17 * dy)
                for dx, dy in (
                    (-0.7, -0.7),
                    (0.7, -0.7),
                    (-0.7, 0.7),
                    (0.7, 0.7),
                    (0, 0),
                    (0, -1),
                    (0, 1),
                    (-1, 0),
                    (1, 0),
                )
            ]
        )
        for a, (dx, dy) in zip(members, offsets * 3, strict=False):
            x, y = px(f) + dx, py(i) + dy
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
    # legend
    lx, ly = left + size + 22, top + 10
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
    return Chart(_tostring(root), alt)


# --- Gantt ------------------------------------------------------------------------------------------


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


def _phase_label(root: ET.Element, text: str, width: int, baseline: float, fill: str, style: str = "normal") -> None:
    """A Gantt row's label, cut to `width` characters on one line."""
    _el(root, "text", _lines(text, width, 1)[0], x=14, y=f"{baseline:.1f}", font_size=8.5, fill=fill, font_style=style)


def _capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    start_year, end_year = periode
    if today is not None:
        start_year = max(start_year, today.year)
    dated = [a for a in actions if a.phases]
    if dated:
        start_year = min(start_year, *(p.debut.year for a in dated for p in a.phases))
    # the axis ends with the contract: a phase beyond it is cut at its end and says until when
    end_year = max(end_year, start_year)
    sems = _semesters(start_year, end_year)
    label_w, top, row_h = 200.0, 40.0, 14.0
    plot_w = 470.0
    col = plot_w / len(sems)
    origin, end = sems[0][0], sems[-1][1]
    span = (end - origin).days + 1
    rows: list[tuple[ActionScore | None, str, str, date | None, date | None]] = []
    shown_jalons = [j for j in jalons if origin <= j.date <= end]
    if shown_jalons:
        rows.append((None, "jalons", "Jalons du contrat", None, None))
    for a in dated:
        rows.append((a, "title", f"{a.rang}. {a.action.intitule}", None, None))
        for p in a.phases:
            if p.kind == "prerequis":
                label = p.label
            elif a.evenement:
                label = "Événement, chaque année" if a.en_continu else "Événement (une journée)"
            else:
                # a missed wished deadline shows as its white diamond left of the bar (legend: « Échéance
                # souhaitée »): the label stays short enough to be read whole
                label = "Mise en œuvre" + (" à reconfigurer" if a.a_reconfigurer else "")
            if p.debut.year > end_year:
                rows.append((a, "after", f"{label} : après {end_year} ({fmt.month_year(p.debut)})", None, None))
                continue
            if p.fin.year > end_year:
                until = f"jusqu'en {fmt.month_year(p.fin)}"
                label = f"{label}, {until}" if len(label) + len(until) < 38 else _capitalise_first(until)
            rows.append((a, p.kind, label, p.debut, min(p.fin, date(end_year, 12, 31))))
    height = top + row_h * len(rows) + (56 if (shown_jalons or today is not None) else 40)
    width = label_w + plot_w + 8
    descr = " ; ".join(
        f"{a.rang}. {a.action.intitule} : {fmt.of(fmt.month_year(a.debut))} à {fmt.month_year(a.fin)}" for a in dated
    )
    late = [a for a in dated if a.en_retard]
    marks = " ; ".join(f"{JALON_LABELS[j.kind]} {j.annee}" for j in shown_jalons)
    alt = (
        f"Feuille de route {periode[0]}–{periode[1]} par semestre ; les prérequis sont hachurés et marqués "
        f"« prérequis », la mise en œuvre est pleine. {descr}."
        + (f" Jalons : {marks}." if marks else "")
        + (" Échéance souhaitée non tenue : " + ", ".join(f"n° {a.rang}" for a in late) + "." if late else "")
    )
    root = _svg(width, height, alt, chart_id)
    fills = _patterns(root, chart_id, theme.muted)

    def x_of(d: date) -> float:
        return label_w + plot_w * (d - origin).days / span

    # header: years and semesters
    for year in range(start_year, end_year + 1):
        x0, x1 = x_of(date(year, 1, 1)), x_of(date(year, 12, 31))
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
    for k, (s0, _s1, label) in enumerate(sems):
        x0 = x_of(s0)
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
            y1=top - 4,
            x2=f"{x0:.1f}",
            y2=top + row_h * len(rows),
            stroke="#D5D8DC" if k % 2 else "#AEB4BA",
            stroke_width=0.6,
        )
    for i, (owner, kind, label, d0, d1) in enumerate(rows):
        y = top + i * row_h
        if kind == "jalons":
            _el(root, "text", label, x=4, y=f"{y + row_h * 0.7:.1f}", font_size=9, font_weight="bold", fill=theme.text)
            for j in shown_jalons:
                jx, cy = x_of(j.date), y + row_h / 2
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
            continue
        if kind == "title":
            _el(root, "rect", x=0, y=f"{y:.1f}", width=width, height=row_h, fill=theme.light)
            txt = _lines(label, 110, 1)[0]
            _el(root, "text", txt, x=4, y=f"{y + row_h * 0.7:.1f}", font_size=9, font_weight="bold", fill=theme.text)
            continue

        baseline = y + row_h * 0.68
        if kind == "after":  # starts after the contract: named, no bar
            _phase_label(root, label, 110, baseline, theme.muted)
            continue
        assert d0 is not None and d1 is not None and owner is not None
        a = owner
        is_pre = kind == "prerequis"
        name = ("Prérequis : " if is_pre else "") + label
        _phase_label(root, name, 40, baseline, theme.text, "italic" if is_pre else "normal")
        x0, x1 = x_of(d0), x_of(d1) + plot_w / span
        if not is_pre and a.evenement:  # a one-day event: a dated milestone (each year when it recurs)
            cy, day = y + row_h / 2, d0
            while day <= d1:
                ex = x_of(day)
                _el(
                    root,
                    "polygon",
                    points=f"{ex:.1f},{cy - 6:.1f} {ex + 6:.1f},{cy:.1f} {ex:.1f},{cy + 6:.1f} {ex - 6:.1f},{cy:.1f}",
                    fill=theme.accent if a.priorite == 1 else theme.primary,
                )
                day = date(day.year + 1, day.month, 1)
                if not a.en_continu:
                    break
            continue
        _el(
            root,
            "rect",
            x=f"{x0:.1f}",
            y=f"{y + 3:.1f}",
            width=f"{max(x1 - x0, 2):.1f}",
            height=row_h - 6,
            fill=fills["hatch"] if is_pre else (theme.accent if a.priorite == 1 else theme.primary),
            stroke=theme.text if is_pre else "none",
            stroke_width=0.6,
            rx=2,
        )
        if not is_pre and a.action.echeance is not None and a.action.echeance.date >= origin:
            ex = x_of(a.action.echeance.date)
            cy = y + row_h / 2
            _el(
                root,
                "polygon",
                points=f"{ex:.1f},{cy - 6:.1f} {ex + 5:.1f},{cy:.1f} {ex:.1f},{cy + 6:.1f} {ex - 5:.1f},{cy:.1f}",
                fill="#FFFFFF",
                stroke=theme.text,
                stroke_width=1.2,
            )
    if today is not None and origin <= today <= end:
        tx = x_of(today)
        _el(
            root,
            "line",
            x1=f"{tx:.1f}",
            y1=top - 4,
            x2=f"{tx:.1f}",
            y2=top + row_h * len(rows),
            stroke="#B03A2E",
            stroke_width=1.2,
            stroke_dasharray="3 2",
        )
    # legend
    ly = height - (34 if (shown_jalons or today is not None) else 20)
    _el(root, "rect", x=label_w, y=ly, width=26, height=10, fill=fills["hatch"], stroke=theme.text, stroke_width=0.6)
    _el(root, "text", "Prérequis (hachuré)", x=label_w + 31, y=ly + 9, font_size=8.5, fill=theme.text)
    _el(root, "rect", x=label_w + 140, y=ly, width=26, height=10, fill=theme.accent)
    _el(root, "text", "Mise en œuvre, priorité 1", x=label_w + 171, y=ly + 9, font_size=8.5, fill=theme.text)
    _el(root, "rect", x=label_w + 300, y=ly, width=26, height=10, fill=theme.primary)
    _el(root, "text", "autres", x=label_w + 331, y=ly + 9, font_size=8.5, fill=theme.text)
    ex = label_w + 380
    _el(
        root,
        "polygon",
        points=f"{ex:.1f},{ly - 1} {ex + 5},{ly + 5} {ex:.1f},{ly + 11} {ex - 5},{ly + 5}",
        fill="#FFFFFF",
        stroke=theme.text,
        stroke_width=1.2,
    )
    _el(root, "text", "Échéance souhaitée", x=ex + 9, y=ly + 9, font_size=8.5, fill=theme.text)
    if shown_jalons or today is not None:
        ly2 = ly + 14
        _el(root, "circle", cx=label_w + 5, cy=ly2 + 5, r=4, fill=theme.primary)
        _el(root, "text", "Revue annuelle", x=label_w + 14, y=ly2 + 9, font_size=8.5, fill=theme.text)
        _el(
            root,
            "rect",
            x=label_w + 140,
            y=ly2 + 1,
            width=8,
            height=8,
            fill=theme.accent,
            transform=f"rotate(45 {label_w + 144} {ly2 + 5})",
        )
        _el(
            root,
            "text",
            "Évaluation à mi-parcours, fin du contrat",
            x=label_w + 154,
            y=ly2 + 9,
            font_size=8.5,
            fill=theme.text,
        )
        if today is not None:
            _el(
                root,
                "line",
                x1=label_w + 360,
                y1=ly2,
                x2=label_w + 360,
                y2=ly2 + 10,
                stroke="#B03A2E",
                stroke_width=1.2,
                stroke_dasharray="3 2",
            )
            _el(root, "text", "Date du rapport", x=label_w + 365, y=ly2 + 9, font_size=8.5, fill=theme.text)
    return Chart(_tostring(root), alt)


# --- Partners -----------------------------------------------------------------------------------------


def partner_map(governance: Governance, actor_types: Sequence[str], theme: Theme = DEFAULT_THEME) -> Chart:
    """One tile per actor type: involvement 0–3 as filled squares and written, absent types hatched."""
    present = {p.type: p for p in governance.partners}
    gap_types = {g.type: g for g in governance.gaps}
    cols, tile_w, tile_h, gap = 4, 160.0, 58.0, 8.0
    rows = (len(actor_types) + cols - 1) // cols
    width, height = cols * (tile_w + gap), rows * (tile_h + gap) + 24
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
    alt = "Carte des partenaires par type d'acteur. " + " ; ".join(described) + "."
    root = _svg(width, height, alt, "chart-partners")
    fills = _patterns(root, "prt", theme.muted)
    for k, t in enumerate(actor_types):
        x, y = (k % cols) * (tile_w + gap), (k // cols) * (tile_h + gap)
        p = present.get(t)
        needed = t in gap_types
        _el(
            root,
            "rect",
            x=x,
            y=y,
            width=tile_w,
            height=tile_h,
            rx=3,
            fill=fills["hatch"] if p is None else "#FFFFFF",
            stroke=theme.accent if needed else "#AEB4BA",
            stroke_width=2 if needed else 0.8,
            stroke_dasharray="5 3" if needed else "none",
        )
        if p is None:
            _el(root, "rect", x=x + 4, y=y + 4, width=tile_w - 8, height=32, fill="#FFFFFF", opacity=0.9)
        _el(root, "text", _lines(t, 26, 1)[0], x=x + 8, y=y + 16, font_size=9.5, font_weight="bold", fill=theme.text)
        if p is None:
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
            continue
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
                x=x + tile_w - 8,
                y=y + 16,
                font_size=8.5,
                fill=theme.accent,
                text_anchor="end",
                font_weight="bold",
            )
    ly = height - 12
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
    return Chart(_tostring(root), alt)

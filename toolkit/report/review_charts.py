"""SVG charts of the review, built like the report's (toolkit/report/charts.py): ElementTree, real text,
alternative text, patterns and markers so that nothing relies on colour alone."""

from __future__ import annotations

from ..suivi.review import IndicatorTrend, Review
from . import formatting as fmt
from .charts import Chart, _el, _patterns, _svg, _tostring
from .theme import DEFAULT_THEME, Theme


def _x_of(trend: IndicatorTrend) -> list[float]:
    """Each point at the year of its snapshot (the revue); the data year is written in the caption."""
    return [float(p.situation.year) for p in trend.points]


def indicator_chart(trend: IndicatorTrend, idx: int, theme: Theme = DEFAULT_THEME) -> Chart:
    """Quartier (solid line, circles) and reference (dashed, squares) over the years; target as a diamond."""
    w, h, left, right, top, bottom = 250.0, 132.0, 40.0, 14.0, 12.0, 22.0
    xs = _x_of(trend)
    qv = [p.valeur for p in trend.points]
    rv = [p.reference for p in trend.points]
    values = [v for v in qv + rv if v is not None]
    if trend.cible_valeur is not None:
        values.append(trend.cible_valeur)
    years = xs + ([float(trend.cible_annee)] if trend.cible_annee else [])
    x0, x1 = (min(years), max(years)) if years else (2024.0, 2030.0)
    if x1 - x0 < 1:
        x0, x1 = x0 - 0.5, x1 + 0.5
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1.0)
    lo, hi = lo - pad, hi + pad
    if lo > 0 and lo < (hi - lo):  # show zero when close to it
        lo = 0.0

    def px(x: float) -> float:
        return left + (w - left - right) * (x - x0) / (x1 - x0)

    def py(v: float) -> float:
        return top + (h - top - bottom) * (1 - (v - lo) / (hi - lo))

    parts = [
        "quartier : "
        + ", ".join(f"{int(x)} {fmt.value(v, trend.unite)}" for x, v in zip(xs, qv, strict=False) if v is not None)
    ]
    if any(v is not None for v in rv):
        parts.append(
            f"{trend.territoire_reference or 'référence'} : "
            + ", ".join(f"{int(x)} {fmt.value(v, trend.unite)}" for x, v in zip(xs, rv, strict=False) if v is not None)
        )
    if trend.cible_valeur is not None:
        parts.append(
            f"cible {trend.cible_annee or ''} : {fmt.value(trend.cible_valeur, trend.unite)}".replace("  ", " ")
        )
    alt = f"{trend.libelle} — " + " ; ".join(parts) + "."
    root = _svg(w, h, alt, f"chart-ind-{idx}")
    for v in (lo, (lo + hi) / 2, hi):
        _el(
            root,
            "line",
            x1=left,
            y1=f"{py(v):.1f}",
            x2=w - right,
            y2=f"{py(v):.1f}",
            stroke="#D5D8DC",
            stroke_width=0.5,
        )
        _el(
            root,
            "text",
            fmt.number(v, 1),
            x=left - 4,
            y=f"{py(v) + 3:.1f}",
            font_size=7,
            fill=theme.muted,
            text_anchor="end",
        )
    for year in sorted({int(x) for x in years}):
        _el(root, "text", str(year), x=f"{px(year):.1f}", y=h - 8, font_size=7, fill=theme.muted, text_anchor="middle")

    def series(vals: list[float | None], colour: str, dashed: bool, marker: str) -> None:
        pts = [(px(x), py(v)) for x, v in zip(xs, vals, strict=False) if v is not None]
        if len(pts) > 1:
            _el(
                root,
                "polyline",
                points=" ".join(f"{a:.1f},{b:.1f}" for a, b in pts),
                fill="none",
                stroke=colour,
                stroke_width=1.6,
                **({"stroke_dasharray": "4 3"} if dashed else {}),
            )
        for a, b in pts:
            if marker == "circle":
                _el(root, "circle", cx=f"{a:.1f}", cy=f"{b:.1f}", r=2.8, fill=colour)
            else:
                _el(
                    root,
                    "rect",
                    x=f"{a - 2.5:.1f}",
                    y=f"{b - 2.5:.1f}",
                    width=5,
                    height=5,
                    fill="#FFFFFF",
                    stroke=colour,
                    stroke_width=1.2,
                )

    series(rv, theme.muted, True, "square")
    series(qv, theme.primary, False, "circle")
    last = next(((x, v) for x, v in zip(reversed(xs), reversed(qv), strict=False) if v is not None), None)
    if last is not None:
        _el(
            root,
            "text",
            fmt.value(last[1], trend.unite),
            x=f"{px(last[0]):.1f}",
            y=f"{py(last[1]) - 6:.1f}",
            font_size=7.5,
            font_weight="bold",
            fill=theme.primary,
            text_anchor="middle",
        )
    if trend.cible_valeur is not None:
        tx = px(float(trend.cible_annee)) if trend.cible_annee else w - right
        ty = py(trend.cible_valeur)
        _el(
            root,
            "line",
            x1=left,
            y1=f"{ty:.1f}",
            x2=w - right,
            y2=f"{ty:.1f}",
            stroke=theme.accent,
            stroke_width=0.8,
            stroke_dasharray="1.5 2",
        )
        _el(
            root,
            "polygon",
            points=f"{tx:.1f},{ty - 4:.1f} {tx + 4:.1f},{ty:.1f} {tx:.1f},{ty + 4:.1f} {tx - 4:.1f},{ty:.1f}",
            fill=theme.accent,
        )
        _el(
            root,
            "text",
            "cible",
            x=f"{min(tx, w - right - 12):.1f}",
            y=f"{ty - 6:.1f}",
            font_size=7,
            fill=theme.accent,
            text_anchor="middle",
        )
    return Chart(_tostring(root), alt)


def progress_chart(review: Review, theme: Theme = DEFAULT_THEME) -> Chart:
    """Three bars: actions planned, started, done; late ones shown as a hatched part of « prévues »."""
    n = review.count("prevues")
    rows = [
        ("Prévues", n, "solid"),
        ("Démarrées", review.count("demarrees"), "hatch"),
        ("Réalisées", review.count("realisees"), "dots"),
        ("En retard", review.count("en_retard"), "hatch"),
    ]
    alt = "Actions du plan : " + ", ".join(f"{label.lower()} {v}" for label, v, _ in rows) + "."
    w, label_w, bar_w, row_h = 460.0, 90.0, 320.0, 24.0
    root = _svg(w, row_h * len(rows) + 10, alt, "chart-progress")
    fills = _patterns(root, "prog", theme.primary)
    late_fill = _patterns(root, "late", theme.accent)
    for i, (label, v, style) in enumerate(rows):
        y = 5 + i * row_h
        _el(
            root,
            "text",
            label,
            x=label_w - 8,
            y=f"{y + row_h / 2 + 3.5:.1f}",
            font_size=9.5,
            fill=theme.text,
            text_anchor="end",
        )
        bw = bar_w * v / n if n else 0
        fill = late_fill["hatch"] if label == "En retard" else fills[style]
        stroke = theme.accent if label == "En retard" else theme.primary
        if bw > 0:
            _el(
                root,
                "rect",
                x=label_w,
                y=y + 4,
                width=f"{bw:.1f}",
                height=row_h - 8,
                fill=fill,
                stroke=stroke,
                stroke_width=0.8,
            )
        _el(
            root,
            "text",
            str(v),
            x=f"{label_w + bw + 5:.1f}",
            y=f"{y + row_h / 2 + 3.5:.1f}",
            font_size=9.5,
            font_weight="bold",
            fill=theme.text,
        )
    return Chart(_tostring(root), alt)

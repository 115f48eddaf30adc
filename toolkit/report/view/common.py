"""Small helpers every chapter uses: chart images, titles, anchors, periods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from ...results import ActionScore, Definitions
from .. import charts
from .. import formatting as fmt


def chart_img(chart: charts.Chart) -> Markup:
    """A chart as `<img src="data:image/svg+xml…" alt="…">` rather than inline `<svg>`.

    WeasyPrint computes CSS styles for every inline SVG node and parses them with its pure-Python HTML
    parser; an image is parsed apart by ElementTree. Same vector drawing and text, 6 % less render time
    (docs/performance.md); the alt text becomes the tagged PDF's Figure /Alt.
    """
    return Markup('<img class="chart" src="{}" alt="{}">').format(chart.data_uri, chart.alt)


def _commune_name(code: str, defs: Definitions) -> str:
    name = defs.commune_name(code)
    return f"{name} ({code})" if name else code


def _join(items: Sequence[str], empty: str = "") -> str:
    items = [fmt.text(i) for i in items if fmt.text(i)]
    return ", ".join(items) if items else empty


def _title(a: ActionScore) -> str:
    return fmt.text(a.action.intitule) or fmt.text(a.libelle_catalogue) or a.key


def _anchor(a: ActionScore) -> str:
    return f"fiche-{a.rang}"


def is_retained(a: ActionScore) -> bool:
    """A retained action gets a fiche: priority 1 or 2."""
    return a.priorite in (1, 2)


def _period(d0: date | None, d1: date | None) -> str:
    if d0 is None or d1 is None:
        return "non planifiée"
    return f"{fmt.month_year(d0)} – {fmt.month_year(d1)}"


def deadline_reason(a: ActionScore, today: date | None) -> str:
    """Why a wished deadline is not kept, in a word for the calendar: « passée » at the report's date,
    else « capacité » when the action waits for the team (its prerequisites alone would let it start
    earlier, `debut_possible`), else « prérequis »; "" when it is kept or there is none."""
    if a.echeance_tenue is not False or a.action.echeance is None:
        return ""
    if today is not None and a.action.echeance.date < today:
        return "passée"
    if a.debut_possible is not None and a.debut is not None and a.debut_possible < a.debut:
        return "capacité"
    return "prérequis"

"""Jinja2 rendering of the report HTML: autoescape everywhere, CSS inlined, nothing fetched.

Only the view model reaches the templates. Charts are the one place markup is passed as `Markup`:
they are built by `charts.py` with ElementTree, which escapes every text they contain.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..resources import templates_dir
from ..results import Diagnostic
from ..typography import french_html
from .theme import Theme
from .view import ReportView, build_view


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,  # every template, whatever its extension (the CSS too)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_view(view: ReportView) -> str:
    env = environment()
    # The stylesheet is our own template fed only with theme colours checked as #RRGGBB; it is marked safe
    # so that its quotes survive inside <style> (escaping is for workbook text, which never reaches it).
    css = Markup(env.get_template("report.css").render(theme=view.theme, projet=view.projet))
    return french_html(env.get_template("report.html").render(v=view, css=css))


def render_report_html(
    diag: Diagnostic, theme: Theme | None = None, generated: date | None = None, detailed: int | None = None
) -> str:
    return render_view(build_view(diag, theme, generated, detailed))

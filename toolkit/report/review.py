"""The review as HTML and tagged PDF, through the report's machinery (Jinja2 environment, theme, fetcher, PDF).

    render_review_pdf(review, "revue.pdf", theme)     # A4, PDF/UA-1, written atomically
    render_review_html(review, "revue.html", theme)   # self-contained HTML

Autoescape is on: workbook texts and the conseils citoyens' opinions are shown as text, never as markup.
Charts are `<img>` data URIs served only from the exact list this review generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from ..io.output import atomic_write, atomic_write_text
from ..suivi.review import Review
from ..typography import french_html
from . import formatting as fmt
from .review_charts import indicator_chart, progress_chart
from .theme import DEFAULT_THEME, Theme
from .view import chart_img

#: The document is the economic pillar's contribution to the rapport annuel on the whole contrat de ville
#: (décret n° 2015-1118 du 3 septembre 2015); its chapters follow the content the décret sets.
DOCUMENT = "Contribution du volet « emploi et développement économique » au rapport annuel"
SECTIONS = (
    ("synthese", "Synthèse et questions au comité", 1),
    ("orientations", "1. Orientations et actions du contrat", 1),
    ("situation", "2. Évolution de la situation des quartiers au regard des objectifs", 1),
    ("actions-annee", "3. Actions menées dans l'année", 1),
    ("moyens", "4. Moyens mobilisés", 1),
    ("perspectives", "5. Perspectives et améliorations", 1),
    ("avis", "Annexe A. Avis reçus et suites données", 1),
    ("sources", "Annexe B. Sources, instantanés et méthode", 1),
)

STATUS_CLASS = {
    "à venir": "a-venir",
    "en cours": "en-cours",
    "réalisée": "realisee",
    "en pause": "en-pause",
    "bloquée": "bloquee",
    "abandonnée": "abandonnee",
    None: "non-renseigne",
}


@dataclass(frozen=True)
class ReviewView:
    r: Review
    theme: Theme
    title: str
    generated: str
    footer: str
    progress: Markup
    progress_alt: str
    indicator_charts: tuple[tuple[Markup, str], ...]
    sources: tuple[str, ...]  # distinct sources, numbered from 1 in the tables and charts
    sections: tuple[tuple[str, str, int], ...] = SECTIONS

    def source_no(self, source: str | None) -> str:
        """`[3]`: the number of a source in annex B, or `[—]` when none was given."""
        text = (source or "").strip()
        return f"[{self.sources.index(text) + 1}]" if text in self.sources else "[source non renseignée]"

    @property
    def data_uris(self) -> tuple[str, ...]:
        from .view.model import _IMG_SRC

        html = [self.progress, *(c for c, _ in self.indicator_charts)]
        uris = [m.group(1) for h in html for m in _IMG_SRC.finditer(h)]
        return tuple(uris + ([self.theme.logo_data_uri] if self.theme.logo_data_uri else []))


def build_review_view(review: Review, theme: Theme | None = None, generated: date | None = None) -> ReviewView:
    theme = theme or DEFAULT_THEME
    pc = progress_chart(review, theme)
    charts = tuple(
        (chart_img(c), c.alt) for c in (indicator_chart(t, i, theme) for i, t in enumerate(review.indicators))
    )
    sources = sorted(
        {(p.source or "").strip() for t in review.indicators for p in t.points if (p.source or "").strip()}
    )
    title = f"{DOCUMENT} {review.current.annee} — {review.territoire}"
    return ReviewView(
        r=review,
        theme=theme,
        title=title,
        generated=fmt.long_date(generated or date.today()),
        footer=fmt.text(theme.footer)[:200] or f"{review.territoire} — suivi emploi et développement économique",
        progress=chart_img(pc),
        progress_alt=pc.alt,
        indicator_charts=charts,
        sources=tuple(sources),
    )


def render_view_html(view: ReviewView) -> str:
    from .render import environment

    env = environment()
    css = Markup(
        env.get_template("report.css").render(theme=view.theme, projet=False)  # a review is never a draft
        + "\n"
        + env.get_template("revue.css").render(theme=view.theme)
    )
    return french_html(
        env.get_template("revue.html").render(
            v=view, r=view.r, fmt=fmt, css=css, status_class=STATUS_CLASS, document=DOCUMENT
        )
    )


def render_review_html(review: Review, path: str | Path | None = None, theme: Theme | None = None) -> str:
    html = render_view_html(build_review_view(review, theme))
    if path is not None:
        atomic_write_text(path, html)
    return html


def render_review_pdf(review: Review, path: str | Path, theme: Theme | None = None) -> Path:
    from .pdf import html_to_pdf

    view = build_review_view(review, theme)
    html = render_view_html(view)
    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp, view.data_uris))


def render_review(review: Review, path: str | Path, theme: Theme | None = None) -> Path:
    """The review as a tagged PDF (`.pdf`) or self-contained HTML (`.html`)."""
    if str(path).lower().endswith((".html", ".htm")):
        render_review_html(review, path, theme)
        return Path(path)
    return render_review_pdf(review, path, theme)

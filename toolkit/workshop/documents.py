"""The printable workshop documents: A6 cards (4 per A4 sheet, with cut lines) and the facilitator sheet.

Both go through the report's pipeline: the autoescaping Jinja environment, the restrictive WeasyPrint
fetcher and atomic writes. Their view models are built here, already formatted in French, and the rendered
page gets French typography once (`typography.french_html`), except inside `<pre>` and `<code>`: a
command is copied into a terminal as printed, so its spaces and apostrophes stay as the shell needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from ..io.output import atomic_write
from ..report import formatting as fmt
from ..report.theme import DEFAULT_THEME, Theme
from ..results import Diagnostic
from ..typography import french_html
from .items import BallotItem
from .sheet import SCALE

CARDS_PER_PAGE = 4
#: A perceived and a data-driven score further apart than this (0–100 points) are worth discussing.
DIVERGENCE_POINTS = 25.0


@dataclass(frozen=True)
class CardView:
    kind: str  # Enjeu / Action
    kind_key: str
    objet: str
    libelle: str
    detail: str
    number: str  # « 3 / 24 »


@dataclass(frozen=True)
class EnjeuGap:
    libelle: str
    data: str  # score from indicators, or « — »
    perceived: str  # score from the importance noted in the workbook
    votes: str  # score from votes already in the workbook
    gap: str
    flag: bool  # data and perception disagree by DIVERGENCE_POINTS or more


@dataclass(frozen=True)
class FacilitatorView:
    territoire: str
    generated: str
    n_enjeux: int
    n_actions: int
    items: tuple[BallotItem, ...]
    gaps: tuple[EnjeuGap, ...]
    workbook_name: str
    scale: tuple[int, int]
    agenda: tuple[tuple[str, str, str], ...]  # (durée, séquence, support)
    divergence: str = fmt.number(DIVERGENCE_POINTS, 0)
    merge_command: str = ""  # kit.merge_command: the same string the terminal shows
    diagnose_command: str = ""


def _pages(cards: Sequence[CardView]) -> tuple[tuple[CardView | None, ...], ...]:
    pages = []
    for k in range(0, len(cards), CARDS_PER_PAGE):
        page: list[CardView | None] = list(cards[k : k + CARDS_PER_PAGE])
        page += [None] * (CARDS_PER_PAGE - len(page))
        pages.append(tuple(page))
    return tuple(pages)


def card_views(items: Sequence[BallotItem]) -> tuple[CardView, ...]:
    n = len(items)
    return tuple(
        CardView(it.kind_label, it.kind, it.objet, fmt.text(it.libelle), fmt.text(it.detail), f"{i} / {n}")
        for i, it in enumerate(items, start=1)
    )


def _part(diag_enjeu, name: str) -> float | None:
    return next((p.value for p in diag_enjeu.parts if p.name == name), None)


def enjeu_gaps(diag: Diagnostic) -> tuple[EnjeuGap, ...]:
    """Per enjeu, the data-driven and the perceived score side by side, largest disagreement first."""
    rows = []
    for e in diag.enjeux:
        data, perceived, votes = _part(e, "indicateurs"), _part(e, "importance"), _part(e, "votes")
        gap = None if data is None or perceived is None else perceived - data
        rows.append(
            (
                abs(gap) if gap is not None else -1.0,
                EnjeuGap(
                    fmt.text(e.libelle),
                    fmt.score(data),
                    fmt.score(perceived),
                    fmt.score(votes),
                    fmt.signed(gap, 0) if gap is not None else fmt.DASH,
                    gap is not None and abs(gap) >= DIVERGENCE_POINTS,
                ),
            )
        )
    rows.sort(key=lambda x: -x[0])
    return tuple(r for _, r in rows)


def agenda(n_items: int) -> tuple[tuple[str, str, str], ...]:
    """A half-day agenda; the individual scoring time grows with the number of objects (≈ 30 s each)."""
    scoring = max(15, min(45, 5 * round(n_items * 0.5 / 5)))
    return (
        ("10 min", "Accueil, tour de table, objectifs de l'atelier", "Liste d'émargement"),
        ("20 min", "Restitution du diagnostic : enjeux et actions envisagées", "Rapport pilier-eco, cartes au mur"),
        (
            f"{scoring} min",
            "Notation individuelle et silencieuse de chaque enjeu et de chaque action",
            "Feuille notation.xlsx (ou version imprimée), cartes",
        ),
        ("15 min", "Pause ; saisie et fusion des notes par l'animateur", "Fusion des feuilles (pilier-eco)"),
        (
            "30 min",
            "Lecture des résultats : médianes, écarts, avis partagés",
            "Rapport pilier-eco du classeur fusionné",
        ),
        ("30 min", "Discussion des dissensus et des écarts entre données et ressenti", "Tableau ci-dessous"),
        ("10 min", "Suites : qui fait quoi, prochaine étape", "—"),
    )


def facilitator_view(
    items: Sequence[BallotItem],
    diag: Diagnostic,
    workbook_name: str,
    generated: date | None = None,
    merge_command: str | None = None,
    diagnose_command: str | None = None,
) -> FacilitatorView:
    """`merge_command` and `diagnose_command` default (None) to those for `workbook_name` and a kit folder
    `atelier`; "" prints none (the web page's kit says the page's steps instead)."""
    from . import commands

    return FacilitatorView(
        territoire=fmt.text(diag.territoire.nom) or "Territoire",
        generated=fmt.long_date(generated or date.today()),
        n_enjeux=sum(1 for i in items if i.kind == "enjeu"),
        n_actions=sum(1 for i in items if i.kind == "action"),
        items=tuple(items),
        gaps=enjeu_gaps(diag),
        workbook_name=workbook_name,
        scale=SCALE,
        agenda=agenda(len(items)),
        merge_command=commands.merge_command(workbook_name, "atelier") if merge_command is None else merge_command,
        diagnose_command=commands.diagnose_command(workbook_name) if diagnose_command is None else diagnose_command,
    )


def _render(template: str, css: str, theme: Theme, **context: object) -> str:
    from ..report.render import environment

    env = environment()
    style = Markup(env.get_template(css).render(theme=theme))
    return french_html(env.get_template(template).render(css=style, theme=theme, **context))


def cards_html(items: Sequence[BallotItem], territoire: str, theme: Theme | None = None) -> str:
    return _render(
        "cartes.html",
        "cartes.css",
        theme or DEFAULT_THEME,
        pages=_pages(card_views(items)),
        territoire=fmt.text(territoire),
        scale=range(SCALE[0], SCALE[1] + 1),
    )


def facilitator_html(view: FacilitatorView, theme: Theme | None = None) -> str:
    return _render("animateur.html", "animateur.css", theme or DEFAULT_THEME, v=view)


def write_pdf(html: str, path: str | Path) -> Path:
    from ..report.pdf import html_to_pdf

    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp))

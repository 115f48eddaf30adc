"""Rendering a cross-territory `Comparison` (toolkit.compare) as self-contained HTML or a tagged PDF.

Same pipeline as the territory report, reused rather than rewritten: Babel formatting (`formatting`),
the autoescaping Jinja environment (`render.environment`), the restrictive WeasyPrint fetcher
(`pdf.html_to_pdf`) and atomic writes (`io.output`). The heat table writes every score in its cell and
the colour only doubles it, so the table reads in black and white and with a screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from ..compare import Comparison, SharedVigilance
from ..io.output import atomic_write, atomic_write_text
from ..typography import french_html
from . import formatting as fmt
from .theme import DEFAULT_THEME, Theme

#: Short French names of the vigilance rules, for the shared-points table (the engine's keys are stable).
RULE_LABELS = {
    "prerequis-non-fait": "Prérequis non levé",
    "echeance-non-tenue": "Échéance difficile à tenir",
    "sans-pilote": "Action sans pilote",
    "partenaire-manquant": "Partenaire manquant",
    "partenaire-absent": "Type de partenaire absent",
    "partenaire-faible": "Type de partenaire peu impliqué",
    "cout-eleve-faisabilite-faible": "Coût élevé, faisabilité faible",
    "programme-modifie": "Programme national modifié",
    "indicateurs-anciens": "Indicateurs anciens",
    "donnees-illustratives": "Données illustratives",
    "valeurs-a-verifier": "Valeurs à vérifier",
    "indicateurs-non-notes": "Indicateurs non notés",
    "enjeux-non-evalues": "Enjeux non évalués",
    "enjeu-fort-sans-action": "Enjeu fort sans action",
    "action-sans-enjeu-fort": "Action sans enjeu fort",
    "gouvernance-faible": "Gouvernance à construire",
    "feuille-absente": "Feuille absente",
    "dissensus-votes": "Avis partagés en atelier",
    "hors-periode": "Action au-delà du contrat",
    "classement-fragile": "Classement fragile",
}
LEVEL_LABELS = {"bloquant": "Bloquant", "attention": "Attention", "info": "Information"}
#: Experiences listed per transferable action (the full list is in each territory's report).
MAX_EXPERIENCES = 3
NIVEAU_WORDS = {"fort": "fort", "moyen": "moyen", "faible": "faible"}


@dataclass(frozen=True)
class HeatCellView:
    text: str  # the score, written in the cell
    detail: str  # rank and level, e.g. « 1er · fort »
    style: str  # background and text colours (doubling the number, never replacing it)
    missing: bool


@dataclass(frozen=True)
class HeatRowView:
    code: str
    libelle: str
    cells: tuple[HeatCellView, ...]
    spread: str


@dataclass(frozen=True)
class ActionRowView:
    libelle: str
    champ: str
    cells: tuple[str, ...]  # « P1 (rang 3) » or « — »
    n: int


@dataclass(frozen=True)
class VigilanceRowView:
    niveau: str
    niveau_key: str
    rule: str
    objet: str
    territories: str


@dataclass(frozen=True)
class TransferView:
    libelle: str
    source: str
    enjeux: str
    relevance: str
    experiences: tuple[str, ...]


@dataclass(frozen=True)
class TransferGroup:
    to: str
    items: tuple[TransferView, ...]
    left_out: int


@dataclass(frozen=True)
class CoverageView:
    nom: str
    source: str
    indicateurs: str
    share_scored: str
    illustratifs: str
    share_illustratif: str
    votes: str
    avertissements: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CompareView:
    title: str
    generated: str
    theme: Theme
    territories: tuple[tuple[str, str], ...]  # (short, full name)
    heat: tuple[HeatRowView, ...]
    common: tuple[ActionRowView, ...]
    specific: tuple[ActionRowView, ...]
    vigilance: tuple[VigilanceRowView, ...]  # shared by some territories: one row each, with their names
    vigilance_everywhere: tuple[VigilanceRowView, ...]  # generic: raised in every territory, grouped apart
    transfers: tuple[TransferGroup, ...]
    coverage: tuple[CoverageView, ...]
    synthese: tuple[str, ...]
    footer: str


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def heat_style(score: float | None, accent: str) -> str:
    """A colour between white (0) and the theme accent (100); dark text on light, white on dark cells."""
    if score is None:
        return "background:#FFFFFF;color:#6B7280"
    t = max(0.0, min(1.0, score / 100.0))
    r, g, b = (round(255 + (c - 255) * t * 0.9) for c in _rgb(accent))
    luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    return f"background:#{r:02X}{g:02X}{b:02X};color:{'#FFFFFF' if luminance < 0.55 else '#111111'}"


def _first(items: tuple[str, ...], n: int) -> tuple[str, ...]:
    """At most `n` items, the last one saying how many were left out."""
    items = tuple(fmt.text(x) for x in items)
    return items if len(items) <= n else (*items[:n], f"et {fmt.plural(len(items) - n, 'autre')}")


def _ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def _who(indices: Sequence[int], names: Sequence[str]) -> str:
    """The territories of a shared point; « tous sauf … » when that is shorter to read."""
    if len(indices) > len(names) / 2 and len(names) >= 4:
        return "tous sauf " + ", ".join(n for i, n in enumerate(names) if i not in indices)
    return ", ".join(names[i] for i in indices)


def _objet(s: SharedVigilance, titles: dict[str, str], cmp: Comparison) -> str:
    if s.ref in titles:
        return titles[s.ref]
    label = cmp.enjeu_label(s.ref)
    if label != s.ref:
        return label
    return {"indicateurs": "Indicateurs", "maturite": "Maturité de la gouvernance"}.get(s.ref, s.ref)


def _synthese(cmp: Comparison) -> tuple[str, ...]:
    names = [_label(t) for t in cmp.territories]
    lines = []
    for i, name in enumerate(names):
        top = sorted((r for r in cmp.enjeux if r.cells[i].score is not None), key=lambda r: r.cells[i].rang or 99)[:2]
        if top:
            lines.append(
                f"{name} : enjeux les plus aigus « {top[0].libelle} »"
                + (f" et « {top[1].libelle} »" if len(top) > 1 else "")
                + "."
            )
    shared_strong = [r.libelle for r in cmp.enjeux if all(c.niveau == "fort" for c in r.cells)]
    if shared_strong:
        lines.append("Enjeux forts partout : " + ", ".join(f"« {x} »" for x in shared_strong) + ".")
    spread = sorted((r for r in cmp.enjeux if r.spread is not None), key=lambda r: -(r.spread or 0))
    if spread and (spread[0].spread or 0) >= 20:
        lines.append(
            f"Plus grand écart entre territoires : « {spread[0].libelle} » ({fmt.score(spread[0].spread)} points)."
        )
    n_all = sum(1 for a in cmp.common_actions if len(a.territories) == len(names))
    lines.append(
        f"{fmt.plural(len(cmp.common_actions), 'action')} en commun à au moins deux territoires"
        + (f", dont {fmt.number(n_all, 0)} à tous" if n_all and len(names) > 2 else "")
        + f" ; {fmt.plural(len(cmp.specific_actions), 'action')} {fmt.agree(len(cmp.specific_actions), 'propre')} à un seul."
    )
    return tuple(lines)


def _label(t) -> str:
    """A territory's column label: its short name, and for two workbooks of the same territory, file and date."""
    if not t.homonyme:
        return t.court
    what = [Path(t.source).name] if t.source else []
    if t.date is not None:
        what.append(fmt.long_date(t.date))
    return f"{t.court} ({', '.join(what)})" if what else t.court


def build_compare_view(cmp: Comparison, theme: Theme | None = None, generated: date | None = None) -> CompareView:
    theme = theme or DEFAULT_THEME
    names = [_label(t) for t in cmp.territories]
    heat = tuple(
        HeatRowView(
            r.code,
            r.libelle,
            tuple(
                HeatCellView(
                    fmt.score(c.score),
                    f"{_ordinal(c.rang)} · {NIVEAU_WORDS.get(c.niveau or '', '')}"
                    + (" · avis partagés" if c.dissensus else "")
                    if c.rang and not c.a_objectiver
                    else "à objectiver"
                    if c.a_objectiver
                    else "non évalué",
                    heat_style(c.score, theme.accent),
                    c.score is None,
                )
                for c in r.cells
            ),
            fmt.score(r.spread),
        )
        for r in cmp.enjeux
    )

    def action_row(a) -> ActionRowView:
        cells = tuple(f"P{c.priorite} · rang {c.rang}" if c else fmt.DASH for c in a.cells)
        return ActionRowView(fmt.text(a.libelle), fmt.text(a.champ), cells, len(a.territories))

    titles: dict[str, str] = {}
    for a in cmp.common_actions + cmp.specific_actions:
        titles.setdefault(a.key, fmt.text(a.libelle))

    def vigilance_row(s) -> VigilanceRowView:
        return VigilanceRowView(
            LEVEL_LABELS.get(s.niveau, s.niveau),
            s.niveau,
            RULE_LABELS.get(s.rule, s.rule),
            _objet(s, titles, cmp),
            _who(s.territories, names),
        )

    # A point raised in every territory says nothing about one of them: listed once, without the names.
    everywhere = tuple(vigilance_row(s) for s in cmp.shared_vigilance if len(s.territories) == len(names))
    vigilance = tuple(vigilance_row(s) for s in cmp.shared_vigilance if len(s.territories) < len(names))
    groups = []
    for i, name in enumerate(names):
        items = tuple(
            TransferView(
                fmt.text(t.libelle),
                names[t.source],
                ", ".join(cmp.enjeu_label(c) for c in t.enjeux) or fmt.DASH,
                fmt.score(t.relevance),
                _first(t.experiences, MAX_EXPERIENCES),
            )
            for t in cmp.transfers
            if t.to == i
        )
        groups.append(TransferGroup(name, items, cmp.transfers_left_out[i]))
    coverage = tuple(
        CoverageView(
            nom=t.nom,
            source=t.source or fmt.DASH,
            indicateurs=f"{fmt.number(c.notes, 0)} / {fmt.number(c.indicateurs, 0)}",
            share_scored=fmt.share(c.share_scored),
            illustratifs=fmt.number(c.illustratifs, 0),
            share_illustratif=fmt.share(c.share_illustratif),
            votes=fmt.number(c.votes, 0),
            avertissements=fmt.number(c.avertissements, 0),
            sources=tuple(fmt.text(s) for s in c.sources),
        )
        for t, c in zip(cmp.territories, cmp.coverage, strict=False)
    )
    return CompareView(
        title="Comparaison des territoires — emploi et développement économique",
        generated=fmt.long_date(generated or date.today()),
        theme=theme,
        territories=tuple((name, t.nom) for name, t in zip(names, cmp.territories, strict=True)),
        heat=heat,
        common=tuple(action_row(a) for a in cmp.common_actions),
        specific=tuple(action_row(a) for a in cmp.specific_actions),
        vigilance=vigilance,
        vigilance_everywhere=everywhere,
        transfers=tuple(groups),
        coverage=coverage,
        synthese=_synthese(cmp),
        footer=fmt.text(theme.footer) or "Comparaison des territoires — " + ", ".join(names),
    )


def render_compare_html(
    cmp: Comparison, path: str | Path | None = None, theme: Theme | None = None, generated: date | None = None
) -> str:
    from .render import environment

    view = build_compare_view(cmp, theme, generated)
    env = environment()
    css = Markup(env.get_template("compare.css").render(theme=view.theme))
    html = french_html(env.get_template("compare.html").render(v=view, css=css))
    if path is not None:
        atomic_write_text(path, html)
    return html


def render_compare_pdf(
    cmp: Comparison, path: str | Path, theme: Theme | None = None, generated: date | None = None
) -> Path:
    from .pdf import html_to_pdf

    html = render_compare_html(cmp, None, theme, generated)
    allowed = (theme.logo_data_uri,) if theme and theme.logo_data_uri else ()
    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp, allowed))

"""`build_view`: a Diagnostic turned into the ReportView the templates lay out, chapter by chapter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from markupsafe import Markup

from ...problems import INFO, INFORMATION_NOTE, LEVEL_LABELS
from ...results import ActionScore, Diagnostic
from .. import charts, wording
from .. import formatting as fmt
from ..records import action_record
from ..theme import DEFAULT_THEME, Theme
from ..votes import atelier_view
from .actions import _action_row, _criteria_header, _fiche, year_rows
from .annexes import _issue_text, _method, _sources
from .common import _join, _title, chart_img, deadline_reason, is_retained
from .cover import _cover, data_mention
from .enjeux import _enjeu_block
from .governance import _governance
from .labels import GLOSSARY, VIGILANCE_LEVELS
from .model import (
    ActionRow,
    ExperienceView,
    IssueRow,
    KeyFigure,
    Meta,
    ReportView,
    SimilarView,
    VigilanceGroup,
    VigilanceItem,
)
from .portrait import _indicator_rows, _per_quartier, portrait_map
from .synthesis import (
    _marked,
    conditional,
    decisions,
    key_indicators,
    narrative,
    quick_wins,
    structuring,
    to_reconfigure,
)
from .vigilance import _vigilance_item, body_items, delay_sentence, to_lift

GANTT_ROWS_PER_PAGE = 56
#: Rows of the first Gantt chart, which shares its page with the chapter's heading and introduction.
GANTT_ROWS_FIRST_PAGE = 50
#: Experiences the body details, best matches first (all of them are in the JSON and the results workbook).
BODY_EXPERIENCES = 6

OTHER_ACTIONS_SECTION = ("annexe-actions", "Annexe H — Autres actions examinées", 1)

#: The body élus read (editorial.md §6: a 12–15 page core), then the annexes for the chargé de mission.
SECTIONS = (
    ("synthese", "Synthèse", 1),
    ("portrait", "Portrait du territoire", 1),
    ("enjeux", "Enjeux", 1),
    ("hierarchisation", "Priorités", 1),
    ("feuille-de-route", "Feuille de route", 1),
    ("vigilance", "Points de vigilance", 1),
    ("experiences", "Expériences transférables", 1),
    ("fiches", "Annexe A — Fiches action", 1),
    ("gouvernance", "Annexe B — Gouvernance et partenariats", 1),
    ("annexe-methode", "Annexe C — Méthode et comparaisons", 1),
    ("annexe-qualite", "Annexe D — Qualité des données", 1),
    ("annexe-vigilance", "Annexe E — Tous les points de vigilance", 1),
    ("annexe-sources", "Annexe F — Sources", 1),
    ("annexe-glossaire", "Annexe G — Glossaire", 1),
)

#: How many actions the report details (tables, charts, fiches) unless the configuration says otherwise
#: (`[rapport] actions_detaillees`); the others get one line each in an annex.
DETAILED_ACTIONS = 40


def _site(url: str) -> str:
    """`banquedesterritoires.fr` for a source address: the body names the site, annex F gives the address."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _priority(row: ActionRow, diag: Diagnostic, a: ActionScore) -> ActionRow:
    """A priority's row as the report's lists hold it, with its « sous condition » mark (`conditional`)."""
    return replace(row, sous_condition=True) if conditional(diag, a) else row


def build_view(
    diag: Diagnostic, theme: Theme | None = None, generated: date | None = None, detailed: int | None = None
) -> ReportView:
    """Everything the templates print, formatted in French; only the first `detailed` actions in detail."""
    theme = theme or DEFAULT_THEME
    detailed = DETAILED_ACTIONS if detailed is None else max(1, detailed)
    hidden = {a.key for a in diag.actions[detailed:]}
    all_actions, diag_vigilance_all = diag.actions, diag.vigilance
    diag = replace(
        diag, actions=diag.actions[:detailed], vigilance=tuple(v for v in diag.vigilance if v.ref not in hidden)
    )
    t = diag.territoire
    nom = fmt.text(t.nom) or "Territoire sans nom"
    # The running header and footer repeat on every page: a 10,000-character name there made the PDF 10x slower.
    nom_court = nom if len(nom) <= 120 else nom[:119].rstrip() + "…"
    generated_on = generated or diag.generated or date.today()
    retained = tuple(a for a in diag.actions if is_retained(a))
    periode = t.periode or diag.periode

    enjeux = tuple(_enjeu_block(e, diag.definitions) for e in diag.enjeux)
    actions = tuple(
        replace(_action_row(action_record(a, rounded=False)), tenue_raison=deadline_reason(a, diag.generated))
        for a in diag.actions
    )
    ec = charts.enjeux_chart(diag.enjeux, theme)
    mc = charts.matrix_chart(diag.actions, theme)
    gantts = _gantt_charts(diag, periode, theme)
    groups, numbers = _vigilance_groups(diag)
    top_vig = _top_vigilance(diag)
    key_figures = _key_figures(diag)
    projet = bool(getattr(diag, "projet", False))
    rows_by_key = {r.key: r for r in actions}
    experiences = _experiences(diag)
    similaires = _similar(diag)
    quality, quality_info = _quality(diag)
    n_ill = sum(1 for s in diag.indicateurs if s.indicateur.illustratif)
    meta = _meta(diag, nom_court, periode, generated_on)
    names = {q.code: fmt.text(q.nom) or q.code for q in t.quartiers}
    names.update({q.code: fmt.text(q.nom) for q in diag.par_quartier})
    indicator_rows, indicator_sources = _indicator_rows(diag.indicateurs, diag.definitions, names)
    carte, carte_absente = portrait_map(diag, theme)
    return ReportView(
        meta=meta,
        theme=theme,
        cover=_cover(diag, theme),
        key_figures=key_figures,
        top_enjeux=tuple(b for b, e in zip(enjeux, diag.enjeux, strict=False) if _marked(e))[:3],
        top_vigilance=top_vig,
        indicators=indicator_rows,
        indicator_sources=indicator_sources,
        n_illustratifs=n_ill,
        enjeux=enjeux,
        enjeux_chart=chart_img(ec),
        enjeux_alt=ec.alt,
        governance=_governance(diag, theme),
        actions=actions,
        criteria_header=_criteria_header(diag),
        matrix_chart=chart_img(mc),
        matrix_alt=mc.alt,
        top_n=next(
            (a.robustness.top_n for a in diag.actions if a.robustness), int(diag.method.robustness.get("top_n", 5))
        ),
        gantt_charts=gantts,
        fiches=tuple(_fiche(a, diag, numbers) for a in retained),
        vigilance=tuple(groups),
        n_vigilance=len(diag.vigilance),
        experiences=experiences,
        similaires=similaires,
        method=_method(diag),
        quality=quality,
        quality_info=quality_info,
        quality_note=INFORMATION_NOTE if quality_info else "",
        lignes_lues=fmt.number(diag.qualite.lignes_lues, 0),
        lignes_utilisees=fmt.number(diag.qualite.lignes_utilisees, 0),
        sources=_sources(diag),
        footer=fmt.text(theme.footer)[:200] or f"{nom_court} — emploi et développement économique",
        sections=SECTIONS + ((OTHER_ACTIONS_SECTION,) if hidden else ()),
        atelier=atelier_view(diag),
        other_actions=tuple(_action_row(action_record(a)) for a in all_actions[detailed:]),
        hidden_vigilance=len(diag_vigilance_all) - len(diag.vigilance) if hidden else 0,
        par_quartier=_per_quartier(diag),
        narrative=narrative(diag, projet),
        decisions=decisions(diag, projet),
        projet=projet,
        vigilance_body=body_items(diag.vigilance, numbers),
        a_lever=to_lift(diag),
        retard=delay_sentence(diag),
        glossary=GLOSSARY,
        annees=year_rows(diag),
        structurantes=tuple(_priority(rows_by_key[a.key], diag, a) for a in structuring(diag)),
        gains_rapides=tuple(_priority(rows_by_key[a.key], diag, a) for a in quick_wins(diag)),
        a_reconfigurer=tuple(rows_by_key[a.key] for a in to_reconfigure(diag)),
        par_quartier_source=diag.par_quartier[0].source if diag.par_quartier else "",
        donnees=data_mention(diag),
        projet_phrase=wording.projet_sentence(diag.projet_raison, diag.valeurs_notees, diag.valeurs_illustratives),
        suggestions=tuple(
            (diag.definitions.enjeu_label(x.enjeu), tuple(fmt.text(t) for _, t in x.actions)) for x in diag.suggestions
        ),
        carte=carte,
        carte_absente=carte_absente,
    )


def _gantt_charts(diag: Diagnostic, periode: tuple[int, int], theme: Theme) -> tuple[tuple[Markup, str], ...]:
    """(image, alt) of each Gantt chart: one per page, never cut inside an action."""
    chunks: list[list[ActionScore]] = []
    rows = 0
    for a in (a for a in diag.actions if a.phases):
        # the first chart shares its page with the chapter's heading and introduction: fewer rows, or it
        # moves to the next page and leaves the heading alone on a near-empty one (Bédarieux, 54 rows)
        budget = GANTT_ROWS_FIRST_PAGE if len(chunks) == 1 else GANTT_ROWS_PER_PAGE
        if not chunks or rows + charts.gantt_rows(a) > budget:
            chunks.append([])
            rows = 0
        chunks[-1].append(a)
        rows += charts.gantt_rows(a)
    gantts = (
        charts.gantt_chart(chunk, periode, theme, chart_id=f"chart-gantt-{k}", jalons=diag.jalons, today=diag.generated)
        for k, chunk in enumerate(chunks)
    )
    return tuple((chart_img(g), g.alt) for g in gantts)


def _vigilance_groups(diag: Diagnostic) -> tuple[tuple[VigilanceGroup, ...], list[int]]:
    """The points by level, numbered through the chapter; and each point's number (the fiches cite it)."""
    groups = []
    numero = 0
    numbers = [0] * len(diag.vigilance)
    for key, title, intro in VIGILANCE_LEVELS:
        items = []
        for k, v in enumerate(diag.vigilance):
            if v.niveau == key:
                numero += 1
                numbers[k] = numero
                items.append(replace(_vigilance_item(v), numero=numero))
        groups.append(VigilanceGroup(key, title, intro, tuple(items)))
    return tuple(groups), numbers


def _top_vigilance(diag: Diagnostic) -> tuple[VigilanceItem, ...]:
    """The first four points of the dashboard: blocking ones first, then points of attention."""
    blocking = tuple(_vigilance_item(v) for v in diag.vigilance if v.niveau == "bloquant")
    return (blocking + tuple(_vigilance_item(v) for v in diag.vigilance if v.niveau == "attention"))[:4]


def _key_figures(diag: Diagnostic) -> tuple[KeyFigure, ...]:
    """The situation in three dated figures (editorial.md §2), the same as the synthesis's first paragraph."""
    return tuple(
        KeyFigure(
            fmt.value(s.indicateur.valeur_quartier, s.indicateur.unite),
            fmt.text(s.indicateur.libelle)
            + (f" ({s.indicateur.annee})" if s.indicateur.annee else "")
            + (" — illustratif" if s.indicateur.illustratif else ""),
        )
        for s in key_indicators(diag)
    )


def _experiences(diag: Diagnostic) -> tuple[ExperienceView, ...]:
    keys_by_action = {a.key: f"{a.rang}. {_title(a)}" for a in diag.actions}
    return tuple(
        ExperienceView(
            titre=fmt.text(m.experience.titre),
            lieu=fmt.text(m.experience.lieu),
            annee=fmt.text(m.experience.annee) or fmt.DASH,
            resume=fmt.text(m.experience.resume),
            pour=tuple(keys_by_action.get(k, k) for k in m.actions),
            reasons=wording.experience_reasons(m.reasons, diag.definitions.enjeu_label),
            sources=tuple(m.experience.sources),
            partenaires=_join(m.experience.partenaires),
            pertinence=fmt.share(m.score / 100),  # the engine's 0–100 score
            resultats=tuple((fmt.text(t), src) for t, src in m.experience.resultats),
            contact=fmt.text(m.experience.contact),
            resultats_courts=tuple((fmt.text(t), _site(src)) for t, src in m.experience.resultats),
        )
        for m in diag.experiences[:BODY_EXPERIENCES]
    )


def _similar(diag: Diagnostic) -> tuple[SimilarView, ...]:
    return tuple(
        SimilarView(
            fmt.text(s.nom),
            fmt.text(s.commune),
            s.code,
            fmt.number(s.population, 0) if s.population else fmt.DASH,
            fmt.number(s.distance, 2),
            wording.similar_explanation(s),
        )
        for s in diag.similaires
    )


def _quality(diag: Diagnostic) -> tuple[tuple[IssueRow, ...], tuple[IssueRow, ...]]:
    """The data-quality annex: errors and warnings; then informations (pre-filled values, for instance)."""
    quality, info = (
        tuple(IssueRow(LEVEL_LABELS[i.level], i.location or fmt.DASH, _issue_text(i)) for i in issues)
        for issues in ([i for i in diag.qualite.issues if i.level != INFO], diag.qualite.informations)
    )
    return quality, info


def _meta(diag: Diagnostic, nom_court: str, periode: tuple[int, int], generated_on: date) -> Meta:
    """The document's title, author, keywords and description (PDF and HTML metadata)."""
    return Meta(
        title=f"Emploi et développement économique — {nom_court}",
        author=fmt.text(diag.territoire.structure) or "pilier-eco",
        keywords=", ".join(
            ["contrat de ville", "QPV", "développement économique", "feuille de route", nom_court]
            + [e.libelle for e in diag.enjeux[:3]]
        ),
        description=f"Diagnostic et feuille de route « emploi et développement économique » du contrat de ville {periode[0]}–{periode[1]}, {nom_court}.",
        generated=fmt.long_date(generated_on),
        territory=nom_court,
    )

"""The records the templates print: frozen dataclasses, every value already formatted in French."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ..theme import Theme
from ..votes import AtelierView


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    keywords: str
    description: str
    generated: str
    territory: str


@dataclass(frozen=True)
class Cover:
    nom: str
    quartiers: tuple[str, ...]
    communes: tuple[str, ...]
    typologie: str
    epci: str
    departement: str
    population: str
    periode: str
    date_diagnostic: str
    structure: str
    logo: str | None
    donnees: str = ""  # geography (the workbook's own QPV codes) and vintages of the figures
    #: QP… (2015) codes in a report dated 2024 or later: a visible warning under the quartiers
    alerte_geographie: str = ""
    projet: str = ""  # « PROJET — non diffusable » and why, when the report is a draft


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    libelle: str
    enjeu: str
    valeur: str
    reference: str
    territoire_reference: str
    annee: str
    source: str
    ecart: str
    score: str
    illustratif: bool
    note: str
    source_ref: int | None = None  # number of the source in the note under the portrait table
    #: every comparator given, each with its year, the ones the score uses marked: (text, used by the score)
    comparaisons: tuple[tuple[str, bool], ...] = ()
    a_verifier: str = ""  # « non noté — valeur à vérifier » with the cells and reasons
    pire_quartier: str = ""  # the score's worst-quartier half, said in a sentence


@dataclass(frozen=True)
class PartRow:
    label: str
    value: str
    weight: str
    effective_weight: str
    contribution: str
    detail: str
    missing: bool


@dataclass(frozen=True)
class EnjeuBlock:
    rang: int
    code: str
    libelle: str
    score: str
    niveau: str
    niveau_key: str
    parts: tuple[PartRow, ...]
    atouts: str
    faiblesses: str
    votes: str
    dissensus: bool
    indicateurs: tuple[str, ...]
    coverage: str
    #: « données 0/100 ; perception 100/100 » and, when they diverge, the disagreement named
    donnees_perception: str = ""
    divergence: str = ""


@dataclass(frozen=True)
class GapRow:
    type: str
    status: str
    actions: str
    message: str


@dataclass(frozen=True)
class QuestionRow:
    code: str
    question: str
    reponse: str


@dataclass(frozen=True)
class GovernanceView:
    available: bool
    maturite: str
    maturite_text: str
    answers: tuple[KeyFigure, ...]
    questions: tuple[QuestionRow, ...]
    partner_map: Markup | None
    partner_alt: str
    gaps: tuple[GapRow, ...]
    n_partners: int


@dataclass(frozen=True)
class ActionRow:
    rang: int
    key: str
    intitule: str
    champ: str
    score: str
    priorite: int
    quick_win: bool
    criteria: tuple[tuple[str, str, bool], ...]  # (label, normalised 0-100, imputed)
    p_tier: str
    p_top: str
    rank_range: str
    fragile: bool
    debut: str
    fin: str
    echeance: str
    echeance_tenue: bool | None
    tenue_raison: str = ""  # why a wished deadline is not kept: « passée », « capacité », « prérequis »
    categorie: str = "structurante"  # structurante | gain-rapide
    a_objectiver: str = ""  # « pertinence fondée sur un enjeu à objectiver (…) »
    sous_condition: bool = False  # a priority the comité validates only « sous condition » (synthesis.conditional)


@dataclass(frozen=True)
class Fiche:
    rang: int
    key: str
    anchor: str
    intitule: str
    catalogue: str
    champ: str
    enjeux: tuple[str, ...]
    score: str
    priorite: int
    quick_win: bool
    pilote: str
    partenaires: tuple[str, ...]
    partner_types: tuple[str, ...]
    cout: str
    impact: str
    faisabilite: str
    prerequis: tuple[tuple[str, str], ...]
    phases: tuple[tuple[str, str, str], ...]  # (label, kind label, "janv. 2025 – juin 2025")
    calendrier: str
    echeance: str
    echeance_note: str
    #: (level label, number) of this action's vigilance points: the fiche points to the chapter, never repeats it
    vigilance: tuple[tuple[str, int], ...]
    experiences: tuple[str, ...]
    suivi: tuple[str, ...]
    commentaire: str
    programme_status: str
    robustness: str
    fragile: bool
    sources: tuple[str, ...]
    cible: str = ""  # « porteurs de projet accompagnés : 40 en 2030 » or what is still to fix
    financement: str = ""  # « Région (droit commun) » or « à préciser »


@dataclass(frozen=True)
class VigilanceItem:
    niveau: str
    objet: str
    ref: str
    message: str
    cells: str  # for the technical annex (annexe E), never in the body
    numero: int = 0
    corps: bool = False  # shown in the body: the annex gives its cells, not its sentence again


@dataclass(frozen=True)
class LiftRow:
    """A row of the « à lever avant » table: a prerequisite, who lifts it, by when, for which action."""

    quoi: str
    qui: str
    quand: str
    pour: str


@dataclass(frozen=True)
class VigilanceGroup:
    key: str
    title: str
    intro: str
    items: tuple[VigilanceItem, ...]


@dataclass(frozen=True)
class ExperienceView:
    titre: str
    lieu: str
    annee: str
    resume: str
    pour: tuple[str, ...]
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    partenaires: str
    pertinence: str
    resultats: tuple[tuple[str, str], ...] = ()  # documented outcomes: (text, source)
    contact: str = ""  # the organisation to contact
    #: documented outcomes as the body prints them: (text, the source's site); full addresses in annex F
    resultats_courts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SimilarView:
    nom: str
    commune: str
    code: str
    population: str
    distance: str
    explanation: str


@dataclass(frozen=True)
class IssueRow:
    level: str
    location: str
    message: str


@dataclass(frozen=True)
class MethodView:
    enjeu_weights: tuple[tuple[str, str, str], ...]  # (label, rule, weight)
    action_weights: tuple[tuple[str, str, str], ...]
    tiers: tuple[tuple[str, str], ...]
    robustness: tuple[tuple[str, str], ...]
    ecarts_critiques: tuple[tuple[str, str], ...]
    config_source: str


@dataclass(frozen=True)
class ReportView:
    meta: Meta
    theme: Theme
    cover: Cover
    key_figures: tuple[KeyFigure, ...]
    top_enjeux: tuple[EnjeuBlock, ...]
    top_vigilance: tuple[VigilanceItem, ...]
    indicators: tuple[IndicatorRow, ...]
    n_illustratifs: int
    indicator_sources: tuple[str, ...]  # distinct sources of the portrait table, numbered from 1
    enjeux: tuple[EnjeuBlock, ...]
    enjeux_chart: Markup
    enjeux_alt: str
    governance: GovernanceView
    actions: tuple[ActionRow, ...]
    criteria_header: tuple[tuple[str, str], ...]  # (criterion label, its share of the weights) for the ranking table
    matrix_chart: Markup
    matrix_alt: str
    top_n: int
    gantt_charts: tuple[tuple[Markup, str], ...]
    fiches: tuple[Fiche, ...]
    vigilance: tuple[VigilanceGroup, ...]
    n_vigilance: int
    experiences: tuple[ExperienceView, ...]
    similaires: tuple[SimilarView, ...]
    method: MethodView
    quality: tuple[IssueRow, ...]  # errors and warnings, in the order found
    #: information: findings on rows the tool pre-filled and the user left as written (nothing to correct)
    quality_info: tuple[IssueRow, ...]
    quality_note: str  # why the information asks nothing (`problems.INFORMATION_NOTE`), empty without any
    lignes_lues: str
    lignes_utilisees: str
    sources: tuple[tuple[str, tuple[str, ...]], ...]  # (group, entries)
    footer: str
    sections: tuple[tuple[str, str, int], ...] = field(default=())  # (anchor, title, level) for the sommaire
    atelier: AtelierView | None = None  # workshop votes beside the data (report/votes.py), None without votes
    # Actions ranked beyond the detail limit: one line each in an annex (tables, charts and fiches stop at
    # the limit, so that a pasted list of hundreds of actions gives a report of bounded size).
    other_actions: tuple[ActionRow, ...] = ()
    hidden_vigilance: int = 0  # vigilance points about those actions (all in the results workbook)
    #: per-quartier figures beside the aggregate: header (quartier names) and rows (indicator, aggregate, values)
    par_quartier: tuple[tuple[str, ...], tuple[tuple[str, str, tuple[str, ...]], ...]] | None = None
    par_quartier_source: str = ""
    donnees: str = ""  # data mention under the portrait
    narrative: tuple[tuple[str, str], ...] = ()  # the synthesis for élus: (heading, paragraph)
    decisions: tuple[str, ...] = ()  # what the comité is asked to decide (end of the synthesis)
    projet: bool = False  # a draft: « PROJET — non diffusable » on every page
    vigilance_body: tuple[VigilanceItem, ...] = ()  # the 5 to 8 points of the body (`corps`)
    a_lever: tuple[LiftRow, ...] = ()  # « à lever avant » : prerequisites of the priority actions
    retard: str = ""  # one sentence on the overall delay
    glossary: tuple[tuple[str, str], ...] = ()  # (term, meaning) for the glossary annex
    annees: tuple[tuple[str, str, str], ...] = ()  # the roadmap year by year: (year, what starts, decisions)
    structurantes: tuple[ActionRow, ...] = ()  # priority actions that change the situation
    gains_rapides: tuple[ActionRow, ...] = ()  # quick wins and one-day events among the priorities
    a_reconfigurer: tuple[ActionRow, ...] = ()  # priorities whose national programme must first be reconfigured
    projet_phrase: str = ""  # the synthesis's sentence for a draft (why, priorities provisional)
    #: strong enjeux no action serves, with catalogue actions targeting them: (enjeu, (action titles…))
    suggestions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    carte: Markup | None = None  # the quartiers' perimeters (report/maps.py), None without any contour
    carte_absente: str = ""  # the quartiers without contours, said in words instead of drawing nothing

    @property
    def data_uris(self) -> tuple[str, ...]:
        """Every `data:` URI this report embeds (charts, logo): the exact list the PDF fetcher may serve."""
        charts_html = [
            self.enjeux_chart,
            self.matrix_chart,
            *(svg for svg, _ in self.gantt_charts),
            self.governance.partner_map,
            self.carte,
        ]
        uris = [m.group(1) for html in charts_html if html for m in _IMG_SRC.finditer(html)]
        return tuple(uris + ([self.cover.logo] if self.cover.logo else []))


_IMG_SRC = re.compile(r'src="(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)"')

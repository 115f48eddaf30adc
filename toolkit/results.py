"""The Diagnostic: everything the method computes for one territory, immutable and JSON-able.

The renderers (PDF, HTML, XLSX, JSON) only ever see this object — never the workbook file — so a
report can be regenerated, tested and compared from the Diagnostic alone. Every score keeps its parts
(inputs, weights, cells) so that the method annex can show how it was obtained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .catalog.actions import ActionDef
from .catalog.contours import QuartierShape
from .catalog.enjeux import EnjeuDef
from .catalog.experiences import Experience
from .catalog.indicators import IndicatorDef
from .catalog.qpv import DataMetadata
from .model import Action, Cell, Indicateur, Issue, Territoire
from .problems import errors, informations, warnings

VigilanceLevel = Literal["bloquant", "attention", "info"]
PartName = Literal["indicateurs", "importance", "votes"]  # the sources of an enjeu score
Level = Literal["fort", "moyen", "faible"]  # how acute an enjeu is
Priority = Literal[1, 2, 3]
VigilanceObject = Literal["action", "enjeu", "données", "gouvernance"]


@dataclass(frozen=True)
class Comparison:
    """The quartier's value against one comparison scale (`score.comparisons`)."""

    echelle: str  # commune | epci | qpv | france | autre (a reference whose territory names no known scale)
    reference: float
    ecart: float  # quartier − reference, in the indicator's unit (points for a rate)
    rapport: float | None  # quartier / reference
    position: float | None  # 0–100 on the declared bound: 50 = level, 100 = worse by the bound or more
    #: the territory named for this value (`Territoire de référence` for `Valeur référence`, the packaged
    #: data's perimeter for the QPV), None when the scale says it all
    territoire: str | None = None
    #: its year: the quartier's for a comparison column (same source, same year by contract), the catalogue's
    #: for a `Valeur référence` kept as the catalogue gives it, None when the workbook does not say
    annee: int | None = None


@dataclass(frozen=True)
class ValueToCheck:
    """A figure the plausibility rule (`toolkit.plausibility`) calls implausible: shown, never scored."""

    code: str  # valeur-invraisemblable | reference-invraisemblable | annee-future/aujourdhui
    field: str  # column key: valeur, reference, ref_qpv…, annee
    value: float
    cell: Cell | None = None


@dataclass(frozen=True)
class IndicatorScore:
    indicateur: Indicateur
    score: float | None  # 0-100, 100 = most unfavourable situation (the stake is acute); None = not scored
    ecart: float | None  # quartier - référence, in the unit of the indicator
    ecart_relatif: float | None  # (quartier - référence) / |référence|, oriented so that > 0 = worse
    #: why score is None, a stable code worded by the report: valeur-quartier-manquante, reference-manquante,
    #: reference-nulle
    reason_not_scored: str | None = None
    comparaisons: tuple[Comparison, ...] = ()  # every comparison given, nearest scale first
    #: what the score rests on: qpv+environnement | qpv | environnement | france | autre (None: not scored)
    base: str | None = None
    #: implausible figures of the row (then score is None and reason_not_scored the first one's code)
    a_verifier: tuple[ValueToCheck, ...] = ()
    #: several quartiers: the aggregate's own score, and the quartier whose figure is the most unfavourable
    #: with its score; `score` is then the mean of the two (docs/methode.md § 1.1, « quartier par quartier »)
    score_ensemble: float | None = None
    pire_quartier: str | None = None
    score_pire_quartier: float | None = None


@dataclass(frozen=True)
class PartDetail:
    """What lies behind one source of an enjeu score, as numbers (the report words them)."""

    scored: int = 0  # indicators scored
    rows: int = 0  # indicator rows of the enjeu in the workbook (scored or not)
    in_catalogue: int = 0  # scored indicators that are catalogue indicators
    catalogue: int = 0  # catalogue indicators of the enjeu
    importance: int | None = None  # perceived importance 1-5
    median: float | None = None  # workshop votes 1-5
    iqr: float | None = None
    voters: int = 0
    dissensus: bool = False
    #: votes: False when fewer voters than the minimum (`[enjeux.regles] votants_min`): shown, not counted
    counted: bool = True


@dataclass(frozen=True)
class ScorePart:
    """One source of an enjeu score (indicateurs, importance perçue, votes)."""

    name: PartName
    value: float | None  # 0-100, None when the source is missing (its weight then goes to the others)
    weight: float  # weight as configured
    effective_weight: float  # weight after re-weighting missing sources (sums to 1 over present parts)
    detail: PartDetail = PartDetail()
    n: int = 0  # number of inputs behind it (indicators, votes)


@dataclass(frozen=True)
class EnjeuScore:
    code: str
    libelle: str
    score: float  # 0-100
    rang: int
    parts: tuple[ScorePart, ...]
    indicateurs: tuple[str, ...] = ()  # codes of the indicators that fed it
    coverage: float | None = None  # share of the catalogue's indicators of this enjeu that were scored
    atouts: str | None = None
    faiblesses: str | None = None
    niveau: Level = "moyen"
    vote_median: float | None = None
    vote_iqr: float | None = None
    n_votes: int = 0
    dissensus: bool = False
    cells: tuple[Cell, ...] = ()
    #: no scored indicator informs it: shown « à objectiver », never as a number (score = perception only)
    a_objectiver: bool = False
    illustratif: bool = False  # at least one scored indicator is marked « illustratif »
    #: the data part (indicators) and the perception part (importance and counted votes, by their weights)
    part_donnees: float | None = None
    part_perception: float | None = None
    #: "perception": the room sees the enjeu far stronger than the data (more than the configured gap) — its
    #: level is then the data's, never « marqué » on perception alone; "donnees": the data far stronger
    divergence: Literal["perception", "donnees"] | None = None
    #: the votes on it were fewer than the minimum: shown, not counted
    votes_non_comptes: bool = False


@dataclass(frozen=True)
class PartnerPresence:
    type: str  # actor type
    structures: tuple[str, ...]  # organisation names
    implication: int | None  # max involvement 0-3 among them, None if unknown
    signataire: bool


@dataclass(frozen=True)
class PartnerGap:
    type: str  # the missing or weakly involved actor type
    actions: tuple[str, ...]  # action keys that need it
    status: Literal["absent", "faible"]
    implication: int | None = None  # best involvement 0-3 of the present ones ("faible")
    structures: tuple[str, ...] = ()  # organisations of that type in Acteurs


@dataclass(frozen=True)
class Governance:
    maturite: float | None  # 0-100, None when the sheet is missing
    answers: dict[str, int]  # response -> count
    detail: tuple[tuple[str, str, str | None], ...]  # (code, question, réponse)
    partners: tuple[PartnerPresence, ...]
    gaps: tuple[PartnerGap, ...]
    available: bool = True  # False when Gouvernance/Acteurs sheets were missing


@dataclass(frozen=True)
class Criterion:
    """One criterion of the action score, normalised on declared bounds."""

    name: str  # "pertinence", "impact", "faisabilite", "cout", "partenaires", "prerequis"
    raw: float | None  # the number it was computed from: 4 (impact), 120000 (€), 2 (prerequisites done)…
    normalised: float  # 0-1, 1 = best
    weight: float
    imputed: bool = False  # True when the input was missing and a neutral value (or the catalogue band) was used
    of: int | None = None  # denominator of a count: 2 prerequisites done *of* 3, 1 partner type present *of* 2
    band: str | None = None  # catalogue cost band that stood in for a missing cost


@dataclass(frozen=True)
class Robustness:
    p_same_tier: float  # probability of keeping its priority tier under weight perturbation
    p_top_n: float  # probability of staying in the top N
    top_n: int
    rank_min: int
    rank_max: int
    fragile: bool


@dataclass(frozen=True)
class ActionScore:
    action: Action
    libelle_catalogue: str | None  # catalogue title when the code is a catalogue code
    criteria: tuple[Criterion, ...]
    score: float  # 0-100
    rang: int
    priorite: Priority
    quick_win: bool
    robustness: Robustness | None = None
    debut: date | None = None
    fin: date | None = None
    echeance_tenue: bool | None = None  # None when no deadline was wished
    phases: tuple[Phase, ...] = ()
    partner_types: tuple[str, ...] = ()  # partner types the action needs (catalogue)
    suivi: tuple[str, ...] = ()  # indicateurs de suivi (catalogue)
    programme_status: str | None = None  # e.g. "terminé le 31/12/2024"
    sources: tuple[str, ...] = ()
    #: the start planned from the diagnostic date had passed at generation: replanned from that date
    en_retard: bool = False
    debut_initial: date | None = None  # start as planned from the diagnostic date (before replanning)
    #: the start its own prerequisites allow, before it waits for the team's capacity (None: not computed);
    #: later than that, `debut` is the capacity's doing, and the report says so
    debut_possible: date | None = None
    en_continu: bool = False  # a running service: `fin` is the contract's end
    #: "gain-rapide" (a quick win, or a one-day event) or "structurante": the report lists them apart, and
    #: `rang_categorie` is the rank within its category (an event is never the first structuring priority)
    categorie: Literal["structurante", "gain-rapide"] = "structurante"
    rang_categorie: int = 0
    #: a one-day event (forum, job dating): catalogue `evenement`, or such words in a local action's title;
    #: shown as a dated milestone, never as a bar, and never a structuring priority
    evenement: bool = False
    #: relies on a national programme that ended or was not renewed as is: a reconfiguration comes first
    a_reconfigurer: bool = False
    #: enjeux it serves that are « à objectiver »: its pertinence rests on perception there, not on data
    enjeux_a_objectiver: tuple[str, ...] = ()
    #: what the action needs before it starts (`plan.prerequisites`), durations from the catalogue the
    #: diagnostic was made with: the report reads them here, never from a catalogue of its own
    needs: tuple[PrerequisiteNeed, ...] = ()

    @property
    def key(self) -> str:
        return self.action.key

    @property
    def label(self) -> str:
        """What to call the action: the catalogue title for a catalogue code, else the title typed."""
        return self.libelle_catalogue or self.action.intitule


@dataclass(frozen=True)
class Phase:
    """A bar of the Gantt chart: a prerequisite to do, or the action itself."""

    label: str
    kind: Literal["prerequis", "action"]
    debut: date
    fin: date
    bloquant: bool = True  # False: runs alongside, the action does not wait for it
    #: where the prerequisite comes from: a status cell of the workbook, or the catalogue's conditions of
    #: the action (a national step such as an habilitation, land control, a post recruited…)
    origine: Literal["classeur", "catalogue"] = "classeur"


@dataclass(frozen=True)
class PrerequisiteNeed:
    """One thing an action needs before it can start: what, why, who, how long, blocking or not, when."""

    quoi: str
    pourquoi: str | None  # catalogue text; None for a workbook prerequisite the catalogue does not detail
    qui: str | None
    duree_mois: int | None  # catalogue duration (None: the default of its kind applies)
    bloquant: bool
    origine: str  # "classeur" (a status cell) or "catalogue"
    statut: str | None = None  # the workbook status (« À faire », « En cours ») for a status cell
    a_confirmer: bool = False  # catalogue condition of an action the workbook declares ready
    debut: date | None = None  # when the roadmap plans it
    fin: date | None = None
    source: str | None = None
    cell: Cell | None = None  # the status cell, for the technical annex


@dataclass(frozen=True)
class QuartierFigures:
    """One quartier's own figures from the packaged INSEE data (same calculation as the template pre-fill).

    Several quartiers averaged together hide a « centre-ville dynamique » next to « grands quartiers très
    pauvres » (Carcassonne): the report shows these beside the aggregate of the workbook.
    """

    code: str
    nom: str
    commune: str
    population: int | None
    valeurs: tuple[tuple[str, float], ...]  # (indicator code, value in the catalogue's unit)
    annees: tuple[tuple[str, int], ...] = ()  # (indicator code, year of the figure)
    source: str = ""


@dataclass(frozen=True)
class Geography:
    """The QPV geography the WORKBOOK describes (its own codes), not the packaged data's.

    A workbook with QN… codes is in the 2024 geography even when some of its figures came from the packaged
    2015 data: those are listed in `figures_2015`, figure by figure.
    """

    geographie: str | None  # "2024" (QN… codes), "2015" (QP… codes), None (no readable code, or both)
    codes: tuple[str, ...] = ()
    figures_2015: tuple[str, ...] = ()  # indicator codes whose source is 2015-geography data (packaged file…)
    figures_2024: tuple[str, ...] = ()  # indicator codes whose source names the 2024 geography
    #: QP… (2015) codes in a report dated 2024 or later: that list was replaced on 1 January 2024
    remplacee: bool = False
    annee_rapport: int | None = None  # the report's year: data age is measured against it
    annees: tuple[int, ...] = ()  # distinct years of the workbook's figures, oldest first


@dataclass(frozen=True)
class Suggestion:
    """A strong enjeu no action of the workbook serves, and catalogue actions that target it."""

    enjeu: str
    actions: tuple[tuple[str, str], ...]  # (catalogue code, title), best suited first


JalonKind = Literal["revue-annuelle", "evaluation-mi-parcours", "fin-contrat"]


@dataclass(frozen=True)
class Jalon:
    """A milestone of the contract the roadmap shows: annual reviews, mid-term evaluation, end."""

    kind: JalonKind
    annee: int
    date: date  # at the latest (the review of year N is held by 31 December N)


@dataclass(frozen=True)
class VigilancePoint:
    niveau: VigilanceLevel
    objet: VigilanceObject
    ref: str  # action key, enjeu code, indicator code, or question code
    rule: str  # stable key of the rule, e.g. "prerequis-non-fait"
    #: what the rule found, as (name, value) pairs: numbers, dates, codes, titles and cells; the report words it
    params: tuple[tuple[str, Any], ...] = ()
    cells: tuple[Cell, ...] = ()
    #: shown in the report's body (the 5 to 8 points élus read); every point stays in the annex
    corps: bool = False

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class ExperienceMatch:
    experience: Experience
    actions: tuple[str, ...]  # action keys it can inform
    #: (kind, value): ("meme-type", action title), ("meme-champ", champ), ("meme-enjeu", code),
    #: ("typologie", typologie), ("region", region); worded by the report
    reasons: tuple[tuple[str, str], ...]
    score: float


@dataclass(frozen=True)
class FeatureGap:
    """One compared feature of a similar territory: its value and the diagnosed territory's."""

    libelle: str
    unite: str
    value: float  # the similar territory's (population in inhabitants for the size feature)
    target: float  # the diagnosed territory's


@dataclass(frozen=True)
class SimilarTerritory:
    code: str
    nom: str
    commune: str
    distance: float  # root mean square of the z-score gaps (in standard deviations)
    n_features: int = 0  # features known on both sides
    closest: tuple[FeatureGap, ...] = ()  # the two closest features
    farthest: FeatureGap | None = None
    population: int | None = None


@dataclass(frozen=True)
class DataQuality:
    lignes_lues: int
    lignes_utilisees: int
    issues: tuple[Issue, ...]

    @property
    def erreurs(self) -> tuple[Issue, ...]:
        return errors(self.issues)

    @property
    def avertissements(self) -> tuple[Issue, ...]:
        return warnings(self.issues)

    @property
    def informations(self) -> tuple[Issue, ...]:
        return informations(self.issues)


@dataclass(frozen=True)
class MethodTrace:
    """The weights and parameters actually used, for the method annex and the JSON."""

    enjeu_weights: dict[str, float]
    action_weights: dict[str, float]
    tiers: dict[str, float]  # thresholds
    robustness: dict[str, float | int]
    config_source: str | None = None  # path of the user TOML, if any
    catalogues: tuple[str, ...] = ()  # user catalogue files layered over the packaged ones
    capacite: int | None = None  # prerequisite phases the team runs at once (plan.roadmap.team_capacity)


@dataclass(frozen=True)
class VoteResult:
    """Workshop notes (1–5) on one object, aggregated: shown beside the data-driven scores."""

    objet: str  # enjeu code or action key
    kind: Literal["enjeu", "action"]
    libelle: str
    n: int  # voters
    median: float
    iqr: float
    dissensus: bool
    borda: float | None = None  # Borda points among objects of the same kind
    borda_rang: int | None = None


@dataclass(frozen=True)
class Definitions:
    """The catalogue entries a diagnostic used, carried with it so that renderers never look a catalogue up.

    Filled by `diagnose` from the run's `Catalogue` (packaged data plus the user's files): the report shows
    the labels and bounds the scores were computed with, whatever catalogue the renderer's process has.
    """

    enjeux: tuple[EnjeuDef, ...] = ()  # every enjeu of the catalogue, in catalogue order
    indicators: tuple[IndicatorDef, ...] = ()  # catalogue entries of the workbook's indicators
    actions: tuple[ActionDef, ...] = ()  # catalogue entries of the workbook's actions
    experiences: tuple[Experience, ...] = ()  # experiences of the catalogue that were considered
    communes: tuple[tuple[str, str], ...] = ()  # (INSEE code, name) of the territory's communes
    comparison_source: str | None = None  # citation of the data behind « territoires comparables »
    donnees: DataMetadata | None = None  # geography and vintages of the packaged INSEE data (cover, portrait)
    contours: tuple[QuartierShape, ...] = ()  # projected perimeters of the territory's quartiers (portrait map)
    contours_source: str = ""  # citation of the contours file

    def enjeu(self, code: str) -> EnjeuDef | None:
        key = code.strip().upper()
        return next((e for e in self.enjeux if e.code.upper() == key), None)

    def enjeu_label(self, code: str) -> str:
        e = self.enjeu(code)
        return e.libelle if e else code

    def indicator(self, code: str) -> IndicatorDef | None:
        key = code.strip().upper()
        return next((i for i in self.indicators if i.code.upper() == key), None)

    def action(self, code: str) -> ActionDef | None:
        key = code.strip().upper()
        return next((a for a in self.actions if a.code.upper() == key), None)

    def commune_name(self, code: str) -> str | None:
        return dict(self.communes).get(code.strip().upper())


@dataclass(frozen=True)
class Diagnostic:
    version: str
    territoire: Territoire
    indicateurs: tuple[IndicatorScore, ...]
    enjeux: tuple[EnjeuScore, ...]  # ranked
    governance: Governance
    actions: tuple[ActionScore, ...]  # ranked
    vigilance: tuple[VigilancePoint, ...]
    experiences: tuple[ExperienceMatch, ...]
    similaires: tuple[SimilarTerritory, ...]
    qualite: DataQuality
    method: MethodTrace
    periode: tuple[int, int] = (2024, 2030)
    generated: date | None = None
    votes: tuple[VoteResult, ...] = ()  # workshop results per object (score.votes.vote_results)
    definitions: Definitions = Definitions()  # catalogue entries used: labels and bounds for the renderers
    jalons: tuple[Jalon, ...] = ()  # milestones of the contract from the generation date on
    #: each quartier's own figures beside the workbook's aggregate, when the territory has several QPV
    par_quartier: tuple[QuartierFigures, ...] = ()
    #: a draft: « PROJET — non diffusable » on every page, priorities provisional. `projet_raison`:
    #: "illustratif" (more than half of the scored values), "aucune-valeur-notee", or "demande" ([rapport])
    projet: bool = False
    projet_raison: str | None = None
    valeurs_notees: int = 0  # indicator values that scored
    valeurs_illustratives: int = 0  # of which marked « illustratif »
    geographie: Geography = Geography(None)
    #: strong enjeux that no action serves, with catalogue actions that target them
    suggestions: tuple[Suggestion, ...] = ()

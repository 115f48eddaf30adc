"""The report view model: a Diagnostic turned into French, display-ready, immutable records.

Templates only lay out what this module prepared: every number is formatted here (Babel, French
typography), every missing value becomes a dash or an explicit sentence, never `None` or `nan`.
Nothing here reads a file or a catalogue: labels and bounds come from `diag.definitions`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup

from ..model import ACTOR_TYPES, PREREQUIS, REPONSES, Issue
from ..results import ActionScore, Definitions, Diagnostic, EnjeuScore, IndicatorScore, VigilancePoint
from . import charts, wording
from . import formatting as fmt
from .records import action_record, indicator_record, vigilance_record
from .theme import DEFAULT_THEME, Theme
from .votes import AtelierView, atelier_view

CRITERIA_LABELS = {
    "pertinence": "Pertinence",
    "impact": "Impact",
    "faisabilite": "Faisabilité",
    "cout": "Coût",
    "partenaires": "Partenaires",
    "prerequis": "Prérequis",
}
PART_LABELS = {"indicateurs": "Indicateurs", "importance": "Importance perçue", "votes": "Votes de l'atelier"}
VIGILANCE_LEVELS = (
    ("bloquant", "Points bloquants", "À lever avant de lancer l'action."),
    ("attention", "Points d'attention", "À surveiller ou à préciser avec les partenaires."),
    ("info", "Informations", "Limites des données ou remarques de méthode."),
)
VIGILANCE_LEVEL_LABEL = {"bloquant": "Bloquant", "attention": "Attention", "info": "Information"}
OBJET_LABELS = {"action": "Action", "enjeu": "Enjeu", "données": "Données", "gouvernance": "Gouvernance"}
NIVEAU_LABELS = {"fort": "enjeu fort", "moyen": "enjeu moyen", "faible": "enjeu faible"}
PRIORITE_LABELS = {1: "Priorité 1", 2: "Priorité 2", 3: "Priorité 3"}
ENJEU_WEIGHT_LABELS = {
    "indicateurs": "Indicateurs (écart à la référence)",
    "importance": "Importance perçue",
    "votes": "Votes de l'atelier",
}
#: How each source or criterion is brought to a common scale (docs/methode.md §1.2 and §3), for the annex.
ENJEU_SOURCE_RULES = {
    "indicateurs": "moyenne des scores des indicateurs notés de l'enjeu",
    "importance": "(importance − 1) ÷ 4 × 100",
    "votes": "(médiane des votes − 1) ÷ 4 × 100",
}
CRITERIA_RULES = {
    "pertinence": "moyenne des scores des enjeux visés ÷ 100",
    "impact": "(impact − 1) ÷ 4",
    "faisabilite": "(faisabilité − 1) ÷ 4",
    "cout": "1 − (ln coût − ln 10 k€) ÷ (ln 2 M€ − ln 10 k€), borné à [0 ; 1]",
    "partenaires": "moyenne, sur les types requis, de l'implication maximale ÷ 3",
    "prerequis": "Fait = 1, En cours = ½, À faire = 0 ; Sans objet exclu",
}
ROBUSTNESS_LABELS = {
    "tirages": ("Nombre de tirages", 0),
    "concentration": ("Concentration de Dirichlet autour des poids", 0),
    "top_n": ("Taille du « top N »", 0),
    "graine": ("Graine du générateur (reproductibilité)", 0),
    "seuil_fragile": ("Seuil de fragilité : p(même niveau) inférieure à", 2),
}
#: An enjeu no scored indicator informs never shows a number (docs/methode.md § 1.2).
A_OBJECTIVER = "à objectiver"
A_OBJECTIVER_NOTE = "aucun indicateur chiffré : perception des acteurs seulement"
TIER_LABELS = {"niveau1": "Priorité 1 : score au moins égal à", "niveau2": "Priorité 2 : score au moins égal à"}


# --- records ------------------------------------------------------------------------------------------


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
    donnees: str = ""  # geography and vintages of the packaged data the figures come from


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
    answers_chart: Markup | None
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


@dataclass(frozen=True)
class VigilanceItem:
    niveau: str
    objet: str
    ref: str
    message: str
    cells: str  # for the technical annex (Annexe B), never in the body
    numero: int = 0


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
    top_actions: tuple[ActionRow, ...]
    top_vigilance: tuple[VigilanceItem, ...]
    synthese_text: str
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
    quality: tuple[IssueRow, ...]
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

    @property
    def data_uris(self) -> tuple[str, ...]:
        """Every `data:` URI this report embeds (charts, logo): the exact list the PDF fetcher may serve."""
        charts_html = [
            self.enjeux_chart,
            self.matrix_chart,
            *(svg for svg, _ in self.gantt_charts),
            self.governance.answers_chart,
            self.governance.partner_map,
        ]
        uris = [m.group(1) for html in charts_html if html for m in _IMG_SRC.finditer(html)]
        return tuple(uris + ([self.cover.logo] if self.cover.logo else []))


# --- helpers ------------------------------------------------------------------------------------------

_IMG_SRC = re.compile(r'src="(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)"')


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


# --- sections -----------------------------------------------------------------------------------------


def _cover(diag: Diagnostic, theme: Theme) -> Cover:
    t = diag.territoire
    periode = t.periode or diag.periode
    return Cover(
        nom=fmt.text(t.nom) or "Territoire sans nom",
        quartiers=tuple(f"{q.code} – {fmt.text(q.nom)}" if fmt.text(q.nom) else q.code for q in t.quartiers),
        communes=tuple(_commune_name(c, diag.definitions) for c in t.communes),
        typologie=fmt.text(t.typologie) or fmt.DASH,
        epci=fmt.text(t.epci) or fmt.DASH,
        departement=fmt.text(t.departement) or fmt.DASH,
        population=(fmt.number(t.population_quartiers, 0) + " habitants")
        if t.population_quartiers
        else "non renseignée",
        periode=f"{periode[0]}–{periode[1]}",
        date_diagnostic=fmt.long_date(t.date_diagnostic),
        structure=fmt.text(t.structure) or "Structure rédactrice non renseignée",
        logo=theme.logo_data_uri,
        donnees=data_mention(diag),
    )


def _per_quartier(diag: Diagnostic):
    """One row per indicator the quartiers' data give: the workbook's aggregate, then each quartier."""
    if not diag.par_quartier:
        return None
    header = tuple(
        f"{fmt.text(q.nom)} ({fmt.number(q.population, 0)} hab.)" if q.population else fmt.text(q.nom)
        for q in diag.par_quartier
    )
    aggregate = {s.indicateur.code: s.indicateur for s in diag.indicateurs}
    rows = []
    for s in diag.indicateurs:
        code = s.indicateur.code
        values = [dict(q.valeurs).get(code) for q in diag.par_quartier]
        if all(v is None for v in values):
            continue
        d = diag.definitions.indicator(code)
        unit = d.unite if d else s.indicateur.unite
        label = fmt.text(s.indicateur.libelle) + (f" ({unit})" if unit and unit != "nb" else "")
        agg = aggregate[code].valeur_quartier
        rows.append(
            (
                label,
                fmt.number(agg, 1) if agg is not None else fmt.DASH,
                tuple(fmt.number(v, 1) if v is not None else fmt.DASH for v in values),
            )
        )
    return (header, tuple(rows)) if rows else None


def data_mention(diag: Diagnostic) -> str:
    """Geography and vintages of the data, printed on the cover and under the portrait."""
    m = diag.definitions.donnees
    if m is None:
        return ""
    return f"Données INSEE en {m.geographie_libelle} ; millésimes : {m.millesimes} ({m.source})."


def _criteria_header(diag: Diagnostic) -> tuple[tuple[str, str], ...]:
    """Criteria of the ranking table with the share of the weights each one carries (`Impact`, `20 %`)."""
    if not diag.actions:
        return ()
    crits = diag.actions[0].criteria
    total = sum(c.weight for c in crits) or 1.0
    return tuple((CRITERIA_LABELS.get(c.name, c.name), fmt.share(c.weight / total)) for c in crits)


def _indicator_rows(
    scores: tuple[IndicatorScore, ...], defs: Definitions
) -> tuple[tuple[IndicatorRow, ...], tuple[str, ...]]:
    """Rows of the portrait table; a long source shared by many rows is cited once, as a numbered note."""
    notes: list[str] = []
    rows = []
    for s in scores:
        row = _indicator_row(indicator_record(s, rounded=False), defs)
        if not row.illustratif and s.indicateur.source and len(row.source) > 25:
            if row.source not in notes:
                notes.append(row.source)
            row = replace(row, source_ref=notes.index(row.source) + 1)
        rows.append(row)
    return tuple(rows), tuple(notes)


def _indicator_row(i: dict, defs: Definitions) -> IndicatorRow:
    """From the indicator's record (`toolkit.records`): the same fields as the JSON and the results workbook."""
    note = (fmt.text(i["raison_non_note"]) or "non noté") if i["score"] is None else ""
    return IndicatorRow(
        code=i["code"],
        libelle=fmt.text(i["libelle"]) or i["code"],
        enjeu=defs.enjeu_label(i["enjeu"]) if i["enjeu"] else "Contexte",
        valeur=fmt.value(i["valeur_quartier"], i["unite"]),
        reference=fmt.value(i["valeur_reference"], i["unite"]),
        territoire_reference=fmt.text(i["territoire_reference"]),
        annee=str(i["annee"]) if i["annee"] else fmt.DASH,
        source=fmt.text(i["source"]) or "source non renseignée",
        ecart=fmt.gap(i["ecart"], i["unite"]),
        score=fmt.score(i["score"]),
        illustratif=i["illustratif"],
        note=note,
    )


def _enjeu_block(e: EnjeuScore, defs: Definitions) -> EnjeuBlock:
    parts = tuple(
        PartRow(
            label=PART_LABELS.get(p.name, p.name),
            value=fmt.score(p.value) if p.value is not None else "absent",
            weight=fmt.share(p.weight),
            effective_weight=fmt.share(p.effective_weight),
            contribution=fmt.number(p.value * p.effective_weight, 1) if p.value is not None else fmt.DASH,
            detail=wording.part_detail(p),
            missing=p.value is None,
        )
        for p in e.parts
    )
    if e.n_votes:
        votes = (
            f"médiane {fmt.number(e.vote_median, 1)} / 5, écart interquartile {fmt.number(e.vote_iqr, 1)}, "
            f"{fmt.plural(e.n_votes, 'votant')}"
        )
    else:
        votes = "pas de vote en atelier"
    ind_labels = []
    for code in e.indicateurs:
        d = defs.indicator(code)
        ind_labels.append(d.libelle if d else code)
    return EnjeuBlock(
        rang=e.rang,
        code=e.code,
        libelle=fmt.text(e.libelle) or defs.enjeu_label(e.code),
        score=A_OBJECTIVER if e.a_objectiver else fmt.score(e.score),
        niveau=(A_OBJECTIVER_NOTE if e.a_objectiver else NIVEAU_LABELS.get(e.niveau, e.niveau))
        + (" · illustratif" if e.illustratif else ""),
        niveau_key="objectiver" if e.a_objectiver else e.niveau,
        parts=parts,
        atouts=fmt.text(e.atouts),
        faiblesses=fmt.text(e.faiblesses),
        votes=votes,
        dissensus=e.dissensus,
        indicateurs=tuple(ind_labels),
        coverage=fmt.share(e.coverage) if e.coverage is not None else fmt.DASH,
    )


def _governance(diag: Diagnostic, theme: Theme) -> GovernanceView:
    g = diag.governance
    if g.maturite is None:
        mat, mat_text = fmt.DASH, "La maturité n'a pas pu être calculée (feuille Gouvernance absente ou vide)."
    else:
        level = "avancée" if g.maturite >= 66 else "intermédiaire" if g.maturite >= 33 else "à construire"
        mat, mat_text = fmt.score(g.maturite), f"Gouvernance du volet économique {level}."
    pm = charts.partner_map(g, ACTOR_TYPES, theme) if (g.partners or g.gaps) else None
    ans = charts.answers_chart(g.answers, REPONSES, theme) if sum(g.answers.values()) else None
    keys_by_action = {a.key: f"{a.rang}. {_title(a)}" for a in diag.actions}
    return GovernanceView(
        available=g.available,
        maturite=mat,
        maturite_text=mat_text,
        answers=tuple(KeyFigure(fmt.number(g.answers.get(r, 0), 0), r) for r in REPONSES),
        answers_chart=chart_img(ans) if ans else None,
        questions=tuple(QuestionRow(c, fmt.text(q), fmt.text(r) or "sans réponse") for c, q, r in g.detail),
        partner_map=chart_img(pm) if pm else None,
        partner_alt=pm.alt if pm else "",
        gaps=tuple(
            GapRow(
                gap.type,
                "absent" if gap.status == "absent" else "peu impliqué",
                _join([keys_by_action.get(k, k) for k in gap.actions], fmt.DASH),
                wording.gap_message(gap, {a.key: a.action.intitule or a.action.code for a in diag.actions}),
            )
            for gap in g.gaps
        ),
        n_partners=sum(len(p.structures) for p in g.partners),
    )


def _action_row(a: dict) -> ActionRow:
    """From the action's record (`toolkit.records`): the same fields as the JSON and the results workbook."""
    r = a["robustesse"]
    crit = tuple(
        (CRITERIA_LABELS.get(c["nom"], c["nom"]), fmt.score(c["normalise"] * 100), c["impute"]) for c in a["criteres"]
    )
    title = fmt.text(a["intitule"]) or fmt.text(a["libelle_catalogue"]) or a["cle"]
    return ActionRow(
        rang=a["rang"],
        key=a["cle"],
        intitule=title,
        champ=fmt.text(a["champ"]),
        score=fmt.score(a["score"]),
        priorite=a["priorite"],
        quick_win=a["quick_win"],
        criteria=crit,
        p_tier=fmt.share(r["p_meme_priorite"]) if r else fmt.DASH,
        p_top=fmt.share(r["p_top_n"]) if r else fmt.DASH,
        rank_range=(
            f"{r['rang_min']}–{r['rang_max']}"
            if r and r["rang_min"] != r["rang_max"]
            else str(r["rang_min"])
            if r
            else fmt.DASH
        ),
        fragile=bool(r and r["fragile"]),
        debut=fmt.month_year(a["debut"]) if a["debut"] else fmt.DASH,
        fin=fmt.month_year(a["fin"]) if a["fin"] else fmt.DASH,
        echeance=fmt.text(a["echeance_souhaitee"]) if a["echeance_souhaitee"] else fmt.DASH,
        echeance_tenue=a["echeance_tenue"],
    )


def _fiche(a: ActionScore, diag: Diagnostic, numbers: Sequence[int]) -> Fiche:
    """`numbers`: the chapter's number of each point of `diag.vigilance`, in the same order."""
    act = a.action
    vig = tuple(
        sorted(
            (
                (VIGILANCE_LEVEL_LABEL[v.niveau], n)
                for v, n in zip(diag.vigilance, numbers, strict=False)
                if v.objet == "action" and v.ref == a.key
            ),
            key=lambda x: x[1],
        )
    )
    exps = tuple(f"{m.experience.titre} ({m.experience.lieu})" for m in diag.experiences if a.key in m.actions)
    if a.echeance_tenue is None:
        note = "pas d'échéance souhaitée"
    elif a.echeance_tenue:
        note = "échéance tenable"
    else:
        note = "échéance difficilement tenable avec les prérequis"
    r = a.robustness
    rob = (
        (
            f"reste en priorité {a.priorite} dans {fmt.share(r.p_same_tier)} des tirages ; dans le top {r.top_n} "
            f"dans {fmt.share(r.p_top_n)} ; rang entre {r.rank_min} et {r.rank_max}"
        )
        if r
        else "non calculée"
    )
    imp = {c.name: c for c in a.criteria}
    return Fiche(
        rang=a.rang,
        key=a.key,
        anchor=_anchor(a),
        intitule=_title(a),
        catalogue=fmt.text(a.libelle_catalogue) if a.libelle_catalogue and a.libelle_catalogue != act.intitule else "",
        champ=fmt.text(act.champ),
        enjeux=tuple(diag.definitions.enjeu_label(c) for c in act.enjeux),
        score=fmt.score(a.score),
        priorite=a.priorite,
        quick_win=a.quick_win,
        pilote=fmt.text(act.pilote) or "à désigner",
        partenaires=tuple(p for p in (fmt.text(x) for x in act.partenaires) if p),
        partner_types=tuple(a.partner_types),
        cout=fmt.euros(act.cout) if act.cout is not None else "non estimé",
        impact=f"{act.impact} / 5"
        if act.impact is not None
        else ("non renseigné" + (" (valeur neutre retenue)" if imp.get("impact") and imp["impact"].imputed else "")),
        faisabilite=f"{act.faisabilite} / 5" if act.faisabilite is not None else "non renseignée",
        prerequis=tuple((p, act.prerequis.get(p, "non renseigné")) for p in PREREQUIS),
        phases=tuple(
            (
                p.label if p.kind == "prerequis" else "",
                "Prérequis" if p.kind == "prerequis" else "Mise en œuvre",
                _period(p.debut, p.fin),
            )
            for p in a.phases
        ),
        calendrier=_period(a.debut, a.fin),
        echeance=fmt.text(act.echeance.text) if act.echeance else "aucune",
        echeance_note=note,
        vigilance=vig,
        experiences=exps,
        suivi=tuple(a.suivi),
        commentaire=fmt.text(act.commentaire),
        programme_status=fmt.text(a.programme_status),
        robustness=rob,
        fragile=bool(r and r.fragile),
        sources=tuple(a.sources),
    )


def _issue_text(i: Issue) -> str:
    """The finding without its location (shown in its own column): `message (trouvé : « … » ; attendu : …)`."""
    extra = [f"trouvé : « {i.found} »"] if i.found is not None else []
    extra += [f"attendu : {i.expected}"] if i.expected is not None else []
    return i.message + (" (" + " ; ".join(extra) + ")" if extra else "")


def _vigilance_item(p: VigilancePoint) -> VigilanceItem:
    v = vigilance_record(p)  # the same fields as the JSON and the results workbook
    return VigilanceItem(
        niveau=VIGILANCE_LEVEL_LABEL.get(v["niveau"], v["niveau"]),
        objet=OBJET_LABELS.get(v["objet"], v["objet"]),
        ref=v["ref"],
        message=fmt.text(v["message"]),
        cells=", ".join(v["cellules"]),
    )


def _method(diag: Diagnostic) -> MethodView:
    m = diag.method
    ecarts = []
    for s in diag.indicateurs:
        d = diag.definitions.indicator(s.indicateur.code)
        if d and d.ecart_critique is not None:
            ecarts.append((d.libelle, fmt.gap(d.ecart_critique, d.unite).lstrip("+")))
    return MethodView(
        enjeu_weights=tuple(
            (ENJEU_WEIGHT_LABELS.get(k, k), ENJEU_SOURCE_RULES.get(k, ""), fmt.share(v))
            for k, v in m.enjeu_weights.items()
        ),
        action_weights=tuple(
            (CRITERIA_LABELS.get(k, k), CRITERIA_RULES.get(k, ""), fmt.share(v)) for k, v in m.action_weights.items()
        ),
        tiers=tuple((TIER_LABELS.get(k, k), fmt.number(v, 0)) for k, v in m.tiers.items()),
        robustness=tuple(
            (
                ROBUSTNESS_LABELS.get(k, (k, 2))[0],
                fmt.number(v, ROBUSTNESS_LABELS.get(k, (k, 2))[1]) if k != "graine" else str(v),
            )
            for k, v in m.robustness.items()
        ),
        ecarts_critiques=tuple(ecarts),
        config_source=(
            f"Paramètres lus dans {m.config_source}."
            if m.config_source
            else "Paramètres par défaut de pilier-eco (aucun fichier de configuration fourni)."
        )
        + (f" Catalogues de pilier-eco complétés par : {', '.join(m.catalogues)}." if m.catalogues else ""),
    )


def _sources(diag: Diagnostic) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every source cited, grouped (indicators, actions, experiences, comparisons), each cited once."""
    seen: set[str] = set()
    groups: dict[str, list[str]] = {
        "Indicateurs": [],
        "Actions (catalogue)": [],
        "Expériences transférables": [],
        "Territoires comparables": [],
    }

    def add(group: str, key: str, entry: str) -> None:
        if key and key not in seen:
            seen.add(key)
            groups[group].append(entry)

    for s in diag.indicateurs:
        i = s.indicateur
        src = fmt.text(i.source)
        if src and not i.illustratif:
            add("Indicateurs", src, f"{fmt.text(i.libelle) or i.code} ({i.annee or 'année non précisée'}) : {src}")
        d = diag.definitions.indicator(i.code)
        # the catalogue's reference is cited only when the workbook uses that very value
        if d and d.reference_source and i.valeur_reference is not None and d.reference_valeur == i.valeur_reference:
            add(
                "Indicateurs",
                d.reference_source,
                f"{d.libelle}, valeur de référence ({d.reference_annee or 'année non précisée'}) : {d.reference_source}",
            )
    for a in diag.actions:
        for src in a.sources:
            add("Actions (catalogue)", fmt.text(src), f"{fmt.text(a.libelle_catalogue) or _title(a)} : {fmt.text(src)}")
    for m in diag.experiences:
        for src in m.experience.sources:
            add("Expériences transférables", fmt.text(src), f"{fmt.text(m.experience.titre)} : {fmt.text(src)}")
    source = diag.definitions.comparison_source
    if diag.similaires and source:
        add("Territoires comparables", source, source)
    return tuple((title, tuple(entries)) for title, entries in groups.items() if entries)


def _synthese_text(diag: Diagnostic) -> str:
    n1 = sum(1 for a in diag.actions if a.priorite == 1)
    nb = sum(1 for v in diag.vigilance if v.niveau == "bloquant")
    top = [e.libelle for e in diag.enjeux[:3]]
    parts = []
    if top:
        parts.append("Les enjeux les plus aigus sont : " + ", ".join(f"« {fmt.text(t)} »" for t in top) + ".")
    n = len(diag.actions)
    parts.append(
        f"{fmt.plural(n, 'action')} {fmt.agree(n, 'a été examinée', 'ont été examinées')}"
        + (f", dont {fmt.plural(n1, 'action')} de priorité 1." if fmt.agree(n, "", "s") else ".")
    )
    if nb:
        parts.append(
            "Un point bloquant doit être levé avant le lancement."
            if nb == 1
            else f"{fmt.plural(nb, 'point bloquant', 'points bloquants')} doivent être levés avant le lancement."
        )
    return " ".join(parts)


def _marked(e: EnjeuScore) -> bool:
    """An enjeu the synthesis may call a priority: scored from data, and at least « moyen »."""
    return not e.a_objectiver and e.niveau in ("fort", "moyen")


def _narrative(diag: Diagnostic) -> tuple[tuple[str, str], ...]:
    """The synthesis for élus, in four paragraphs: found, first, watch, what it takes (numbers from the engine)."""
    out = []
    scored = [e for e in diag.enjeux if not e.a_objectiver]
    marked = [e for e in scored if _marked(e)][:3]  # a weak enjeu is never « marqué »
    found = []

    def named(e: EnjeuScore) -> str:
        return (
            f"« {fmt.text(e.libelle)} » ({fmt.score(e.score)}/100"
            + (", chiffres en partie illustratifs" if e.illustratif else "")
            + ")"
        )

    if marked:
        found.append(
            "Comparés aux autres quartiers prioritaires et à leur environnement, les enjeux les plus "
            "marqués sont " + ", ".join(named(e) for e in marked) + "."
        )
    elif scored:
        found.append(
            "Comparé aux autres quartiers prioritaires et à son environnement, aucun enjeu chiffré n'atteint "
            "le niveau moyen (40/100) ; le plus haut : " + named(scored[0]) + "."
        )
    weak = [e for e in scored if e.niveau == "faible"]
    if marked and weak:
        found.append(
            f"{fmt.plural(len(weak), 'enjeu', 'enjeux')} {fmt.agree(len(weak), 'ressort', 'ressortent')} "
            "faiblement : " + ", ".join(named(e) for e in weak[:3]) + (" et d'autres" if len(weak) > 3 else "") + "."
        )
    open_ = [e for e in diag.enjeux if e.a_objectiver]
    if open_:
        more = len(open_) - 4
        found.append(
            f"{fmt.plural(len(open_), 'enjeu', 'enjeux')} {fmt.agree(len(open_), 'reste', 'restent')} à "
            "objectiver faute d'indicateur chiffré : "
            + ", ".join(f"« {fmt.text(e.libelle)} »" for e in open_[:4])
            + (f" et {fmt.plural(more, 'autre')}" if more > 0 else "")
            + "."
        )
    if diag.par_quartier:
        for code in ("PAUVRETE", "EMPLOI_15_64"):
            values = [(dict(q.valeurs).get(code), q.nom) for q in diag.par_quartier]
            values = [(v, n) for v, n in values if v is not None]
            if len(values) >= 2:
                lo, hi = min(values), max(values)
                d = diag.definitions.indicator(code)
                label = d.libelle.lower() if d else code
                found.append(
                    f"Les {len(diag.par_quartier)} quartiers ne se ressemblent pas : {label} de "
                    f"{fmt.number(lo[0], 1)} % ({fmt.text(lo[1])}) à {fmt.number(hi[0], 1)} % ({fmt.text(hi[1])})."
                )
                break
    if found:
        out.append(("Ce que nous avons constaté", " ".join(found)))
    first = [a for a in diag.actions if a.priorite == 1]
    lead = "En priorité : " if first else "Aucune action n'atteint la priorité 1 ; en tête du classement : "
    first = first or list(diag.actions[:3])
    if first:
        late = sum(1 for a in diag.actions if a.en_retard)
        text = (
            lead
            + " ; ".join(
                f"{_title(a)} (à engager dès {fmt.month_year(a.debut)})" if a.debut else _title(a) for a in first[:5]
            )
            + "."
        )
        if late:
            text += (
                f" Le calendrier part de la date de ce rapport : {fmt.plural(late, 'action')} "
                f"{fmt.agree(late, 'prévue', 'prévues')} plus tôt au diagnostic {fmt.agree(late, 'est', 'sont')} "
                f"en retard et {fmt.agree(late, 'a été replanifiée', 'ont été replanifiées')}."
            )
        out.append(("Par quoi commencer", text))
    watch = []
    nb = [v for v in diag.vigilance if v.niveau == "bloquant"]
    if nb:
        watch.append(
            f"{fmt.plural(len(nb), 'point bloquant', 'points bloquants')} (détail au chapitre « Points de vigilance »)."
        )
    long_steps = []
    for a in diag.actions:
        for n in a.needs:  # durations of the catalogue the diagnostic used
            if n.origine == "catalogue" and n.bloquant and not n.a_confirmer and (n.duree_mois or 0) >= 12:
                long_steps.append(f"{n.quoi.lower()} pour « {_title(a)} » ({n.duree_mois} mois)")
    if long_steps:
        watch.append("Des étapes longues, hors de la main du territoire : " + " ; ".join(long_steps[:4]) + ".")
    if watch:
        out.append(("Ce qui demande vigilance", " ".join(watch)))
    needs = sorted({t for a in first for t in a.partner_types})
    takes = []
    if needs:
        takes.append("Mobiliser : " + ", ".join(needs) + ".")
    reviews = [j for j in diag.jalons if j.kind == "revue-annuelle"]
    mid = next((j for j in diag.jalons if j.kind == "evaluation-mi-parcours"), None)
    if reviews or mid:
        takes.append(
            "Suivre : une revue annuelle chaque année"
            + (f" jusqu'en {reviews[-1].annee}" if reviews else "")
            + (f", l'évaluation à mi-parcours en {mid.annee}" if mid else "")
            + "."
        )
    if takes:
        out.append(("Ce qu'il faudra mobiliser", " ".join(takes)))
    return tuple(out)


GANTT_ROWS_PER_PAGE = 46
OTHER_ACTIONS_SECTION = ("annexe-actions", "Annexe D — Autres actions examinées", 1)

SECTIONS = (
    ("synthese", "Synthèse", 1),
    ("portrait", "Portrait du territoire", 1),
    ("enjeux", "Enjeux", 1),
    ("gouvernance", "Gouvernance et partenariats", 1),
    ("hierarchisation", "Hiérarchisation des actions", 1),
    ("feuille-de-route", "Feuille de route", 1),
    ("fiches", "Fiches action", 1),
    ("vigilance", "Points de vigilance", 1),
    ("experiences", "Expériences transférables", 1),
    ("annexe-methode", "Annexe A — Méthode", 1),
    ("annexe-qualite", "Annexe B — Qualité des données", 1),
    ("annexe-sources", "Annexe C — Sources", 1),
)


#: How many actions the report details (tables, charts, fiches) unless the configuration says otherwise
#: (`[rapport] actions_detaillees`); the others get one line each in an annex.
DETAILED_ACTIONS = 40


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
    actions = tuple(_action_row(action_record(a, rounded=False)) for a in diag.actions)
    ec = charts.enjeux_chart(diag.enjeux, theme)
    mc = charts.matrix_chart(diag.actions, theme)
    chunks: list[list[ActionScore]] = []
    rows = GANTT_ROWS_PER_PAGE
    for a in (a for a in diag.actions if a.phases):  # one chart per page, never cut inside an action
        if rows + charts.gantt_rows(a) > GANTT_ROWS_PER_PAGE:
            chunks.append([])
            rows = 0
        chunks[-1].append(a)
        rows += charts.gantt_rows(a)
    gantts = tuple(
        (chart_img(g), g.alt)
        for g in (
            charts.gantt_chart(
                chunk, periode, theme, chart_id=f"chart-gantt-{k}", jalons=diag.jalons, today=diag.generated
            )
            for k, chunk in enumerate(chunks)
        )
    )
    groups = []
    numero = 0
    numbers = [0] * len(diag.vigilance)  # the chapter's number of each point, for the fiches' references
    for key, title, intro in VIGILANCE_LEVELS:
        items = []
        for k, v in enumerate(diag.vigilance):
            if v.niveau == key:
                numero += 1
                numbers[k] = numero
                items.append(replace(_vigilance_item(v), numero=numero))
        groups.append(VigilanceGroup(key, title, intro, tuple(items)))
    top_vig = tuple(_vigilance_item(v) for v in diag.vigilance if v.niveau == "bloquant")
    top_vig = (top_vig + tuple(_vigilance_item(v) for v in diag.vigilance if v.niveau == "attention"))[:4]
    g = diag.governance
    key_figures = (
        KeyFigure(
            fmt.number(len(t.quartiers), 0),
            fmt.agree(len(t.quartiers), "quartier prioritaire", "quartiers prioritaires"),
        ),
        KeyFigure(fmt.number(len(all_actions), 0), "actions examinées"),
        KeyFigure(fmt.number(sum(1 for a in all_actions if a.priorite == 1), 0), "actions de priorité 1"),
        KeyFigure(fmt.number(sum(1 for v in diag.vigilance if v.niveau == "bloquant"), 0), "points bloquants"),
        KeyFigure(fmt.score(g.maturite) + (" / 100" if g.maturite is not None else ""), "maturité de la gouvernance"),
    )
    keys_by_action = {a.key: f"{a.rang}. {_title(a)}" for a in diag.actions}
    experiences = tuple(
        ExperienceView(
            titre=fmt.text(m.experience.titre),
            lieu=fmt.text(m.experience.lieu),
            annee=fmt.text(m.experience.annee) or fmt.DASH,
            resume=fmt.text(m.experience.resume),
            pour=tuple(keys_by_action.get(k, k) for k in m.actions),
            reasons=tuple(wording.experience_reason(r) for r in m.reasons),
            sources=tuple(m.experience.sources),
            partenaires=_join(m.experience.partenaires),
            pertinence=fmt.share(m.score / 100),  # the engine's 0–100 score
            resultats=tuple((fmt.text(t), src) for t, src in m.experience.resultats),
        )
        for m in diag.experiences
    )
    similaires = tuple(
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
    quality = tuple(
        IssueRow("Erreur" if i.level == "erreur" else "Avertissement", i.location or fmt.DASH, _issue_text(i))
        for i in diag.qualite.issues
    )
    n_ill = sum(1 for s in diag.indicateurs if s.indicateur.illustratif)
    author = fmt.text(t.structure) or "pilier-eco"
    meta = Meta(
        title=f"Emploi et développement économique — {nom_court}",
        author=author,
        keywords=", ".join(
            ["contrat de ville", "QPV", "développement économique", "feuille de route", nom_court]
            + [e.libelle for e in diag.enjeux[:3]]
        ),
        description=f"Diagnostic et feuille de route « emploi et développement économique » du contrat de ville {periode[0]}–{periode[1]}, {nom_court}.",
        generated=fmt.long_date(generated_on),
        territory=nom_court,
    )
    indicator_rows, indicator_sources = _indicator_rows(diag.indicateurs, diag.definitions)
    return ReportView(
        meta=meta,
        theme=theme,
        cover=_cover(diag, theme),
        key_figures=key_figures,
        top_enjeux=tuple(b for b, e in zip(enjeux, diag.enjeux, strict=False) if _marked(e))[:3],
        top_actions=actions[:5],
        top_vigilance=top_vig,
        synthese_text=_synthese_text(diag),
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
        lignes_lues=fmt.number(diag.qualite.lignes_lues, 0),
        lignes_utilisees=fmt.number(diag.qualite.lignes_utilisees, 0),
        sources=_sources(diag),
        footer=fmt.text(theme.footer)[:200] or f"{nom_court} — emploi et développement économique",
        sections=SECTIONS + ((OTHER_ACTIONS_SECTION,) if hidden else ()),
        atelier=atelier_view(diag),
        other_actions=tuple(_action_row(action_record(a)) for a in all_actions[detailed:]),
        hidden_vigilance=len(diag_vigilance_all) - len(diag.vigilance) if hidden else 0,
        par_quartier=_per_quartier(diag),
        narrative=_narrative(diag),
        par_quartier_source=diag.par_quartier[0].source if diag.par_quartier else "",
        donnees=data_mention(diag),
    )

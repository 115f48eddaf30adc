"""The observatory as words and maps: one view for the PDF (`observatoire.html`) and the web page.

    view = build_observatory_view(obs, cands, contours)   # values in (suivi/observatory.py), French out
    render_observatory_pdf(view, "observatoire.pdf")

Contours arrive as a value (`catalog.contours.Contours`, projected once by the door that loaded them): this
layer only draws them. Everything a reader sees is composed here, once, for both doors.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..io.output import atomic_write, atomic_write_text
from ..typography import french_html
from . import formatting as fmt
from .maps import STATES, MapPoint, RegionalChart, regional_map
from .theme import DEFAULT_THEME, Theme

if TYPE_CHECKING:
    from ..catalog.contours import Contours
    from ..suivi.candidates import Candidate
    from ..suivi.observatory import EnjeuRank, Observatory, TerritoryState

#: What each readiness criterion asks, for the reader (codes of suivi/observatory.READINESS).
CRITERIA = {
    "point-de-depart": "au moins deux instantanés, un point de départ et une situation plus récente",
    "situation-recente": "une situation décrite l'année qui précède l'évaluation ou après",
    "statuts": "un statut de suivi pour chaque action du plan",
    "cibles": "au moins un indicateur avec sa cible 2030",
}
MISSING = {
    "point-de-depart": "un seul instantané",
    "situation-recente": "situation trop ancienne",
    "statuts": "statuts à renseigner",
    "cibles": "aucune cible 2030",
}
#: The missing criteria a state's label already says (STATES): the « État » cell does not say them twice.
SAID_BY_STATE = {"depart": ("point-de-depart",)}
#: Beyond this many territories, the map has no labels and the action types list at most this many names.
NAMES_SHOWN = 6


@dataclass(frozen=True)
class TerritoryRow:
    nom: str
    departement: str
    epci: str
    quartiers: str
    situation: str
    instantanes: int
    avancement: str  # « 2 réalisées, 5 démarrées sur 14 »
    retard: int
    prevu: str
    engage: str
    realise: str
    pret: bool
    manque: str
    state: str
    state_label: str
    enjeux: tuple[str, ...]  # per column of ObservatoryView.enjeux: « 1 (72) », « à objectiver » or « — »


@dataclass(frozen=True)
class ActionTypeRow:
    intitule: str
    champ: str
    n: int
    ou: str
    realisees: int
    retard: int


@dataclass(frozen=True)
class CandidateRow:
    code: str
    territoire: str
    annee: int
    action: str
    resultat: str
    note: str
    preuve: str
    etat: str
    validated: bool
    valider: str  # the command that validates it
    a_revalider: str = ""  # « résultat plus récent dans le suivi, 210 en 2027 — à revalider »

    @property
    def code_html(self) -> Markup:
        """The code as shown: it may wrap after an underscore, never inside a word (`<wbr>`: nothing is added
        to the text copied from the page or the PDF, so the code still works in `observatoire valider`)."""
        return Markup("_<wbr>").join(escape(part) for part in self.code.split("_"))


@dataclass(frozen=True)
class MapKey:
    """The regional map's key as the web page gives it in HTML under the map: on a 390 px phone the SVG's own
    key is ≈ 6 px high. The PDF keeps the SVG's key."""

    states: tuple[tuple[str, str, int], ...]  # (code, label, territories on the map)
    numbers: tuple[tuple[int, str], ...]  # (number on the map, territory) when markers are numbered
    partial: bool = False  # some territories are not on the map: the counts say « sur la carte »

    def state_text(self, label: str, n: int) -> str:
        return f"{label} : {n} sur la carte" if self.partial else f"{label} : {n}"


def map_key(chart: RegionalChart, territories: int | None = None) -> MapKey:
    """The key of a `maps.regional_map`: its states with their counts and its numbered territories; with
    `territories` (how many the view shows), counts fewer than that are said « sur la carte »."""
    counts = dict(chart.counts)
    return MapKey(
        tuple((k, label, counts.get(k, 0)) for k, (label, _, _) in STATES.items()),
        chart.numbers,
        territories is not None and sum(counts.values()) < territories,
    )


@dataclass(frozen=True)
class ObservatoryView:
    title: str
    generated: str
    base: str
    filtre: str
    theme: Theme
    total: int
    shown: int
    snapshots: int
    states: tuple[tuple[str, str, int], ...]  # (code, label, count)
    ready: int
    mid_year: int
    map_svg: str | None
    map_alt: str
    map_data_uri: str | None
    territories: tuple[TerritoryRow, ...]
    enjeux: tuple[tuple[str, str], ...]  # (code, label) columns
    action_types: tuple[ActionTypeRow, ...]
    prerequisites: tuple[tuple[str, int, int], ...]
    criteria: tuple[str, ...]
    candidates: tuple[CandidateRow, ...]
    departements: tuple[str, ...]
    epcis: tuple[str, ...]
    departement: str | None
    epci: str | None
    contours_source: str
    aucun: str = ""  # why no territory is shown (filter without match, empty base), in place of the sections
    ready_names: str = ""  # the territories ready for the mid-term evaluation, named
    missing_counts: tuple[tuple[str, int], ...] = ()  # (what is missing, territories concerned)
    page: int = 1  # the web page shows the territories' tables by pages of `per_page` rows
    pages: int = 1
    first_row: int = 1
    epci_selected: str | None = None  # the EPCI of the base the filter designates (« Grand Orb »: its official name)
    map_key: MapKey | None = None  # the map's key as text, for the web page (the SVG's is too small on a phone)

    @property
    def filtre_query(self) -> str:
        """The filters as the rest of a query string (`&departement=11`), for the page links."""
        from urllib.parse import urlencode

        q = urlencode({k: v for k, v in (("departement", self.departement), ("epci", self.epci)) if v})
        return f"&{q}" if q else ""

    @property
    def map_inline(self) -> Markup:
        """The map as inline `<svg>` (web page): generated by ElementTree, every text escaped."""
        return Markup(self.map_svg or "")

    @property
    def data_uris(self) -> tuple[str, ...]:
        return tuple(u for u in (self.map_data_uri, self.theme.logo_data_uri) if u)


def short(nom: str) -> str:
    """« Carcassonne » for « Carcassonne – 5 quartiers prioritaires »: lists and map labels."""
    return nom.split(" – ")[0].strip() or nom


def no_territory(obs: Observatory) -> str:
    """Why `obs` shows no territory, and what the base holds instead: for the command and the page alike."""
    if not obs.total:
        return (
            "Aucun territoire dans la base de suivi : enregistrez d'abord un instantané (page Suivi, ou pilier-eco "
            "suivi enregistrer)."
        )
    if obs.epci_ambigu:
        return (
            f"Le nom d'EPCI « {obs.epci} » est ambigu : il désigne {len(obs.epci_ambigu)} EPCI de la base, "
            f"{', '.join(obs.epci_ambigu)}. Précisez lequel."
        )
    filtre = " ; ".join(
        x
        for x in (f"département {obs.departement}" if obs.departement else "", f"EPCI {obs.epci}" if obs.epci else "")
        if x
    )
    return (
        f"Aucun territoire ne correspond au filtre ({filtre})."
        + (f" Départements présents : {', '.join(obs.departements)}." if obs.departement else "")
        + (f" EPCI présents : {', '.join(obs.epcis)}." if obs.epci else "")
    )


def _names(names, n: int = NAMES_SHOWN) -> str:
    names = list(names)
    shown = ", ".join(names[:n])
    more = len(names) - n
    return shown + (f" et {more} {fmt.agree(more, 'autre')}" if more > 0 else "")


def _row(t: TerritoryState, enjeux: tuple[tuple[str, str], ...]) -> TerritoryRow:
    ranks = {e.code: e for e in t.enjeux}
    n = t.count("prevues")
    label = STATES[t.state][0]
    return TerritoryRow(
        nom=t.nom,
        departement=t.departement or fmt.DASH,
        epci=t.epci or "EPCI non renseigné",
        quartiers=", ".join(c for c, _ in t.quartiers) or "aucun code de quartier",
        situation=t.date_situation.strftime("%d/%m/%Y"),
        instantanes=t.snapshots,
        avancement=(
            f"{fmt.plural(t.count('realisees'), 'réalisée')}, {fmt.plural(t.count('demarrees'), 'démarrée')} sur {n}"
        ),
        retard=t.count("en_retard"),
        prevu=fmt.euros(t.budget("prevu")),
        engage=fmt.euros(t.budget("engage")),
        realise=fmt.euros(t.budget("realise")),
        pret=t.ready,
        # what the state's label does not already say (« un seul instantané (point de départ) » is the label)
        manque="prêt"
        if t.ready
        else ", ".join(MISSING[m] for m in t.missing if m not in SAID_BY_STATE.get(t.state, ())),
        state=t.state,
        state_label=label,
        enjeux=tuple(_enjeu_cell(ranks.get(c)) for c, _ in enjeux),
    )


#: An enjeu the territory's report shows without a figure (no scored indicator informs it).
A_OBJECTIVER = "à objectiver"


def _enjeu_cell(e: EnjeuRank | None) -> str:
    """« 1 (72) » as the territory's report ranks and scores it; « à objectiver » without a figure, as its
    report says; « — » when the territory has no such enjeu."""
    if e is None:
        return fmt.DASH
    if e.score is None:
        return A_OBJECTIVER
    return f"{e.rang} ({fmt.score(e.score)})"


def _candidate_row(c: Candidate, base: str) -> CandidateRow:
    etat = "en attente de validation" if c.validation is None else c.validation.text(motif=True)
    return CandidateRow(
        code=c.code,
        territoire=c.territoire,
        annee=c.annee,
        action=c.intitule,
        resultat=f"{c.indicateur_resultat} : {fmt.number(c.valeur_resultat, 0 if c.valeur_resultat.is_integer() else 1)}",
        note=c.note or "note de l'année non renseignée",
        preuve=c.preuve or "aucune preuve indiquée",
        etat=etat,
        validated=c.validated,
        valider=f'pilier-eco observatoire valider {c.code} --par "Nom, structure" --base {base}',
        a_revalider=c.a_revalider,
    )


def _map(obs: Observatory, contours: Contours | None, theme: Theme):
    if contours is None:
        return None, []
    points: list[MapPoint] = []
    unplaced: list[str] = []
    overseas: list[str] = []
    for t in obs.territories:
        every = contours.for_quartiers(c for c, _ in t.quartiers)
        shapes = [s for s in every if s.mainland]
        if not shapes:
            (overseas if every else unplaced).append(t.nom)
            continue
        cs = [s.centre for s in shapes]
        x, y = sum(x for x, _ in cs) / len(cs), sum(y for _, y in cs) / len(cs)
        points.append(MapPoint(short(t.nom), x, y, t.state, t.nom))
    points = _distinct_labels(points, {t.nom: t.quartiers for t in obs.territories})
    context = [s.centre for s in contours.shapes if s.mainland]
    chart = regional_map(points, context, contours.source, unplaced, theme, overseas=overseas)
    return chart, unplaced


def _distinct_labels(points: list[MapPoint], quartiers: dict[str, tuple[tuple[str, str], ...]]) -> list[MapPoint]:
    """Each territory's map label names it among the others: the commune (« Sète ») when it is the only
    territory of that name, else the part of its name after « – » (« Mosson » for « Montpellier – Mosson »), else
    its first quartier — never « 2. Montpellier ; 3. Montpellier »."""
    from collections import Counter

    n = Counter(p.label for p in points)
    out = []
    for p in points:
        label = p.label
        if n[label] > 1:
            rest = p.name.split(" – ", 1)[1].strip() if " – " in p.name else ""
            first = next((nom for _, nom in quartiers.get(p.name, ()) if nom), "")
            label = rest or first or p.name
        out.append(replace(p, label=label))
    return out


def build_observatory_view(
    obs: Observatory,
    candidates: tuple[Candidate, ...] = (),
    contours: Contours | None = None,
    theme: Theme | None = None,
    generated: date | None = None,
    page: int | None = None,
    per_page: int = 100,
) -> ObservatoryView:
    """The view of `obs`; with `page`, the territories' tables hold that page only (the web page: a first view
    of 1,600 territories stays quick), the summary, map and other sections always cover every territory."""
    theme = theme or DEFAULT_THEME
    pages = max(1, -(-len(obs.territories) // per_page))
    page = min(max(1, page), pages) if page is not None else None
    shown_rows = obs.territories if page is None else obs.territories[(page - 1) * per_page : page * per_page]
    enjeux = obs.enjeu_codes
    chart, _ = _map(obs, contours, theme)
    counts = obs.count_states()
    mid = obs.territories[0].mid_year if obs.territories else 2027
    filtre = " ; ".join(
        x
        for x in (f"département {obs.departement}" if obs.departement else "", f"EPCI {obs.epci}" if obs.epci else "")
        if x
    )
    names = {t.nom for t in obs.territories}
    from ..suivi.observatory import epcis_designated

    designated = epcis_designated(obs.epci, obs.epcis) if obs.epci and not obs.epci_ambigu else ()
    shown_candidates = tuple(_candidate_row(c, obs.base) for c in candidates if c.territoire in names)
    return ObservatoryView(
        title="Observatoire des contrats de ville — emploi et développement économique",
        generated=fmt.long_date(generated or date.today()),
        base=obs.base,
        filtre=filtre,
        theme=theme,
        total=obs.total,
        shown=len(obs.territories),
        snapshots=obs.snapshots,
        states=tuple((k, label, counts.get(k, 0)) for k, (label, _, _) in STATES.items()),
        ready=counts.get("prete", 0),
        mid_year=mid,
        map_svg=chart.svg if chart else None,
        map_alt=chart.alt if chart else "",
        map_data_uri=chart.data_uri if chart else None,
        territories=tuple(_row(t, enjeux) for t in shown_rows),
        enjeux=enjeux,
        action_types=tuple(
            ActionTypeRow(
                a.intitule, a.champ, len(a.territoires), _names(map(short, a.territoires)), a.realisees, a.en_retard
            )
            for a in obs.action_types
        ),
        prerequisites=obs.prerequisites[:15],
        criteria=tuple(CRITERIA.values()),
        candidates=shown_candidates,
        departements=obs.departements,
        epcis=obs.epcis,
        departement=obs.departement,
        epci=obs.epci,
        contours_source=contours.source if contours else "",
        aucun="" if obs.territories else no_territory(obs),
        ready_names=_names((short(t.nom) for t in obs.territories if t.ready), 40),
        missing_counts=tuple(
            (MISSING[code], n) for code in MISSING if (n := sum(code in t.missing for t in obs.territories))
        ),
        page=page or 1,
        pages=1 if page is None else pages,
        first_row=1 if page is None else (page - 1) * per_page + 1,
        epci_selected=designated[0] if len(designated) == 1 else None,
        map_key=map_key(chart, len(obs.territories)) if chart else None,
    )


def render_observatory_html(view: ObservatoryView, path: str | Path | None = None) -> str:
    from .render import environment

    env = environment()
    css = Markup(
        env.get_template("report.css").render(theme=view.theme, projet=False)
        + "\n"
        + env.get_template("observatoire.css").render(theme=view.theme)
    )
    html = french_html(env.get_template("observatoire.html").render(v=view, css=css, fmt=fmt, web=False))
    if path is not None:
        atomic_write_text(path, html)
    return html


def observatory_body(view: ObservatoryView) -> Markup:
    """The observatory's sections for the web page (the same template as the PDF's body, map inline)."""
    from .render import environment

    return Markup(environment().get_template("observatoire_corps.html").render(v=view, fmt=fmt, web=True))


def render_observatory_pdf(view: ObservatoryView, path: str | Path) -> Path:
    from .pdf import html_to_pdf

    html = render_observatory_html(view)
    return atomic_write(path, lambda tmp: html_to_pdf(html, tmp, view.data_uris))

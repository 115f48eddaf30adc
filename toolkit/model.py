"""Domain model of a filled territory workbook.

Plain frozen dataclasses: the validator builds them, everything downstream only reads them. Each record
keeps the `Cell` it was read from so that scores, vigilance points and the data-quality annex can cite
`Feuille!B7` in the file the user actually sent (not in the template).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .layout import ACTOR_TYPES, CHAMPS, PREREQUIS, PREREQUIS_STATUSES, REPONSES, SENS_VALUES, TYPOLOGIES
from .problems import Cell, Level, Problem, errors, informations, warnings

#: The validator's name for a problem; the same type as io and workshop use (`toolkit.problems`).
Issue = Problem

Sens = Literal["hausse = dégradation", "hausse = amélioration"]
Reponse = Literal["Oui", "Partiel", "Non", "Ne sait pas"]
PrerequisStatus = Literal["Fait", "En cours", "À faire", "Sans objet"]

__all__ = [
    "ACTOR_TYPES", "CHAMPS", "PREREQUIS", "PREREQUIS_STATUSES", "REPONSES", "SENS_VALUES", "TYPOLOGIES", "Acteur",
    "Action", "Cell", "CheckReport", "Echeance", "EnjeuLocal", "Indicateur", "Issue", "Level", "Quartier",
    "ReponseGouvernance", "Territoire", "Vote", "Workbook",
]  # fmt: skip


@dataclass(frozen=True)
class Quartier:
    code: str
    nom: str


@dataclass(frozen=True)
class Territoire:
    version: str
    nom: str
    communes: tuple[str, ...]
    typologie: str
    date_diagnostic: date
    epci: str | None = None
    departement: str | None = None
    quartiers: tuple[Quartier, ...] = ()
    population_quartiers: int | None = None
    #: the year of that population when the tool knows it: the packaged INSEE data's (2015) when the workbook kept
    #: the figure the pre-fill wrote; None for a figure the user typed (the workbook has no year for it)
    population_annee: int | None = None
    periode: tuple[int, int] | None = None  # contract period, years inclusive (2024, 2030)
    structure: str | None = None
    cell: Cell | None = None  # the `Nom du territoire` value cell
    #: the value cell of each field read, keyed by field key (`quartiers`, `population`, `departement`…)
    cells: dict[str, Cell] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    enjeu: str | None  # enjeu code, or None for a context indicator
    sens: Sens
    unite: str  # "%", "‰", "€", "nb"
    valeur_quartier: float | None
    valeur_reference: float | None
    territoire_reference: str | None = None
    annee: int | None = None
    source: str | None = None
    commentaire: str | None = None
    cell: Cell | None = None  # the `Code` cell of the row
    value_cell: Cell | None = None  # the `Valeur quartier` cell
    cible_annee: int | None = None  # follow-up target (cible 2030): year and value for the quartier
    cible_valeur: float | None = None
    #: the optional comparison columns, as (scale, value): scale in COMPARISON_SCALES
    comparaisons: tuple[tuple[str, float], ...] = ()
    #: the perimeter of `Valeur ensemble des QPV` when the tool knows it: « QPV d'Occitanie » when the value is
    #: the one it pre-filled from its packaged data (the workbook's own value: said in its comment, by contract)
    perimetre_qpv: str | None = None
    #: where each value was read, keyed by column key of `layout.INDICATEURS` (`reference`, `ref_qpv`, `annee`…),
    #: so that an implausible figure is cited at its own cell
    cells: dict[str, Cell] = field(default_factory=dict, compare=False, hash=False)

    @property
    def illustratif(self) -> bool:
        return (self.source or "").strip().lower().startswith("illustratif")

    def comparaison(self, scale: str) -> float | None:
        """The value of a comparison scale: its column, else `Valeur référence` when its territory is that scale."""
        found = dict(self.comparaisons).get(scale)
        if found is None and self.valeur_reference is not None and reference_scale(self.territoire_reference) == scale:
            return self.valeur_reference
        return found


#: Scales an indicator can be compared at, from the nearest to the widest (`Indicateurs` optional columns).
COMPARISON_SCALES = ("commune", "epci", "qpv", "france")


def reference_scale(territoire: str | None) -> str | None:
    """The scale the free text of `Territoire de référence` names, or None when it says none clearly.

    « Unités urbaines englobantes (France) » (the ONPV's national figure for the other neighbourhoods of
    the unités urbaines that hold QPV) is a national benchmark, not this quartier's surroundings: `france`.
    """
    import unicodedata

    text = unicodedata.normalize("NFKD", (territoire or "").lower()).encode("ascii", "ignore").decode()
    if not text.strip():
        return None
    if "qpv" in text or "quartiers prioritaires" in text:
        return "qpv"
    if "france" in text or "national" in text or "metropol" in text:
        return "france"
    if (
        "unite urbaine" in text
        or "unites urbaines" in text
        or "epci" in text
        or "agglom" in text
        or "communaute" in text
    ):
        return "epci"
    if "commune" in text or "ville" in text:
        return "commune"
    return None


@dataclass(frozen=True)
class EnjeuLocal:
    """A row of the `Enjeux` sheet: how the local team sees one enjeu."""

    enjeu: str  # enjeu code
    importance: int | None  # 1-5
    atouts: str | None = None
    faiblesses: str | None = None
    commentaire: str | None = None
    cell: Cell | None = None


@dataclass(frozen=True)
class Acteur:
    structure: str
    type: str  # one of ACTOR_TYPES
    role: str | None = None
    implication: int | None = None  # 0-3
    signataire: bool | None = None
    cell: Cell | None = None


@dataclass(frozen=True)
class ReponseGouvernance:
    code: str
    question: str
    reponse: Reponse | None
    commentaire: str | None = None
    cell: Cell | None = None


@dataclass(frozen=True)
class Echeance:
    """A wished deadline, as precise as the user gave it; `date` is the last day it denotes."""

    date: date
    text: str  # as typed, e.g. "2026-S2"


@dataclass(frozen=True)
class Action:
    code: str  # catalogue code, or "LIBRE"
    intitule: str
    champ: str
    enjeux: tuple[str, ...]
    impact: int | None = None  # 1-5
    faisabilite: int | None = None  # 1-5
    cout: float | None = None  # euros
    pilote: str | None = None
    partenaires: tuple[str, ...] = ()
    prerequis: dict[str, PrerequisStatus] = field(default_factory=dict)  # keyed by the labels of PREREQUIS
    echeance: Echeance | None = None
    commentaire: str | None = None
    cell: Cell | None = None  # the `Code` cell of the row
    #: where each field was read, keyed by column key of `layout.ACTIONS` (`pilote`, `prerequis_etude`…), so
    #: that messages cite `Actions!J7` even when the user reordered the columns
    cells: dict[str, Cell] = field(default_factory=dict, compare=False)
    # feuille de route, optional: the 2030 target (result indicator and value) and the main funding
    cible_indicateur: str | None = None
    cible_valeur: float | None = None
    financeur: str | None = None
    nature_financement: str | None = None  # one of layout.NATURES_FINANCEMENT
    # follow-up (Suivi 2024–2030), all optional; « en retard » is computed by the review, never read
    statut: str | None = None  # one of layout.STATUTS_ACTION
    date_demarrage: date | None = None
    budget_engage: float | None = None
    budget_realise: float | None = None
    indicateur_resultat: str | None = None
    valeur_resultat: float | None = None
    note: str | None = None  # the note of the year (column « Note de l'année »)
    preuve: str | None = None

    def __hash__(self) -> int:  # dict fields: hash on identity of the row
        return hash((self.code, self.intitule, self.cell))

    @property
    def key(self) -> str:
        """A unique key within a workbook: the code, or `LIBRE@Actions!A12` for local actions."""
        if self.code == "LIBRE":
            return f"LIBRE@{self.cell}" if self.cell else f"LIBRE:{self.intitule}"
        return self.code


@dataclass(frozen=True)
class Vote:
    participant: str
    structure: str | None
    objet: str  # enjeu code or action code
    note: int  # 1-5
    cell: Cell | None = None


@dataclass(frozen=True)
class Workbook:
    """A validated territory workbook. Optional sheets that were absent are listed in `missing_sheets`."""

    source: str  # file name as given
    territoire: Territoire
    indicateurs: tuple[Indicateur, ...]
    actions: tuple[Action, ...]
    enjeux: tuple[EnjeuLocal, ...] = ()
    acteurs: tuple[Acteur, ...] = ()
    gouvernance: tuple[ReponseGouvernance, ...] = ()
    votes: tuple[Vote, ...] = ()
    missing_sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """Result of reading + validating one file: every issue found in one pass, and the model if usable."""

    path: str
    issues: tuple[Issue, ...]
    workbook: Workbook | None
    rows_read: int = 0
    rows_used: int = 0
    readable: bool = True  # False when the file could not be opened as a spreadsheet at all
    rows_comment: int = 0  # rows starting with `#` (template examples, notes): ignored on purpose

    @property
    def errors(self) -> tuple[Issue, ...]:
        return errors(self.issues)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return warnings(self.issues)

    @property
    def informations(self) -> tuple[Issue, ...]:
        """Findings on rows the tool pre-filled: nothing to correct, never counted as warnings."""
        return informations(self.issues)

    @property
    def ok(self) -> bool:
        return self.readable and not self.errors and self.workbook is not None

    @property
    def exit_code(self) -> int:
        if not self.readable:
            return 2
        return 0 if self.ok else 1

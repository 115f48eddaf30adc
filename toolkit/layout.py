"""The territory workbook, described once: sheets, columns, headers and their aliases, lists, help, examples.

Contract v1 (see `docs/classeur.md`) is written here and nowhere else. Everything derives from it:
the template writer (`io/template.py`), the validator's columns (`validate/*`), the cells that vigilance
points cite (`plan/vigilance.py`), the pre-fill (`prefill.py`) and the workshop sheets (`workshop/*`).
Pure data (frozen dataclasses, no I/O, no catalogue): lists that come from a catalogue (enjeu, indicator
and action codes) are named here and filled by the template writer from the catalogue it is given.

Column keys (`impact`, `prerequis_etude`…) are what code uses; headers (`Impact attendu (1-5)`) are what
users read and type. Matching a header in a filled file ignores case, accents, spaces and a parenthesised
scale or unit, and accepts the `aliases`.

Adding an optional column (e.g. `Statut` on `Actions`, `Cible 2030` on `Indicateurs`):

1. add a `Column` to the sheet's `columns` below, where it should appear in the template (its letter in
   the template follows), with `report_missing=False` so that a v1 workbook without it raises no
   message, a `help` text, a `width`, and `liste=` (a key of `LISTS`) or `number=` when the cell takes a
   list or a number; give `examples` a value for it if the grey example rows should show one;
2. read it in the sheet's validator (`validate/actions.py`: `row.text("statut")`, `row.choice("statut",
   STATUTS)`, `row.number(...)`) into a field of the model (`model.Action`), optional with a default;
3. nothing else: the template, its drop-down lists and help, the header matching, `Action.cells` (so
   vigilance can cite the cell) follow from the declaration; `tests/test_layout.py` then asks for a line on
   the column in `docs/classeur.md`. A new
   allowed-value list is a `ListDef` in `LISTS` plus its tuple of values here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

# ------------------------------------------------------------------------------ allowed values (contract v1)

TYPOLOGIES = (
    "Métropole",
    "Ville-centre d'agglomération",
    "Ville moyenne",
    "Petite ville",
    "Commune rurale",
)
ACTOR_TYPES = (
    "Commune",
    "EPCI",
    "Département",
    "Région",
    "État",
    "Réseau pour l'emploi",
    "Chambre consulaire",
    "Bailleur social",
    "Association",
    "Entreprise",
    "Financeur",
    "Autre",
)
#: Former labels of an actor type, still read from a workbook as today's type (with a notice,
#: `libelle-ancien`): loi n° 2023-1196 « pour le plein emploi » made the service public de l'emploi the
#: Réseau pour l'emploi (France Travail, missions locales, Cap emploi, collectivités…).
ACTOR_TYPE_ALIASES = {"Service public de l'emploi": "Réseau pour l'emploi"}
CHAMPS = (
    "Immobilier",
    "Commerce",
    "Animation",
    "Accompagnement des entreprises",
    "Emploi et insertion",
    "Mobilité",
    "Attractivité",
    "Gouvernance",
)
REPONSES = ("Oui", "Partiel", "Non", "Ne sait pas")
PREREQUIS_STATUSES = ("Fait", "En cours", "À faire", "Sans objet")
SENS_VALUES = ("hausse = dégradation", "hausse = amélioration")
OUI_NON = ("Oui", "Non")
#: The three prerequisites, in the column order of `Actions`; each is also the header of its column.
PREREQUIS = ("Diagnostic préalable", "Étude de faisabilité", "Mobilisation des partenaires")
PREREQUIS_KEYS = ("prerequis_diagnostic", "prerequis_etude", "prerequis_partenaires")
#: Follow-up status of an action (Suivi 2024–2030). « En retard » is computed by the review, never typed.
STATUTS_ACTION = ("à venir", "en cours", "réalisée", "en pause", "bloquée", "abandonnée")
#: Nature of an action's main funding: the contrat de ville's own credits, or a signatory's ordinary budget.
NATURES_FINANCEMENT = ("Crédits spécifiques", "Droit commun")
#: Code of a local action (not in the catalogue).
LIBRE = "LIBRE"
CONTRACT_VERSION = 1


@dataclass(frozen=True)
class ListDef:
    """A drop-down list, one column of the hidden `Listes` sheet. `values` is None for a list the template
    writer takes from the catalogue (`catalogue` names which)."""

    key: str
    title: str
    values: tuple[object, ...] | None = None
    catalogue: Literal["enjeux", "indicateurs", "actions", "objets"] | None = None


#: Order = columns of the `Listes` sheet (the template's validations point at them by absolute range).
LISTS: tuple[ListDef, ...] = (
    ListDef("typologie", "Typologie", TYPOLOGIES),
    ListDef("sens", "Sens", SENS_VALUES),
    ListDef("enjeu", "Enjeu", catalogue="enjeux"),
    ListDef("acteur", "Type d'acteur", ACTOR_TYPES),
    ListDef("reponse", "Réponse", REPONSES),
    ListDef("champ", "Champ", CHAMPS),
    ListDef("prerequis", "Statut de prérequis", PREREQUIS_STATUSES),
    ListDef("oui_non", "Signataire", OUI_NON),
    ListDef("note_1_5", "Note 1-5", (1, 2, 3, 4, 5)),
    ListDef("note_0_3", "Implication 0-3", (0, 1, 2, 3)),
    ListDef("indicateur", "Code indicateur", catalogue="indicateurs"),
    ListDef("action", "Code action", catalogue="actions"),
    ListDef("objet", "Objet de vote", catalogue="objets"),
    ListDef("statut_action", "Statut d'action", STATUTS_ACTION),
    ListDef("nature_financement", "Natures de crédits", NATURES_FINANCEMENT),
)

# ------------------------------------------------------------------------------ columns and sheets


@dataclass(frozen=True)
class Number:
    """What a numeric cell accepts (a validation of the template; the validator checks the same scale)."""

    kind: Literal["whole", "decimal"]
    low: float
    high: float


@dataclass(frozen=True)
class Column:
    key: str  # what code uses
    header: str  # as written in the contract and the template
    help: str = ""  # input help shown on the header
    width: float = 14
    aliases: tuple[str, ...] = ()  # other headers accepted when reading
    required: bool = False  # the column must exist in a filled sheet (its cells may still be optional)
    report_missing: bool = True  # False: its absence changes no analysis, so it is not reported
    liste: str | None = None  # key of LISTS for a drop-down
    strict: bool = True  # False: values outside the list are accepted after a notice
    number: Number | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str  # first row of the template sheet
    instruction: str  # second row
    columns: tuple[Column, ...]
    required: bool = False
    absent: str = ""  # for an optional sheet: what the report loses without it
    examples: tuple[dict[str, object], ...] = ()  # grey `#` rows of the template, by column key

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header(self, key: str) -> str:
        return self.column(key).header

    def index(self, key: str) -> int:
        """1-based column number of `key` in the template."""
        return next(i for i, c in enumerate(self.columns, start=1) if c.key == key)

    def letter(self, key: str) -> str:
        """Column letter of `key` in the template (and in a workbook that keeps the contract's order)."""
        n, letters = self.index(key), ""
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return letters


@dataclass(frozen=True)
class Field:
    """A row of the `Territoire` sheet (`Champ` | `Valeur`)."""

    key: str
    label: str
    required: bool = False
    help: str = ""
    aliases: tuple[str, ...] = ()
    liste: str | None = None
    number: Number | None = None
    date: bool = False


TEMPLATE_TITLE_ROW, TEMPLATE_INSTRUCTION_ROW, TEMPLATE_HEADER_ROW = 1, 2, 3

_PREREQ_HELP = "Fait, En cours, À faire ou Sans objet."
_COMMENT = Column("commentaire", "Commentaire", "Précisions libres.", 40, report_missing=False)
_NOTE_1_5 = Number("whole", 1, 5)
_NOTE = Column(
    "note",
    "Note (1-5)",
    "1 = pas prioritaire, 5 = tout à fait prioritaire.",
    10,
    aliases=("Note",),
    required=True,
    liste="note_1_5",
)
_PARTICIPANT = Column("participant", "Participant", "Pseudonyme du participant (P01, P02…).", 14)
_STRUCTURE = Column("structure", "Structure", "Organisme du participant (facultatif).", 30)
_OBJET = Column("objet", "Objet", "Code d'enjeu ou code d'action noté.", 26, required=True, liste="objet", strict=False)

TERRITOIRE_FIELDS: tuple[Field, ...] = (
    Field("version", "Version", True, "Version du contrat de classeur : laissez 1.", ("Version du modèle",)),
    Field(
        "nom",
        "Nom du territoire",
        True,
        "Nom court du territoire diagnostiqué (ex. commune et quartiers).",
        ("Territoire", "Nom"),
    ),
    Field(
        "communes",
        "Communes",
        True,
        "Codes INSEE à 5 caractères, séparés par « ; » (ex. 11069 ; 2A004).",
        ("Codes communes", "Code commune", "Communes (codes INSEE)"),
    ),
    Field("epci", "EPCI", False, "Nom de l'intercommunalité signataire du contrat de ville.", ("Intercommunalité",)),
    Field("departement", "Département", False, "Code du département (11, 2A, 971)."),
    Field(
        "quartiers",
        "Quartiers prioritaires",
        False,
        "Éléments « code – nom » séparés par « ; » (codes QP… de 2015 ou QN… de 2024).",
        ("QPV", "Quartiers"),
    ),
    Field(
        "population",
        "Population des quartiers",
        False,
        "Nombre entier d'habitants des quartiers prioritaires.",
        ("Population",),
        number=Number("whole", 0, 10_000_000),
    ),
    Field("typologie", "Typologie", True, "Choisissez dans la liste le type de territoire.", liste="typologie"),
    Field("periode", "Période du contrat de ville", False, "Années de début et de fin, ex. 2024-2030.", ("Période",)),
    Field("date", "Date du diagnostic", True, "Date à laquelle le diagnostic est établi (jj/mm/aaaa).", date=True),
    Field(
        "structure", "Structure rédactrice", False, "Organisme qui rédige le diagnostic (jamais un nom de personne)."
    ),
)

TERRITOIRE = Sheet(
    "Territoire",
    "Territoire",
    "Une ligne par champ : complétez la colonne Valeur. Champs en gras obligatoires.",
    (
        Column(
            "champ",
            "Champ",
            "Nom du champ : ne le modifiez pas. Les champs en gras sont obligatoires.",
            30,
            required=True,
        ),
        Column(
            "valeur",
            "Valeur",
            "Saisissez la valeur du champ ; sélectionnez une cellule pour voir l'aide.",
            70,
            required=True,
        ),
    ),
    required=True,
)

#: Optional comparison columns of `Indicateurs` (key, header, help): the same indicator in the quartier's
#: commune, its EPCI or unité urbaine, all QPV, France. They let the score tell how far the quartier stands
#: out among QPV and from its surroundings (docs/methode.md § 1.1), not merely that it is a QPV.
COMPARISON_COLUMNS = (
    ("ref_commune", "Valeur commune", "Même indicateur pour la commune entière."),
    ("ref_epci", "Valeur EPCI ou unité urbaine", "Même indicateur pour l'intercommunalité ou l'unité urbaine."),
    (
        "ref_qpv",
        "Valeur ensemble des QPV",
        "Même indicateur pour l'ensemble des quartiers prioritaires (France, ou région : précisez-le en commentaire).",
    ),
    ("ref_france", "Valeur France", "Même indicateur pour la France entière (ou métropolitaine)."),
)
_SAME_SOURCE = " Même source et même année que la valeur du quartier ; vide si inconnue."

INDICATEURS = Sheet(
    "Indicateurs",
    "Indicateurs",
    "Une ligne par indicateur. Les lignes grises commençant par # sont des exemples ignorés.",
    (
        Column(
            "code",
            "Code",
            "Code du catalogue (liste) ou code libre commençant par PERSO_.",
            24,
            required=True,
            liste="indicateur",
            strict=False,
        ),
        Column(
            "libelle",
            "Libellé",
            "Facultatif pour un code du catalogue ; obligatoire pour un code PERSO_.",
            40,
            aliases=("Indicateur",),
        ),
        Column(
            "valeur",
            "Valeur quartier",
            "Valeur dans le quartier, dans l'unité du catalogue (12,5 pour 12,5 %).",
            14,
            aliases=("Valeur QPV", "Valeur du quartier"),
            required=True,
        ),
        Column(
            "reference",
            "Valeur référence",
            "Valeur d'un territoire de comparaison ; vide = indicateur affiché mais non noté.",
            14,
            aliases=("Valeur de référence", "Référence"),
        ),
        Column(
            "territoire_ref",
            "Territoire de référence",
            "Territoire de la valeur de référence (commune, unité urbaine, France…).",
            26,
        ),
        Column("annee", "Année", "Année de la donnée du quartier (ex. 2021).", 9, number=Number("whole", 1990, 2100)),
        Column(
            "source",
            "Source",
            "Producteur et millésime de la donnée. Écrivez « illustratif » pour un chiffre fictif.",
            36,
        ),
        Column("enjeu", "Enjeu", "Code de l'enjeu (liste). Facultatif pour un code du catalogue.", 18, liste="enjeu"),
        Column(
            "sens",
            "Sens",
            "« hausse = dégradation » ou « hausse = amélioration ». Facultatif pour le catalogue.",
            22,
            liste="sens",
        ),
        replace(_COMMENT, help="Précisions : calcul, périmètre, fiabilité.", width=50),
        # Suivi 2024–2030 (optional)
        Column(
            "cible_annee",
            "Année cible",
            "Suivi : année de l'objectif (ex. 2030).",
            10,
            aliases=("Année de la cible",),
            report_missing=False,
            number=Number("whole", 2024, 2100),
        ),
        Column(
            "cible_valeur",
            "Valeur cible",
            "Suivi : valeur visée pour le quartier à l'année cible (cible 2030).",
            12,
            aliases=("Cible", "Cible 2030"),
            report_missing=False,
        ),
        *(
            Column(key, header, help_ + _SAME_SOURCE, 13, report_missing=False)
            for key, header, help_ in COMPARISON_COLUMNS
        ),
    ),
    required=True,
    examples=(
        {
            "code": "# EMPLOI_15_64",
            "libelle": "Exemple (ligne ignorée)",
            "valeur": 43.5,
            "reference": 64.7,
            "territoire_ref": "Unités urbaines englobantes (France)",
            "annee": 2015,
            "source": "ONPV, rapport 2016",
            "commentaire": "Chiffres nationaux des QPV, pour montrer le format.",
        },
        {
            "code": "# PERSO_CELLULES_VIDES",
            "libelle": "Cellules commerciales vides de la place du marché",
            "valeur": 7,
            "annee": 2024,
            "source": "illustratif",
            "enjeu": "COMMERCE",
            "sens": SENS_VALUES[0],
            "commentaire": "Code libre : libellé, enjeu et sens obligatoires.",
        },
    ),
)

ENJEUX = Sheet(
    "Enjeux",
    "Enjeux",
    "Les dix enjeux du volet économique : notez leur importance perçue (1 à 5) et décrivez atouts et faiblesses.",
    (
        Column(
            "enjeu",
            "Enjeu",
            "Code de l'enjeu ; sélectionnez la cellule pour lire son intitulé.",
            22,
            required=True,
            liste="enjeu",
        ),
        Column(
            "importance",
            "Importance perçue (1-5)",
            "1 = secondaire, 5 = majeur pour le quartier, selon l'équipe locale.",
            14,
            aliases=("Importance",),
            liste="note_1_5",
        ),
        Column("atouts", "Atouts", "Points d'appui du quartier sur cet enjeu.", 45),
        Column("faiblesses", "Faiblesses", "Difficultés constatées sur cet enjeu.", 45),
        _COMMENT,
    ),
    absent="l'importance perçue des enjeux ne sera pas prise en compte",
)

ACTEURS = Sheet(
    "Acteurs",
    "Acteurs",
    "Une ligne par organisme partenaire. Noms d'organismes uniquement.",
    (
        Column(
            "structure",
            "Structure",
            "Nom de l'organisme (jamais de nom ni de coordonnées de personne).",
            36,
            aliases=("Acteur", "Organisme"),
            required=True,
        ),
        Column("type", "Type", "Type d'acteur (liste).", 26, aliases=("Type d'acteur",), liste="acteur"),
        Column("role", "Rôle", "Rôle dans le volet économique du contrat de ville.", 45),
        Column(
            "implication",
            "Implication (0-3)",
            "0 = absent, 1 = informé, 2 = associé, 3 = moteur.",
            12,
            aliases=("Implication",),
            liste="note_0_3",
        ),
        Column("signataire", "Signataire du contrat", "Oui ou Non.", 12, aliases=("Signataire",), liste="oui_non"),
    ),
    absent="l'analyse des partenaires et de leur implication sera absente",
    examples=(
        {
            "structure": "# Communauté d'agglomération",
            "type": "EPCI",
            "role": "Pilote du contrat de ville",
            "implication": 3,
            "signataire": "Oui",
        },
    ),
)

GOUVERNANCE = Sheet(
    "Gouvernance",
    "Gouvernance",
    "Répondez à chaque question (Oui, Partiel, Non, Ne sait pas) ; précisez en commentaire.",
    (
        Column("code", "Code", "Code de la question : ne le modifiez pas.", 10, required=True),
        Column("question", "Question", "Question du catalogue de gouvernance.", 70),
        Column("reponse", "Réponse", "Oui, Partiel, Non ou Ne sait pas (liste).", 14, required=True, liste="reponse"),
        replace(_COMMENT, help="Précisions : qui, depuis quand, quels moyens.", width=50),
    ),
    absent="l'analyse de la gouvernance sera absente",
)

ACTIONS = Sheet(
    "Actions",
    "Actions envisagées",
    "Une ligne par action : code du catalogue ou LIBRE. Les lignes # sont des exemples ignorés.",
    (
        Column(
            "code",
            "Code",
            "Code d'action du catalogue (liste), ou LIBRE pour une action locale.",
            26,
            required=True,
            liste="action",
            strict=False,
        ),
        Column(
            "intitule",
            "Intitulé",
            "Facultatif pour une action du catalogue ; obligatoire pour LIBRE.",
            40,
            aliases=("Action",),
        ),
        Column("champ", "Champ", "Champ d'action (liste) ; obligatoire pour LIBRE.", 22, liste="champ"),
        Column(
            "enjeux",
            "Enjeux visés",
            "Codes d'enjeux séparés par « ; » (ex. COMMERCE;ATTRACTIVITE) ; obligatoire pour LIBRE.",
            24,
            aliases=("Enjeux", "Enjeu visé"),
            liste="enjeu",
            strict=False,
        ),
        Column(
            "impact", "Impact attendu (1-5)", "1 = faible, 5 = très fort.", 11, aliases=("Impact",), liste="note_1_5"
        ),
        Column(
            "faisabilite",
            "Faisabilité (1-5)",
            "1 = très difficile, 5 = facile à mettre en œuvre.",
            11,
            liste="note_1_5",
        ),
        Column(
            "cout",
            "Coût estimé (€)",
            "Ordre de grandeur en euros (ex. 45000).",
            14,
            aliases=("Coût", "Coût estimé en euros"),
            number=Number("decimal", 0, 1e9),
            number_format="#,##0",
        ),
        Column("pilote", "Pilote pressenti", "Organisme qui pilotera l'action.", 24, aliases=("Pilote",)),
        Column("partenaires", "Partenaires", "Organismes partenaires, séparés par « ; ».", 30),
        *(
            Column(k, label, _PREREQ_HELP, 14, liste="prerequis")
            for k, label in zip(PREREQUIS_KEYS, PREREQUIS, strict=False)
        ),
        Column(
            "echeance",
            "Échéance souhaitée",
            "Une date, une année (2026) ou un semestre (2026-S2).",
            13,
            aliases=("Échéance",),
        ),
        _COMMENT,
        # Suivi 2024–2030 (optional; a v1 workbook without them stays valid)
        Column(
            "statut",
            "Statut (suivi)",
            "Suivi : à venir, en cours, réalisée, en pause, bloquée ou abandonnée (liste). "
            "« En retard » est calculé par pilier-eco, ne le saisissez pas.",
            14,
            report_missing=False,
            liste="statut_action",
        ),
        Column(
            "date_demarrage",
            "Date de démarrage réelle",
            "Suivi : date à laquelle l'action a réellement démarré.",
            14,
            aliases=("Démarrage réel", "Date de démarrage"),
            report_missing=False,
            number_format="DD/MM/YYYY",
        ),
        Column(
            "budget_engage",
            "Budget engagé (€)",
            "Suivi : montant engagé à ce jour, en euros.",
            14,
            aliases=("Budget engagé",),
            report_missing=False,
            number=Number("decimal", 0, 1e9),
            number_format="#,##0",
        ),
        Column(
            "budget_realise",
            "Budget réalisé (€)",
            "Suivi : montant réalisé (dépensé) à ce jour, en euros.",
            14,
            aliases=("Budget réalisé",),
            report_missing=False,
            number=Number("decimal", 0, 1e9),
            number_format="#,##0",
        ),
        Column(
            "indicateur_resultat",
            "Indicateur de résultat",
            "Suivi : ce que l'on compte (ex. « porteurs de projet accompagnés »).",
            28,
            report_missing=False,
        ),
        Column(
            "valeur_resultat",
            "Valeur du résultat",
            "Suivi : valeur de l'indicateur de résultat cette année.",
            12,
            aliases=("Valeur de l'indicateur de résultat",),
            report_missing=False,
            number=Number("decimal", -1e12, 1e12),
        ),
        Column(
            "note_annee",
            "Note de l'année",
            "Suivi : ce qui s'est passé cette année (une note par année ; chaque revue garde la sienne).",
            40,
            aliases=("Note annuelle",),
            report_missing=False,
        ),
        Column(
            "preuve",
            "Lien vers une preuve",
            "Suivi : lien ou référence d'un document qui atteste l'avancement (affiché en texte, jamais ouvert).",
            30,
            aliases=("Preuve",),
            report_missing=False,
        ),
        # Feuille de route: target and funding of each action (optional, last so that the older columns keep
        # their letters; a v1 workbook without them stays valid)
        Column(
            "cible_indicateur",
            "Cible 2030 : indicateur",
            "Indicateur de résultat visé en 2030 (ex. « porteurs de projet accompagnés ») ; vide : le premier "
            "indicateur de suivi du catalogue est proposé.",
            26,
            aliases=("Indicateur cible",),
            report_missing=False,
        ),
        Column(
            "cible_valeur",
            "Cible 2030 : valeur",
            "Valeur visée en 2030 pour cet indicateur (un nombre).",
            12,
            aliases=("Valeur visée en 2030",),
            report_missing=False,
            number=Number("decimal", -1e12, 1e12),
        ),
        Column(
            "financeur",
            "Financeur principal",
            "Qui finance l'essentiel de l'action (ex. « État — crédits politique de la ville », « Région »).",
            24,
            report_missing=False,
        ),
        Column(
            "nature_financement",
            "Nature des crédits",
            "Crédits spécifiques (politique de la ville) ou droit commun (budget ordinaire d'un signataire).",
            16,
            report_missing=False,
            liste="nature_financement",
        ),
    ),
    required=True,
    examples=(
        {
            "code": "# COM_BOUTIQUE_ESSAI",
            "impact": 4,
            "faisabilite": 3,
            "cout": 40000,
            "pilote": "Ville",
            "partenaires": "CCI ; bailleur",
            "prerequis_diagnostic": "Fait",
            "prerequis_etude": "À faire",
            "prerequis_partenaires": "En cours",
            "echeance": "2026-S2",
            "commentaire": "Exemple : une action du catalogue n'a besoin que de son code.",
        },
        {
            "code": "# " + LIBRE,
            "intitule": "Marché de producteurs le samedi",
            "champ": "Commerce",
            "enjeux": "COMMERCE;ATTRACTIVITE",
            "impact": 3,
            "faisabilite": 4,
            "cout": 8000,
            "pilote": "Ville",
            "prerequis_diagnostic": "Sans objet",
            "prerequis_etude": "Sans objet",
            "prerequis_partenaires": "À faire",
            "echeance": 2026,
            "commentaire": "Exemple : action locale hors catalogue.",
        },
    ),
)

VOTES = Sheet(
    "Votes",
    "Votes d'atelier",
    "Une ligne par note donnée par un participant à un enjeu ou à une action.",
    (_PARTICIPANT, _STRUCTURE, _OBJET, _NOTE),
    absent="les votes d'atelier ne seront pas pris en compte",
    examples=({"participant": "# P01", "structure": "Mission locale", "objet": "EMPLOI", "note": 5},),
)

#: Data sheets of contract v1, in template order.
SHEETS: tuple[Sheet, ...] = (TERRITOIRE, INDICATEURS, ENJEUX, ACTEURS, GOUVERNANCE, ACTIONS, VOTES)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}
REQUIRED_SHEETS = tuple(s.name for s in SHEETS if s.required)
OPTIONAL_SHEETS = {s.name: s.absent for s in SHEETS if not s.required}
README = "Lisez-moi"
LISTES = "Listes"
#: Sheets of the generated template that hold no data (and their usual renamings).
TEMPLATE_SHEETS = (README, "Lisez moi", LISTES, "Aide", "Mode d'emploi", "Read me")
SHEET_ORDER = (README, *(s.name for s in SHEETS), LISTES)

# ------------------------------------------------------------------------------ workshop scoring sheet

NOTATION = Sheet(
    "Notation",
    "Atelier — notation des enjeux et des actions",
    "Écrivez votre nom (ou un pseudonyme) et votre structure sur la première ligne : ils valent pour les "
    "lignes suivantes. Notez chaque objet de 1 (pas prioritaire) à 5 (tout à fait prioritaire) avec la "
    "liste déroulante ; laissez vide ce que vous ne souhaitez pas noter.",
    (
        replace(
            _PARTICIPANT,
            help="Votre nom ou pseudonyme (P01…), sur la première ligne seulement.",
            width=18,
            aliases=("Nom", "Pseudonyme"),
        ),
        replace(
            _STRUCTURE,
            help="Votre organisme (facultatif), sur la première ligne seulement.",
            width=24,
            report_missing=False,
        ),
        replace(
            _OBJET, help="Code de l'enjeu ou de l'action : ne pas modifier.", width=22, aliases=("Code",), liste=None
        ),
        Column(
            "libelle",
            "Libellé",
            "Intitulé de l'enjeu ou de l'action : ne pas modifier.",
            60,
            aliases=("Intitulé",),
            report_missing=False,
        ),
        replace(
            _NOTE, help="1 = pas prioritaire … 5 = tout à fait prioritaire. Vide = non noté.", width=11, liste=None
        ),
    ),
)

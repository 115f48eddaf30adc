"""The fillable workbook (`pilier-eco template`): every sheet of contract v1, ready for Excel and LibreOffice.

Layout of each data sheet: a title row, a one-line instruction, then the header row (frozen), then grey
example rows whose first cell starts with `#` (the reader ignores them), then the rows to fill. Drop-down
lists read their values from the hidden `Listes` sheet through absolute ranges, so that a catalogue
change only rewrites that sheet. Headers carry input help (a validation input message: shown on select
by Excel and by LibreOffice). Official data, when given, is written in the same layout (`Prefill`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import model
from ..catalog.catalogue import Catalogue, packaged_catalogue
from ..catalog.enjeux import enjeux
from ..catalog.governance import questions
from ..catalog.indicators import indicators
from ..catalog.prefill import Prefill
from . import xlsx_style as st
from .safe_cells import neutralise

CONTRACT_VERSION = 1
TITLE_ROW = 1
INSTRUCTION_ROW = 2
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
LAST_ROW = 500  # validations cover the rows a territory can reasonably fill
LISTES = "Listes"
SHEET_ORDER = ("Lisez-moi", "Territoire", "Indicateurs", "Enjeux", "Acteurs", "Gouvernance", "Actions", "Votes", LISTES)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    help: str
    liste: str | None = None  # key of a list of the `Listes` sheet
    strict: bool = True  # False: other values allowed after a notice
    number: tuple[str, float, float] | None = None  # ("whole"|"decimal", min, max)
    number_format: str | None = None


# ---------------------------------------------------------------- lists (values come from model/catalogues)


def _lists(catalogue: Catalogue | None = None) -> dict[str, tuple[str, tuple]]:
    """key -> (column title on `Listes`, values). Order = columns of the `Listes` sheet."""
    enjeu_codes = tuple(e.code for e in enjeux())
    action_codes = tuple(a.code for a in (catalogue or packaged_catalogue()).actions)
    return {
        "typologie": ("Typologie", model.TYPOLOGIES),
        "sens": ("Sens", model.SENS_VALUES),
        "enjeu": ("Enjeu", enjeu_codes),
        "acteur": ("Type d'acteur", model.ACTOR_TYPES),
        "reponse": ("Réponse", model.REPONSES),
        "champ": ("Champ", model.CHAMPS),
        "prerequis": ("Statut de prérequis", model.PREREQUIS_STATUSES),
        "oui_non": ("Signataire", ("Oui", "Non")),
        "note_1_5": ("Note 1-5", (1, 2, 3, 4, 5)),
        "note_0_3": ("Implication 0-3", (0, 1, 2, 3)),
        "indicateur": ("Code indicateur", tuple(i.code for i in indicators())),
        "action": ("Code action", action_codes + ("LIBRE",)),
        "objet": ("Objet de vote", enjeu_codes + action_codes),
    }


def list_ranges(catalogue: Catalogue | None = None) -> dict[str, str]:
    """key -> absolute range on the `Listes` sheet (`Listes!$A$2:$A$6`), as used by the validations."""
    out = {}
    for i, (key, (_, values)) in enumerate(_lists(catalogue).items(), start=1):
        col = get_column_letter(i)
        out[key] = f"{LISTES}!${col}$2:${col}${len(values) + 1}"
    return out


# ---------------------------------------------------------------- sheet layouts (contract v1 headers)

TERRITOIRE_FIELDS: tuple[tuple[str, bool, str], ...] = (
    ("Version", True, "Version du contrat de classeur : laissez 1."),
    ("Nom du territoire", True, "Nom court du territoire diagnostiqué (ex. commune et quartiers)."),
    ("Communes", True, "Codes INSEE à 5 caractères, séparés par « ; » (ex. 11069 ; 2A004)."),
    ("EPCI", False, "Nom de l'intercommunalité signataire du contrat de ville."),
    ("Département", False, "Code du département (11, 2A, 971)."),
    ("Quartiers prioritaires", False, "Éléments « code – nom » séparés par « ; » (codes QP… de 2015 ou QN… de 2024)."),
    ("Population des quartiers", False, "Nombre entier d'habitants des quartiers prioritaires."),
    ("Typologie", True, "Choisissez dans la liste le type de territoire."),
    ("Période du contrat de ville", False, "Années de début et de fin, ex. 2024-2030."),
    ("Date du diagnostic", True, "Date à laquelle le diagnostic est établi (jj/mm/aaaa)."),
    ("Structure rédactrice", False, "Organisme qui rédige le diagnostic (jamais un nom de personne)."),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "Territoire": (
        Column("Champ", 30, "Nom du champ : ne le modifiez pas. Les champs en gras sont obligatoires."),
        Column("Valeur", 70, "Saisissez la valeur du champ ; sélectionnez une cellule pour voir l'aide."),
    ),
    "Indicateurs": (
        Column("Code", 24, "Code du catalogue (liste) ou code libre commençant par PERSO_.", "indicateur", False),
        Column("Libellé", 40, "Facultatif pour un code du catalogue ; obligatoire pour un code PERSO_."),
        Column("Valeur quartier", 14, "Valeur dans le quartier, dans l'unité du catalogue (12,5 pour 12,5 %)."),
        Column("Valeur référence", 14, "Valeur d'un territoire de comparaison ; vide = indicateur affiché mais non noté."),
        Column("Territoire de référence", 26, "Territoire de la valeur de référence (commune, unité urbaine, France…)."),
        Column("Année", 9, "Année de la donnée du quartier (ex. 2021).", number=("whole", 1990, 2100)),
        Column("Source", 36, "Producteur et millésime de la donnée. Écrivez « illustratif » pour un chiffre fictif."),
        Column("Enjeu", 18, "Code de l'enjeu (liste). Facultatif pour un code du catalogue.", "enjeu"),
        Column("Sens", 22, "« hausse = dégradation » ou « hausse = amélioration ». Facultatif pour le catalogue.", "sens"),
        Column("Commentaire", 50, "Précisions : calcul, périmètre, fiabilité."),
    ),
    "Enjeux": (
        Column("Enjeu", 22, "Code de l'enjeu ; sélectionnez la cellule pour lire son intitulé.", "enjeu"),
        Column("Importance perçue (1-5)", 14, "1 = secondaire, 5 = majeur pour le quartier, selon l'équipe locale.",
               "note_1_5"),
        Column("Atouts", 45, "Points d'appui du quartier sur cet enjeu."),
        Column("Faiblesses", 45, "Difficultés constatées sur cet enjeu."),
        Column("Commentaire", 40, "Précisions libres."),
    ),
    "Acteurs": (
        Column("Structure", 36, "Nom de l'organisme (jamais de nom ni de coordonnées de personne)."),
        Column("Type", 26, "Type d'acteur (liste).", "acteur"),
        Column("Rôle", 45, "Rôle dans le volet économique du contrat de ville."),
        Column("Implication (0-3)", 12, "0 = absent, 1 = informé, 2 = associé, 3 = moteur.", "note_0_3"),
        Column("Signataire du contrat", 12, "Oui ou Non.", "oui_non"),
    ),
    "Gouvernance": (
        Column("Code", 10, "Code de la question : ne le modifiez pas."),
        Column("Question", 70, "Question du catalogue de gouvernance."),
        Column("Réponse", 14, "Oui, Partiel, Non ou Ne sait pas (liste).", "reponse"),
        Column("Commentaire", 50, "Précisions : qui, depuis quand, quels moyens."),
    ),
    "Actions": (
        Column("Code", 26, "Code d'action du catalogue (liste), ou LIBRE pour une action locale.", "action", False),
        Column("Intitulé", 40, "Facultatif pour une action du catalogue ; obligatoire pour LIBRE."),
        Column("Champ", 22, "Champ d'action (liste) ; obligatoire pour LIBRE.", "champ"),
        Column("Enjeux visés", 24, "Codes d'enjeux séparés par « ; » (ex. COMMERCE;ATTRACTIVITE) ; obligatoire pour LIBRE.",
               "enjeu", False),
        Column("Impact attendu (1-5)", 11, "1 = faible, 5 = très fort.", "note_1_5"),
        Column("Faisabilité (1-5)", 11, "1 = très difficile, 5 = facile à mettre en œuvre.", "note_1_5"),
        Column("Coût estimé (€)", 14, "Ordre de grandeur en euros (ex. 45000).", number=("decimal", 0, 1e9),
               number_format="#,##0"),
        Column("Pilote pressenti", 24, "Organisme qui pilotera l'action."),
        Column("Partenaires", 30, "Organismes partenaires, séparés par « ; »."),
        Column("Diagnostic préalable", 14, "Fait, En cours, À faire ou Sans objet.", "prerequis"),
        Column("Étude de faisabilité", 14, "Fait, En cours, À faire ou Sans objet.", "prerequis"),
        Column("Mobilisation des partenaires", 14, "Fait, En cours, À faire ou Sans objet.", "prerequis"),
        Column("Échéance souhaitée", 13, "Une date, une année (2026) ou un semestre (2026-S2)."),
        Column("Commentaire", 40, "Précisions libres."),
    ),
    "Votes": (
        Column("Participant", 14, "Pseudonyme du participant (P01, P02…)."),
        Column("Structure", 30, "Organisme du participant (facultatif)."),
        Column("Objet", 26, "Code d'enjeu ou code d'action noté.", "objet", False),
        Column("Note (1-5)", 10, "1 = pas prioritaire, 5 = tout à fait prioritaire.", "note_1_5"),
    ),
}

TITLES = {
    "Territoire": ("Territoire", "Une ligne par champ : complétez la colonne Valeur. Champs en gras obligatoires."),
    "Indicateurs": ("Indicateurs", "Une ligne par indicateur. Les lignes grises commençant par # sont des exemples ignorés."),
    "Enjeux": ("Enjeux", "Les dix enjeux du pilier : notez leur importance perçue (1 à 5) et décrivez atouts et faiblesses."),
    "Acteurs": ("Acteurs", "Une ligne par organisme partenaire. Noms d'organismes uniquement."),
    "Gouvernance": ("Gouvernance", "Répondez à chaque question (Oui, Partiel, Non, Ne sait pas) ; précisez en commentaire."),
    "Actions": ("Actions envisagées", "Une ligne par action : code du catalogue ou LIBRE. Les lignes # sont des exemples ignorés."),
    "Votes": ("Votes d'atelier", "Une ligne par note donnée par un participant à un enjeu ou à une action."),
}

EXAMPLES: dict[str, tuple[tuple, ...]] = {
    "Indicateurs": (
        ("# EMPLOI_15_64", "Exemple (ligne ignorée)", 43.5, 64.7, "Unités urbaines englobantes (France)", 2015,
         "ONPV, rapport 2016", None, None, "Chiffres nationaux des QPV, pour montrer le format."),
        ("# PERSO_CELLULES_VIDES", "Cellules commerciales vides de la place du marché", 7, None, None, 2024,
         "illustratif", "COMMERCE", "hausse = dégradation", "Code libre : libellé, enjeu et sens obligatoires."),
    ),
    "Acteurs": (
        ("# Communauté d'agglomération", "EPCI", "Pilote du contrat de ville", 3, "Oui"),
    ),
    "Actions": (
        ("# COM_BOUTIQUE_ESSAI", None, None, None, 4, 3, 40000, "Ville", "CCI ; bailleur", "Fait", "À faire",
         "En cours", "2026-S2", "Exemple : une action du catalogue n'a besoin que de son code."),
        ("# LIBRE", "Marché de producteurs le samedi", "Commerce", "COMMERCE;ATTRACTIVITE", 3, 4, 8000, "Ville",
         None, "Sans objet", "Sans objet", "À faire", 2026, "Exemple : action locale hors catalogue."),
    ),
    "Votes": (
        ("# P01", "Mission locale", "EMPLOI", 5),
    ),
}


# ---------------------------------------------------------------- writing


def _title(ws: Worksheet, title: str, instruction: str, ncols: int) -> None:
    ws.cell(TITLE_ROW, 1, title).font = st.TITLE_FONT
    ws.cell(INSTRUCTION_ROW, 1, instruction).font = st.SUBTITLE_FONT
    if ncols > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncols)
        ws.merge_cells(start_row=INSTRUCTION_ROW, start_column=1, end_row=INSTRUCTION_ROW, end_column=ncols)
    ws.row_dimensions[TITLE_ROW].height = 24
    ws.row_dimensions[INSTRUCTION_ROW].height = 18


def _header(ws: Worksheet, columns: Sequence[Column], ranges: dict[str, str]) -> None:
    ws.row_dimensions[HEADER_ROW].height = 45
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, j, c.header)
        cell.font, cell.fill, cell.alignment, cell.border = st.HEADER_FONT, st.HEADER_FILL, st.HEADER_ALIGN, st.BORDER
        ws.column_dimensions[get_column_letter(j)].width = c.width
        help_dv = st.prompt(c.header, c.help)
        help_dv.add(cell.coordinate)
        ws.add_data_validation(help_dv)
        letter = get_column_letter(j)
        area = f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}"
        dv: DataValidation | None = None
        if c.liste:
            dv = st.list_validation(ranges[c.liste], c.header, c.help, c.strict)
        elif c.number:
            kind, lo, hi = c.number
            dv = st.number_validation(kind, lo, hi, c.header, c.help)
        if dv is not None:
            dv.add(area)
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide, header row repeated: a printed sheet stays readable."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.title != "Lisez-moi":
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _write_row(ws: Worksheet, row: int, values: Sequence, columns: Sequence[Column], font=None, fill=None) -> None:
    for j, (value, c) in enumerate(zip(values, columns), start=1):
        cell = ws.cell(row, j, neutralise(value))  # pre-filled names may come from a user's data file
        cell.alignment = st.WRAP
        cell.border = st.BORDER
        if c.number_format and isinstance(value, (int, float)):
            cell.number_format = c.number_format
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
    # style the empty trailing cells too, so the row reads as one
    for j in range(len(values) + 1, len(columns) + 1):
        cell = ws.cell(row, j)
        cell.border = st.BORDER
        if fill is not None:
            cell.fill = fill
    ws.row_dimensions[row].height = row_height(values, columns)


def row_height(values: Sequence, columns: Sequence[Column]) -> float:
    """Points for a row of wrapped text (LibreOffice does not always re-measure rows of an .xlsx)."""
    lines = 1
    for value, c in zip(values, columns):
        if value is not None:
            chars_per_line = max(4, int(c.width * 1.15))
            lines = max(lines, -(-len(str(value)) // chars_per_line))
    return min(15.0 * lines, 150.0)


def _examples(ws: Worksheet, sheet: str) -> int:
    """Write the grey `#` example rows; return the next free row."""
    row = FIRST_ROW
    for values in EXAMPLES.get(sheet, ()):
        _write_row(ws, row, values, COLUMNS[sheet], font=st.EXAMPLE_FONT)
        row += 1
    return row


def _territoire(ws: Worksheet, ranges: dict[str, str], prefill: Prefill | None) -> None:
    cols = COLUMNS["Territoire"]
    _title(ws, *TITLES["Territoire"], len(cols))
    _header(ws, cols, ranges)
    values: dict[str, object] = {"Version": CONTRACT_VERSION}
    if prefill is not None:
        values.update({k: v for k, v in prefill.territoire.fields().items() if v is not None})
    for i, (name, required, help_text) in enumerate(TERRITOIRE_FIELDS):
        row = FIRST_ROW + i
        _write_row(ws, row, (name, values.get(name)), cols)
        if required:
            ws.cell(row, 1).font = st.REQUIRED_FONT
        if prefill is not None and name in prefill.territoire.fields() and values.get(name) is not None:
            ws.cell(row, 2).fill = st.PREFILLED_FILL
        value_cell = ws.cell(row, 2)
        value_cell.alignment = st.WRAP_LEFT
        title = name + (" (obligatoire)" if required else "")
        if name == "Typologie":
            dv = st.list_validation(ranges["typologie"], title, help_text)
        elif name == "Date du diagnostic":
            dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                showInputMessage=True, showErrorMessage=True, errorStyle="warning",
                                promptTitle=st.clip(title, st.PROMPT_TITLE_MAX), prompt=st.clip(help_text, st.PROMPT_TEXT_MAX),
                                errorTitle="Date attendue", error="Saisissez une date, par exemple 15/03/2025.")
            value_cell.number_format = "DD/MM/YYYY"
        elif name == "Population des quartiers":
            dv = st.number_validation("whole", 0, 10_000_000, title, help_text)
        else:
            dv = st.prompt(title, help_text)
        dv.add(value_cell.coordinate)
        ws.add_data_validation(dv)


def _indicateurs(ws: Worksheet, ranges: dict[str, str], prefill: Prefill | None) -> None:
    cols = COLUMNS["Indicateurs"]
    _title(ws, *TITLES["Indicateurs"], len(cols))
    _header(ws, cols, ranges)
    row = _examples(ws, "Indicateurs")
    for ind in prefill.indicateurs if prefill is not None else ():
        _write_row(ws, row, ind.as_row(), cols)
        ws.cell(row, 3).fill = st.PREFILLED_FILL
        row += 1


def _enjeux(ws: Worksheet, ranges: dict[str, str]) -> None:
    cols = COLUMNS["Enjeux"]
    _title(ws, *TITLES["Enjeux"], len(cols))
    _header(ws, cols, ranges)
    listed = list(enjeux())
    # A cell takes one validation only (Excel repairs the file otherwise): the column-wide list starts
    # below the pre-listed enjeux, whose cells get their own list with the enjeu's label as help.
    whole_column = f"A{FIRST_ROW}:A{LAST_ROW}"
    column_list = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == whole_column)
    column_list.sqref = MultiCellRange(f"A{FIRST_ROW + len(listed)}:A{LAST_ROW}")
    for i, e in enumerate(listed):
        row = FIRST_ROW + i
        _write_row(ws, row, (e.code,), cols)
        ws.cell(row, 1).fill = st.CATALOG_FILL
        dv = st.list_validation(list_ranges()["enjeu"], e.code, f"{e.libelle}. {e.description}")
        dv.add(ws.cell(row, 1).coordinate)
        ws.add_data_validation(dv)


def _gouvernance(ws: Worksheet, ranges: dict[str, str]) -> None:
    cols = COLUMNS["Gouvernance"]
    _title(ws, *TITLES["Gouvernance"], len(cols))
    _header(ws, cols, ranges)
    for i, q in enumerate(questions()):
        row = FIRST_ROW + i
        _write_row(ws, row, (q.code, q.question), cols)
        ws.cell(row, 1).fill = ws.cell(row, 2).fill = st.CATALOG_FILL
        dv = st.prompt(f"{q.code} – {q.dimension}", q.aide or q.question)
        dv.add(ws.cell(row, 2).coordinate)
        ws.add_data_validation(dv)


def _simple(sheet: str) -> Callable[[Worksheet, dict[str, str]], None]:
    def write(ws: Worksheet, ranges: dict[str, str]) -> None:
        cols = COLUMNS[sheet]
        _title(ws, *TITLES[sheet], len(cols))
        _header(ws, cols, ranges)
        _examples(ws, sheet)

    return write


def _listes(ws: Worksheet, catalogue: Catalogue | None) -> None:
    for j, (_, (title, values)) in enumerate(_lists(catalogue).items(), start=1):
        ws.cell(1, j, title).font = st.REQUIRED_FONT
        for i, v in enumerate(values, start=2):
            ws.cell(i, j, v)
        ws.column_dimensions[get_column_letter(j)].width = max(14, min(40, max(len(str(v)) for v in values) + 2))
    ws.sheet_state = "hidden"


def readme_lines(
    prefill: Prefill | None = None, qpv_label: str | None = None, today: date | None = None
) -> list[tuple[str, str]]:
    """(style, text) lines of the `Lisez-moi` sheet; style is `titre`, `section` or `texte`."""
    enjeu_list = ", ".join(e.code for e in enjeux())
    lines: list[tuple[str, str]] = [
        ("titre", "Classeur de diagnostic du pilier développement économique — contrat de ville"),
        ("texte", f"Modèle de classeur, version {CONTRACT_VERSION}, généré par pilier-eco le {today or date.today():%d/%m/%Y}."),
        ("texte", "Ce classeur rassemble ce que l'outil pilier-eco analyse : le territoire, les indicateurs, les "
                  "enjeux, les acteurs, la gouvernance, les actions envisagées et les votes d'atelier. Il s'ouvre "
                  "et se remplit dans Excel comme dans LibreOffice (enregistrez en .xlsx ou en .ods)."),
        ("section", "Comment remplir"),
        ("texte", "• Chaque onglet a une ligne de titre, une consigne, puis une ligne d'en-têtes figée. Ne renommez "
                  "pas les onglets ni les en-têtes. Sélectionnez un en-tête pour afficher son aide."),
        ("texte", "• Les lignes grises en italique dont la première cellule commence par # sont des exemples : "
                  "l'outil les ignore. Vous pouvez aussi commencer une ligne par # pour la mettre en commentaire."),
        ("texte", "• Les listes déroulantes (flèche à droite de la cellule) donnent les valeurs permises. Leurs "
                  "valeurs sont dans l'onglet masqué « Listes » : ne le modifiez pas."),
        ("texte", "• Les nombres peuvent être saisis à la française (12,5 ou 12,5 % ou 1 234). Un pourcentage se "
                  "saisit en points : 12,5 signifie 12,5 %."),
        ("section", "Onglet par onglet"),
        ("texte", "Territoire (obligatoire) — une ligne par champ, valeur en colonne B. Obligatoires : Version, Nom "
                  "du territoire, Communes (codes INSEE séparés par ;), Typologie, Date du diagnostic."),
        ("texte", "Indicateurs (obligatoire) — une ligne par indicateur : code du catalogue (liste) ou code libre "
                  "PERSO_… (libellé, enjeu et sens alors obligatoires). Sans valeur de référence, l'indicateur est "
                  "affiché mais non noté. Indiquez toujours l'année et la source."),
        ("texte", f"Enjeux — les dix enjeux du pilier ({enjeu_list}) : importance perçue de 1 à 5, atouts, "
                  "faiblesses. Sélectionnez un code pour lire son intitulé."),
        ("texte", "Acteurs — une ligne par organisme : type (liste), rôle, implication de 0 (absent) à 3 (moteur), "
                  "signataire du contrat (Oui/Non). Noms d'organismes uniquement, jamais de personnes."),
        ("texte", "Gouvernance — questions pré-remplies : répondez Oui, Partiel, Non ou Ne sait pas. "
                  "Sélectionnez une question pour lire pourquoi elle compte."),
        ("texte", "Actions (obligatoire) — une ligne par action : code du catalogue (liste) ou LIBRE (intitulé, "
                  "champ et enjeux visés alors obligatoires). Impact et faisabilité de 1 à 5, coût en euros, "
                  "état des trois prérequis (Fait, En cours, À faire, Sans objet), échéance (2026, 2026-S2 ou date)."),
        ("texte", "Votes — une ligne par note d'un participant (pseudonyme P01, P02…) sur un enjeu ou une action, "
                  "de 1 à 5. Facultatif : rempli pendant un atelier."),
        ("section", "Chiffres illustratifs"),
        ("texte", "Un chiffre qui n'a pas de source réelle (exemple, estimation de travail) porte le mot "
                  "« illustratif » dans la colonne Source. Le rapport le signale comme tel : ne présentez jamais un "
                  "chiffre inventé comme réel."),
        ("section", "Vérifier le classeur"),
        ("texte", "Commande : pilier-eco check MON_CLASSEUR.xlsx — elle liste en une fois les erreurs (à corriger) "
                  "et les avertissements (à regarder), chacun avec sa cellule, par exemple Actions!F7."),
        ("texte", "Puis : pilier-eco diagnose MON_CLASSEUR.xlsx pour produire le rapport."),
        ("section", "Pré-remplissage"),
    ]
    if prefill is None:
        lines.append(("texte", "Ce classeur est vierge. La commande pilier-eco template CLASSEUR.xlsx --qpv QP011002 "
                               "pré-remplit le territoire et les indicateurs à partir des données INSEE des quartiers "
                               "prioritaires (géographie 2015, Occitanie fournie ; --donnees pour un autre fichier)."))
    else:
        lines.append(("texte", f"Pré-rempli à partir des données INSEE pour {qpv_label or 'les QPV choisis'} : "
                               f"territoire et {len(prefill.indicateurs)} indicateurs (cellules vert pâle). Chaque "
                               "indicateur cite sa source, son année et, en commentaire, son mode de calcul. "
                               "Vérifiez-les et complétez les valeurs de référence manquantes."))
        for note in prefill.notes:
            lines.append(("texte", f"À compléter : {note}"))
    return lines


def _readme(ws: Worksheet, prefill: Prefill | None, qpv_label: str | None, today: date | None) -> None:
    ws.column_dimensions["A"].width = 100
    _print_setup(ws)
    fonts = {"titre": st.TITLE_FONT, "section": st.REQUIRED_FONT, "texte": None}
    for i, (style, text) in enumerate(readme_lines(prefill, qpv_label, today), start=1):
        cell = ws.cell(i, 1, text)
        cell.alignment = st.WRAP
        if fonts[style] is not None:
            cell.font = fonts[style]
        per_line = 70 if style == "titre" else 95
        line_height = 20 if style == "titre" else 15
        ws.row_dimensions[i].height = line_height * max(1, -(-len(text) // per_line))


def build_workbook(prefill: Prefill | None = None, qpv_label: str | None = None, today: date | None = None,
                   catalogue: Catalogue | None = None) -> Workbook:
    """The template as an openpyxl Workbook (not saved): useful to fill it further in its own layout.

    `catalogue` gives the action codes of the drop-down list (the packaged catalogue by default)."""
    wb = Workbook()
    ranges = list_ranges(catalogue)
    sheets = {name: (wb.active if i == 0 else wb.create_sheet()) for i, name in enumerate(SHEET_ORDER)}
    for name, ws in sheets.items():
        ws.title = name
    _readme(sheets["Lisez-moi"], prefill, qpv_label, today)
    _territoire(sheets["Territoire"], ranges, prefill)
    _indicateurs(sheets["Indicateurs"], ranges, prefill)
    _enjeux(sheets["Enjeux"], ranges)
    _simple("Acteurs")(sheets["Acteurs"], ranges)
    _gouvernance(sheets["Gouvernance"], ranges)
    _simple("Actions")(sheets["Actions"], ranges)
    _simple("Votes")(sheets["Votes"], ranges)
    _listes(sheets[LISTES], catalogue)
    wb.active = 0
    wb.properties.creator = "pilier-eco"
    wb.properties.title = "Diagnostic du pilier développement économique"
    return wb


def make_template(
    path: str | Path, qpv: Sequence[str] | None = None, donnees: str | Path | None = None, today: date | None = None,
    catalogue: Catalogue | None = None,
) -> Path:
    """Write the workbook to `path` (.xlsx); with `qpv` codes, pre-filled from INSEE data.

    `donnees` is another INSEE QPV file of the same format (default: the bundled Occitanie file).
    Raises `UnknownQpvError` (unknown code) or `ValueError` (unreadable data file), both in French,
    before anything is written.
    """
    path = Path(path)
    pre: Prefill | None = None
    label = None
    if qpv:
        from ..catalog.qpv import load_qpv
        from ..catalog.prefill import prefill_codes, split_codes

        records = load_qpv(donnees) if donnees is not None else None
        name = Path(donnees).name if donnees is not None else None
        pre = prefill_codes(list(qpv), records, name)
        label = ", ".join(split_codes(qpv))
    wb = build_workbook(pre, label, today, catalogue)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ---------------------------------------------------------------- filling a template in its own layout


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Header text -> column number, read from the template's header row."""
    return {str(c.value): c.column for c in ws[HEADER_ROW] if c.value is not None}


def _is_used(ws: Worksheet, row: int) -> bool:
    return any(ws.cell(row, j).value not in (None, "") for j in range(1, ws.max_column + 1))


def append_rows(ws: Worksheet, rows: Sequence[dict[str, object]]) -> list[int]:
    """Write `{header: value}` rows after the last used row of a data sheet; returns their row numbers."""
    cols = header_columns(ws)
    spec = {c.header: c for c in COLUMNS.get(ws.title, ())}
    row = FIRST_ROW
    while _is_used(ws, row):
        row += 1
    written = []
    for values in rows:
        unknown = [h for h in values if h not in cols]
        if unknown:
            raise KeyError(f"{ws.title} : en-tête(s) inconnu(s) {unknown}")
        for header, value in values.items():
            cell = ws.cell(row, cols[header], value)
            cell.alignment = st.WRAP
            cell.border = st.BORDER
            fmt = spec[header].number_format if header in spec else None
            if fmt and isinstance(value, (int, float)):
                cell.number_format = fmt
        ordered = [values.get(c.header) for c in COLUMNS.get(ws.title, ())]
        if ordered:
            ws.row_dimensions[row].height = row_height(ordered, COLUMNS[ws.title])
        written.append(row)
        row += 1
    return written


def fill_by_key(ws: Worksheet, key_header: str, values: dict[str, dict[str, object]]) -> None:
    """Fill pre-listed rows (`Territoire`, `Enjeux`, `Gouvernance`) found by their key cell.

    For `Territoire`, `values` is `{champ: {"Valeur": …}}`. Raises KeyError on a key the sheet lacks.
    """
    cols = header_columns(ws)
    key_col = cols[key_header]
    rows = {str(ws.cell(r, key_col).value): r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, key_col).value}
    for key, cells in values.items():
        if key not in rows:
            raise KeyError(f"{ws.title} : ligne « {key} » absente")
        for header, value in cells.items():
            ws.cell(rows[key], cols[header], value).alignment = st.WRAP_LEFT
        spec = COLUMNS.get(ws.title, ())
        if spec:
            ordered = [ws.cell(rows[key], j).value for j in range(1, len(spec) + 1)]
            ws.row_dimensions[rows[key]].height = row_height(ordered, spec)

"""One located problem type for the whole toolkit: reading (io), validation and workshop merging.

A `Problem` is a level (`erreur` | `avertissement` | `information`), a stable `code` (the JSON output, the tests and
`docs/erreurs.md` rely on it), a French message made from a template of `MESSAGES` and its parameters,
and a place in the user's file: file → sheet → cell. Everything a user reads about a bad input comes from
this table, so wording changes in one place and every door (CLI, JSON, report annex, web page) follows.

A template is keyed by its code, or by `code/variant` when one code has several wordings (a file that is
not a workbook because it is a Word document, a damaged zip, an encrypted archive…): the public code is
the part before `/`. A problem with the whole file carries its « Pour continuer : … » advice in its template.

    p = problem("erreur", "hors-echelle", cell=Cell("Actions", "E4"), colonne="Impact", found=7,
                expected="un entier de 1 à 5")
    p.format()  # "Actions!E4 : Impact : valeur hors de l'échelle (trouvé : « 7 » ; attendu : un entier de 1 à 5)"

The third level, `information`, is a finding on a row the tool pre-filled itself and the user left as written
(INSEE figures of an old vintage): she has nothing to correct, so it never blocks and never counts as a
warning; every door lists it after the warnings, under `INFORMATION_NOTE`.

`python -m toolkit.problems` prints every public code; `tests/validate/test_messages.py` checks that
`docs/erreurs.md` documents each of them and no other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

Level = Literal["erreur", "avertissement", "information"]
ERROR: Level = "erreur"
WARNING: Level = "avertissement"
INFO: Level = "information"
#: How a level is named to people (a badge on the web page, a cell of the report's quality annex).
LEVEL_LABELS: dict[str, str] = {ERROR: "Erreur", WARNING: "Avertissement", INFO: "Information"}

#: What every door (check, web page, report annex) says once, above the information: why nothing is asked.
INFORMATION_NOTE = (
    "Les remarques ci-dessous portent sur des lignes que l'outil a pré-remplies avec les données INSEE qu'il "
    "fournit, les plus récentes dont il dispose : rien à corriger. Ces chiffres sont à actualiser quand de plus "
    "récents existent pour vos quartiers ; une ligne dont vous modifiez la valeur, l'année ou la source est de "
    "nouveau vérifiée comme les autres."
)


@dataclass(frozen=True, order=True)
class Cell:
    """Where a value was read: sheet name as spelled in the file, and an A1 reference."""

    sheet: str
    ref: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}"


@dataclass(frozen=True)
class Location:
    """File → sheet → cell, as precise as known; `str()` is what a message is prefixed with."""

    file: str = ""
    sheet: str | None = None
    cell: Cell | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            return str(self.cell)
        return self.sheet or ""

    def in_file(self) -> str:
        """`notation.xlsx, Notation!E7`, `notation.xlsx, Notation` or `notation.xlsx`."""
        inner = str(self)
        return f"{self.file}, {inner}" if self.file and inner else (self.file or inner)


_CONVERT = (
    "ouvrez-le dans Excel ou LibreOffice puis « Fichier > Enregistrer sous… » au format "
    "Classeur Excel (.xlsx) ou Classeur OpenDocument (.ods)"
)
_BOMB = "ce fichier n'a pas été produit par un tableur ; demandez à l'expéditeur de le réenregistrer"
_GO_ON = ". Pour continuer : "

MESSAGES: dict[str, str] = {
    # the file as a whole (exit code 2): the message names the file, then says how to go on
    "fichier-introuvable": "fichier introuvable" + _GO_ON + "vérifiez le chemin du fichier.",
    "fichier-introuvable/dossier": "c'est un dossier, pas un fichier" + _GO_ON + "indiquez un fichier .xlsx ou .ods.",
    "fichier-inaccessible": "lecture impossible ({erreur})" + _GO_ON + "vérifiez les droits d'accès au fichier, ou "
    "fermez-le s'il est ouvert et verrouillé.",
    "fichier-vide": "le fichier est vide (0 octet)" + _GO_ON + "réenregistrez le classeur depuis Excel ou LibreOffice.",
    "format-csv": "les fichiers CSV ne sont pas acceptés (ils perdent les feuilles, les listes et les formats)"
    + _GO_ON
    + "remplissez le classeur généré par « pilier-eco template », ou "
    + _CONVERT
    + ".",
    "format-xls": "l'ancien format Excel 97-2003 (.xls) n'est pas accepté" + _GO_ON + _CONVERT + ".",
    "format-xls/protege": "ancien format Excel 97-2003 ou classeur protégé par mot de passe"
    + _GO_ON
    + "retirez le mot de passe éventuel, puis "
    + _CONVERT
    + ".",
    "pas-un-classeur": "ce fichier n'est pas un classeur .xlsx ou .ods (contenu non reconnu)"
    + _GO_ON
    + "vérifiez qu'il s'agit bien du classeur rempli ; sinon "
    + _CONVERT
    + ".",
    "pas-un-classeur/autre-document": "ce fichier est {nature}, pas un classeur"
    + _GO_ON
    + "envoyez le classeur rempli (.xlsx ou .ods) issu de « pilier-eco template ».",
    "pas-un-classeur/endommage": "fichier endommagé ou qui n'est pas un classeur ({erreur})"
    + _GO_ON
    + "rouvrez-le dans Excel ou LibreOffice et réenregistrez-le au format .xlsx ou .ods.",
    "pas-un-classeur/illisible": "impossible de lire ce classeur ({erreur})"
    + _GO_ON
    + "ouvrez-le dans Excel ou LibreOffice et réenregistrez-le au format .xlsx ou .ods.",
    "pas-un-classeur/chiffre": "archive chiffrée" + _GO_ON + "retirez le mot de passe du classeur.",
    "extension-inconnue": "extension « {extension} » non prise en charge"
    + _GO_ON
    + "renommez le fichier en .xlsx (Excel) ou .ods (LibreOffice) selon son format.",
    "fichier-trop-gros": "fichier trop volumineux ({taille} ; maximum : {maximum})"
    + _GO_ON
    + "supprimez les images et feuilles inutiles, ou relevez [limites] taille_fichier_mo dans --config.",
    "archive-trop-grosse": "contenu décompressé trop volumineux ({taille} ; maximum : {maximum}) — possible "
    "« bombe zip »" + _GO_ON + _BOMB + ", ou relevez [limites] taille_decompressee_mo.",
    "archive-trop-grosse/flux": "contenu décompressé trop volumineux — possible « bombe zip »" + _GO_ON + _BOMB + ".",
    "archive-suspecte": "archive anormale ({n} éléments)" + _GO_ON + _BOMB + ".",
    "archive-suspecte/taux": "taux de compression anormal ({taux} pour 1 sur « {element} » ; maximum : {maximum}) "
    "— possible « bombe zip »" + _GO_ON + _BOMB + ".",
    "trop-de-lignes": "la feuille « {feuille} » compte {lignes} lignes (maximum : {maximum})"
    + _GO_ON
    + "supprimez les lignes inutiles (ou vides mais mises en forme), ou relevez [limites] lignes_par_feuille "
    "dans --config.",
    "trop-de-colonnes": "la feuille « {feuille} » s'étend sur {colonnes} colonnes, jusqu'à la colonne {lettre} "
    "(maximum : {maximum})" + _GO_ON + "supprimez le contenu des colonnes lointaines (souvent une cellule oubliée "
    "très à droite), ou relevez [limites] colonnes_par_feuille dans --config.",
    "trop-d-actions": "Actions : {n} lignes ; au plus {maximum}" + _GO_ON + "gardez les actions réellement "
    "envisagées, ou relevez [limites] actions dans --config.",
    # a contours file (GeoJSON of quartier perimeters, --contours): nothing is drawn from it, nothing written
    "contours-inutilisables/introuvable": "fichier de contours introuvable"
    + _GO_ON
    + "vérifiez le chemin du fichier GeoJSON (--contours).",
    "contours-inutilisables/illisible": "lecture impossible du fichier de contours ({erreur})"
    + _GO_ON
    + "vérifiez les droits d'accès au fichier.",
    "contours-inutilisables/pas-geojson": "ce fichier n'est pas un GeoJSON de contours (attendu : une "
    "FeatureCollection de polygones)"
    + _GO_ON
    + "téléchargez les contours des quartiers au format GeoJSON (data.gouv.fr, « Quartiers prioritaires de la "
    "politique de la ville »), ou exportez-les en GeoJSON depuis votre SIG.",
    "contours-inutilisables/trop-gros": "fichier de contours trop volumineux ({taille})"
    + _GO_ON
    + "gardez les quartiers de votre territoire (filtre dans votre SIG, par exemple QGIS), ou simplifiez les "
    "géométries.",
    "contours-inutilisables/metres": "les coordonnées sont en mètres (Lambert-93 ou une autre projection), pas en "
    "degrés WGS 84" + _GO_ON + "exportez le fichier en GeoJSON WGS 84 (EPSG:4326) depuis votre SIG.",
    "contours-inutilisables/projection": "projection « {crs} » non prise en charge"
    + _GO_ON
    + "exportez le fichier en GeoJSON WGS 84 (EPSG:4326) depuis votre SIG.",
    "contours-inutilisables/hors-france": "aucun contour en France, métropole ou départements d'outre-mer "
    "(coordonnées étrangères ou inversées)"
    + _GO_ON
    + "vérifiez que le fichier décrit des quartiers français, en longitude puis latitude (WGS 84).",
    "contours-inutilisables/sans-code": "aucun contour ne porte de code de quartier (propriété attendue : {cles})"
    + _GO_ON
    + "renommez la propriété du code du quartier (QP… ou QN…) en code_qp.",
    "contours-inutilisables/vide": "le fichier ne contient aucun polygone"
    + _GO_ON
    + "vérifiez que le fichier contient bien les périmètres des quartiers (polygones).",
    # sheets and columns
    "feuille-manquante": "Feuille obligatoire « {feuille} » absente",
    "feuille-manquante/notation": "aucune feuille dans ce fichier",
    "feuille-optionnelle-absente": "Feuille facultative « {feuille} » absente : {consequence}",
    "feuille-ignoree": "Feuille « {feuille} » inconnue du modèle : elle est ignorée",
    "feuille-vide": "Aucune ligne utilisable dans la feuille « {feuille} »",
    "en-tete-introuvable": "Ligne d'en-tête introuvable dans la feuille « {feuille} »",
    "colonne-manquante": "Colonne « {colonne} » absente",
    "colonne-ignoree": "Colonne « {colonne} » inconnue du modèle : ses valeurs sont ignorées",
    "colonne-en-double": "Colonne « {colonne} » présente deux fois : seule la première est lue",
    # cells
    "champ-manquant": "Champ obligatoire « {champ} » absent ou vide",
    "champ-inconnu": "Champ « {champ} » inconnu du modèle : il est ignoré",
    "champ-en-double": "Champ « {champ} » renseigné deux fois : seule la première valeur est lue",
    "valeur-manquante": "{colonne} : valeur obligatoire manquante{suite}",
    "ligne-incomplete": "{colonne} obligatoire pour {quoi}",
    "nombre-illisible": "{colonne} : nombre illisible",
    "date-illisible": "{colonne} : date illisible",
    "echeance-illisible": "{colonne} : échéance illisible",
    "hors-echelle": "{colonne} : valeur hors de l'échelle",
    "hors-echelle/notation": "note « {note} » hors échelle",
    "nombre-non-entier": "{colonne} : nombre entier attendu",
    "nombre-non-entier/notation": "note « {note} » : nombre entier attendu",
    "valeur-hors-liste": "{colonne} : valeur hors de la liste{suggestion}",
    "formule-sans-valeur": "{colonne} : formule sans valeur calculée (classeur jamais ouvert dans un tableur ?)",
    "code-inconnu": "{colonne} : code inconnu{suggestion}",
    "enjeu-inconnu": "{colonne} : enjeu inconnu{suggestion}",
    "objet-inconnu": "{colonne} : objet du vote inconnu (ni enjeu, ni action du classeur){suggestion}",
    "objet-inconnu/notation": "objet « {objet} » inconnu du classeur",
    "objet-manquant": "note sans objet : la colonne Objet est vide",
    "commune-inconnue": "Code commune inconnu{suggestion}",
    "code-numerique": "{colonne} : code saisi comme un nombre, zéro initial restauré en « {code} »",
    "departement-incoherent": "Département « {departement} » sans aucune des communes indiquées",
    "geographies-melangees": "Quartiers en géographie {geo_quartiers} ({quartiers}) mais indicateur « {indicateur} » "
    "chiffré en géographie {geo_indicateur} (source : {source}) : les périmètres diffèrent",
    "geographie-qp-remplacee": "Quartiers en géographie 2015 ({quartiers}), remplacée au 1er janvier 2024 : "
    "chiffres à actualiser avec la base INSEE 2024",
    "commune-autre-departement": "Commune {commune} du département {departement}, pas du {attendu} indiqué",
    "quartier-autre-departement": "Quartier {code} du département {departement}, pas du {attendu} des communes",
    "epci-autre-departement": "EPCI « {epci} » : « {lieu} » est une commune d'un autre département ({departements})",
    "epci-different": "EPCI « {epci} » : les communes du territoire appartiennent à {officiel} (code officiel "
    "géographique 2026)",
    "partenaire-autre-departement": "Partenaire « {structure} » : « {lieu} » est une commune d'un autre département "
    "({departements})",
    "population-incoherente": "Population des quartiers {typed} habitants dans Territoire, {autre} dans {ou}",
    "quartier-illisible": "Quartier prioritaire « {item} » : code QP… ou QN… attendu en tête",
    "version-inconnue": "Version du modèle « {version} » non reconnue : le classeur est lu comme une version 1",
    "doublon": "{quoi} « {code} » déjà présent en {premier} : cette ligne est ignorée",
    "doublon/notation": "{participant} note « {objet} » une deuxième fois (première note : {premier}) : seule la "
    "première est gardée",
    "vote-deja-present": "{participant} a déjà noté « {objet} » dans le classeur : note ignorée",
    "feuille-sans-note": "aucune note dans cette feuille (0 / {n}) : participant absent, ou notes enregistrées "
    "dans un autre fichier ?",
    "fiche-vierge": "fiche vierge du kit (aucun nom, aucune note), ignorée",
    "pas-une-feuille-de-notation": "pas une feuille de notation (aucune feuille « Notation ») : fichier ignoré",
    "participant-manquant": "participant non renseigné : les notes sont attribuées à « {nom} »",
    "libelle-ancien": "{colonne} : ancien libellé de la liste, lu comme « {nouveau} »",
    "donnee-personnelle": "{colonne} : semble contenir une donnée personnelle (courriel ou téléphone)",
    # warnings on content
    "annee-ancienne": "Année {annee} : donnée de plus de {ans} ans avant le diagnostic ({diagnostic})",
    "annee-ancienne/pre-rempli": "Année {annee} : chiffre INSEE pré-rempli par l'outil, de plus de {ans} ans avant "
    "le diagnostic ({diagnostic})",
    "annee-future": "Année {annee} postérieure à la date du diagnostic ({diagnostic})",
    "annee-future/aujourdhui": "Année {annee} dans le futur : une donnée observée ne peut pas en venir",
    "valeur-invraisemblable": "{colonne} : valeur invraisemblable pour un indicateur en {unite}",
    "reference-invraisemblable": "{colonne} : valeur de référence {ecart} la valeur du quartier ({valeur} {unite})",
    "reference-invraisemblable/pre-rempli": "{colonne} : valeur de référence {ecart} la valeur du quartier ({valeur} "
    "{unite}), deux chiffres INSEE pré-remplis par l'outil : écart réel, trop grand pour noter l'indicateur",
    "reference-manquante": "Valeur de référence manquante : l'indicateur {code} sera montré mais pas noté",
    "source-illustrative": "{n} valeur{s} marquée{s} « illustratif » ({cellules}) : chiffres d'exemple, à remplacer "
    "par des données sourcées",
    "score-manquant": "{colonne} : {n} cellule{s} vide{s} ({cellules}), à compléter si possible",
    "reponse-manquante": "{n} question{s} de gouvernance sans réponse ({cellules})",
    "unite-incoherente": "{colonne} : unité « {unite} » alors que l'indicateur {code} s'exprime en {attendue}",
    "valeur-quartier-manquante": "Valeur quartier vide : l'indicateur {code} est ignoré",
}

#: Parameters most templates may leave out.
_DEFAULTS = {"suggestion": "", "suite": "", "s": "", "colonne": "Valeur"}


def public_code(template: str) -> str:
    """`pas-un-classeur/endommage` -> `pas-un-classeur`."""
    return template.split("/", 1)[0]


def codes() -> tuple[str, ...]:
    """Every public code, in table order (what `docs/erreurs.md` documents)."""
    return tuple(dict.fromkeys(public_code(t) for t in MESSAGES))


@dataclass(frozen=True)
class Problem:
    """One finding: an error (the row or file cannot be used), a warning, or an information (nothing to correct),
    located in the user's file.

    `message` is the filled template; `found` and `expected` say what was read and what would be accepted.
    """

    level: Level
    code: str
    message: str
    file: str = ""
    cell: Cell | None = None
    sheet: str | None = None
    found: str | None = None
    expected: str | None = None
    template: str = ""  # key of MESSAGES the message was made from
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def place(self) -> Location:
        return Location(self.file, self.sheet, self.cell)

    @property
    def location(self) -> str:
        """`Actions!F7`, the sheet name, or `` for a problem with the whole file."""
        return str(self.place)

    def _body(self) -> str:
        extra = []
        if self.found is not None:
            extra.append(f"trouvé : « {self.found} »")
        if self.expected is not None:
            extra.append(f"attendu : {self.expected}")
        return self.message + (" (" + " ; ".join(extra) + ")" if extra else "")

    def format(self) -> str:
        """One French line: `Actions!F7 : message (trouvé : …, attendu : …)`; the file name when nothing finer
        is known (a file that cannot be opened)."""
        where = self.location or self.file
        return f"{where} : {self._body()}" if where else self._body()

    @property
    def text(self) -> str:
        """The line with the file first, for commands that read several files: `notation.xlsx, Notation!E7 : …`."""
        where = self.place.in_file()
        return f"{where} : {self._body()}" if where else self._body()

    def to_json(self) -> dict[str, object]:
        """The one JSON shape of a problem (`check --json`, the diagnostic's `qualite_donnees`)."""
        return {
            "niveau": self.level,
            "code": self.code,
            "cellule": self.location,
            "message": self.message,
            "trouve": self.found,
            "attendu": self.expected,
            "texte": self.format(),
        }


def problem(
    level: Level,
    template: str,
    /,
    *,
    file: str = "",
    cell: Cell | None = None,
    sheet: str | None = None,
    found: object = None,
    expected: str | None = None,
    **params: object,
) -> Problem:
    """A `Problem` whose message is the template `template` of MESSAGES filled with `params`."""
    message = MESSAGES[template].format(**{**_DEFAULTS, **params})
    shown = None if found is None else _show(found)
    return Problem(
        level,
        public_code(template),
        message,
        file=file,
        cell=cell,
        sheet=sheet or (cell.sheet if cell else None),
        found=shown,
        expected=expected,
        template=template,
        params=dict(params),
    )


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


P = TypeVar("P", bound=Problem)


def of_level(problems: Iterable[P], level: Level) -> tuple[P, ...]:
    """The one level filter: `of_level(report.issues, "erreur")`."""
    return tuple(p for p in problems if p.level == level)


def errors(problems: Iterable[P]) -> tuple[P, ...]:
    return of_level(problems, ERROR)


def warnings(problems: Iterable[P]) -> tuple[P, ...]:
    return of_level(problems, WARNING)


def informations(problems: Iterable[P]) -> tuple[P, ...]:
    return of_level(problems, INFO)


def as_information(p: Problem, template: str) -> Problem:
    """The same finding at the same place, told as information with the wording of `template` (a variant of
    its code: `annee-ancienne/pre-rempli`); nothing is « expected » of the user, so no `attendu`."""
    if public_code(template) != p.code:
        raise ValueError(f"{template!r} n'est pas une variante de {p.code!r}")
    message = MESSAGES[template].format(**{**_DEFAULTS, **p.params})
    return replace(p, level=INFO, message=message, expected=None, template=template)


if __name__ == "__main__":  # pragma: no cover - a maintainer's listing
    for code in codes():
        print(code)

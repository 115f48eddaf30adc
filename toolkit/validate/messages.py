"""Every French message of validation, keyed by its stable code (the JSON output and tests rely on codes).

A message says what is wrong; `found` and `expected` on the `Issue` say what was read and what would be
accepted. `docs/erreurs.md` explains each code and how to fix it: keep both in step.
"""

from __future__ import annotations

from ..model import Cell, Issue, Level

MESSAGES: dict[str, str] = {
    # the file as a whole (exit code 2)
    "fichier-introuvable": "{detail}",
    "fichier-vide": "{detail}",
    "fichier-inaccessible": "{detail}",
    "format-csv": "{detail}",
    "format-xls": "{detail}",
    "pas-un-classeur": "{detail}",
    "extension-inconnue": "{detail}",
    "fichier-trop-gros": "{detail}",
    "archive-trop-grosse": "{detail}",
    "archive-suspecte": "{detail}",
    "trop-de-lignes": "{detail}",
    "trop-de-colonnes": "{detail}",
    "trop-d-actions": "Actions : {n} lignes ; au plus {max}. Gardez les actions réellement envisagées, "
                      "ou relevez [limites] actions dans --config",
    # sheets and columns
    "feuille-manquante": "Feuille obligatoire « {feuille} » absente",
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
    "valeur-hors-liste": "{colonne} : valeur hors de la liste",
    "formule-sans-valeur": "{colonne} : formule sans valeur calculée (classeur jamais ouvert dans un tableur ?)",
    "code-inconnu": "{colonne} : code inconnu{suggestion}",
    "enjeu-inconnu": "{colonne} : enjeu inconnu{suggestion}",
    "objet-inconnu": "{colonne} : objet du vote inconnu (ni enjeu, ni action du classeur){suggestion}",
    "commune-inconnue": "Code commune inconnu{suggestion}",
    "code-numerique": "{colonne} : code saisi comme un nombre, zéro initial restauré en « {code} »",
    "departement-incoherent": "Département « {departement} » sans aucune des communes indiquées",
    "quartier-illisible": "Quartier prioritaire « {item} » : code QP… ou QN… attendu en tête",
    "version-inconnue": "Version du modèle « {version} » non reconnue : le classeur est lu comme une version 1",
    "doublon": "{quoi} « {code} » déjà présent en {premier} : cette ligne est ignorée",
    "donnee-personnelle": "{colonne} : semble contenir une donnée personnelle (courriel ou téléphone)",
    # warnings on content
    "annee-ancienne": "Année {annee} : donnée de plus de {ans} ans avant le diagnostic ({diagnostic})",
    "annee-future": "Année {annee} postérieure à la date du diagnostic ({diagnostic})",
    "reference-manquante": "Valeur de référence manquante : l'indicateur {code} sera montré mais pas noté",
    "source-illustrative": "{n} valeur{s} marquée{s} « illustratif » ({cellules}) : chiffres d'exemple, à remplacer par "
    "des données sourcées",
    "score-manquant": "{colonne} : {n} cellule{s} vide{s} ({cellules}), à compléter si possible",
    "reponse-manquante": "{n} question{s} de gouvernance sans réponse ({cellules})",
    "unite-incoherente": "{colonne} : unité « {unite} » alors que l'indicateur {code} s'exprime en {attendue}",
    "valeur-quartier-manquante": "Valeur quartier vide : l'indicateur {code} est ignoré",
}


def make_issue(
    level: Level,
    issue_code: str,
    /,
    *,
    file: str = "",
    cell: Cell | None = None,
    sheet: str | None = None,
    found: object = None,
    expected: str | None = None,
    **fields: object,
) -> Issue:
    """An `Issue` whose message is the template of `code` filled with `fields`."""
    template = MESSAGES[issue_code]
    defaults = {"suggestion": "", "suite": "", "s": "", "colonne": "Valeur"}
    message = template.format(**{**defaults, **fields})
    shown = None if found is None else _show(found)
    return Issue(level, issue_code, message, file=file, cell=cell, sheet=sheet or (cell.sheet if cell else None),
                 found=shown, expected=expected)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def suggestion(word: str, candidates: list[str] | tuple[str, ...], n: int = 3) -> str:
    """` ; vouliez-vous dire : A, B ?` with the nearest candidates (difflib), or ``."""
    import difflib

    from ..text import normalize_key

    keyed = {normalize_key(c): c for c in candidates}
    near = difflib.get_close_matches(normalize_key(word), list(keyed), n=n, cutoff=0.6)
    if not near:
        return ""
    return " ; vouliez-vous dire : " + ", ".join(keyed[k] for k in near) + " ?"

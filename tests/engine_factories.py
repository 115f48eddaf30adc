"""Build `Workbook` objects in Python for engine tests, with cells as the reader would set them.

`sample_workbook()` resembles a filled sample (a ville moyenne with two QPV); every figure in it is
`illustratif` (made up for tests and the worked example of docs/methode.md).
"""

from __future__ import annotations

from datetime import date

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.indicators import indicator as indicator_def
from toolkit.model import (
    PREREQUIS,
    Acteur,
    Action,
    Cell,
    Echeance,
    EnjeuLocal,
    Indicateur,
    Quartier,
    ReponseGouvernance,
    Territoire,
    Vote,
    Workbook,
)


def territoire(**kw) -> Territoire:
    base = {
        "version": "1",
        "nom": "Territoire test",
        "communes": ("11069",),
        "typologie": "Ville moyenne",
        "date_diagnostic": date(2024, 3, 15),
        "departement": "11",
        "quartiers": (Quartier("QP011002", "La Conte-Ozanam"), Quartier("QP011003", "Viguier-St-Jacques")),
        "population_quartiers": 3900,
        "periode": (2024, 2030),
        "cell": Cell("Territoire", "B3"),
    }
    base.update(kw)
    return Territoire(**base)


def indicateur(code: str, quartier: float | None, reference: float | None, row: int = 4, **kw) -> Indicateur:
    d = indicator_def(code)
    base = {
        "code": code,
        "libelle": d.libelle if d else code,
        "enjeu": d.enjeu if d else None,
        "sens": d.sens if d else "hausse = dégradation",
        "unite": d.unite if d else "%",
        "valeur_quartier": quartier,
        "valeur_reference": reference,
        "territoire_reference": "France",
        "annee": 2022,
        "source": "illustratif",
        "cell": Cell("Indicateurs", f"A{row}"),
        "value_cell": Cell("Indicateurs", f"C{row}"),
    }
    base.update(kw)
    return Indicateur(**base)


def action(
    code: str = "COM_BOUTIQUE_ESSAI", row: int = 7, prerequis: tuple[str, str, str] | None = None, **kw
) -> Action:

    d = packaged_catalogue().action(code)
    statuses = prerequis or ("Fait", "Fait", "Fait")
    echeance = kw.pop("echeance", None)
    if isinstance(echeance, str):
        year, _, sem = echeance.partition("-S")
        end = date(int(year), 6, 30) if sem == "1" else date(int(year), 12, 31)
        echeance = Echeance(end, echeance)
    base = {
        "code": code,
        "intitule": d.intitule if d else "Action locale",
        "champ": d.champ if d else "Commerce",
        "enjeux": d.enjeux if d else ("COMMERCE",),
        "impact": 3,
        "faisabilite": 3,
        "cout": None,
        "pilote": "Commune",
        "partenaires": (),
        "prerequis": dict(zip(PREREQUIS, statuses, strict=False)),
        "echeance": echeance,
        "cell": Cell("Actions", f"A{row}"),
    }
    base.update(kw)
    return Action(**base)


def acteur(structure: str, type_: str, implication: int | None = 2, row: int = 4, signataire: bool = True) -> Acteur:
    return Acteur(structure, type_, None, implication, signataire, Cell("Acteurs", f"A{row}"))


def reponse(code: str, reponse: str | None, row: int = 4) -> ReponseGouvernance:
    return ReponseGouvernance(code, f"Question {code}", reponse, None, Cell("Gouvernance", f"C{row}"))  # type: ignore[arg-type]  # any text, to test the rules


def vote(participant: str, objet: str, note: int, row: int = 4) -> Vote:
    return Vote(participant, None, objet, note, Cell("Votes", f"D{row}"))


def workbook(**kw) -> Workbook:
    base = {
        "source": "test.xlsx",
        "territoire": territoire(),
        "indicateurs": (indicateur("CHOMAGE_15_64", 25.0, 7.5),),
        "actions": (action(),),
    }
    base.update(kw)
    return Workbook(**base)


def sample_workbook() -> Workbook:
    """A complete workbook: 12 indicators, 6 enjeux rows, 9 actors, 8 governance answers, 8 actions, votes."""
    inds = [
        ("CHOMAGE_15_64", 27.4, 7.5),
        ("EMPLOI_15_64", 44.1, 64.7),
        ("ACTIVITE_15_64", 60.2, 72.0),
        ("DEFM_LONGUE_DUREE", 48.0, None),
        ("CHOMAGE_JEUNES", 35.0, 13.5),
        ("NEET_16_25", 31.0, 17.4),
        ("BAC_OU_PLUS", 28.0, 44.0),
        ("NON_SALARIES", 6.1, 9.3),
        ("VACANCE_COMMERCIALE", 21.0, 9.5),
        ("MENAGES_SANS_VOITURE", 38.0, 19.0),
        ("PAUVRETE", 47.0, 14.6),
        ("LOGEMENTS_VACANTS", 14.0, 8.0),
    ]
    indicateurs = tuple(
        indicateur(code, q, r, row=4 + i, annee=2015 if code in ("EMPLOI_15_64", "ACTIVITE_15_64") else 2022)
        for i, (code, q, r) in enumerate(inds)
    )
    enjeux = tuple(
        EnjeuLocal(code, imp, atouts, faibl, None, Cell("Enjeux", f"B{4 + i}"))
        for i, (code, imp, atouts, faibl) in enumerate(
            [
                ("EMPLOI", 5, "Réseau associatif actif", "Chômage de longue durée élevé"),
                ("JEUNES", 4, None, "Jeunes peu connus des institutions"),
                ("COMMERCE", 4, "Marché hebdomadaire", "Cellules vides en pied d'immeuble"),
                ("MOBILITE", 3, None, "Zones d'emploi mal desservies"),
                ("ENTREPRENEURIAT", 3, "Porteurs de projet repérés", None),
                ("GOUVERNANCE", 2, None, None),
            ]
        )
    )
    acteurs = (
        acteur("Ville", "Commune", 3, 4),
        acteur("Agglomération", "EPCI", 3, 5),
        acteur("Préfecture (délégué du préfet)", "État", 2, 6),
        acteur("France Travail", "Réseau pour l'emploi", 2, 7),
        acteur("Mission locale", "Réseau pour l'emploi", 3, 8),
        acteur("Office HLM", "Bailleur social", 1, 9),
        acteur("Association d'insertion", "Association", 2, 10),
        acteur("Banque des Territoires", "Financeur", 1, 11),
        acteur("Région", "Région", None, 12, signataire=False),
    )
    gouvernance = tuple(
        reponse(f"GOUV{i:02d}", r, row=4 + i)
        for i, r in enumerate(["Oui", "Partiel", "Non", "Ne sait pas", "Oui", "Partiel", "Non", None], start=1)
    )
    actions = (
        action(
            "EMP_CLAUSES_SOCIALES",
            7,
            ("Fait", "Sans objet", "En cours"),
            impact=4,
            faisabilite=4,
            cout=80_000,
            echeance="2025-S2",
        ),
        action(
            "COM_BOUTIQUE_ESSAI", 8, ("Fait", "À faire", "À faire"), impact=3, faisabilite=4, cout=30_000, pilote=None
        ),
        action(
            "MOB_PLATEFORME",
            9,
            ("En cours", "À faire", "En cours"),
            impact=4,
            faisabilite=3,
            cout=120_000,
            echeance="2025-S1",
        ),
        action("EMP_ALLER_VERS", 10, ("Fait", "Sans objet", "Fait"), impact=5, faisabilite=4, cout=90_000),
        action("IMMO_PEPINIERE", 11, ("À faire", "À faire", "À faire"), impact=4, faisabilite=2, cout=2_500_000),
        action("EMP_EMPLOIS_FRANCS", 12, ("Fait", "Sans objet", "Fait"), impact=2, faisabilite=5),
        action(
            "ACC_ENTREPRENEURIAT_Q2030",
            13,
            ("Fait", "Sans objet", "En cours"),
            impact=None,
            faisabilite=4,
            cout=120_000,
        ),
        action(
            "LIBRE",
            14,
            ("À faire", "Sans objet", "À faire"),
            intitule="Conciergerie solidaire de quartier",
            champ="Emploi et insertion",
            enjeux=("EMPLOI", "COMMERCE"),
            impact=3,
            faisabilite=3,
            cout=40_000,
        ),
    )
    votes = tuple(
        vote(p, objet, note, row=4 + i)
        for i, (p, objet, note) in enumerate(
            [(f"P{k}", "EMPLOI", n) for k, n in enumerate([5, 5, 4, 5, 4, 5])]
            + [(f"P{k}", "COMMERCE", n) for k, n in enumerate([1, 5, 2, 5, 1, 4])]
            + [(f"P{k}", "MOBILITE", n) for k, n in enumerate([3, 4, 3, 4, 3, 3])]
        )
    )
    return Workbook(
        source="exemple-illustratif.xlsx",
        territoire=territoire(nom="Exemple illustratif (ville moyenne)"),
        indicateurs=indicateurs,
        actions=actions,
        enjeux=enjeux,
        acteurs=acteurs,
        gouvernance=gouvernance,
        votes=votes,
    )

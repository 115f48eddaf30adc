"""Build the three sample workbooks (Carcassonne, Bédarieux, Vauvert) from the template, as a user would.

Each starts from `pilier-eco template --qpv …` (INSEE figures, real and cited), then the rest is typed in
the template's own layout (rows keyed by the column keys of `toolkit.layout`): local indicators (every figure without a real source says `illustratif`),
enjeux, acteurs (organisations only), governance answers, actions and workshop votes (pseudonyms).
A few imperfections a real chargé de mission leaves are kept on purpose; they must give warnings only
(see README.md). Run: `make samples` or `python sample_data/build_samples.py [OUT_DIR]`.
"""

from __future__ import annotations

import re
import sys
import zipfile
from datetime import date
from pathlib import Path

from toolkit.catalog.catalogue import packaged_catalogue
from toolkit.catalog.governance import questions
from toolkit.catalog.prefill import prefill_codes
from toolkit.io.template import HEADER_ROW, append_rows, build_workbook, fill_by_key, fill_territoire, header_columns

HERE = Path(__file__).resolve().parent
GENERATED_ON = date(2025, 3, 14)  # fixed, so that a rebuild gives the same cells

# Shared references from spec/domain-facts.md (secondary summaries of ONPV and Procos reports).
REF_CHOMAGE = (7.5, "Unités urbaines englobantes (France)")
REF_NEET = (17.4, "Unités urbaines englobantes (France)")
REF_VACANCE = (9.5, "Moyenne des centres-villes (France)")
#: The Procos panel covers agglomerations over 25 000 inhabitants: no reference for Bédarieux or Vauvert.
NO_VACANCY_REF = "Pas de référence : le panel Procos ne couvre que les agglomérations de plus de 25 000 habitants."


def indicator(code, valeur, ref=None, annee=2024, source="illustratif", commentaire=None, **extra):
    row = {"code": code, "valeur": valeur, "annee": annee, "source": source}
    if ref is not None:
        row["reference"], row["territoire_ref"] = ref
    if commentaire:
        row["commentaire"] = commentaire
    row.update(extra)
    return row


def action(code, impact, faisabilite, cout, pilote, partenaires, prerequis, echeance, commentaire=None, **extra):
    diag, etude, mobil = prerequis
    row = {
        "code": code,
        "impact": impact,
        "faisabilite": faisabilite,
        "cout": cout,
        "pilote": pilote,
        "partenaires": partenaires,
        "prerequis_diagnostic": diag,
        "prerequis_etude": etude,
        "prerequis_partenaires": mobil,
        "echeance": echeance,
    }
    if commentaire:
        row["commentaire"] = commentaire
    row.update(extra)
    return {k: v for k, v in row.items() if v is not None}


def acteur(structure, type_, role, implication, signataire):
    return {"structure": structure, "type": type_, "role": role, "implication": implication, "signataire": signataire}


def votes(structures: dict[str, str], notes: dict[str, tuple[int, ...]]) -> list[dict]:
    """`notes[objet]` gives one note per participant, in the order of `structures` (None = no vote)."""
    rows = []
    for objet, per_participant in notes.items():
        for (participant, structure), note in zip(structures.items(), per_participant, strict=False):
            if note is not None:
                rows.append({"participant": participant, "structure": structure, "objet": objet, "note": note})
    return rows


# ------------------------------------------------------------------------------------------ Carcassonne

CARCASSONNE = {
    "fichier": "carcassonne.xlsx",
    "qpv": ["QP011002", "QP011003", "QP011004", "QP011005", "QP011006"],
    "territoire": {
        "nom": "Carcassonne – 5 quartiers prioritaires",
        "epci": "Carcassonne Agglo",
        "typologie": "Ville-centre d'agglomération",
        "periode": "2024-2030",
        "date": date(2025, 3, 14),
        "structure": "Carcassonne Agglo – service politique de la ville",
    },
    "indicateurs": [
        indicator(
            "CHOMAGE_15_64",
            27.5,
            REF_CHOMAGE,
            2024,
            commentaire="Estimation de travail en attendant les données par QPV (introuvables).",
        ),
        indicator(
            "NEET_16_25",
            31,
            REF_NEET,
            2014,
            "illustratif",
            commentaire="Ordre de grandeur repris d'un ancien diagnostic : à actualiser.",
        ),
        indicator(
            "MENAGES_SANS_VOITURE",
            38,
            None,
            2024,
            commentaire="Pas de référence trouvée pour la part des ménages sans voiture en QPV.",
        ),
        indicator(
            "PERSO_COMMERCES_FLEMING",
            0,
            None,
            None,
            "Villes et Territoires Occitanie, fiche Carcassonne https://www.villes-et-territoires.fr/carcassonne",
            "Fleming La Reille n'a aucun commerce de proximité ; Grazailles est isolé par des fermetures.",
            libelle="Commerces de proximité en activité à Fleming La Reille",
            enjeu="COMMERCE",
            sens="hausse = amélioration",
        ),
    ],
    "enjeux": {
        "EMPLOI": (
            5,
            "Bastide Pont-Vieux : centre-ville actif, services publics de l'emploi proches.",
            "Taux d'emploi très bas à La Conte-Ozanam et au Viguier ; emplois précaires nombreux.",
        ),
        "JEUNES": (
            4,
            "Mission locale implantée et connue des familles.",
            "Jeunes sans emploi ni formation peu repérés.",
        ),
        "FORMATION": (3, None, "Faible niveau de qualification, besoins en savoirs de base."),
        "ENTREPRENEURIAT": (
            3,
            "Porteurs de projet repérés par les associations de quartier.",
            "Peu d'établissements hors Bastide Pont-Vieux.",
        ),
        "COMMERCE": (
            4,
            "Centre-ville commerçant de la Bastide à proximité.",
            "Fleming sans commerce de proximité ; Grazailles isolé par la fermeture de commerces et services.",
        ),
        "IMMOBILIER": (2, "Locaux en pied d'immeuble mobilisables avec les bailleurs.", None),
        "MOBILITE": (4, "Réseau de bus urbain.", "Quartiers périphériques éloignés des zones d'activités."),
        "ATTRACTIVITE": (3, "Patrimoine et tourisme de la Cité.", "Image dégradée de La Conte-Ozanam et du Viguier."),
        "ENTREPRISES": (3, "Grandes entreprises du bassin prêtes à parrainer.", "Clauses sociales peu suivies."),
        "GOUVERNANCE": (
            3,
            "Contrat de ville 2024-2030 signé, 5 QPV couverts.",
            "Politique de la ville et développement économique travaillent encore séparément.",
        ),
    },
    "acteurs": [
        acteur("Carcassonne Agglo", "EPCI", "Pilote du contrat de ville et de la stratégie économique", 3, "Oui"),
        acteur(
            "Ville de Carcassonne", "Commune", "Commerce, occupation du domaine public, Action cœur de ville", 3, "Oui"
        ),
        acteur("Préfecture de l'Aude", "État", "Délégué du préfet, crédits politique de la ville", 2, "Oui"),
        acteur("Conseil départemental de l'Aude", "Département", "Insertion des allocataires du RSA", 2, "Oui"),
        acteur("Région Occitanie", "Région", "Formation professionnelle, aides aux entreprises", 1, "Oui"),
        acteur("France Travail", "Réseau pour l'emploi", "Accompagnement des demandeurs d'emploi", 2, "Oui"),
        acteur("Mission locale de l'Ouest audois", "Réseau pour l'emploi", "Insertion des 16-25 ans", 2, "Non"),
        acteur("CCI de l'Aude", "Chambre consulaire", "Appui aux commerçants", 1, "Non"),
        acteur(
            "Chambre de métiers et de l'artisanat de l'Aude", "Chambre consulaire", "Artisans et créateurs", 1, "Non"
        ),
        acteur("Bailleur social du parc des quartiers", "Bailleur social", "Locaux en pied d'immeuble", 2, "Oui"),
        acteur("BGE", "Association", "Accompagnement à la création d'entreprise", 2, "Non"),
        acteur("ADIE", "Financeur", "Microcrédit et accompagnement des créateurs", 1, "Non"),
    ],
    "gouvernance": [
        "Oui",
        "Oui",
        "Partiel",
        "Partiel",
        "Non",
        "Oui",
        "Partiel",
        "Partiel",
        "Non",
        "Partiel",
        "Non",
        None,
        "Partiel",
        "Ne sait pas",
        "Partiel",
        "Non",
    ],
    "actions": [
        action(
            "EMP_PACTE_PLEIN_EMPLOI",
            4,
            4,
            30000,
            "Carcassonne Agglo",
            "France Travail ; Mission locale ; Département",
            ("Fait", "Sans objet", "En cours"),
            "2025-S2",
        ),
        action(
            "EMP_ALLER_VERS",
            4,
            3,
            90000,
            "Mission locale de l'Ouest audois",
            "France Travail ; associations de quartier",
            ("En cours", "Sans objet", "À faire"),
            2026,
        ),
        action(
            "EMP_CLAUSES_SOCIALES",
            4,
            3,
            120000,
            "Carcassonne Agglo",
            "Bailleur social ; France Travail",
            ("Fait", "À faire", "En cours"),
            "2026-S1",
        ),
        action(
            "EMP_CITES_EMPLOI",
            3,
            2,
            100000,
            "Préfecture de l'Aude",
            "France Travail ; Carcassonne Agglo",
            ("Fait", "Sans objet", "En cours"),
            2025,
            "Reprise envisagée d'un dispositif national à confirmer.",
        ),
        action(
            "ACC_ENTREPRENEURIAT_Q2030",
            4,
            4,
            80000,
            "Carcassonne Agglo",
            "BGE ; CCI de l'Aude ; ADIE",
            ("Fait", "Sans objet", "En cours"),
            "2025-S2",
        ),
        action("ACC_MICROCREDIT", 3, 5, 15000, "ADIE", "BGE ; Carcassonne Agglo", ("Fait", "Sans objet", "Fait"), 2025),
        action(
            "ACC_COUVEUSE_CAE",
            3,
            3,
            110000,
            "BGE",
            "Carcassonne Agglo ; Région Occitanie",
            ("En cours", "À faire", "À faire"),
            2027,
        ),
        action(
            "COM_MARCHE",
            3,
            3,
            60000,
            "Ville de Carcassonne",
            "CCI de l'Aude ; bailleur social",
            ("À faire", "À faire", "À faire"),
            "2026-S2",
            "Marché hebdomadaire à Fleming La Reille, sans commerce.",
        ),
        action(
            "IMMO_PIED_IMMEUBLE",
            3,
            2,
            450000,
            "Bailleur social du parc des quartiers",
            "Ville de Carcassonne ; CMA",
            ("À faire", "À faire", "En cours"),
            2028,
        ),
        action(
            "MOB_PLATEFORME",
            4,
            3,
            150000,
            "Carcassonne Agglo",
            "France Travail ; Mission locale ; association de mobilité",
            ("En cours", "À faire", "En cours"),
            2026,
        ),
        action(
            "MOB_PERMIS",
            3,
            4,
            35000,
            "Mission locale de l'Ouest audois",
            "Auto-école sociale ; Département",
            ("Fait", "Sans objet", "Fait"),
            "2025-S2",
        ),
        action(
            "ATT_COEUR_DE_VILLE",
            2,
            4,
            10000,
            "Ville de Carcassonne",
            "Préfecture de l'Aude",
            ("Fait", "Sans objet", "En cours"),
            2025,
            "Bastide Pont-Vieux est dans le périmètre Action cœur de ville.",
        ),
        action(
            "GOUV_OBSERVATOIRE",
            3,
            4,
            25000,
            "Carcassonne Agglo",
            "Préfecture de l'Aude ; France Travail",
            ("À faire", "Sans objet", "À faire"),
            2026,
        ),
        {
            "code": "LIBRE",
            "intitule": "Épicerie solidaire et point de services à Fleming La Reille",
            "champ": "Commerce",
            "enjeux": "COMMERCE;ATTRACTIVITE",
            "impact": 4,
            "faisabilite": 2,
            "cout": 180000,
            "pilote": "Ville de Carcassonne",
            "partenaires": "Bailleur social ; association d'aide alimentaire",
            "prerequis_diagnostic": "En cours",
            "prerequis_etude": "À faire",
            "prerequis_partenaires": "À faire",
            "echeance": 2027,
        },
    ],
    # imperfection: an extra column the contract does not know (kept and reported as ignored)
    "extra_action_column": ("Remarque interne", {0: "Validé en comité technique", 3: "À rediscuter avec l'État"}),
    "votants": {
        "P01": "Carcassonne Agglo",
        "P02": "Ville de Carcassonne",
        "P03": "France Travail",
        "P04": "Mission locale de l'Ouest audois",
        "P05": "CCI de l'Aude",
        "P06": "BGE",
        "P07": "Conseil citoyen",
        "P08": "Bailleur social du parc des quartiers",
    },
    "notes": {
        "EMPLOI": (5, 5, 5, 5, 4, 4, 5, 4),
        "COMMERCE": (3, 4, 2, 2, 5, 3, 5, 4),
        "MOBILITE": (4, 3, 5, 5, 2, 3, 4, 3),
        "EMP_ALLER_VERS": (4, 3, 5, 5, None, 3, 4, None),
        "COM_MARCHE": (3, 4, 2, None, 4, 3, 5, 4),
    },
}

# ------------------------------------------------------------------------------------------ Bédarieux

BEDARIEUX = {
    "fichier": "bedarieux.xlsx",
    "qpv": ["QP034020"],
    "territoire": {
        "nom": "Bédarieux – Centre-ville",
        "epci": "CC Grand Orb",
        "typologie": "Petite ville",
        "periode": "2024-2030",
        "date": date(2025, 2, 20),
        "structure": "CC Grand Orb – service politique de la ville",
    },
    "indicateurs": [
        # imperfection: a rate typed as French text
        indicator(
            "VACANCE_COMMERCIALE",
            "21,5 %",
            None,
            2024,
            commentaire="Relevé de terrain des cellules vides du centre ancien (fictif pour l'exemple). "
            + NO_VACANCY_REF,
        ),
        indicator("CHOMAGE_15_64", 24, REF_CHOMAGE, 2024),
        indicator("LOGEMENTS_VACANTS", 17, None, 2024, commentaire="Centre ancien ; référence communale à trouver."),
        indicator("MENAGES_SANS_VOITURE", 33, None, 2024),
    ],
    "enjeux": {
        "EMPLOI": (4, "Employeurs publics et santé dans la commune.", "Emplois précaires, peu d'offres sur place."),
        "JEUNES": (3, None, "Départ des jeunes qualifiés vers Béziers et Montpellier."),
        "FORMATION": (3, None, "Offre de formation éloignée."),
        "ENTREPRENEURIAT": (3, "Artisans et commerçants indépendants nombreux.", "Peu d'accompagnement sur place."),
        "COMMERCE": (
            5,
            "Marché hebdomadaire actif, commerces de bouche.",
            "« Spirale du déclin » du centre ancien : vacance commerciale qui s'aggrave.",
        ),
        "IMMOBILIER": (
            4,
            "Locaux vacants disponibles à bas prix.",
            "Bâti ancien dégradé, propriétaires peu mobilisés.",
        ),
        "MOBILITE": (4, None, "Ville isolée, peu de transports vers les bassins d'emploi."),
        "ATTRACTIVITE": (4, "Cadre de vie, vallée de l'Orb, patrimoine.", "Image de centre en déclin."),
        "ENTREPRISES": (2, None, "Tissu de très petites entreprises peu structuré."),
        "GOUVERNANCE": (3, "Contrat porté par la CC Grand Orb depuis 2018.", "Ingénierie réduite, une seule personne."),
    },
    "acteurs": [
        acteur("CC Grand Orb", "EPCI", "Pilote du contrat de ville", 3, "Oui"),
        acteur("Ville de Bédarieux", "Commune", "Commerce, centre ancien", 3, "Oui"),
        acteur("Sous-préfecture de Béziers", "État", "Délégué du préfet", 2, "Oui"),
        acteur("Conseil départemental de l'Hérault", "Département", "Insertion, RSA", 2, "Oui"),
        acteur("France Travail", "Réseau pour l'emploi", "Demandeurs d'emploi", 2, "Oui"),
        acteur("Mission locale du Centre Hérault", "Réseau pour l'emploi", "Jeunes 16-25 ans", 1, "Non"),
        acteur("CCI Hérault", "Chambre consulaire", "Commerçants du centre", 1, "Non"),
        acteur("CMA Hérault", "Chambre consulaire", "Artisans", 1, "Non"),
        acteur("Association d'insertion du Grand Orb", "Association", "Chantiers d'insertion", 2, "Non"),
    ],
    "gouvernance": [
        "Partiel",
        "Oui",
        "Partiel",
        "Oui",
        "Partiel",
        "Non",
        "Non",
        "Partiel",
        "Non",
        "Non",
        "Non",
        "Partiel",
        "Non",
        "Partiel",
        "Partiel",
        "Non",
    ],
    "actions": [
        action(
            "COM_OBSERVATOIRE_VACANCE",
            3,
            5,
            12000,
            "Ville de Bédarieux",
            "CCI Hérault",
            ("À faire", "Sans objet", "En cours"),
            2025,
        ),
        action(
            "COM_BOUTIQUE_ESSAI",
            4,
            3,
            40000,
            "Ville de Bédarieux",
            "CCI Hérault ; propriétaires de locaux",
            ("En cours", "À faire", "À faire"),
            "2026-S1",
        ),
        action(
            "COM_DEVANTURES",
            3,
            4,
            90000,
            "Ville de Bédarieux",
            "CMA Hérault ; CC Grand Orb",
            ("Fait", "Sans objet", "En cours"),
            2026,
        ),
        action(
            "IMMO_TIERS_LIEU",
            4,
            2,
            1200000,
            "CC Grand Orb",
            "Région Occitanie ; Banque des Territoires ; associations",
            ("À faire", "À faire", "À faire"),
            2028,
        ),
        action(
            "ACC_PERMANENCES_CONSULAIRES",
            3,
            5,
            8000,
            "CCI Hérault",
            "CMA Hérault ; CC Grand Orb",
            ("Sans objet", "Sans objet", "Fait"),
            2025,
        ),
        action("ACC_MICROCREDIT", 3, 4, 10000, "ADIE", "CC Grand Orb", ("Sans objet", "Sans objet", "En cours"), 2025),
        action(
            "EMP_SIAE",
            4,
            3,
            350000,
            "Association d'insertion du Grand Orb",
            "Conseil départemental de l'Hérault ; France Travail",
            ("Fait", "En cours", "En cours"),
            2026,
        ),
        action(
            "EMP_TZCLD",
            4,
            2,
            600000,
            "CC Grand Orb",
            "France Travail ; Conseil départemental de l'Hérault",
            ("À faire", "À faire", "À faire"),
            2028,
            "S'inspirer de Lodève, habilité dans l'Hérault.",
        ),
        action(
            "MOB_PLATEFORME",
            4,
            3,
            110000,
            "CC Grand Orb",
            "France Travail ; Mission locale du Centre Hérault",
            ("En cours", "À faire", "À faire"),
            2026,
        ),
        action(
            "GOUV_COMITE_ECO",
            3,
            5,
            5000,
            "CC Grand Orb",
            "CCI Hérault ; CMA Hérault ; France Travail",
            ("Fait", "Sans objet", "À faire"),
            2025,
        ),
        # imperfection: a LIBRE action without feasibility
        {
            "code": "LIBRE",
            "intitule": "Conciergerie solidaire du centre ancien",
            "champ": "Emploi et insertion",
            "enjeux": "EMPLOI;COMMERCE",
            "impact": 3,
            "cout": 45000,
            "pilote": "Association d'insertion du Grand Orb",
            "prerequis_diagnostic": "À faire",
            "prerequis_etude": "À faire",
            "prerequis_partenaires": "À faire",
            "echeance": "2026-S2",
        },
    ],
    "votants": {
        "P01": "CC Grand Orb",
        "P02": "Ville de Bédarieux",
        "P03": "France Travail",
        "P04": "CCI Hérault",
        "P05": "Association d'insertion du Grand Orb",
        "P06": "Conseil citoyen",
        "P07": "Commerçant du centre",
    },
    "notes": {
        "COMMERCE": (5, 5, 3, 5, 4, 5, 5),
        "MOBILITE": (4, 3, 5, 2, 4, 4, 2),
        "COM_BOUTIQUE_ESSAI": (4, 5, 3, 4, None, 4, 5),
        "IMMO_TIERS_LIEU": (3, 4, 2, 3, 4, 2, 1),
    },
}

# ------------------------------------------------------------------------------------------ Vauvert

VAUVERT = {
    "fichier": "vauvert.xlsx",
    "qpv": ["QP030015"],
    "territoire": {
        "nom": "Vauvert – Les Costières",
        "epci": "CC de Petite Camargue",
        "typologie": "Petite ville",
        "periode": "2024-2030",
        "date": date(2025, 1, 30),
        "structure": "CC de Petite Camargue – service politique de la ville",
    },
    "indicateurs": [
        indicator("CHOMAGE_15_64", 26, REF_CHOMAGE, 2024),
        indicator(
            "VACANCE_COMMERCIALE",
            15,
            None,
            2024,
            commentaire="Pôle commercial des Costières avant restructuration (fictif pour l'exemple). "
            + NO_VACANCY_REF,
        ),
        # imperfection: no reference value
        indicator("MENAGES_SANS_VOITURE", 35, None, 2024),
        indicator("NEET_16_25", 28, REF_NEET, 2024),
        indicator(
            "PERSO_LOGEMENTS_SOCIAUX",
            987,
            None,
            2017,
            "Objectif Gard, 2017 https://objectifgard.com/a-la-une/fait-du-jour-une-seconde-chance-pour-vauvert-56861.php",
            "80 % du parc social de la CC de Petite Camargue selon la même source.",
            libelle="Logements sociaux du quartier",
            enjeu="ATTRACTIVITE",
            sens="hausse = dégradation",
        ),
    ],
    "enjeux": {
        "EMPLOI": (
            5,
            "Agriculture et logistique qui recrutent autour de Vauvert.",
            "Emplois saisonniers et précaires.",
        ),
        "JEUNES": (4, None, "Jeunes peu mobiles, décrochage."),
        "FORMATION": (3, None, "Peu d'offre de qualification sur place."),
        "ENTREPRENEURIAT": (3, "Projets de création repérés par les associations.", None),
        "COMMERCE": (
            4,
            "Pôle commercial prévu dans le projet de renouvellement urbain (NPNRU).",
            "Pôle actuel vieilli, cellules vides.",
        ),
        "IMMOBILIER": (
            3,
            "Convention ANRU signée le 3 décembre 2020.",
            "Maîtrise foncière du pôle commercial à organiser.",
        ),
        "MOBILITE": (5, None, "Desserte faible vers Nîmes et les zones d'emploi."),
        "ATTRACTIVITE": (
            4,
            "Petites villes de demain depuis décembre 2020 ; QPV étendu au centre-ville en 2024.",
            "Concentration du logement social, image du quartier.",
        ),
        "ENTREPRISES": (3, "Clauses d'insertion des chantiers ANRU.", "Peu d'entreprises engagées au-delà."),
        "GOUVERNANCE": (
            3,
            "Projet urbain structuré avec ses partenaires financeurs.",
            "Volet économique sans pilote dédié.",
        ),
    },
    "acteurs": [
        acteur("CC de Petite Camargue", "EPCI", "Pilote du contrat de ville", 3, "Oui"),
        acteur("Ville de Vauvert", "Commune", "Porteur du projet de renouvellement urbain", 3, "Oui"),
        acteur("Préfecture du Gard", "État", "Délégué du préfet, ANRU", 2, "Oui"),
        acteur("Conseil départemental du Gard", "Département", "Cofinanceur du NPNRU, insertion", 2, "Oui"),
        acteur("Région Occitanie", "Région", "Cofinanceur du NPNRU", 1, "Oui"),
        acteur("France Travail", "Réseau pour l'emploi", "Demandeurs d'emploi", 2, "Oui"),
        acteur("Mission locale de Petite Camargue", "Réseau pour l'emploi", "Jeunes 16-25 ans", 2, "Non"),
        acteur("CCI du Gard", "Chambre consulaire", "Commerçants du pôle commercial", 1, "Non"),
        acteur(
            "Bailleur social des Costières", "Bailleur social", "Patrimoine du quartier, locaux d'activité", 2, "Oui"
        ),
        acteur("Banque des Territoires", "Financeur", "Ingénierie Petites villes de demain", 1, "Non"),
    ],
    "gouvernance": [
        "Partiel",
        "Oui",
        "Non",
        "Partiel",
        "Partiel",
        "Oui",
        "Partiel",
        "Oui",
        "Non",
        "Oui",
        "Partiel",
        "Partiel",
        None,
        "Ne sait pas",
        "Oui",
        "Partiel",
    ],
    "actions": [
        action(
            "IMMO_FONCIERE_COMMERCE",
            5,
            2,
            2500000,
            "Ville de Vauvert",
            "ANCT ; Banque des Territoires ; CCI du Gard",
            ("Fait", "En cours", "En cours"),
            2029,
            "Pôle commercial prévu par la convention NPNRU.",
        ),
        action(
            "IMMO_PIED_IMMEUBLE",
            3,
            3,
            300000,
            "Bailleur social des Costières",
            "Ville de Vauvert",
            ("En cours", "À faire", "En cours"),
            2027,
        ),
        action(
            "COM_MANAGER",
            3,
            4,
            120000,
            "Ville de Vauvert",
            "CCI du Gard ; Banque des Territoires",
            ("Fait", "Sans objet", "En cours"),
            "2025-S2",
        ),
        action(
            "ATT_COEUR_DE_VILLE",
            3,
            4,
            15000,
            "Ville de Vauvert",
            "Banque des Territoires ; Préfecture du Gard",
            ("Fait", "Sans objet", "Fait"),
            2025,
            "Articulation avec Petites villes de demain.",
        ),
        action(
            "EMP_CLAUSES_SOCIALES",
            4,
            4,
            60000,
            "CC de Petite Camargue",
            "Bailleur social des Costières ; France Travail",
            ("Fait", "Sans objet", "Fait"),
            2025,
            "Chantiers ANRU : au moins 5 % des heures en insertion.",
        ),
        action(
            "EMP_ALLER_VERS",
            4,
            3,
            70000,
            "Mission locale de Petite Camargue",
            "France Travail ; centre social",
            ("En cours", "Sans objet", "À faire"),
            2026,
        ),
        action(
            "MOB_PERMIS",
            4,
            4,
            30000,
            "Mission locale de Petite Camargue",
            "Auto-école sociale",
            ("Fait", "Sans objet", "En cours"),
            2025,
        ),
        action(
            "MOB_DESSERTE",
            4,
            2,
            400000,
            "CC de Petite Camargue",
            "Région Occitanie ; entreprises des zones d'activités",
            ("À faire", "À faire", "À faire"),
            2028,
        ),
        action(
            "ACC_ENTREPRENEURIAT_Q2030",
            3,
            4,
            60000,
            "CC de Petite Camargue",
            "BGE ; CCI du Gard",
            ("Fait", "Sans objet", "À faire"),
            "2026-S1",
        ),
        action(
            "ANIM_FORUM_EMPLOI",
            3,
            5,
            8000,
            "France Travail",
            "Mission locale ; entreprises du territoire",
            ("Sans objet", "Sans objet", "Fait"),
            2025,
        ),
        action(
            "GOUV_CHEF_PROJET",
            4,
            3,
            55000,
            "CC de Petite Camargue",
            "Préfecture du Gard",
            ("Fait", "Sans objet", "En cours"),
            2025,
        ),
        {
            "code": "LIBRE",
            "intitule": "Marché d'été en soirée sur la place des Costières",
            "champ": "Animation",
            "enjeux": "COMMERCE;ATTRACTIVITE",
            "impact": 2,
            "cout": 9000,
            "pilote": "Ville de Vauvert",
            "partenaires": "Commerçants ; associations",
            "prerequis_diagnostic": "Sans objet",
            "prerequis_etude": "Sans objet",
            "prerequis_partenaires": "À faire",
            "echeance": 2025,
        },
    ],
    "votants": {
        "P01": "CC de Petite Camargue",
        "P02": "Ville de Vauvert",
        "P03": "France Travail",
        "P04": "Mission locale de Petite Camargue",
        "P05": "Bailleur social des Costières",
        "P06": "Conseil citoyen",
        "P07": "CCI du Gard",
        "P08": "Centre social",
        "P09": "Conseil citoyen",
    },
    "notes": {
        "EMPLOI": (5, 4, 5, 5, 4, 5, 3, 5, 4),
        "MOBILITE": (5, 4, 5, 5, 3, 5, 3, 4, 5),
        "IMMO_FONCIERE_COMMERCE": (4, 5, 2, 2, 4, 3, 5, 2, 3),
        "MOB_PERMIS": (4, 3, 4, 5, 3, 5, 2, 5, 4),
    },
}

SAMPLES = (CARCASSONNE, BEDARIEUX, VAUVERT)


def build(sample: dict, out_dir: Path) -> Path:
    """One sample workbook: the pre-filled template, then the rest typed in its own layout."""
    pre = prefill_codes(sample["qpv"])
    wb = build_workbook(pre, ", ".join(sample["qpv"]), today=GENERATED_ON, catalogue=packaged_catalogue())
    fill_territoire(wb["Territoire"], sample["territoire"])
    append_rows(wb["Indicateurs"], sample["indicateurs"])
    fill_by_key(
        wb["Enjeux"],
        "enjeu",
        {
            code: {k: v for k, v in zip(("importance", "atouts", "faiblesses"), vals, strict=False) if v is not None}
            for code, vals in sample["enjeux"].items()
        },
    )
    append_rows(wb["Acteurs"], sample["acteurs"])
    answers = {
        q.code: {"reponse": r} for q, r in zip(questions(), sample["gouvernance"], strict=False) if r is not None
    }
    fill_by_key(wb["Gouvernance"], "code", answers)
    rows = append_rows(wb["Actions"], sample["actions"])
    if "extra_action_column" in sample:
        header, values = sample["extra_action_column"]
        ws = wb["Actions"]
        col = max(header_columns(ws).values()) + 1
        ws.cell(HEADER_ROW, col, header)
        ws.column_dimensions[ws.cell(HEADER_ROW, col).column_letter].width = 28
        for i, text in values.items():
            ws.cell(rows[i], col, text)
    append_rows(wb["Votes"], votes(sample["votants"], sample["notes"]))
    path = out_dir / sample["fichier"]
    out_dir.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _reproducible(path)
    return path


def _reproducible(path: Path) -> None:
    """Fix the zip entry times and the document dates, so that a rebuild gives the same bytes (no git noise)."""
    stamp = GENERATED_ON.isoformat() + "T00:00:00Z"
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(*GENERATED_ON.timetuple()[:3], 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, data)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else HERE
    for sample in SAMPLES:
        print(f"Échantillon écrit : {build(sample, out_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""French labels of the report: criteria, parts, levels, rules (one place, shared by the chapters)."""

from __future__ import annotations

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
    "prerequis": "Fait = 1, En cours = ½, À faire = 0 ; Sans objet exclu ; tous « Sans objet » = ½",
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

#: Terms élus meet in the report, for the glossary annex (sources: ANCT, INSEE, Légifrance; docs/glossary.md).
GLOSSARY = (
    (
        "ACV / PVD",
        "Action cœur de ville et Petites villes de demain : programmes nationaux de revitalisation des centres, conduits jusqu'en 2026.",
    ),
    ("ANCT", "Agence nationale de la cohésion des territoires, qui anime la politique de la ville au niveau national."),
    (
        "CEJ",
        "Contrat d'engagement jeune : accompagnement intensif des jeunes sans emploi ni formation, par France Travail ou la Mission locale.",
    ),
    (
        "CLE",
        "Comité local pour l'emploi : instance du Réseau pour l'emploi (loi n° 2023-1196, décret n° 2024-560) qui coordonne les acteurs de l'emploi d'un territoire.",
    ),
    (
        "Contrat de ville",
        "Contrat entre l'État, l'intercommunalité, les communes et leurs partenaires pour les quartiers prioritaires (« Engagements Quartiers 2030 », 2024-2030).",
    ),
    (
        "EPCI",
        "Établissement public de coopération intercommunale : communauté de communes, d'agglomération, urbaine ou métropole.",
    ),
    (
        "FSE+",
        "Fonds social européen plus : fonds européen pour l'emploi, la formation et l'inclusion, géré en partie par les Régions.",
    ),
    (
        "GEIQ",
        "Groupement d'employeurs pour l'insertion et la qualification : des entreprises qui recrutent et forment des personnes éloignées de l'emploi.",
    ),
    (
        "IAE",
        "Insertion par l'activité économique : structures conventionnées (chantiers, entreprises d'insertion…) qui salarient des personnes éloignées de l'emploi.",
    ),
    ("NEET", "Jeune ni en emploi, ni en études, ni en formation."),
    (
        "QPV",
        "Quartier prioritaire de la politique de la ville, défini par décret selon le revenu des habitants ; la géographie en vigueur depuis le 1er janvier 2024 est celle du décret n° 2023-1314.",
    ),
    (
        "Revue annuelle",
        "Rendez-vous annuel du contrat de ville qui examine les actions et décide de les poursuivre, les ajuster ou les arrêter.",
    ),
    (
        "TZCLD",
        "Territoires zéro chômeur de longue durée : expérimentation qui embauche en CDI des chômeurs de longue durée dans des entreprises à but d'emploi.",
    ),
)

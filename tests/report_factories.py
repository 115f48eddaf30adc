"""A realistic `Diagnostic` built in Python, so that report tests do not depend on the reader or the engine.

Territory and QPV names and codes are real (INSEE list of 2015 QPV); every quartier value is marked
`illustratif`; reference values are the catalogue's sourced ones. `hostile=True` fills free-text fields
with markup, formula-like text and URLs to check that nothing is interpreted downstream.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.qpv import SOURCE as QPV_SOURCE
from toolkit.model import Action, Cell, Echeance, Indicateur, Issue, Quartier, Territoire
from toolkit.results import (
    ActionScore,
    Criterion,
    DataQuality,
    Definitions,
    Diagnostic,
    EnjeuScore,
    Experience,
    ExperienceMatch,
    Governance,
    IndicatorScore,
    MethodTrace,
    PartnerGap,
    PartnerPresence,
    Phase,
    Robustness,
    ScorePart,
    SimilarTerritory,
    VigilancePoint,
)

ACTION_WEIGHTS = {"pertinence": 0.30, "impact": 0.20, "faisabilite": 0.15, "cout": 0.10, "partenaires": 0.10, "prerequis": 0.15}
ENJEU_WEIGHTS = {"indicateurs": 0.5, "importance": 0.3, "votes": 0.2}

ENJEU_LABELS = {
    "EMPLOI": "Accès à l'emploi et insertion professionnelle",
    "JEUNES": "Insertion professionnelle des jeunes",
    "FORMATION": "Qualification et formation",
    "ENTREPRENEURIAT": "Création et développement d'activités",
    "COMMERCE": "Commerce et services de proximité",
    "IMMOBILIER": "Immobilier d'entreprise et foncier économique",
    "MOBILITE": "Mobilité vers l'emploi",
    "ATTRACTIVITE": "Image et attractivité du quartier",
    "ENTREPRISES": "Mobilisation des entreprises (RSE, achats, clauses, mécénat)",
    "GOUVERNANCE": "Pilotage du pilier et coopération des acteurs",
}


def _indicator(row: int, code: str, libelle: str, enjeu: str | None, sens: str, unite: str, q: float | None,
               ref: float | None, ref_terr: str | None, annee: int | None, source: str, score: float | None,
               reason: str | None = None) -> IndicatorScore:
    ind = Indicateur(
        code=code, libelle=libelle, enjeu=enjeu, sens=sens, unite=unite, valeur_quartier=q, valeur_reference=ref,
        territoire_reference=ref_terr, annee=annee, source=source, cell=Cell("Indicateurs", f"A{row}"),
        value_cell=Cell("Indicateurs", f"C{row}"),
    )
    ecart = None if q is None or ref is None else q - ref
    rel = None
    if ecart is not None and ref:
        rel = (ecart if sens == "hausse = dégradation" else -ecart) / abs(ref)
    return IndicatorScore(ind, score, ecart, rel, reason_not_scored=reason)


def _indicators() -> tuple[IndicatorScore, ...]:
    onpv = "ONPV, Enquête Emploi (résumé inegalites.fr) https://inegalites.fr/Chomage-QPV"
    return (
        _indicator(5, "CHOMAGE_15_64", "Taux de chômage des 15-64 ans", "EMPLOI", "hausse = dégradation", "%",
                   31.2, 7.5, "Unités urbaines englobantes (France)", 2022, "illustratif", 100.0),
        _indicator(6, "EMPLOI_15_64", "Taux d'emploi des 15-64 ans", "EMPLOI", "hausse = amélioration", "%",
                   41.8, 64.7, "Unités urbaines englobantes (France)", 2015, "illustratif", 100.0),
        _indicator(7, "CHOMAGE_JEUNES", "Taux de chômage des moins de 30 ans", "JEUNES", "hausse = dégradation", "%",
                   38.5, 13.5, "Unités urbaines englobantes (France)", 2022, "illustratif", 100.0),
        _indicator(8, "NEET_16_25", "Part des 16-25 ans ni en emploi, ni en études, ni en formation", "JEUNES",
                   "hausse = dégradation", "%", 29.0, 17.4, "Unités urbaines englobantes (France)", 2014,
                   "illustratif", 58.0),
        _indicator(9, "BAC_OU_PLUS", "Part des 15 ans et plus non scolarisés titulaires du bac ou plus", "FORMATION",
                   "hausse = amélioration", "%", 24.0, 44.0, "Occitanie", 2013, "illustratif", 100.0),
        _indicator(10, "NON_SALARIES", "Part des non-salariés parmi les actifs occupés", "ENTREPRENEURIAT",
                   "hausse = amélioration", "%", 6.1, 9.3, "Unités urbaines englobantes (France)", 2015,
                   "illustratif", 53.3),
        _indicator(11, "VACANCE_COMMERCIALE", "Taux de vacance commerciale", "COMMERCE", "hausse = dégradation", "%",
                   17.5, 9.5, "Moyenne des centres-villes (France)", 2015, "illustratif", 80.0),
        _indicator(12, "MENAGES_SANS_VOITURE", "Part des ménages sans voiture", "MOBILITE", "hausse = dégradation",
                   "%", 38.0, None, None, 2019, "illustratif", None,
                   "pas de valeur de référence : indicateur affiché, non noté"),
        _indicator(13, "PAUVRETE", "Taux de pauvreté au seuil de 60 %", None, "hausse = dégradation", "%",
                   52.0, 14.6, "France", 2018, "illustratif", 100.0),
        _indicator(14, "NIVEAU_VIE_MEDIAN", "Niveau de vie médian annuel", None, "hausse = amélioration", "€",
                   12480.0, 21720.0, "France", 2018, "INSEE Filosofi 2018 " + onpv[:0] + "(valeur de référence)", 100.0),
    )


def _enjeu(code: str, score: float, rang: int, ind: float | None, imp: float | None, votes: float | None,
           n_ind: int, n_votes: int, niveau: str, atouts: str | None = None, faiblesses: str | None = None,
           median: float | None = None, iqr: float | None = None, dissensus: bool = False,
           coverage: float | None = None, indicateurs: tuple[str, ...] = ()) -> EnjeuScore:
    present = {k: v for k, v in (("indicateurs", ind), ("importance", imp), ("votes", votes)) if v is not None}
    total = sum(ENJEU_WEIGHTS[k] for k in present) or 1.0
    parts = []
    for name, val in (("indicateurs", ind), ("importance", imp), ("votes", votes)):
        eff = ENJEU_WEIGHTS[name] / total if val is not None else 0.0
        if name == "indicateurs":
            detail = f"{n_ind} indicateur{'s' if n_ind > 1 else ''} noté{'s' if n_ind > 1 else ''}" if val is not None else "aucun indicateur noté"
        elif name == "importance":
            detail = f"importance perçue {round(1 + (imp or 0) / 25)}/5" if val is not None else "importance non renseignée"
        else:
            detail = (f"médiane {median:g} (écart interquartile {iqr:g}), {n_votes} votants".replace(".", ",")
                      if val is not None else "pas de vote")
        parts.append(ScorePart(name, val, ENJEU_WEIGHTS[name], eff, detail, n=n_ind if name == "indicateurs" else n_votes if name == "votes" else int(val is not None)))
    return EnjeuScore(
        code=code, libelle=ENJEU_LABELS[code], score=score, rang=rang, parts=tuple(parts), indicateurs=indicateurs,
        coverage=coverage, atouts=atouts, faiblesses=faiblesses, niveau=niveau, vote_median=median, vote_iqr=iqr,
        n_votes=n_votes, dissensus=dissensus, cells=(Cell("Enjeux", f"B{rang + 4}"),),
    )


def _enjeux() -> tuple[EnjeuScore, ...]:
    rows = [
        _enjeu("EMPLOI", 0, 0, 100.0, 100.0, 75.0, 2, 14, "fort", "Présence de la Mission locale et d'une SIAE active",
               "Chômage de longue durée élevé ; peu d'offres accessibles sans véhicule", 4.0, 1.0, coverage=0.29,
               indicateurs=("CHOMAGE_15_64", "EMPLOI_15_64")),
        _enjeu("JEUNES", 0, 0, 79.0, 75.0, 75.0, 2, 14, "fort", "Club de prévention implanté",
               "Jeunes invisibles non repérés par le service public de l'emploi", 4.0, 1.0, coverage=1.0,
               indicateurs=("CHOMAGE_JEUNES", "NEET_16_25")),
        _enjeu("COMMERCE", 0, 0, 80.0, 75.0, 50.0, 1, 13, "fort", "Marché hebdomadaire attractif",
               "Cellules vides en pied d'immeuble, image dégradée de la galerie marchande", 3.0, 2.0, True,
               coverage=0.33, indicateurs=("VACANCE_COMMERCIALE",)),
        _enjeu("FORMATION", 0, 0, 100.0, 50.0, None, 1, 0, "moyen", None, "Faible niveau de qualification",
               coverage=0.5, indicateurs=("BAC_OU_PLUS",)),
        _enjeu("ENTREPRENEURIAT", 0, 0, 53.3, 75.0, 50.0, 1, 12, "moyen", "Porteurs de projet nombreux",
               "Peu d'accompagnement de proximité", 3.0, 1.0, coverage=0.33, indicateurs=("NON_SALARIES",)),
        _enjeu("MOBILITE", 0, 0, None, 75.0, 50.0, 0, 12, "moyen", None, "Zones d'activité mal desservies",
               3.0, 1.5, coverage=0.0),
        _enjeu("GOUVERNANCE", 0, 0, None, 50.0, None, 0, 0, "moyen", None, None),
        _enjeu("IMMOBILIER", 0, 0, None, 50.0, None, 0, 0, "faible"),
        _enjeu("ATTRACTIVITE", 0, 0, None, 25.0, 25.0, 0, 11, "faible", "Patrimoine de la Bastide voisine", None,
               2.0, 1.0),
        _enjeu("ENTREPRISES", 0, 0, None, 25.0, None, 0, 0, "faible"),
    ]
    scored = []
    for e in rows:
        s = sum((p.value or 0.0) * p.effective_weight for p in e.parts)
        niveau = "fort" if s >= 70 else "moyen" if s >= 45 else "faible"
        scored.append(replace(e, score=round(s, 1), niveau=niveau))
    scored.sort(key=lambda e: -e.score)
    return tuple(replace(e, rang=i + 1) for i, e in enumerate(scored))


def _governance() -> Governance:
    detail = (
        ("GOUV01", "Un comité de pilotage du pilier économique se réunit-il au moins deux fois par an ?", "Partiel"),
        ("GOUV02", "Un chef de projet est-il dédié au développement économique des quartiers ?", "Non"),
        ("GOUV03", "Le service public de l'emploi participe-t-il aux instances du contrat ?", "Oui"),
        ("GOUV04", "Les chambres consulaires sont-elles signataires du contrat de ville ?", "Non"),
        ("GOUV05", "Un tableau de bord partagé suit-il les actions du pilier ?", "Ne sait pas"),
        ("GOUV06", "Les habitants sont-ils associés au choix des actions ?", "Partiel"),
    )
    partners = (
        PartnerPresence("Commune", ("Ville de Carcassonne",), 3, True),
        PartnerPresence("EPCI", ("Carcassonne Agglo",), 3, True),
        PartnerPresence("État", ("Préfecture de l'Aude",), 2, True),
        PartnerPresence("Service public de l'emploi", ("France Travail Carcassonne", "Mission locale"), 2, True),
        PartnerPresence("Bailleur social", ("Alogea",), 1, True),
        PartnerPresence("Association", ("Régie de quartier",), 2, False),
        PartnerPresence("Chambre consulaire", ("CCI de l'Aude",), 0, False),
    )
    gaps = (
        PartnerGap("Chambre consulaire", ("ACC_PERMANENCES_CONSULAIRES", "COM_MANAGER"), "faible",
                   "La CCI et la CMA sont peu impliquées alors que 2 actions en dépendent."),
        PartnerGap("Financeur", ("ACC_MICROCREDIT",), "absent",
                   "Aucun financeur (Banque des Territoires, réseau de microcrédit) n'est cité parmi les acteurs."),
        PartnerGap("Entreprise", ("EMP_CLAUSES_SOCIALES",), "absent",
                   "Aucune entreprise n'est mobilisée pour les clauses sociales."),
    )
    return Governance(maturite=41.7, answers={"Oui": 1, "Partiel": 2, "Non": 2, "Ne sait pas": 1}, detail=detail,
                      partners=partners, gaps=gaps)


def _criteria(pert: float, impact: int | None, fais: int | None, cout: float | None, part: float, prer: str,
              prer_n: float) -> tuple[Criterion, ...]:
    return (
        Criterion("pertinence", round(pert * 100, 1), pert, ACTION_WEIGHTS["pertinence"]),
        Criterion("impact", impact if impact is not None else 3, ((impact or 3) - 1) / 4, ACTION_WEIGHTS["impact"],
                  imputed=impact is None),
        Criterion("faisabilite", fais if fais is not None else 3, ((fais or 3) - 1) / 4,
                  ACTION_WEIGHTS["faisabilite"], imputed=fais is None),
        Criterion("cout", cout, 0.5 if cout is None else max(0.0, 1 - cout / 500_000), ACTION_WEIGHTS["cout"],
                  imputed=cout is None),
        Criterion("partenaires", f"{part:.0%} des types requis présents".replace("%", " %"), part,
                  ACTION_WEIGHTS["partenaires"]),
        Criterion("prerequis", prer, prer_n, ACTION_WEIGHTS["prerequis"]),
    )


def _action(row: int, code: str, intitule: str, champ: str, enjeux: tuple[str, ...], impact: int | None,
            fais: int | None, cout: float | None, pilote: str | None, partenaires: tuple[str, ...],
            prerequis: dict[str, str], echeance: tuple[date, str] | None, commentaire: str | None = None) -> Action:
    return Action(code=code, intitule=intitule, champ=champ, enjeux=enjeux, impact=impact, faisabilite=fais,
                  cout=cout, pilote=pilote, partenaires=partenaires, prerequis=prerequis,
                  echeance=Echeance(*echeance) if echeance else None, commentaire=commentaire,
                  cell=Cell("Actions", f"A{row}"))


def _actions() -> tuple[ActionScore, ...]:
    D, F, M = "Diagnostic préalable", "Étude de faisabilité", "Mobilisation des partenaires"
    specs = [
        # action, criteria args, catalogue title, partner types, suivi, phases (label, kind, start, end)
        (_action(5, "EMP_ALLER_VERS", "Repérer et accompagner les jeunes invisibles", "Emploi et insertion",
                 ("JEUNES", "EMPLOI"), 5, 4, 60_000, "Mission locale", ("France Travail", "Club de prévention"),
                 {D: "Fait", F: "Sans objet", M: "En cours"}, (date(2025, 6, 30), "2025-S1")),
         (0.9, 5, 4, 60_000, 1.0, "2/2 faits ou en cours", 0.83),
         "Aller-vers les publics éloignés de l'emploi (jeunes invisibles)", ("Service public de l'emploi", "Association"),
         ("Nombre de jeunes repérés", "Part des jeunes repérés entrés en parcours"),
         [("Mobilisation des partenaires", "prerequis", date(2025, 1, 1), date(2025, 3, 31)),
          ("Mise en œuvre", "action", date(2025, 4, 1), date(2027, 12, 31))]),
        (_action(6, "EMP_CLAUSES_SOCIALES", "Clauses sociales dans les marchés de l'ANRU et de l'agglomération",
                 "Emploi et insertion", ("EMPLOI", "ENTREPRISES"), 4, 4, 45_000, "Carcassonne Agglo",
                 ("Alogea", "France Travail"), {D: "Fait", F: "Fait", M: "En cours"}, (date(2025, 12, 31), "2025")),
         (0.85, 4, 4, 45_000, 0.67, "3/3 faits ou en cours", 0.9),
         "Clauses sociales d'insertion avec un facilitateur", ("EPCI", "Entreprise", "Service public de l'emploi"),
         ("Heures d'insertion réalisées", "Nombre de bénéficiaires résidant en QPV"),
         [("Mise en œuvre", "action", date(2025, 1, 1), date(2030, 12, 31))]),
        (_action(7, "COM_BOUTIQUE_ESSAI", "Boutiques à l'essai rue Voltaire", "Commerce", ("COMMERCE",), 4, 3, 80_000,
                 "Ville de Carcassonne", ("CCI de l'Aude", "Alogea"), {D: "Fait", F: "À faire", M: "À faire"},
                 (date(2026, 6, 30), "2026-S1"), "Trois cellules identifiées par le bailleur"),
         (0.8, 4, 3, 80_000, 0.5, "1/3 fait", 0.33), "Boutiques à l'essai", ("Commune", "Chambre consulaire", "Bailleur social"),
         ("Cellules occupées", "Commerces pérennes à 2 ans"),
         [("Étude de faisabilité", "prerequis", date(2025, 1, 1), date(2025, 6, 30)),
          ("Mobilisation des partenaires", "prerequis", date(2025, 4, 1), date(2025, 9, 30)),
          ("Mise en œuvre", "action", date(2025, 10, 1), date(2027, 9, 30))]),
        (_action(8, "ACC_ENTREPRENEURIAT_Q2030", "Détection et amorçage de projets d'entreprise",
                 "Accompagnement des entreprises", ("ENTREPRENEURIAT",), 4, 4, 40_000, "Carcassonne Agglo",
                 ("BGE", "CCI de l'Aude"), {D: "Fait", F: "Sans objet", M: "Fait"}, (date(2025, 12, 31), "2025")),
         (0.6, 4, 4, 40_000, 0.5, "2/2 faits", 1.0),
         "Entrepreneuriat Quartiers 2030 : détection et amorçage (ex-CitésLab)", ("EPCI", "Chambre consulaire", "Financeur"),
         ("Porteurs de projet détectés", "Entreprises créées"),
         [("Mise en œuvre", "action", date(2025, 1, 1), date(2028, 12, 31))]),
        (_action(9, "MOB_PLATEFORME", "Plateforme de mobilité solidaire", "Mobilité", ("MOBILITE", "EMPLOI"), 3, 2,
                 150_000, None, (), {D: "En cours", F: "À faire", M: "À faire"}, (date(2025, 12, 31), "2025")),
         (0.7, 3, 2, 150_000, 0.0, "0/3 fait", 0.17), "Plateforme de mobilité solidaire",
         ("EPCI", "Association", "Région"), ("Personnes accompagnées", "Retours à l'emploi"),
         [("Diagnostic préalable", "prerequis", date(2025, 1, 1), date(2025, 6, 30)),
          ("Étude de faisabilité", "prerequis", date(2025, 7, 1), date(2026, 3, 31)),
          ("Mobilisation des partenaires", "prerequis", date(2025, 10, 1), date(2026, 6, 30)),
          ("Mise en œuvre", "action", date(2026, 7, 1), date(2029, 6, 30))]),
        (_action(10, "ACC_MICROCREDIT", "Microcrédit et prêts d'honneur pour les créateurs",
                 "Accompagnement des entreprises", ("ENTREPRENEURIAT",), 3, 3, None, "Carcassonne Agglo", (),
                 {D: "Fait", F: "Sans objet", M: "À faire"}, None),
         (0.55, 3, 3, None, 0.0, "1/2 fait", 0.5), "Financement des créateurs (microcrédit, prêts d'honneur)",
         ("Financeur", "EPCI"), ("Prêts accordés", "Montant mobilisé"),
         [("Mobilisation des partenaires", "prerequis", date(2025, 1, 1), date(2025, 9, 30)),
          ("Mise en œuvre", "action", date(2025, 10, 1), date(2028, 9, 30))]),
        (_action(11, "LIBRE", "Fête des savoir-faire du quartier", "Animation", ("ATTRACTIVITE",), 2, 5, 8_000,
                 "Régie de quartier", ("Ville de Carcassonne",), {D: "Sans objet", F: "Sans objet", M: "Fait"},
                 (date(2025, 6, 30), "2025-S1")),
         (0.3, 2, 5, 8_000, 1.0, "1/1 fait", 1.0), None, (), (),
         [("Mise en œuvre", "action", date(2025, 4, 1), date(2025, 6, 30))]),
        (_action(12, "IMMO_PEPINIERE", "Pépinière d'entreprises au Viguier", "Immobilier", ("IMMOBILIER", "ENTREPRENEURIAT"),
                 4, 1, 1_200_000, "Carcassonne Agglo", ("Banque des Territoires",), {D: "À faire", F: "À faire", M: "À faire"},
                 (date(2026, 12, 31), "2026")),
         (0.45, 4, 1, 1_200_000, 0.33, "0/3 fait", 0.0), "Pépinière ou hôtel d'entreprises en QPV",
         ("EPCI", "Financeur", "Chambre consulaire"), ("Taux d'occupation", "Entreprises hébergées"),
         [("Diagnostic préalable", "prerequis", date(2025, 1, 1), date(2025, 12, 31)),
          ("Étude de faisabilité", "prerequis", date(2026, 1, 1), date(2026, 12, 31)),
          ("Mobilisation des partenaires", "prerequis", date(2026, 7, 1), date(2027, 6, 30)),
          ("Mise en œuvre", "action", date(2027, 7, 1), date(2030, 12, 31))]),
        (_action(13, "EMP_CITES_EMPLOI", "Cité de l'emploi", "Emploi et insertion", ("EMPLOI",), 3, 2, 100_000,
                 "Préfecture de l'Aude", ("France Travail",), {D: "Fait", F: "Fait", M: "Fait"},
                 (date(2025, 6, 30), "2025-S1")),
         (0.75, 3, 2, 100_000, 1.0, "3/3 faits", 1.0), "Cité de l'emploi", ("État", "Service public de l'emploi"),
         ("Bénéficiaires accompagnés",),
         [("Mise en œuvre", "action", date(2025, 1, 1), date(2025, 12, 31))]),
    ]
    out = []
    for action, crit, libelle, ptypes, suivi, phases in specs:
        criteria = _criteria(*crit)
        s = round(100 * sum(c.normalised * c.weight for c in criteria), 1)
        out.append((action, criteria, s, libelle, ptypes, suivi, phases))
    out.sort(key=lambda t: -t[2])
    scores = []
    for rank, (action, criteria, s, libelle, ptypes, suivi, phases) in enumerate(out, start=1):
        prio = 1 if s >= 60 else 2 if s >= 40 else 3
        ph = tuple(Phase(*p) for p in phases)
        debut, fin = ph[0].debut, ph[-1].fin
        tenue = None if action.echeance is None else ph[-1].debut <= action.echeance.date
        rob = Robustness(
            p_same_tier=[0.97, 0.91, 0.62, 0.88, 0.55, 0.8, 0.93, 0.99, 0.74][rank - 1],
            p_top_n=[1.0, 0.99, 0.84, 0.71, 0.48, 0.3, 0.12, 0.02, 0.2][rank - 1], top_n=5,
            rank_min=max(1, rank - 2), rank_max=min(len(out), rank + 2), fragile=False,
        )
        rob = replace(rob, fragile=rob.p_same_tier < 0.7)
        status = "programme arrêté fin 2024 ; à réinterroger en 2025" if action.code == "EMP_CITES_EMPLOI" else None
        scores.append(ActionScore(
            action=action, libelle_catalogue=libelle, criteria=criteria, score=s, rang=rank, priorite=prio,
            quick_win=(action.impact or 0) >= 3 and (action.faisabilite or 0) >= 4, robustness=rob, debut=debut,
            fin=fin, echeance_tenue=tenue, phases=ph, partner_types=ptypes, suivi=suivi, programme_status=status,
            sources=("Guide ANCT des actions du pilier économique (catalogue pilier-eco)",) if libelle else (),
        ))
    return tuple(scores)


def _vigilance() -> tuple[VigilancePoint, ...]:
    return (
        VigilancePoint("bloquant", "action", "IMMO_PEPINIERE", "prerequis-non-fait",
                       "Pépinière d'entreprises au Viguier : aucun des trois prérequis n'est engagé (Actions!J12:L12).",
                       (Cell("Actions", "J12"), Cell("Actions", "K12"), Cell("Actions", "L12"))),
        VigilancePoint("bloquant", "action", "EMP_CITES_EMPLOI", "programme-termine",
                       "Cité de l'emploi : le programme national n'est pas reconduit en 2025 sous sa forme actuelle (Actions!A13).",
                       (Cell("Actions", "A13"),)),
        VigilancePoint("attention", "action", "MOB_PLATEFORME", "pilote-absent",
                       "Plateforme de mobilité solidaire : aucun pilote pressenti (Actions!H9).", (Cell("Actions", "H9"),)),
        VigilancePoint("attention", "action", "COM_BOUTIQUE_ESSAI", "echeance-intenable",
                       "Boutiques à l'essai : l'échéance souhaitée 2026-S1 suppose de lancer l'étude dès janvier 2025 (Actions!M7).",
                       (Cell("Actions", "M7"),)),
        VigilancePoint("attention", "enjeu", "COMMERCE", "dissensus",
                       "Commerce et services de proximité : les votes divergent (écart interquartile 2) ; à rediscuter en atelier.",
                       (Cell("Votes", "D4"),)),
        VigilancePoint("attention", "gouvernance", "GOUV02", "chef-projet-absent",
                       "Aucun chef de projet n'est dédié au pilier (Gouvernance!C6).", (Cell("Gouvernance", "C6"),)),
        VigilancePoint("info", "données", "MENAGES_SANS_VOITURE", "reference-absente",
                       "Part des ménages sans voiture : pas de valeur de référence, l'indicateur n'est pas noté (Indicateurs!D12).",
                       (Cell("Indicateurs", "D12"),)),
        VigilancePoint("info", "données", "illustratif", "valeurs-illustratives",
                       "10 valeurs d'indicateurs sont marquées « illustratif » : à remplacer par des données sourcées.",
                       ()),
    )


def _experiences() -> tuple[ExperienceMatch, ...]:
    e1 = Experience("EXP_BOUTIQUES_ESSAI_FR", "Réseau des boutiques à l'essai", "France (plus de 100 villes)", "2013",
                    "Une collectivité loue une cellule vide et la sous-loue à un créateur à loyer modéré pendant 6 à 12 mois, "
                    "avec un accompagnement de la chambre de commerce.", ("COMMERCE",), ("COM_BOUTIQUE_ESSAI",),
                    "Ville moyenne", ("https://www.maboutiquealessai.fr",), ("Commune", "Chambre consulaire"))
    e2 = Experience("EXP_TZCLD_PIPRIAC", "Territoire zéro chômeur de longue durée", "Pipriac et Saint-Ganton (35)", "2017",
                    "Entreprise à but d'emploi embauchant en CDI des chômeurs de longue durée volontaires sur des activités utiles "
                    "au territoire.", ("EMPLOI",), ("EMP_TZCLD",), "Commune rurale",
                    ("https://www.tzcld.fr",), ("Association", "Département"))
    e3 = Experience("EXP_MOBILITE_WIMOOV", "Plateforme de mobilité Wimoov", "Plusieurs départements", "2010",
                    "Diagnostic mobilité individuel, prêt de véhicules et apprentissage du vélo pour les demandeurs d'emploi.",
                    ("MOBILITE",), ("MOB_PLATEFORME",), None, ("https://www.wimoov.org",), ("Association",))
    return (
        ExperienceMatch(e1, ("COM_BOUTIQUE_ESSAI",), ("même type d'action (boutiques à l'essai)", "même enjeu (COMMERCE)",
                                                       "même typologie (Ville moyenne)"), 0.92),
        ExperienceMatch(e3, ("MOB_PLATEFORME",), ("même type d'action (plateforme de mobilité)", "même enjeu (MOBILITE)"), 0.74),
        ExperienceMatch(e2, ("EMP_CLAUSES_SOCIALES",), ("même enjeu (EMPLOI)",), 0.41),
    )


def _similaires() -> tuple[SimilarTerritory, ...]:
    return (
        SimilarTerritory("QP034008", "Les Arènes - La Devèze", "Béziers", 0.41,
                         "taux d'emploi et part de jeunes proches ; revenus médians plus élevés", 3519),
        SimilarTerritory("QP030012", "Les Fontaines", "Beaucaire", 0.52,
                         "chômage des jeunes proche ; part de diplômés plus faible", 2400),
        SimilarTerritory("QP066006", "Nouveau Logis - Diaz - Pla Des Lloses", "Perpignan", 0.63,
                         "taux d'emploi proche ; taille de quartier plus grande", 4127),
    )


def _quality() -> DataQuality:
    return DataQuality(
        lignes_lues=46, lignes_utilisees=43,
        issues=(
            Issue("avertissement", "colonne-inconnue", "Colonne non prévue par le modèle, ignorée", "carcassonne.xlsx",
                  Cell("Actions", "O4"), "Actions", found="Budget 2025", expected=None),
            Issue("avertissement", "valeur-illustrative", "Valeur marquée illustratif", "carcassonne.xlsx",
                  Cell("Indicateurs", "G5"), "Indicateurs", found="illustratif"),
            Issue("avertissement", "reference-absente", "Valeur de référence absente : indicateur non noté",
                  "carcassonne.xlsx", Cell("Indicateurs", "D12"), "Indicateurs"),
            Issue("avertissement", "feuille-absente", "Feuille optionnelle absente", "carcassonne.xlsx", None, "Votes"),
        ),
    )


def build_diagnostic(hostile: bool = False, payload: str = "") -> Diagnostic:
    """A ranked, complete Diagnostic for Carcassonne; `hostile` injects `payload` in every free text."""
    territoire = Territoire(
        version="1", nom="Carcassonne Agglo", communes=("11069",), typologie="Ville moyenne",
        date_diagnostic=date(2025, 3, 14), epci="Carcassonne Agglo", departement="11",
        quartiers=(Quartier("QP011002", "La Conte - Ozanam"), Quartier("QP011003", "Le Viguier - Saint-Jacques"),
                   Quartier("QP011004", "Bastide Pont-Vieux"), Quartier("QP011005", "Fleming La Reille"),
                   Quartier("QP011006", "Grazailles")),
        population_quartiers=9831, periode=(2024, 2030), structure="Cabinet Territoires & Emploi",
        cell=Cell("Territoire", "B3"),
    )
    diag = Diagnostic(
        version="1", territoire=territoire, indicateurs=_indicators(), enjeux=_enjeux(), governance=_governance(),
        actions=_actions(), vigilance=_vigilance(), experiences=_experiences(), similaires=_similaires(),
        qualite=_quality(),
        method=MethodTrace(enjeu_weights=dict(ENJEU_WEIGHTS), action_weights=dict(ACTION_WEIGHTS),
                           tiers={"niveau1": 60.0, "niveau2": 40.0},
                           robustness={"tirages": 2000, "concentration": 60.0, "top_n": 5, "graine": 20240331,
                                       "seuil_fragile": 0.7}),
        periode=(2024, 2030), generated=date(2025, 3, 20),
    )
    cat = packaged_catalogue()
    diag = replace(diag, definitions=Definitions(
        enjeux=cat.enjeux,
        indicators=tuple(d for s in diag.indicateurs if (d := cat.indicator(s.indicateur.code))),
        actions=tuple(d for a in diag.actions if (d := cat.action(a.action.code))),
        communes=(("11069", "Carcassonne"),), comparison_source=QPV_SOURCE))
    return _make_hostile(diag, payload) if hostile else diag


def _make_hostile(diag: Diagnostic, payload: str) -> Diagnostic:
    """Put `payload` (markup, URLs, formula-like text) wherever the workbook supplies free text."""
    t = replace(diag.territoire, nom=payload + " Carcassonne", structure=payload,
                quartiers=(Quartier("QP011002", payload),))
    inds = tuple(replace(i, indicateur=replace(i.indicateur, libelle=payload + i.indicateur.libelle,
                                              source=payload, commentaire=payload)) for i in diag.indicateurs)
    enjeux = tuple(replace(e, atouts=payload, faiblesses=payload) for e in diag.enjeux)
    actions = tuple(
        replace(a, action=replace(a.action, intitule=payload + a.action.intitule, pilote=payload,
                                  partenaires=(payload,), commentaire=payload))
        for a in diag.actions
    )
    gov = replace(diag.governance, partners=tuple(replace(p, structures=(payload,)) for p in diag.governance.partners),
                  detail=tuple((c, q, payload) for c, q, _ in diag.governance.detail))
    vig = tuple(replace(v, message=payload + v.message) for v in diag.vigilance)
    quality = replace(diag.qualite, issues=tuple(replace(i, found=payload) for i in diag.qualite.issues))
    return replace(diag, territoire=t, indicateurs=inds, enjeux=enjeux, actions=actions, governance=gov,
                   vigilance=vig, qualite=quality)

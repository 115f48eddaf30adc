"""The synthesis for élus: two pages of prose composed from the Diagnostic's facts (editorial.md §2).

Order: the situation in three dated figures; three enjeux, each with its evidence and its caveat; the
priorities and why (structuring actions apart from quick wins); what blocks, named; who does what in
2027 with the partners the workbook names; the decisions asked of the comité. Sentences are built from
facts (values, years, names, dates), never glued from counts: no « et N autres », no sentence that starts
with a digit, no heading without a sentence under it. Word, slides and the one-page note print these same
sentences (`ReportView.narrative`, `ReportView.decisions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...plan.roadmap import EXPIRED_LABEL, RECONFIGURATION_LABEL
from ...results import ActionScore, Comparison, Diagnostic, EnjeuScore, IndicatorScore
from .. import formatting as fmt
from .. import wording
from ..votes import atelier_view
from .common import _title, deadline_reason

#: How many items each part of the synthesis names.
N_FIGURES, N_ENJEUX, N_STRUCTURING, N_QUICK = 3, 3, 3, 3
SCALE_WORDS = {
    "commune": "commune",
    "epci": "intercommunalité",
    "qpv": "ensemble des quartiers prioritaires",
    "france": "France",
}
#: Separates the paragraphs of one part of the synthesis (one enjeu, one priority, one blocking point each).
PARAGRAPH = "\n"
#: A catalogue prerequisite this long (months) is a « long step » worth naming to élus.
LONG_STEP_MONTHS = 12


def _marked(e: EnjeuScore) -> bool:
    """An enjeu the synthesis may call a priority: scored from data, and at least « moyen »."""
    return not e.a_objectiver and e.niveau in ("fort", "moyen")


#: The first phase of an action whose programme ended or ends before it starts (the year begins there).
_RECONFIGURING = (RECONFIGURATION_LABEL, EXPIRED_LABEL)


def _q(name: str) -> str:
    return f"« {fmt.text(name)} »"


def _list(items: Sequence[str]) -> str:
    """« a », « b » et « c » — every item named, never « et N autres »."""
    return fmt.listing(items)


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def _where(c: Comparison) -> str:
    """« Unités urbaines englobantes, France, 2015 », « ensemble des quartiers prioritaires d'Occitanie, 2020 »:
    the comparison's territory and its own year (a 2015 national figure never reads as the quartier's year)."""
    if c.territoire:
        name = fmt.text(c.territoire).replace(" (", ", ").replace(")", "")
        name = name.replace("Ensemble des QPV", "ensemble des quartiers prioritaires")
        name = name.replace("Unités urbaines", "unités urbaines")  # a common noun inside the sentence
    else:
        name = SCALE_WORDS.get(c.echelle, c.echelle)
    return f"{name}, {c.annee}" if c.annee else name


#: The comparison scales each basis of an indicator's score rests on, the first one named in a sentence.
_BASIS_SCALES = {
    "qpv+environnement": ("qpv", "commune", "epci"),
    "qpv": ("qpv",),
    "environnement": ("commune", "epci"),
    "france": ("france",),
    "autre": ("autre",),
}


def _figure_phrase(s: IndicatorScore, with_year: bool = True, basis: bool = False) -> str:
    """« taux d'emploi des 15-64 ans : 33,7 % en 2020, contre 64,7 % (Unités urbaines englobantes, France, 2015) ».

    `basis`: against the comparison the score rests on (an enjeu's evidence: Bédarieux's employment rate is
    better than the other QPV's, which is what its score says, though far below the national figure)."""
    i = s.indicateur
    year = f" en {i.annee}" if with_year and i.annee else ""
    ref = ""
    used = _BASIS_SCALES.get(s.base or "", ()) if basis else ()
    on_basis = next((c for scale in used for c in s.comparaisons if c.echelle == scale), None)
    # else the workbook's reference when it gave one, else the first comparison: never a gap against a
    # value not shown
    shown = (
        on_basis
        or next((c for c in s.comparaisons if c.reference == i.valeur_reference), None)
        or next(iter(s.comparaisons), None)
    )
    # one parenthesis: « (unités urbaines englobantes, France, 2014 ; chiffre illustratif) »
    said = [_where(shown)] if shown is not None else []
    said += ["chiffre illustratif"] if i.illustratif else []
    if shown is not None:
        ref = f", contre {fmt.value(shown.reference, i.unite)}"
    ref += f" ({' ; '.join(said)})" if said else ""
    label = fmt.text(i.libelle)
    return f"{label[:1].lower() + label[1:]} : {fmt.value(i.valeur_quartier, i.unite)}{year}{ref}"


def key_indicators(diag: Diagnostic, n: int = N_FIGURES) -> tuple[IndicatorScore, ...]:
    """The figures that say the situation: the most acute scored ones, real data first, one per enjeu."""
    scored = [s for s in diag.indicateurs if s.score is not None and s.indicateur.valeur_quartier is not None]
    # real data first, then figures with a comparison élus can read, then the most acute
    scored.sort(
        key=lambda s: (
            s.indicateur.illustratif,
            not (s.indicateur.valeur_reference is not None or s.comparaisons),
            -(s.score or 0),
        )
    )
    out: list[IndicatorScore] = []
    seen: set[str | None] = set()
    for s in scored:
        if s.indicateur.enjeu in seen:
            continue
        seen.add(s.indicateur.enjeu)
        out.append(s)
        if len(out) == n:
            break
    return tuple(out)


def _situation(diag: Diagnostic) -> str:
    t = diag.territoire
    nq = len(t.quartiers)
    names = _list([fmt.text(q.nom) or q.code for q in t.quartiers])
    communes = _list([diag.definitions.commune_name(c) or c for c in t.communes])
    if nq:
        count = (
            "un quartier prioritaire" if nq == 1 else fmt.plural(nq, "quartier prioritaire", "quartiers prioritaires")
        )
        opening = (
            f"{f'Le territoire {fmt.of_place(communes)}' if communes else 'Le territoire'} compte {count} : {names}"
        )
    else:
        opening = "Le territoire n'a pas encore renseigné ses quartiers prioritaires"
    if t.population_quartiers:
        opening += f" ; {fmt.number(t.population_quartiers, 0)} habitants y vivent" + (
            f" (INSEE, {t.population_annee})" if t.population_annee else ""
        )
    opening += "."
    figures = key_indicators(diag)
    if not figures:
        return (
            opening
            + " Aucun indicateur chiffré ne permet encore de situer les quartiers : le diagnostic repose sur la perception des acteurs."
        )
    them = "le" if nq == 1 else "les"
    intro = f"Trois chiffres {them} situent" if len(figures) == 3 else f"Les chiffres qui {them} situent"
    # each figure its own sentence (one « : » each), against the comparison its score rests on, with its year
    figures_said = " ".join(_capitalise(_figure_phrase(s, basis=True)) + "." for s in figures)
    return opening + f" {intro}. " + figures_said


def _evidence(e: EnjeuScore, diag: Diagnostic) -> IndicatorScore | None:
    """The figure that says the enjeu: the most acute real one when it does say it (score ≥ 50: worse than its
    comparison), else the most acute one, illustrative or not — never a real figure that contradicts the
    sentence it stands in (Bédarieux's employment rate, better than the other QPV's, behind « ressort
    fortement »)."""
    mine = [s for s in diag.indicateurs if s.indicateur.code in e.indicateurs and s.score is not None]
    real = [s for s in mine if not s.indicateur.illustratif and (s.score or 0) >= 50]
    return max(real or mine, key=lambda s: s.score or 0, default=None)


def _worst_quartier(s: IndicatorScore, diag: Diagnostic) -> str:
    """« ; 0 ‰ à Grazailles, le quartier le moins bien placé… » when the score rests on that quartier too (not
    « mais »: the worst quartier confirms the figure, it does not contradict it)."""
    if not s.pire_quartier:
        return ""
    q = next((q for q in diag.par_quartier if q.code == s.pire_quartier), None)
    value = dict(q.valeurs).get(s.indicateur.code) if q else None
    if q is None or value is None:
        return ""
    where = fmt.at_place(fmt.text(q.nom))
    return f" ; {fmt.value(value, s.indicateur.unite)} {where}, le quartier le moins bien placé sur ce point"


def _perception_share(e: EnjeuScore) -> float:
    """Share of the score that comes from the room (importance, votes) rather than from the figures."""
    total = sum(p.value * p.effective_weight for p in e.parts if p.value is not None) or 1.0
    felt = sum(p.value * p.effective_weight for p in e.parts if p.value is not None and p.name != "indicateurs")
    return felt / total


def _enjeux(diag: Diagnostic) -> str:
    marked = [e for e in diag.enjeux if _marked(e)][:N_ENJEUX]
    sentences = []
    for e in marked:
        level = "fortement" if e.niveau == "fort" else "nettement"
        ev = _evidence(e, diag)
        s = f"{_q(e.libelle)} ressort {level} ({fmt.score(e.score)} sur 100)."
        if ev:  # the figure its own sentence: one « : » per sentence
            s += f" {_capitalise(_figure_phrase(ev, basis=True))}{_worst_quartier(ev, diag)}."
        caveats = []
        if ev is not None and ev.indicateur.illustratif:
            caveats.append(
                "ce niveau repose sur un chiffre illustratif, provisoire jusqu'à ce qu'un chiffre réel le remplace"
            )
        elif e.illustratif:
            caveats.append("une partie des chiffres est illustrative et doit être remplacée par des données réelles")
        if _perception_share(e) >= 0.5:
            caveats.append("plus de la moitié de ce score vient de l'avis des acteurs, pas des chiffres")
        # (« avis partagés » is said once, by the workshop's sentence that closes this part)
        if caveats:
            s += " Réserve : " + " ; ".join(caveats) + "."
        sentences.append(s)
    # the room and the figures disagree: say it, never call the enjeu « marqué » on perception alone
    for e in [e for e in diag.enjeux if e.divergence == "perception" and not e.a_objectiver][: N_ENJEUX - len(marked)]:
        sentences.append(
            f"{_q(e.libelle)} compte pour les acteurs"
            + (f" (perception {fmt.score(e.part_perception)} sur 100)" if e.part_perception is not None else "")
            + ", mais les données ne le confirment pas"
            + (f" (données {fmt.score(e.part_donnees)} sur 100)" if e.part_donnees is not None else "")
            + " : à vérifier avant d'en faire une priorité."
        )
    open_ = [e for e in diag.enjeux if e.a_objectiver]
    if len(sentences) < N_ENJEUX and open_:
        felt = sorted(open_, key=lambda e: -e.score)[: N_ENJEUX - len(sentences)]
        sentences.append(
            f"{_capitalise(_list([_q(e.libelle) for e in felt]))} "
            + ("compte" if len(felt) == 1 else "comptent")
            + " pour les acteurs, mais aucun chiffre ne "
            + ("l'établit" if len(felt) == 1 else "les établit")
            + " encore : "
            + ("il reste" if len(felt) == 1 else "ils restent")
            + " à objectiver avant d'y engager des moyens."
        )
    room = atelier_view(diag)
    if room is not None:
        sentences.append(room.synthese)  # who voted, how many, where the room split (report/votes.py)
    if not sentences:
        return "Aucun enjeu n'atteint le niveau moyen : le diagnostic ne désigne pas encore de priorité nette."
    return PARAGRAPH.join(sentences)


def _enjeu_names(a: ActionScore, diag: Diagnostic) -> list[str]:
    codes = a.action.enjeux
    return [_q(diag.definitions.enjeu_label(c)) for c in codes][:2]


def _start(a: ActionScore) -> str:
    if a.debut is None:
        return "non planifiée"
    if a.evenement:
        return f"première édition en {fmt.month_year(a.debut)}"
    first = next((p for p in a.phases if p.kind == "prerequis"), None)
    if first is not None and first.debut < a.debut:
        return f"préparation dès {fmt.month_year(first.debut)}, démarrage en {fmt.month_year(a.debut)}"
    return f"démarrage en {fmt.month_year(a.debut)}"


def structuring(diag: Diagnostic) -> tuple[ActionScore, ...]:
    """Priority actions that change the situation (the engine's category: not quick wins, not one-day events);
    one whose programme must first be reconfigured is not one yet (`to_reconfigure`)."""
    return tuple(
        a for a in diag.actions if a.categorie == "structurante" and a.priorite in (1, 2) and not a.a_reconfigurer
    )


def quick_wins(diag: Diagnostic) -> tuple[ActionScore, ...]:
    """Cheap and quick priority actions — never one that waits for its national programme's successor."""
    return tuple(
        a for a in diag.actions if a.categorie == "gain-rapide" and a.priorite in (1, 2) and not a.a_reconfigurer
    )


def to_reconfigure(diag: Diagnostic) -> tuple[ActionScore, ...]:
    """Priority actions whose national programme ended, or ends before they start: a decision first."""
    return tuple(a for a in diag.actions if a.a_reconfigurer and a.priorite in (1, 2))


def _priorities(diag: Diagnostic, projet: bool) -> str:
    lead = structuring(diag)[:N_STRUCTURING]
    quick = quick_wins(diag)[:N_QUICK]
    if not lead and not quick:
        top = diag.actions[:N_STRUCTURING]
        if not top:
            return "Aucune action n'a été proposée : la hiérarchisation reste à faire avec les partenaires."
        return (
            "Aucune action n'atteint la priorité 2 ; en tête du classement : "
            + _list([_q(_title(a)) for a in top])
            + ". Le comité devra préciser ces actions avant de les engager."
        )
    parts = []
    if projet:
        parts.append("Ces priorités sont provisoires : elles reposent en grande partie sur des chiffres illustratifs.")
    if lead:
        for a in lead:
            why = _enjeu_names(a, diag)
            parts.append(
                f"Action structurante : {_q(_title(a))} (priorité {a.priorite}, {fmt.score(a.score)} sur 100)"
                + (f" répond à {_list(why)}" if why else "")
                + f" ; {_start(a)}"
                + (" — sous condition, les données ne confirmant pas encore l'enjeu." if conditional(diag, a) else ".")
            )
    if quick:
        parts.append(
            (
                "Gains rapides, peu coûteux et vite engagés : "
                if len(quick) > 1
                else "Gain rapide, peu coûteux et vite engagé : "
            )
            + _list([f"{_q(_title(a))} ({_start(a)})" for a in quick])
            + "."
        )
    return PARAGRAPH.join(parts)


def _reconfigure_decision(diag: Diagnostic, a: ActionScore) -> str:
    """The comité decides what becomes of an action whose programme ended, or ends before it starts; the way
    out the catalogue records (« suite ») is offered as a lead to confirm, never as settled."""
    d = diag.definitions.action(a.action.code)
    p = d.programme if d is not None else None
    if p is not None and d is not None and not d.a_reconfigurer and p.fin is not None:
        why = f"dont le cadre national « {fmt.text(p.nom)} » après le {fmt.long_date(p.fin)} n'est pas confirmé"
    else:
        why = "dont le dispositif national n'est pas reconduit sous sa forme actuelle"
    lead = ""
    if p is not None and p.successeur and "comité local pour l'emploi" in p.successeur:
        lead = " (par exemple porter ses actions prioritaires au comité local pour l'emploi, une piste à confirmer localement)"
    elif p is not None and p.fin is not None and not (d is not None and d.a_reconfigurer):
        lead = " selon le cadre qui sera retenu (prolongation, pérennisation ou programme nouveau)"
    return f"Décider de la suite de l'action {_q(_title(a))}, {why} : la reconfigurer{lead} ou y renoncer."


def _programme_sentence(action: str, notice: str) -> str:
    """« X » repose sur le dispositif national « Cités de l'emploi », qui a changé : non pérennisées… — one
    colon, dates in words (the vigilance point's own clause)."""
    return f"{action} repose sur {wording.programme_clause(fmt.dates_in_words(notice))}."


def _blocking(diag: Diagnostic) -> str:
    parts = []
    ranks = {a.key: a for a in diag.actions}
    for v in diag.vigilance:
        a = ranks.get(v.ref)
        # what stops a priority action, or a programme that ended (editorial.md §3), named
        if not (v.niveau == "bloquant" or (v.rule == "programme-modifie" and a is not None and a.a_reconfigurer)):
            continue
        p = v.data
        name = _q(p.get("action") or (a and _title(a)) or v.ref)
        if v.rule == "programme-modifie":
            d = diag.definitions.action(a.action.code) if a is not None else None
            if d is not None and d.programme is not None:  # short: the decision below says what to do
                prog = d.programme
                checked = f"vérifié le {fmt.long_date(prog.verifie_le)}"
                if not d.a_reconfigurer and prog.fin is not None:  # still running, ends before the action starts
                    verb = "s'est achevé" if diag.generated is not None and prog.fin < diag.generated else "s'achève"
                    parts.append(
                        f"{name} repose sur le dispositif national « {fmt.text(prog.nom)} », qui {verb} le "
                        f"{fmt.long_date(prog.fin)} ; le cadre qui suit n'était pas confirmé au "
                        f"{fmt.long_date(prog.verifie_le)}."
                    )
                else:
                    parts.append(
                        f"{name} repose sur le dispositif national « {fmt.text(prog.nom)} », qui a changé : "
                        f"{fmt.dates_in_words(fmt.text(prog.statut))} ; {checked}."
                    )
            else:
                parts.append(_programme_sentence(name, fmt.text(p.get("statut"))))
        elif v.rule == "prerequis-non-fait":
            needs = [n for n in p.get("besoins", ()) if n.get("bloquant")]
            what = _list([fmt.text(n["quoi"]).lower() for n in needs[:3]])
            start = f" avant {fmt.month_year(p['debut'])}" if p.get("debut") else ""
            parts.append(
                f"{name} ne pourra pas démarrer{start} : il faut d'abord {what}."
                if what
                else f"{name} attend ses prérequis."
            )
        elif v.rule == "hors-periode":
            parts.append(f"{name} ne peut pas démarrer avant la fin du contrat avec les moyens prévus.")
    long_steps = []
    for v in diag.vigilance:
        a = ranks.get(v.ref)
        if v.rule != "prerequis-non-fait" or a is None or a.priorite != 1:
            continue
        for n in v.data.get("besoins", ()):
            if n.get("origine") == "catalogue" and n.get("bloquant") and (n.get("duree_mois") or 0) >= LONG_STEP_MONTHS:
                long_steps.append(f"{fmt.text(n['quoi']).lower()} pour {_q(_title(a))} ({n['duree_mois']} mois)")
    if long_steps:
        parts.append("Étapes longues, hors de la main du territoire : " + " ; ".join(long_steps[:3]) + ".")
    # a priority whose works outlast the contract: this contract prepares its conditions, the next one carries it
    contract_end = date(diag.periode[1], 12, 31)
    for a in diag.actions:
        if a.priorite in (1, 2) and a.fin is not None and a.debut is not None and a.fin > contract_end:
            # the action's own conditions (land control, an agreement…) before the three generic steps
            pre = sorted((p for p in a.phases if p.kind == "prerequis"), key=lambda p: p.origine != "catalogue")
            steps = [fmt.text(p.label) for p in pre][:3]
            parts.append(
                f"{_q(_title(a))} ne démarre qu'en {fmt.month_year(a.debut)} et se poursuit jusqu'en "
                f"{fmt.month_year(a.fin)}, au-delà du contrat : celui-ci en prépare les conditions"
                + (f" ({_list([x[:1].lower() + x[1:] for x in steps])})." if steps else ".")
            )
    late = [a for a in diag.actions if a.en_retard]
    if late and diag.territoire.date_diagnostic:
        restart = min((a.debut for a in diag.actions if a.debut), default=None)
        parts.append(
            late_sentence(diag, late)
            + " : "
            + (
                f"la feuille de route repart {fmt.of(fmt.month_year(restart))}"
                if restart
                else "la feuille de route repart de la date de ce rapport"
            )
            + (
                f" et n'ouvre pas plus de {diag.method.capacite} chantiers préalables à la fois, la capacité de l'équipe."
                if diag.method.capacite
                else "."
            )
        )
    if not parts:
        return "Rien ne bloque le démarrage des priorités : leurs prérequis sont faits ou en cours."
    return PARAGRAPH.join(parts)


def late_sentence(diag: Diagnostic, late: Sequence[ActionScore]) -> str:
    """Deadlines already past at the report's date apart from those this plan cannot reach: « dépassées »
    is said only of the first (a deadline of 2028 is not « dépassée » in December 2026)."""
    today = diag.generated
    past = [a for a in late if deadline_reason(a, today) == "passée"]
    ahead = [a for a in late if a not in past]
    when = f"lors du diagnostic {fmt.of(fmt.month_year(diag.territoire.date_diagnostic))}"
    parts = []
    if past:
        parts.append(
            f"déjà passées pour {fmt.plural(len(past), 'action')}, dont {_list([_q(_title(a)) for a in past[:2]])}"
            if len(past) > 2
            else f"déjà passées pour {_list([_q(_title(a)) for a in past])}"
        )
    if ahead:
        named = _list([_q(_title(a)) for a in ahead[:2]])
        more = f"{fmt.plural(len(ahead), 'action')}, dont {named}" if len(ahead) > 2 else named
        parts.append(f"hors d'atteinte avec ce plan pour {more}")
    return f"Les échéances souhaitées {when} sont " + " ; elles sont ".join(parts)


#: Actions of the year told with their pilot and partners; the others active that year are named after them.
N_WHO = 4


def _who(diag: Diagnostic, year: int) -> str:
    """Who does what in `year`: the first actions with their pilot and partners, then every other priority
    action at work that year named by what it does (an action left out read as nothing happening to it)."""
    parts: list[str] = []
    others: dict[str, list[str]] = {"démarre": [], "prépare": [], "poursuit": []}
    for a in diag.actions:
        if a.debut is None:
            continue
        active = [p for p in a.phases if p.debut.year <= year <= p.fin.year]
        if not active:
            continue
        step = "démarre" if a.debut.year == year else ("prépare" if a.debut.year > year else "poursuit")
        if len(parts) == N_WHO or a.priorite not in (1, 2):  # a priority-3 action is named, not told
            others[step].append(_q(_title(a)))
            continue
        if a.a_reconfigurer and active[0].kind == "prerequis" and active[0].label in _RECONFIGURING:
            step = "propose de reconfigurer"  # its programme ended: what replaces it is the comité's decision
        pilot = fmt.text(a.action.pilote)
        partners = [fmt.text(x) for x in a.action.partenaires if fmt.text(x)]
        s = f"{_capitalise(pilot) if pilot else 'Un pilote à désigner'} {step} {_q(_title(a))}"
        if partners:
            s += " avec " + _list(partners[:3])
        parts.append(s + ".")
    if not parts:
        return f"Aucune action prioritaire n'est planifiée en {year}."
    also = [
        f"{verb} aussi {_list(titles)}"
        for verb, titles in (
            ("démarrent" if len(others["démarre"]) > 1 else "démarre", others["démarre"]),
            ("se préparent" if len(others["prépare"]) > 1 else "se prépare", others["prépare"]),
            ("se poursuivent" if len(others["poursuit"]) > 1 else "se poursuit", others["poursuit"]),
        )
        if titles
    ]
    if also:
        parts.append(f"En {year}, " + " ; ".join(also) + ".")
    reviews = [j for j in diag.jalons if j.annee == year]
    tail = ""
    if any(j.kind == "revue-annuelle" for j in reviews):
        tail += f" La revue annuelle de {year} décide, action par action, de poursuivre, d'ajuster ou d'arrêter."
    if any(j.kind == "evaluation-mi-parcours" for j in reviews):
        tail += f" L'évaluation à mi-parcours de {year} (pratique recommandée) se prépare dès le début de l'année."
    # under its heading « Qui fait quoi en 2027 », the actions themselves: no « Ce qui se fait en 2027 : » first
    return PARAGRAPH.join(parts) + (PARAGRAPH + tail.strip() if tail else "")


def _unconfirmed_enjeux(diag: Diagnostic, a: ActionScore) -> list[str]:
    """Labels of the scored enjeux the action answers, when the data confirm none of them (each rests on the
    room's perception: `divergence == "perception"`); empty otherwise. Enjeux still « à objectiver » have no
    figure either way and do not make an action conditional (a steering committee is not waiting for one)."""
    d = diag.definitions.action(a.action.code)
    served = tuple(a.action.enjeux) or (d.enjeux if d is not None else ())
    scored = [e for e in diag.enjeux if e.code in served and not e.a_objectiver]
    if not scored or not all(e.divergence == "perception" for e in scored):
        return []
    return [fmt.text(e.libelle) for e in scored]


def _measures(diag: Diagnostic, a: ActionScore) -> bool:
    """An observatory or a watch (`observation` in the catalogue): how unconfirmed enjeux get their figures."""
    d = diag.definitions.action(a.action.code)
    return d is not None and d.observation


def _unconfirmed(diag: Diagnostic, a: ActionScore) -> bool:
    return bool(_unconfirmed_enjeux(diag, a))


def conditional(diag: Diagnostic, a: ActionScore) -> bool:
    """A priority validated only « sous condition »: it answers enjeux the data do not confirm yet and does not
    measure them itself (the synthesis' and the decisions' own rule; the deck and the note carry the mark)."""
    return _unconfirmed(diag, a) and not _measures(diag, a)


def decisions(diag: Diagnostic, projet: bool) -> tuple[str, ...]:
    """What the comité is asked to decide, each one a sentence naming its object."""
    out = []
    lead = structuring(diag)[:N_STRUCTURING]
    quick = quick_wins(diag)[:N_QUICK]
    # an action whose programme must first be reconfigured is the object of its own decision, not validated as is;
    # one that answers only enjeux the data do not confirm is validated on that condition (the synthesis said
    # « à vérifier avant d'en faire une priorité »: the decision cannot say the opposite)
    valid = [a for a in (*lead, *quick) if not a.a_reconfigurer]
    on_condition = [a for a in valid if conditional(diag, a)]
    firm = [a for a in valid if a not in on_condition]
    measuring = [a for a in firm if _measures(diag, a) and _unconfirmed(diag, a)]
    if firm:
        out.append(
            ("Valider, à titre provisoire, " if projet else "Valider ")
            + _list([_q(_title(a)) for a in firm])
            + " comme priorités du volet économique."
        )
    if on_condition:
        enjeux = sorted({e for a in on_condition for e in _unconfirmed_enjeux(diag, a)})
        out.append(
            "Valider sous condition "
            + _list([_q(_title(a)) for a in on_condition])
            + f", qui répondent à {_list([_q(e) for e in enjeux])}, "
            + (
                "des enjeux que les données ne confirment"
                if len(enjeux) > 1
                else "un enjeu que les données ne confirment"
            )
            + " pas encore : les engager quand les chiffres "
            + ("les établissent" if len(enjeux) > 1 else "l'établissent")
            + (f", ce que {_list([_q(_title(a)) for a in measuring])} doit mesurer." if measuring else ".")
        )
    for a in diag.actions:
        if a.a_reconfigurer:
            out.append(_reconfigure_decision(diag, a))
    unpiloted = [a for a in (*lead, *quick) if not fmt.text(a.action.pilote)]
    if unpiloted:
        out.append(f"Désigner un pilote pour {_list([_q(_title(a)) for a in unpiloted])}.")
    if diag.method.capacite:
        out.append(
            f"Confirmer le temps consacré au volet économique : la feuille de route suppose {diag.method.capacite} "
            "chantiers préalables menés de front."
        )
    open_ = [e for e in diag.enjeux if e.a_objectiver][:3]
    if open_:
        out.append(f"Faire établir les données qui manquent pour {_list([_q(e.libelle) for e in open_])}.")
    today = diag.generated or date.today()
    next_review = next(
        (
            j
            for j in diag.jalons
            if j.kind == "revue-annuelle" and j.date > today.replace(day=1) and (j.date - today).days > 60
        ),
        None,
    )
    if next_review:
        out.append(
            f"Fixer la date de la revue annuelle {next_review.annee} et de ses suivantes, jusqu'en {diag.periode[1]}."
        )
    return tuple(out)


def narrative(diag: Diagnostic, projet: bool = False) -> tuple[tuple[str, str], ...]:
    """The synthesis, as (heading, paragraph): every heading has its sentences."""
    today = diag.generated or date.today()
    year = max(today.year + (1 if today.month >= 10 else 0), diag.periode[0])
    return (
        ("La situation", _situation(diag)),
        ("Les enjeux", _enjeux(diag)),
        ("Les priorités et pourquoi", _priorities(diag, projet)),
        # what blocks, and the programmes to reconfigure: a decision, not a bloquant point (domain-facts § 8)
        ("Ce qui bloque ou reste à trancher", _blocking(diag)),
        (f"Qui fait quoi en {year}", _who(diag, year)),
    )

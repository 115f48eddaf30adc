"""The synthesis for élus: sentences composed from the Diagnostic's facts."""

from __future__ import annotations

from ...results import Diagnostic, EnjeuScore
from .. import formatting as fmt
from .common import _title


def _synthese_text(diag: Diagnostic) -> str:
    n1 = sum(1 for a in diag.actions if a.priorite == 1)
    nb = sum(1 for v in diag.vigilance if v.niveau == "bloquant")
    top = [e.libelle for e in diag.enjeux[:3]]
    parts = []
    if top:
        parts.append("Les enjeux les plus aigus sont : " + ", ".join(f"« {fmt.text(t)} »" for t in top) + ".")
    n = len(diag.actions)
    parts.append(
        f"{fmt.plural(n, 'action')} {fmt.agree(n, 'a été examinée', 'ont été examinées')}"
        + (f", dont {fmt.plural(n1, 'action')} de priorité 1." if fmt.agree(n, "", "s") else ".")
    )
    if nb:
        parts.append(
            "Un point bloquant doit être levé avant le lancement."
            if nb == 1
            else f"{fmt.plural(nb, 'point bloquant', 'points bloquants')} doivent être levés avant le lancement."
        )
    return " ".join(parts)


def _marked(e: EnjeuScore) -> bool:
    """An enjeu the synthesis may call a priority: scored from data, and at least « moyen »."""
    return not e.a_objectiver and e.niveau in ("fort", "moyen")


def _narrative(diag: Diagnostic) -> tuple[tuple[str, str], ...]:
    """The synthesis for élus, in four paragraphs: found, first, watch, what it takes (numbers from the engine)."""
    from ...plan.prerequisites import prerequisite_needs

    out = []
    scored = [e for e in diag.enjeux if not e.a_objectiver]
    marked = [e for e in scored if _marked(e)][:3]  # a weak enjeu is never « marqué »
    found = []

    def named(e: EnjeuScore) -> str:
        return (
            f"« {fmt.text(e.libelle)} » ({fmt.score(e.score)}/100"
            + (", chiffres en partie illustratifs" if e.illustratif else "")
            + ")"
        )

    if marked:
        found.append(
            "Comparés aux autres quartiers prioritaires et à leur environnement, les enjeux les plus "
            "marqués sont " + ", ".join(named(e) for e in marked) + "."
        )
    elif scored:
        found.append(
            "Comparé aux autres quartiers prioritaires et à son environnement, aucun enjeu chiffré n'atteint "
            "le niveau moyen (40/100) ; le plus haut : " + named(scored[0]) + "."
        )
    weak = [e for e in scored if e.niveau == "faible"]
    if marked and weak:
        found.append(
            f"{fmt.plural(len(weak), 'enjeu', 'enjeux')} {fmt.agree(len(weak), 'ressort', 'ressortent')} "
            "faiblement : " + ", ".join(named(e) for e in weak[:3]) + (" et d'autres" if len(weak) > 3 else "") + "."
        )
    open_ = [e for e in diag.enjeux if e.a_objectiver]
    if open_:
        more = len(open_) - 4
        found.append(
            f"{fmt.plural(len(open_), 'enjeu', 'enjeux')} {fmt.agree(len(open_), 'reste', 'restent')} à "
            "objectiver faute d'indicateur chiffré : "
            + ", ".join(f"« {fmt.text(e.libelle)} »" for e in open_[:4])
            + (f" et {fmt.plural(more, 'autre')}" if more > 0 else "")
            + "."
        )
    if diag.par_quartier:
        for code in ("PAUVRETE", "EMPLOI_15_64"):
            values = [(dict(q.valeurs).get(code), q.nom) for q in diag.par_quartier]
            values = [(v, n) for v, n in values if v is not None]
            if len(values) >= 2:
                lo, hi = min(values), max(values)
                d = diag.definitions.indicator(code)
                label = d.libelle.lower() if d else code
                found.append(
                    f"Les {len(diag.par_quartier)} quartiers ne se ressemblent pas : {label} de "
                    f"{fmt.number(lo[0], 1)} % ({fmt.text(lo[1])}) à {fmt.number(hi[0], 1)} % ({fmt.text(hi[1])})."
                )
                break
    if found:
        out.append(("Ce que nous avons constaté", " ".join(found)))
    first = [a for a in diag.actions if a.priorite == 1]
    lead = "En priorité : " if first else "Aucune action n'atteint la priorité 1 ; en tête du classement : "
    first = first or list(diag.actions[:3])
    if first:
        late = sum(1 for a in diag.actions if a.en_retard)
        text = (
            lead
            + " ; ".join(
                f"{_title(a)} (à engager dès {fmt.month_year(a.debut)})" if a.debut else _title(a) for a in first[:5]
            )
            + "."
        )
        if late:
            text += (
                f" Le calendrier part de la date de ce rapport : {fmt.plural(late, 'action')} "
                f"{fmt.agree(late, 'prévue', 'prévues')} plus tôt au diagnostic {fmt.agree(late, 'est', 'sont')} "
                f"en retard et {fmt.agree(late, 'a été replanifiée', 'ont été replanifiées')}."
            )
        out.append(("Par quoi commencer", text))
    watch = []
    nb = [v for v in diag.vigilance if v.niveau == "bloquant"]
    if nb:
        watch.append(
            f"{fmt.plural(len(nb), 'point bloquant', 'points bloquants')} (détail au chapitre « Points de vigilance »)."
        )
    long_steps = []
    for a in diag.actions:
        for n in prerequisite_needs(a, None):
            if n.origine == "catalogue" and n.bloquant and not n.a_confirmer and (n.duree_mois or 0) >= 12:
                long_steps.append(f"{n.quoi.lower()} pour « {_title(a)} » ({n.duree_mois} mois)")
    if long_steps:
        watch.append("Des étapes longues, hors de la main du territoire : " + " ; ".join(long_steps[:4]) + ".")
    if watch:
        out.append(("Ce qui demande vigilance", " ".join(watch)))
    needs = sorted({t for a in first for t in a.partner_types})
    takes = []
    if needs:
        takes.append("Mobiliser : " + ", ".join(needs) + ".")
    reviews = [j for j in diag.jalons if j.kind == "revue-annuelle"]
    mid = next((j for j in diag.jalons if j.kind == "evaluation-mi-parcours"), None)
    if reviews or mid:
        takes.append(
            "Suivre : une revue annuelle chaque année"
            + (f" jusqu'en {reviews[-1].annee}" if reviews else "")
            + (f", l'évaluation à mi-parcours en {mid.annee}" if mid else "")
            + "."
        )
    if takes:
        out.append(("Ce qu'il faudra mobiliser", " ".join(takes)))
    return tuple(out)

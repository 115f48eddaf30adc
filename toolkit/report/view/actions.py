"""Ranking, roadmap rows and fiches action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...model import PREREQUIS
from ...results import ActionScore, Diagnostic
from .. import formatting as fmt
from .. import wording
from .common import _anchor, _period, _title, deadline_reason
from .labels import CRITERIA_LABELS, VIGILANCE_LEVEL_LABEL
from .model import ActionRow, Fiche


def _criteria_header(diag: Diagnostic) -> tuple[tuple[str, str], ...]:
    """Criteria of the ranking table with the share of the weights each one carries (`Impact`, `20 %`)."""
    if not diag.actions:
        return ()
    crits = diag.actions[0].criteria
    total = sum(c.weight for c in crits) or 1.0
    return tuple((CRITERIA_LABELS.get(c.name, c.name), fmt.share(c.weight / total)) for c in crits)


def _action_row(a: dict) -> ActionRow:
    """From the action's record (`toolkit.report.records`): the same fields as the JSON and the results workbook."""
    r = a["robustesse"]
    crit = tuple(
        (CRITERIA_LABELS.get(c["nom"], c["nom"]), fmt.score(c["normalise"] * 100), c["impute"]) for c in a["criteres"]
    )
    title = fmt.text(a["intitule"]) or fmt.text(a["libelle_catalogue"]) or a["cle"]
    return ActionRow(
        rang=a["rang"],
        key=a["cle"],
        intitule=title,
        champ=fmt.text(a["champ"]),
        score=fmt.score(a["score"]),
        priorite=a["priorite"],
        quick_win=a["quick_win"],
        criteria=crit,
        p_tier=fmt.share(r["p_meme_priorite"]) if r else fmt.DASH,
        p_top=fmt.share(r["p_top_n"]) if r else fmt.DASH,
        rank_range=(
            f"{r['rang_min']}–{r['rang_max']}"
            if r and r["rang_min"] != r["rang_max"]
            else str(r["rang_min"])
            if r
            else fmt.DASH
        ),
        fragile=bool(r and r["fragile"]),
        debut=fmt.month_year(a["debut"]) if a["debut"] else fmt.DASH,
        fin=fmt.month_year(a["fin"]) if a["fin"] else fmt.DASH,
        echeance=fmt.wish(a["echeance_souhaitee"]) if a["echeance_souhaitee"] else fmt.DASH,
        echeance_tenue=a["echeance_tenue"],
        categorie=a["categorie"],
        a_objectiver=wording.objectiver_note(len(a["enjeux_a_objectiver"])),
    )


def _fiche(a: ActionScore, diag: Diagnostic, numbers: Sequence[int]) -> Fiche:
    """`numbers`: the chapter's number of each point of `diag.vigilance`, in the same order."""
    act = a.action
    vig = tuple(
        sorted(
            (
                (VIGILANCE_LEVEL_LABEL[v.niveau], n)
                for v, n in zip(diag.vigilance, numbers, strict=False)
                if v.objet == "action" and v.ref == a.key
            ),
            key=lambda x: x[1],
        )
    )
    exps = tuple(m.experience.titre for m in diag.experiences if a.key in m.actions)[:2]  # the closest two
    if a.echeance_tenue is None:
        note = "pas d'échéance souhaitée"
    elif a.echeance_tenue:
        note = "échéance tenable"
    else:
        note = {
            "passée": "échéance déjà passée à la date de ce rapport",
            "capacité": "échéance hors d'atteinte : l'action attend que l'équipe ait la place de la préparer",
        }.get(deadline_reason(a, diag.generated), "échéance hors d'atteinte avec ses prérequis")
    r = a.robustness
    rob = (
        (
            f"reste en priorité {a.priorite} dans {fmt.share(r.p_same_tier)} des tirages ; dans le top {r.top_n} "
            f"dans {fmt.share(r.p_top_n)} ; rang entre {r.rank_min} et {r.rank_max}"
        )
        if r
        else "non calculée"
    )
    imp = {c.name: c for c in a.criteria}
    return Fiche(
        rang=a.rang,
        key=a.key,
        anchor=_anchor(a),
        intitule=_title(a),
        catalogue=fmt.text(a.libelle_catalogue) if a.libelle_catalogue and a.libelle_catalogue != act.intitule else "",
        champ=fmt.text(act.champ),
        enjeux=tuple(diag.definitions.enjeu_label(c) for c in act.enjeux),
        score=fmt.score(a.score),
        priorite=a.priorite,
        quick_win=a.quick_win,
        pilote=fmt.text(act.pilote) or "à désigner",
        partenaires=tuple(p for p in (fmt.text(x) for x in act.partenaires) if p),
        partner_types=tuple(a.partner_types),
        cout=fmt.euros(act.cout) if act.cout is not None else "non estimé",
        impact=f"{act.impact} / 5"
        if act.impact is not None
        else ("non renseigné" + (" (valeur neutre retenue)" if imp.get("impact") and imp["impact"].imputed else "")),
        faisabilite=f"{act.faisabilite} / 5" if act.faisabilite is not None else "non renseignée",
        prerequis=tuple((p, act.prerequis.get(p, "non renseigné")) for p in PREREQUIS),
        phases=tuple(
            (
                p.label if p.kind == "prerequis" else "",
                "Prérequis" if p.kind == "prerequis" else "Mise en œuvre",
                _period(p.debut, p.fin),
            )
            for p in a.phases
        ),
        calendrier=_period(a.debut, a.fin),
        echeance=fmt.wish(act.echeance.text) if act.echeance else "aucune",
        echeance_note=note,
        vigilance=vig,
        experiences=exps,
        suivi=tuple(a.suivi),
        commentaire=fmt.text(act.commentaire),
        programme_status=fmt.dates_in_words(fmt.text(a.programme_status)),
        robustness=rob,
        fragile=bool(r and r.fragile),
        sources=tuple(a.sources),
        cible=_target(a),
        financement=(
            f"{fmt.text(act.financeur)}" + (f" ({act.nature_financement.lower()})" if act.nature_financement else "")
            if fmt.text(act.financeur)
            else (f"à préciser ({act.nature_financement.lower()})" if act.nature_financement else "à préciser")
        ),
    )


def _target(a: ActionScore) -> str:
    """The 2030 target as typed, else the catalogue's first follow-up indicator, said to be confirmed."""
    act = a.action
    value = (
        f"{fmt.number(act.cible_valeur, 0 if float(act.cible_valeur).is_integer() else 1)} en 2030"
        if act.cible_valeur is not None
        else "valeur à fixer"
    )
    if fmt.text(act.cible_indicateur):
        return f"{fmt.text(act.cible_indicateur)} : {value}"
    if a.suivi:
        return f"{fmt.text(a.suivi[0])} (indicateur proposé, à confirmer) : {value}"
    return "indicateur et valeur à fixer avec les partenaires"


def year_rows(diag: Diagnostic) -> tuple[tuple[str, str, str], ...]:
    """Every year to the contract's end: what starts (named, in date order) and the milestones' decisions."""
    first = max((diag.generated or date.today()).year, diag.periode[0])
    rows = []
    for year in range(first, diag.periode[1] + 1):
        starts = sorted(
            (a for a in diag.actions if a.debut is not None and a.debut.year == year), key=lambda a: (a.debut, a.rang)
        )
        # an action to reconfigure starts only if the comité so decides: said where its start is listed
        what = " ; ".join(
            f"{_title(a)} ({fmt.month_year(a.debut).split()[0]}{', si le comité la reconfigure' if a.a_reconfigurer else ''})"
            for a in starts
        )
        decisions = [
            {"revue-annuelle": "revue annuelle : poursuivre, ajuster ou arrêter",
             "evaluation-mi-parcours": "évaluation à mi-parcours (pratique recommandée)",
             "fin-contrat": "fin du contrat : bilan"}[j.kind]
            for j in diag.jalons
            if j.annee == year
        ]  # fmt: skip
        if not what and year == first and not any(a.debut and a.debut.year < year for a in diag.actions):
            continue  # the current year before anything starts: nothing to decide yet but the review
        rows.append(
            (str(year), what or "rien ne démarre : les actions engagées se poursuivent", " ; ".join(decisions) or "—")
        )
    return tuple(rows)

"""Every French sentence about a result, written from the codes and numbers the engine returns.

`score/` and `plan/` return rule codes, numbers, dates and names; this module turns them into the
sentences the report, the JSON (`message`, `detail`, `raisons`…) and the results workbook show. Numbers
and plurals go through `formatting` (Babel, French rules), never by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from ..results import Criterion, FeatureGap, PartnerGap, ScorePart, SimilarTerritory, VigilancePoint
from . import formatting as fmt

#: `IndicatorScore.reason_not_scored` codes.
INDICATOR_REASONS = {
    "valeur-quartier-manquante": "valeur du quartier manquante",
    "reference-manquante": "aucune valeur de comparaison",
    "reference-nulle": "référence nulle sans écart critique déclaré",
    # the plausibility rule (toolkit.plausibility), the one `check` warns with
    "valeur-invraisemblable": "non noté — valeur à vérifier : plus de 1 000 pour 1 000 habitants",
    "reference-invraisemblable": "non noté — valeur à vérifier : comparaison au moins dix fois plus forte ou plus "
    "faible que la valeur du quartier",
    "annee-future/aujourdhui": "non noté — valeur à vérifier : année postérieure à la date du rapport",
}


def objectiver_note(n: int) -> str:
    """An action whose pertinence rests on enjeux scored on perception alone (« à objectiver »)."""
    if not n:
        return ""
    return f"pertinence : {fmt.plural(n, 'enjeu visé', 'enjeux visés')} à objectiver (perception seule)"


def divergence_text(divergence: str | None) -> str:
    """The disagreement between the data and the room's perception, named (docs/methode.md § 1.2)."""
    if divergence == "perception":
        return "Les données ne le confirment pas : l'enjeu est perçu nettement plus fort que ne le montrent les indicateurs."
    if divergence == "donnees":
        return "Les données le montrent nettement plus fort que ne le perçoivent les acteurs."
    return ""


PROJET_REASONS = {
    "illustratif": "plus de la moitié des valeurs notées sont illustratives",
    "aucune-valeur-notee": "aucune valeur chiffrée n'a pu être notée",
    "demande": "document de travail",
}


def projet_sentence(reason: str | None, n_scored: int, n_illustr: int) -> str:
    """The synthesis's sentence for a draft: why, and that the priorities are provisional."""
    if reason is None:
        return ""
    why = PROJET_REASONS.get(reason, "document de travail")
    if reason == "illustratif":
        why = f"{n_illustr} des {n_scored} valeurs notées sont illustratives"
    return f"Projet non diffusable ({why}) : les priorités sont provisoires, à confirmer avec des données sourcées."


#: The QPV geographies, as the cover, the portrait and the JSON name them.
GEOGRAPHY_LABELS = {
    "2024": "géographie prioritaire 2024 (décret n° 2023-1314 modifié par le décret n° 2024-806, codes QN…)",
    "2015": "géographie prioritaire 2015 (décret n° 2014-1750, codes QP…)",
}


def geography_label(geo: str | None) -> str:
    return GEOGRAPHY_LABELS.get(geo or "", "géographie prioritaire non précisée (aucun code QP… ou QN… lisible)")


def years_text(years: Sequence[int]) -> str:
    """`2017 à 2021`, `2021`, or empty."""
    if not years:
        return ""
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo} à {hi}"


#: Consequence of an optional sheet left out (rule `feuille-absente`).
MISSING_SHEET = {
    "enjeux": "l'importance perçue des enjeux n'est pas prise en compte",
    "acteurs": "la disponibilité des partenaires n'est pas évaluée (valeur neutre)",
    "gouvernance": "la maturité de la gouvernance n'est pas évaluée",
    "votes": "aucun vote d'atelier n'entre dans les scores",
}

#: `ExperienceMatch.reasons` kinds.
EXPERIENCE_REASONS = {
    "meme-type": "même type d'action ({})",
    "meme-champ": "même champ ({})",
    "meme-enjeu": "même enjeu ({})",
    "typologie": "typologie comparable ({})",
    "region": "même région ({})",
}


def indicator_reason(code: str | None) -> str | None:
    return INDICATOR_REASONS.get(code, code) if code else None


def _g(x: float | None) -> str:
    """A median or spread of notes 1–5: `4`, `4,5`, `1,25`."""
    return fmt.number(x, 2)


def vote_detail(median: float, iqr: float | None, n: int, dissensus: bool) -> str:
    """Plain words for élus (the spread of the notes is in the method annex's vote table)."""
    text = f"note médiane {_g(median)} sur 5, {fmt.plural(n, 'votant')}"
    return text + (" ; avis partagés" if dissensus else "")


def part_detail(p: ScorePart) -> str:
    """What lies behind one source of an enjeu score: `3 indicateurs notés (2 sur 4 du catalogue)`."""
    d = p.detail
    if p.name == "indicateurs":
        if not d.rows:
            text = "aucun indicateur"
        else:
            text = f"{fmt.plural(d.scored, 'indicateur')} {fmt.agree(d.scored, 'noté')}"
            if d.catalogue:
                text += f" ({d.in_catalogue} sur {d.catalogue} du catalogue)"
            if d.rows > d.scored:
                text += f", {d.rows - d.scored} {fmt.agree(d.rows - d.scored, 'non noté', 'non notés')}"
    elif p.name == "importance":
        text = f"importance perçue {d.importance}/5" if d.importance is not None else "importance non renseignée"
    else:
        text = (
            vote_detail(d.median, d.iqr, d.voters, d.dissensus) if d.voters and d.median is not None else "aucun vote"
        )
        if d.voters and not d.counted:
            text += " ; trop peu de votants pour compter : montrés, non comptés"
    return text + (" ; poids reporté sur les autres sources" if p.value is None else "")


def _k(euros: float) -> str:
    if euros >= 1_000_000:
        return f"{fmt.fixed(euros / 1_000_000, 1)} M€"
    return f"{fmt.fixed(euros / 1000, 0)} k€"


def criterion_text(c: Criterion) -> str | None:
    """The input of a criterion as read: `4`, `≈ 22 k€ (bande catalogue < 50 k€)`, `2/3 faits`."""
    if c.raw is None:
        return None
    if c.name == "cout" and c.band:
        return f"≈ {_k(c.raw)} (bande catalogue {c.band})"
    if c.name == "prerequis" and c.of is not None:
        return "sans objet" if c.of == 0 else f"{fmt.number(c.raw, 0)}/{c.of} faits"
    if c.name == "partenaires" and c.of is not None:
        return f"{fmt.number(c.raw, 0)}/{c.of} types de partenaires présents"
    return fmt.number(c.raw, 1)


def _need(titles: Sequence[str]) -> str:
    named = " ; ".join(f"« {t} »" for t in titles)
    return f"{fmt.plural(len(titles), 'action')} {fmt.agree(len(titles), 'en a', 'en ont')} besoin : {named}"


def gap_message(gap: PartnerGap, titles: Mapping[str, str]) -> str:
    """`aucun acteur de type « EPCI » parmi les acteurs recensés (feuille Acteurs), alors que 2 actions en ont besoin : …`."""
    need = _need([titles.get(k, k) for k in gap.actions])
    if gap.status == "absent":
        return f"aucun acteur de type « {gap.type} » parmi les acteurs recensés (feuille Acteurs), alors que {need}"
    return (
        f"acteurs de type « {gap.type} » faiblement impliqués (au plus {gap.implication}/3 : "
        f"{', '.join(gap.structures)}), alors que {need}"
    )


def experience_reason(reason: tuple[str, str]) -> str:
    kind, value = reason
    return EXPERIENCE_REASONS.get(kind, kind + " ({})").format(value)


def experience_reasons(reasons: Sequence[tuple[str, str]], enjeu_label: Callable[[str], str]) -> tuple[str, ...]:
    """Why an experience is offered, grouped for élus: « même type d'action ; enjeux communs : Mobilité vers
    l'emploi, … ; même région (Occitanie) » — enjeux by their names, the actions already named beside it."""
    kinds: dict[str, list[str]] = {}
    for kind, value in reasons:
        if value not in kinds.setdefault(kind, []):
            kinds[kind].append(value)
    out = []
    if "meme-type" in kinds:
        out.append("même type d'action")
    elif "meme-champ" in kinds:
        out.append("même champ d'action")
    if "meme-enjeu" in kinds:
        names = [enjeu_label(c) for c in kinds["meme-enjeu"]]
        out.append(("enjeu commun : " if len(names) == 1 else "enjeux communs : ") + ", ".join(names))
    for kind in ("typologie", "region"):
        if kind in kinds:
            out.append(EXPERIENCE_REASONS[kind].format(", ".join(kinds[kind])))
    return tuple(out)


def _feature_value(g: FeatureGap, v: float) -> str:
    if g.unite == "hab.":
        return f"{fmt.fixed(round(v), 0)} hab."
    digits = 0 if abs(v) >= 100 else 1
    unit = f"{fmt.NNBSP}%" if g.unite == "%" else f" {g.unite}"
    return fmt.fixed(v, digits) + unit


def _describe(g: FeatureGap) -> str:
    return f"{g.libelle.lower()} ({_feature_value(g, g.value)} contre {_feature_value(g, g.target)})"


def similar_explanation(s: SimilarTerritory) -> str:
    """`Écart moyen de 0,54 écart-type sur 6 indicateurs ; les plus proches : … ; le plus éloigné : ….`"""
    close = ", ".join(_describe(g) for g in s.closest)
    far = _describe(s.farthest) if s.farthest else fmt.DASH
    return (
        f"Écart moyen de {fmt.fixed(s.distance, 2)} écart-type sur {fmt.plural(s.n_features, 'indicateur')} ; "
        f"les plus proches : {close} ; le plus éloigné : {far}."
    )


# ------------------------------------------------------------------------------- points de vigilance


def _at(cell: str | None) -> str:
    """Cell references stay out of the sentences élus read: the report lists them in its technical annex
    (Annexe B, under the point's number) and the JSON keeps them (`cellules`)."""
    return ""


def _name(p: Mapping[str, Any]) -> str:
    """An action as élus read it: its title; the cell of its row goes to the technical annex (`cells`)."""
    return f"« {p['action']} »"


def _semester(d: date | None) -> str:
    """Months in words for élus (« avril 2027 »), never a code such as « 2027-S1 »."""
    return fmt.month_year(d) if d else ""


def _cells(cells: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(cells[:limit])
    more = len(cells) - limit
    return shown + (f" et {more} {fmt.agree(more, 'autre')}" if more > 0 else "")


def _prerequisite(n: Mapping[str, Any]) -> str:
    bits = []
    if n.get("statut"):
        bits.append(n["statut"].lower())
    if n.get("debut") and n.get("fin"):
        bits.append(f"{fmt.month_year(n['debut'])} – {fmt.month_year(n['fin'])}")
    elif n.get("duree_mois"):
        bits.append(f"environ {n['duree_mois']} mois")
    if n.get("qui"):
        bits.append(f"qui : {n['qui']}")
    if not n.get("bloquant", True):
        bits.append("en parallèle, sans retarder le démarrage")
    text = n["quoi"] + (f" ({', '.join(bits)})" if bits else "")
    return text + (f" — {n['pourquoi'][0].lower()}{n['pourquoi'][1:]}" if n.get("pourquoi") else "")


def _prerequis(p: Mapping[str, Any]) -> str:
    """For élus: what must be done before the action can start, why, by whom, how long; no cell reference."""
    needs = p.get("besoins")
    if needs is None:  # a point built before prerequisites were detailed
        listed = ", ".join(f"{name} « {status} »" for name, status, _ in p["prerequis"])
        start = f" prévu en {_semester(p['debut'])}" if p.get("debut") else ""
        return f"{_name(p)} : {listed} ; à lever avant le démarrage{start}."
    todo = [n for n in needs if not n.get("a_confirmer") and (n.get("statut") or n.get("debut") or n.get("duree_mois"))]
    checks = [n for n in needs if n not in todo]
    start = f" (démarrage au plus tôt en {fmt.month_year(p['debut'])})" if p.get("debut") else ""
    parts = []
    if todo:
        parts.append(f"Avant de lancer {_name(p)}{start} : " + " ; ".join(_prerequisite(n) for n in todo) + ".")
    if checks:
        verb = "À vérifier" if todo else f"{_name(p)} : à vérifier avant le lancement"
        parts.append(f"{verb} : " + " ; ".join(_prerequisite(n) for n in checks) + ".")
    debut, end = p.get("debut"), p.get("fin_contrat")
    if debut is not None and end is not None and debut.year > end:
        parts.append(
            f"Ce délai repousse le démarrage après la fin du contrat ({end}) : à engager sans attendre, "
            "ou à inscrire dans le contrat suivant."
        )
    return " ".join(parts)


def _partner(p: Mapping[str, Any]) -> str:
    gap = PartnerGap(p["type"], tuple(p["actions"]), p["statut"], p.get("implication"), tuple(p.get("structures", ())))
    text = gap_message(gap, {})
    return f"{text[0].upper()}{text[1:]}."


def _dissensus(p: Mapping[str, Any]) -> str:
    code = p["code"]
    name = {"enjeu": f"l'enjeu « {p['libelle']} »", "action": f"l'action « {p['libelle']} »"}.get(
        p["type"], f"« {code} »"
    )
    # plain words for élus: how many voted and how far apart they were, no statistics vocabulary
    return (
        f"Avis partagés en atelier sur {name} : sur {fmt.plural(p['n'], 'votant')}, {fmt.share(p['part_basse'])} "
        f"ont donné 1 ou 2 sur 5 et {fmt.share(p['part_haute'])} 4 ou 5 ; à remettre en discussion."
    )


def _unscored(p: Mapping[str, Any]) -> str:
    n = p["n"]
    names = p.get("libelles") or [code for code, _ in p["indicateurs"]]
    listed = " ; ".join(
        f"{name} ({indicator_reason(reason)})" for name, (_, reason) in zip(names, p["indicateurs"], strict=False)
    )
    return f"Indicateurs affichés sans être notés ({n}) : {listed}."


def _missing_sheet(p: Mapping[str, Any]) -> str:
    sheet = p["feuille"]
    return (
        f"Feuille « {sheet} » absente : {MISSING_SHEET.get(sheet.casefold(), 'analyses correspondantes non faites')}."
    )


def _cost(p: Mapping[str, Any]) -> str:
    origin = f" (bande catalogue {p['bande']})" if p.get("bande") else ""
    return (
        f"{_name(p)} : coût élevé{origin}{_at(p.get('cellule_cout'))} pour une faisabilité de {p['faisabilite']}/5"
        f"{_at(p.get('cellule_faisabilite'))} ; sécuriser le montage avant de l'engager."
    )


def _governance(p: Mapping[str, Any]) -> str:
    nsp = p.get("ne_sait_pas") or 0
    extra = f", dont {nsp} « Ne sait pas » {fmt.agree(nsp, 'compté')} comme non" if nsp else ""
    return (
        f"Maturité de la gouvernance du volet économique faible : {fmt.score(p['maturite'])}/100{extra} (feuille Gouvernance) ; "
        f"renforcer le pilotage avant d'engager les actions lourdes."
    )


_NOTICE = re.compile(r"^(«[^»]+»)\s*:\s*(.+)$", re.DOTALL)
_SUITE = re.compile(r"\s*;\s*suite\s*:.*?(?=\s*\(vérifié le [^)]*\)\s*$)", re.DOTALL)
_CHECKED_AFTER_PARENTHESIS = re.compile(r"\)\s*\(vérifié le ([^)]*)\)$")


def programme_clause(notice: str, short: bool = False, etat: str | None = None) -> str:
    """« le dispositif national « Cités de l'emploi », qui a changé : non pérennisées… » from the catalogue's
    notice « « Cités de l'emploi » : non pérennisées… ; suite : … (vérifié le …) » — one colon where the
    notice had two; `short`: without the « suite » (the body and the synthesis put the way out in a decision).
    A programme `etat = "prolongé"` has not changed: it runs to an announced end with no successor confirmed
    (Action cœur de ville, Territoires zéro chômeur; domain-facts § 8). « (circulaire…) (vérifié le …) »
    becomes « (circulaire…) ; vérifié le … »: never two parentheses side by side."""
    if short:
        notice = _SUITE.sub("", notice)
    notice = _CHECKED_AFTER_PARENTHESIS.sub(r") ; vérifié le \1", notice.strip())
    what = "dont la suite n'est pas acquise" if etat == "prolongé" else "qui a changé"
    named = _NOTICE.match(notice)
    if named is None:
        return f"un dispositif national {what} : {notice}"
    return f"le dispositif national {named[1]}, {what} : {named[2]}"


def _deadline(p: Mapping[str, Any]) -> str:
    """Why the wished deadline is missed, as it is: already past at the report's date, or out of reach
    because of the prerequisites — or because the team's capacity makes the action wait its turn."""
    wish = f"échéance souhaitée ({fmt.wish(p['echeance'])}){_at(p.get('cellule'))}"
    head = f"{_name(p)} : {wish} " + ("déjà passée" if p.get("echeance_passee") else "non tenable")
    possible, debut = p.get("debut_possible"), p.get("debut")
    if possible and debut and possible < debut and p.get("capacite"):
        return (
            f"{head} ; ses prérequis permettraient un démarrage en {_semester(possible)}, placé en "
            f"{_semester(debut)} pour que l'équipe ne mène pas plus de {p['capacite']} chantiers préalables à la fois."
        )
    return (
        f"{head} ; démarrage en {_semester(debut)} au plus tôt, compte tenu des prérequis et du calendrier du contrat."
    )


_RULES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "prerequis-non-fait": _prerequis,
    "echeance-non-tenue": _deadline,
    "sans-pilote": lambda p: (
        f"{_name(p)} : aucun pilote pressenti{_at(p.get('cellule'))} ; une action sans pilote a peu de chances "
        f"d'être engagée."
    ),
    "partenaire-absent": _partner,
    "partenaire-faible": _partner,
    "cout-eleve-faisabilite-faible": _cost,
    "programme-modifie": lambda p: (
        f"{_name(p)} repose sur {programme_clause(p['statut'], etat=p.get('etat'))}."
        + (f" Source : {p['source']}" if p.get("source") else "")
    ),
    "indicateurs-anciens": lambda p: (
        f"Chiffres de plus de {p['age_max']} ans pour {fmt.plural(p['n'], 'indicateur')} : "
        f"{' ; '.join(p.get('libelles') or p['codes'])} ; à actualiser si possible."
    ),
    "donnees-illustratives": lambda p: (
        f"Valeurs illustratives pour {fmt.plural(p['n'], 'indicateur')} : "
        f"chiffres d'exemple, à ne pas diffuser comme réels."
    ),
    "valeurs-a-verifier": lambda p: (
        f"{fmt.plural(p['n'], 'indicateur')} {fmt.agree(p['n'], 'non noté', 'non notés')} : valeur à vérifier "
        f"({', '.join(f'« {x} »' for x in p['libelles'])}) ; chaque enjeu est noté sans elles."
    ),
    "indicateurs-non-notes": _unscored,
    "enjeux-non-evalues": lambda p: (
        f"Enjeux sans aucune donnée (ni indicateur, ni importance, ni vote), non évalués : {', '.join(p['codes'])}."
    ),
    "enjeu-fort-sans-action": lambda p: (
        f"Enjeu « {p['libelle']} » ({p['code']}) noté {fmt.score(p['score'])}/100 (fort) mais aucune action ne le vise."
        + (f" Pistes du catalogue : {' ; '.join(p['suggestions'])}." if p.get("suggestions") else "")
    ),
    "action-sans-enjeu-fort": lambda p: (
        f"{_name(p)} ne vise aucun enjeu fort du diagnostic ({', '.join(f'« {x} »' for x in (p.get('libelles') or p['enjeux']))}{_at(p.get('cellule'))}) ; "
        f"vérifier sa place dans la feuille de route."
    ),
    "gouvernance-faible": _governance,
    "feuille-absente": _missing_sheet,
    "dissensus-votes": _dissensus,
    "hors-periode": lambda p: (
        f"{_name(p)} se termine en {_semester(p['fin'])}, après la fin du contrat de ville ({p['fin_contrat']})."
    ),
    "classement-fragile": lambda p: (
        f"{_name(p)} : priorité {p['priorite']} conservée dans {fmt.share(p['p_meme_priorite'])} des variations de "
        f"poids seulement (rang {p['rang_min']} à {p['rang_max']}) ; priorité à confirmer en comité."
    ),
}


def vigilance_message(point: VigilancePoint) -> str:
    """The French sentence of a point, citing the cells of the user's file."""
    write = _RULES.get(point.rule)
    if write is None:  # a rule added without its sentence: still readable, never a crash
        return f"{point.rule} : " + ", ".join(f"{k} = {v}" for k, v in point.params)
    return fmt.dates_in_words(write(point.data))


def snapshot_which(rang: int, territoire: str) -> str:
    """« 2e instantané de Carcassonne – 5 quartiers prioritaires »: a snapshot by its territory's own count
    (« 1er » for its first), never the base-wide number (« instantané n° 4 » was the base's fourth,
    Carcassonne's 2nd)."""
    return f"{fmt.ordinal(rang)} instantané {fmt.of(territoire)}"

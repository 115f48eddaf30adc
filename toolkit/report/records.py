"""The one place where a Diagnostic becomes named fields: the JSON, the results workbook and the report
view all read these records, so a field is named, rounded and ordered once.

    rec = diagnostic_record(diag)   # plain dicts and lists; numbers stay numbers, dates stay `date`
    to_json(diag) == jsonable(rec)  # dates as ISO text: the contract of docs/classeur.md

Keys are the JSON contract's (French, stable; additions only). `toolkit/data/diagnostic.schema.json` is
checked against these records by tests/test_diagnostic.py. Scores are rounded to 0.1 here, for display
only: the engine keeps full precision in the Diagnostic. The contract's sentences (`message`, `detail`,
`raisons`, `explication`…) are written by `wording` from the codes and numbers of the engine, which
travel beside them (`parametres`, `detail_valeurs`, `raisons_codes`…).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from .. import __version__
from ..model import COMPARISON_SCALES, Issue
from ..results import (
    ActionScore,
    Diagnostic,
    EnjeuScore,
    ExperienceMatch,
    IndicatorScore,
    SimilarTerritory,
    VigilancePoint,
    VoteResult,
)
from . import wording

__all__ = [
    "action_record",
    "diagnostic_record",
    "enjeu_record",
    "indicator_record",
    "issue_record",
    "jsonable",
    "to_json",
    "vigilance_record",
    "vote_record",
]


def _r(x: float | None, digits: int = 1) -> float | None:
    return None if x is None else round(float(x), digits)


def _keep(x: float | None, digits: int = 1) -> float | None:
    return x


def _s(x: object) -> str | None:
    return str(x) if x is not None else None


def issue_record(i: Issue) -> dict[str, Any]:
    return i.to_json()  # the one JSON shape of a problem, shared with `check --json`


def vigilance_record(p: VigilancePoint) -> dict[str, Any]:
    return {
        "niveau": p.niveau,
        "objet": p.objet,
        "ref": p.ref,
        "regle": p.rule,
        "message": wording.vigilance_message(p),
        "cellules": [str(c) for c in p.cells],
        "parametres": dict(p.params),
        "corps": p.corps,
    }


def indicator_record(s: IndicatorScore, *, rounded: bool = True) -> dict[str, Any]:
    rnd = _r if rounded else _keep  # the view formats full precision: no double rounding
    i = s.indicateur
    return {
        "code": i.code,
        "libelle": i.libelle,
        "enjeu": i.enjeu,
        "sens": i.sens,
        "unite": i.unite,
        "valeur_quartier": i.valeur_quartier,
        "valeur_reference": i.valeur_reference,
        "territoire_reference": i.territoire_reference,
        "comparaisons": {scale: value for scale in COMPARISON_SCALES if (value := i.comparaison(scale)) is not None},
        "positions": [
            {
                "echelle": c.echelle,
                "reference": c.reference,
                "ecart": _r(c.ecart, 3),
                "rapport": _r(c.rapport, 3),
                "position": _r(c.position),
                "territoire": c.territoire,
                "annee": c.annee,
            }
            for c in s.comparaisons
        ],
        "base_note": s.base,
        "annee": i.annee,
        "source": i.source,
        "illustratif": i.illustratif,
        "score": rnd(s.score),
        "ecart": rnd(s.ecart, 3),
        "ecart_relatif": rnd(s.ecart_relatif, 3),
        "raison_non_note": wording.indicator_reason(s.reason_not_scored),
        "raison_non_note_code": s.reason_not_scored,
        "a_verifier": [
            {"code": v.code, "champ": v.field, "valeur": v.value, "cellule": _s(v.cell)} for v in s.a_verifier
        ],
        "score_ensemble": rnd(s.score_ensemble),
        "pire_quartier": s.pire_quartier,
        "score_pire_quartier": rnd(s.score_pire_quartier),
        "cellule": _s(i.value_cell or i.cell),
        "cellule_code": _s(i.cell),
    }


def enjeu_record(e: EnjeuScore) -> dict[str, Any]:
    return {
        "code": e.code,
        "libelle": e.libelle,
        "score": None if e.a_objectiver else _r(e.score),  # never a number without data: « à objectiver »
        "a_objectiver": e.a_objectiver,
        "score_percu": _r(e.score),  # from perceived importance and votes alone when à objectiver
        "illustratif": e.illustratif,
        "rang": e.rang,
        "niveau": None if e.a_objectiver else e.niveau,
        "parts": [
            {
                "source": p.name,
                "valeur": _r(p.value),
                "poids": p.weight,
                "poids_effectif": _r(p.effective_weight, 4),
                "detail": wording.part_detail(p),
                "n": p.n,
                "detail_valeurs": asdict(p.detail),
            }
            for p in e.parts
        ],
        "indicateurs": list(e.indicateurs),
        "couverture": _r(e.coverage, 3),
        "votes": {
            "mediane": e.vote_median,
            "ecart_interquartile": e.vote_iqr,
            "n": e.n_votes,
            "dissensus": e.dissensus,
        },
        "part_donnees": _r(e.part_donnees),
        "part_perception": _r(e.part_perception),
        "divergence": e.divergence,
        "votes_non_comptes": e.votes_non_comptes,
        "atouts": e.atouts,
        "faiblesses": e.faiblesses,
        "cellules": [str(c) for c in e.cells],
    }


def action_record(s: ActionScore, points: tuple[VigilancePoint, ...] = (), *, rounded: bool = True) -> dict[str, Any]:
    rnd = _r if rounded else _keep  # the view formats full precision: no double rounding
    a = s.action
    r = s.robustness
    return {
        "code": a.code,
        "cle": a.key,
        "intitule": a.intitule,
        "libelle_catalogue": s.libelle_catalogue,
        "champ": a.champ,
        "enjeux": list(a.enjeux),
        "score": rnd(s.score),
        "rang": s.rang,
        "priorite": s.priorite,
        "quick_win": s.quick_win,
        "categorie": s.categorie,
        "rang_categorie": s.rang_categorie,
        "enjeux_a_objectiver": list(s.enjeux_a_objectiver),
        "criteres": [
            {
                "nom": c.name,
                "brut": c.raw,
                "sur": c.of,
                "bande": c.band,
                "brut_texte": wording.criterion_text(c),
                "normalise": rnd(c.normalised, 3),
                "poids": c.weight,
                "impute": c.imputed,
            }
            for c in s.criteria
        ],
        "robustesse": None
        if r is None
        else {
            "p_meme_priorite": rnd(r.p_same_tier, 3),
            "p_top_n": rnd(r.p_top_n, 3),
            "top_n": r.top_n,
            "rang_min": r.rank_min,
            "rang_max": r.rank_max,
            "fragile": r.fragile,
        },
        "debut": s.debut,
        "fin": s.fin,
        "echeance_souhaitee": a.echeance.text if a.echeance else None,
        "echeance_tenue": s.echeance_tenue,
        "en_retard": s.en_retard,
        "debut_initial": s.debut_initial,
        "en_continu": s.en_continu,
        "evenement": s.evenement,
        "a_reconfigurer": s.a_reconfigurer,
        "phases": [
            {
                "libelle": p.label,
                "type": p.kind,
                "debut": p.debut,
                "fin": p.fin,
                "bloquant": p.bloquant,
                "origine": p.origine,
            }
            for p in s.phases
        ],
        "pilote": a.pilote,
        "partenaires": list(a.partenaires),
        "partenaires_requis": list(s.partner_types),
        "prerequis": dict(a.prerequis),
        "suivi": list(s.suivi),
        "statut_programme": s.programme_status,
        "sources": list(s.sources),
        "vigilance": [vigilance_record(p) for p in points if p.objet == "action" and p.ref == s.key],
        "cellule": _s(a.cell),
        "cout": a.cout,  # euros as typed; None when the catalogue band stood in (see criteres)
        # the 2030 target: as typed, else the catalogue's first follow-up indicator, marked proposed
        "cible_2030": {
            "indicateur": a.cible_indicateur or (s.suivi[0] if s.suivi else None),
            "valeur": a.cible_valeur,
            "proposee": a.cible_indicateur is None and bool(s.suivi),
        },
        "financement": {"financeur": a.financeur, "nature": a.nature_financement},
    }


def experience_record(m: ExperienceMatch) -> dict[str, Any]:
    x = m.experience
    return {
        "code": x.code,
        "titre": x.titre,
        "lieu": x.lieu,
        "annee": x.annee,
        "resume": x.resume,
        "typologie": x.typologie,
        "sources": list(x.sources),
        "communes": list(x.communes),
        "resultats": [{"texte": t, "source": src} for t, src in x.resultats],
        "contact": x.contact,
        "cout": x.cout,
        "actions": list(m.actions),
        "raisons": [wording.experience_reason(r) for r in m.reasons],
        "raisons_codes": [list(r) for r in m.reasons],
        "score": _r(m.score),
    }


def similar_record(s: SimilarTerritory) -> dict[str, Any]:
    return {
        "code": s.code,
        "nom": s.nom,
        "commune": s.commune,
        "distance": _r(s.distance, 3),
        "explication": wording.similar_explanation(s),
        "indicateurs_compares": s.n_features,
        "population": s.population,
    }


def vote_record(v: VoteResult) -> dict[str, Any]:
    return {
        "objet": v.objet,
        "type": v.kind,
        "libelle": v.libelle,
        "n": v.n,
        "mediane": v.median,
        "ecart_interquartile": v.iqr,
        "dissensus": v.dissensus,
        "borda": _r(v.borda, 2),
        "rang_borda": v.borda_rang,
    }


def diagnostic_record(diag: Diagnostic) -> dict[str, Any]:
    """Every field of the diagnostic, by contract key, in contract order (dates still `date` objects)."""
    t = diag.territoire
    g = diag.governance
    titles = {a.key: a.action.intitule or a.action.code for a in diag.actions}
    return {
        "version": diag.version,
        "pilier_eco": __version__,
        "territoire": {
            "nom": t.nom,
            "communes": list(t.communes),
            "typologie": t.typologie,
            "population_quartiers": t.population_quartiers,
            "population_annee": t.population_annee,
            "quartiers": [{"code": q.code, "nom": q.nom} for q in t.quartiers],
            "date_diagnostic": t.date_diagnostic,
            "epci": t.epci,
            "departement": t.departement,
            "periode": list(diag.periode),
            "structure": t.structure,
        },
        "indicateurs": [indicator_record(s) for s in diag.indicateurs],
        "enjeux": [enjeu_record(e) for e in diag.enjeux],
        "actions": [action_record(s, diag.vigilance) for s in diag.actions],
        "vigilance": [vigilance_record(p) for p in diag.vigilance],
        "experiences": [experience_record(m) for m in diag.experiences],
        "qualite_donnees": {
            "lignes_lues": diag.qualite.lignes_lues,
            "lignes_utilisees": diag.qualite.lignes_utilisees,
            "erreurs": [issue_record(i) for i in diag.qualite.erreurs],
            "avertissements": [issue_record(i) for i in diag.qualite.avertissements],
            "informations": [issue_record(i) for i in diag.qualite.informations],
        },
        "gouvernance": {
            "disponible": g.available,
            "maturite": _r(g.maturite),
            "reponses": dict(g.answers),
            "detail": [{"code": c, "question": q, "reponse": r} for c, q, r in g.detail],
            "partenaires": [
                {
                    "type": p.type,
                    "structures": list(p.structures),
                    "implication": p.implication,
                    "signataire": p.signataire,
                }
                for p in g.partners
            ],
            "manques": [
                {
                    "type": x.type,
                    "statut": x.status,
                    "actions": list(x.actions),
                    "message": wording.gap_message(x, titles),
                    "implication": x.implication,
                    "structures": list(x.structures),
                }
                for x in g.gaps
            ],
        },
        "similaires": [similar_record(s) for s in diag.similaires],
        "date_generation": diag.generated,
        "par_quartier": [
            {
                "code": q.code,
                "nom": q.nom,
                "commune": q.commune,
                "population": q.population,
                "valeurs": dict(q.valeurs),
                "annees": dict(q.annees),
                "source": q.source,
            }
            for q in diag.par_quartier
        ],
        "donnees": _data_record(diag),
        "projet": diag.projet,
        "projet_raison": diag.projet_raison,
        "valeurs_notees": diag.valeurs_notees,
        "valeurs_illustratives": diag.valeurs_illustratives,
        "suggestions": [
            {
                "enjeu": x.enjeu,
                "libelle": diag.definitions.enjeu_label(x.enjeu),
                "actions": [{"code": c, "intitule": t} for c, t in x.actions],
            }
            for x in diag.suggestions
        ],
        "jalons": [{"type": j.kind, "annee": j.annee, "date": j.date} for j in diag.jalons],
        "votes": [vote_record(v) for v in diag.votes],
        "methode": {
            "poids_enjeux": dict(diag.method.enjeu_weights),
            "poids_actions": dict(diag.method.action_weights),
            "priorites": dict(diag.method.tiers),
            "robustesse": dict(diag.method.robustness),
            "configuration": diag.method.config_source,
            "catalogues": list(diag.method.catalogues),
            "capacite_equipe": diag.method.capacite,
        },
    }


def _data_record(diag: Diagnostic) -> dict[str, Any]:
    """The geography and vintages of THIS workbook (its own QPV codes and figures), then the packaged data's."""
    g = diag.geographie
    m = diag.definitions.donnees
    return {
        "geographie": g.geographie,
        "geographie_libelle": wording.geography_label(g.geographie),
        "millesimes": wording.years_text(g.annees),
        "source": "classeur" if not g.figures_2015 or m is None else f"classeur ; {m.source}",
        "codes_quartiers": list(g.codes),
        "figures_geographie_2015": list(g.figures_2015),
        "figures_geographie_2024": list(g.figures_2024),
        "geographie_remplacee": g.remplacee,
        "annee_rapport": g.annee_rapport,
        "donnees_fournies": None
        if m is None
        else {
            "geographie": m.geographie,
            "geographie_libelle": m.geographie_libelle,
            "millesimes": m.millesimes,
            "source": m.source,
        },
    }


def jsonable(value: Any) -> Any:
    """Dates as ISO text, tuples as lists: what `json.dumps` accepts, nothing else changed."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(diag: Diagnostic) -> dict[str, Any]:
    """The contract's keys (version, territoire, indicateurs, enjeux, actions, vigilance, experiences,
    qualite_donnees) plus gouvernance, similaires, votes and methode, as `json.dumps` accepts them."""
    return jsonable(diagnostic_record(diag))

"""Experiences that come from the follow-up: candidates read from a base, and the centre's validation.

An action recorded « réalisée » with a result indicator and its value is a *candidate* experience: what
was done, where, with what result (and the year's note and proof when given). A regional resource centre
reads the candidates and validates them (`pilier-eco observatoire valider`): only validated ones are offered
to other territories (`report/experiences_suivi.py` turns them into catalogue entries).

    with open_base(target, readonly=True) as base:
        cands = candidates(base)                   # one per (territory, action), latest figures
    with open_base(target) as base:                # the one write of the observatory, explicit
        decide(base, cands[0].code, par="Centre de ressources", etat="validée")

A candidate's code is stable (`SUIVI_<territoire>_<action>`), so a validation made this year still names
the same candidate next year. What is validated is the snapshot the centre read: the experience carries
that snapshot's figures even when later snapshots change them; such a candidate says so (`plus_recent`,
« résultat plus récent dans le suivi, 210 en 2027 — à revalider ») and validating it again takes the new ones.
Every decision is kept (`decisions`, schema 6): the latest is the one in force, the earlier ones its history.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import RowMapping, insert, select, text, update

from ..catalog.experiences import FOLLOW_UP_CITATION
from . import schema as S
from .store import Base, SuiviError, _as_date

if TYPE_CHECKING:
    from ..catalog.catalogue import Catalogue
    from ..catalog.experiences import Experience

ETATS = ("validée", "refusée")
#: Said of a validated local action whose snapshot has no enjeux (recorded before schema 7): not offered.
NO_ENJEUX = (
    "action locale sans enjeux visés dans la base (instantané enregistré avant le schéma 7) : elle n'est proposée "
    "à aucun territoire tant que son classeur n'est pas enregistré de nouveau (pilier-eco suivi enregistrer)"
)


@dataclass(frozen=True)
class Validation:
    etat: str  # « validée » | « refusée »
    par: str
    le: str  # ISO timestamp (UTC)
    instantane_id: int
    motif: str | None = None
    precedentes: tuple[Validation, ...] = ()  # the earlier decisions on the candidate, latest first

    @property
    def date(self) -> str:
        """« 07/12/2026 »: the day of the decision (UTC), as the listings show it."""
        return f"{self.le[8:10]}/{self.le[5:7]}/{self.le[:4]}"

    def text(self, motif: bool = False) -> str:
        """« validée le 07/12/2026 par A. Martin, VTO (décision précédente : refusée le 05/12/2026 par B. Roux) »:
        the decision in force and, when there is one, the decision it replaced (`motif`: each with its motif)."""
        out = _decision(self, motif)
        if self.precedentes:
            out += f" (décision précédente : {_decision(self.precedentes[0], motif)})"
        return out


def fmt_or(items: list[str]) -> str:
    """« A, B ou C »: the names a mistyped code may have meant."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ou " + items[-1]


def _decision(v: Validation, motif: bool) -> str:
    """« refusée le 05/12/2026 par B. Roux, VTO — résultat à documenter : preuve manquante »: the motive after a
    dash, never a second « : » in the sentence (the motive may have its own), its first letter lowered unless it
    opens with an acronym (« QPV… »)."""
    if not (motif and v.motif):
        return f"{v.etat} le {v.date} par {v.par}"
    why = v.motif.strip()
    if len(why) > 1 and why[0].isupper() and not why[1].isupper():
        why = why[0].lower() + why[1:]
    return f"{v.etat} le {v.date} par {v.par} — {why}"


@dataclass(frozen=True)
class NewerResult:
    """A result for a validated action in a later snapshot of its territory (another value, indicator or year)."""

    instantane_id: int
    date_situation: date
    indicateur_resultat: str
    valeur_resultat: float

    @property
    def annee(self) -> int:
        return self.date_situation.year


@dataclass(frozen=True)
class Candidate:
    code: str
    territoire: str
    date_situation: date
    instantane_id: int
    cle: str
    action_code: str
    intitule: str
    champ: str
    indicateur_resultat: str
    valeur_resultat: float
    note: str | None
    preuve: str | None
    cout: float | None
    budget_realise: float | None
    quartiers: tuple[tuple[str, str], ...]
    communes: tuple[str, ...]
    #: the enjeux the action targets, as its workbook said (schema 7); () for a snapshot recorded before, whose
    #: catalogue action then answers its type's enjeux and whose local action answers none that is known
    enjeux: tuple[str, ...]
    validation: Validation | None = None
    pilote: str | None = None  # who carried the action: the contact of the experience
    #: a validated candidate whose action has a newer result in a later snapshot: the experience offered keeps
    #: the validated figures until the centre validates it again
    plus_recent: NewerResult | None = None

    @property
    def annee(self) -> int:
        return self.date_situation.year

    @property
    def validated(self) -> bool:
        return self.validation is not None and self.validation.etat == "validée"

    @property
    def etat(self) -> str:
        """The state as the listings say it: « en attente de validation », or the decision in force and the one
        it replaced (`Validation.text`)."""
        return "en attente de validation" if self.validation is None else self.validation.text()

    @property
    def a_revalider(self) -> str:
        """« résultat plus récent dans le suivi, 210 en 2027 — à revalider », or "" when the validated figures
        are still the latest."""
        n = self.plus_recent
        if n is None:
            return ""
        what = _number(n.valeur_resultat)
        if n.indicateur_resultat != self.indicateur_resultat:
            what = f"{n.indicateur_resultat} = {what}"
        return f"résultat plus récent dans le suivi, {what} en {n.annee} — à revalider"


def candidate_code(territoire: str, cle: str) -> str:
    """`SUIVI_CARCASSONNE_5_QUARTIERS_PRIORITAIRES_MOB_PERMIS`: ASCII, stable, at most 80 characters."""

    def slug(s: str, n: int) -> str:
        ascii_ = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Z0-9]+", "_", ascii_.upper()).strip("_")[:n].strip("_")

    return f"SUIVI_{slug(territoire, 36)}_{slug(cle, 38)}"


_ROWS = """
SELECT s.id AS instantane_id, s.territoire_id, t.nom, s.date_situation, q.texte AS quartiers, s.communes,
       a.cle, a.code, ti.texte AS intitule, a.champ, a.indicateur_resultat, a.valeur_resultat, a.note, a.preuve,
       a.cout, a.budget_realise, tp.texte AS pilote, a.enjeux
FROM actions a
JOIN instantanes s ON s.id = a.instantane_id
JOIN territoires t ON t.id = s.territoire_id
JOIN textes ti ON ti.id = a.intitule_id
LEFT JOIN textes q ON q.id = s.quartiers_id
LEFT JOIN textes tp ON tp.id = a.pilote_id
WHERE a.statut = 'réalisée' AND a.indicateur_resultat IS NOT NULL AND a.valeur_resultat IS NOT NULL
ORDER BY t.nom, a.cle, s.date_situation, s.id
"""


def candidates(base: Base, *, only_validated: bool = False) -> tuple[Candidate, ...]:
    """Every candidate of the base, by territory then action; one per (territory, action)."""
    v, h = S.validations, S.decisions
    with base._read() as conn:
        rows = conn.execute(text(_ROWS)).mappings().all()
        history: dict[tuple[int, str], list[Validation]] = {}
        for d in conn.execute(select(h).order_by(h.c.id.desc())):  # latest first
            history.setdefault((d.territoire_id, d.cle), []).append(
                Validation(d.etat, d.par, d.le, d.instantane_id, d.motif)
            )
        decisions = {}
        for d in conn.execute(select(v)):  # the decision in force; `decisions` holds it first, then the earlier
            earlier = tuple(history.get((d.territoire_id, d.cle), [])[1:])
            decisions[(d.territoire_id, d.cle)] = Validation(d.etat, d.par, d.le, d.instantane_id, d.motif, earlier)
    chosen: dict[tuple[int, str], RowMapping] = {}
    locked: set[tuple[int, str]] = set()
    newer: dict[tuple[int, str], RowMapping] = {}
    for r in rows:  # oldest first: the latest snapshot wins, unless it is the validated one that is met
        key = (r["territoire_id"], r["cle"])
        if key in locked:
            if _result(r) != _result(chosen[key]):
                newer[key] = r  # a later result the validation did not read: said, not taken
            else:
                newer.pop(key, None)  # a later snapshot back to the validated result: nothing newer
            continue
        chosen[key] = r
        held = decisions.get(key)
        if held is not None and held.etat == "validée" and held.instantane_id == r["instantane_id"]:
            locked.add(key)
    out = []
    for key, r in chosen.items():
        decision = decisions.get(key)
        n = newer.get(key)
        quartiers = tuple(tuple(q) for q in json.loads(r["quartiers"] or "[]"))
        communes = tuple(json.loads(r["communes"])) if r["communes"] else _communes_of(quartiers)
        c = Candidate(
            code=candidate_code(r["nom"], r["cle"]),
            territoire=r["nom"],
            date_situation=_as_date(r["date_situation"]),
            instantane_id=r["instantane_id"],
            cle=r["cle"],
            action_code=r["code"],
            intitule=r["intitule"],
            champ=r["champ"],
            indicateur_resultat=r["indicateur_resultat"],
            valeur_resultat=float(r["valeur_resultat"]),
            note=r["note"],
            preuve=r["preuve"],
            cout=r["cout"],
            budget_realise=r["budget_realise"],
            quartiers=quartiers,
            communes=communes,
            enjeux=tuple(e for e in (r["enjeux"] or "").split(";") if e),
            validation=decision,
            pilote=r["pilote"],
            plus_recent=None
            if n is None
            else NewerResult(
                n["instantane_id"],
                _as_date(n["date_situation"]),
                n["indicateur_resultat"],
                float(n["valeur_resultat"]),
            ),
        )
        if not only_validated or c.validated:
            out.append(c)
    return tuple(out)


def _result(r: RowMapping) -> tuple[int, str, float]:
    """What a snapshot says of an action's result: its year, indicator and value (a later snapshot saying
    anything else has a newer result)."""
    return (_as_date(r["date_situation"]).year, r["indicateur_resultat"], float(r["valeur_resultat"]))


def _communes_of(quartiers) -> tuple[str, ...]:
    """A snapshot recorded before schema 4 has no communes: those of its quartiers (packaged QPV file)."""
    from ..catalog.qpv import qp_communes

    table = qp_communes()
    return tuple(dict.fromkeys(c.code_commune for code, _ in quartiers if (c := table.get(code.upper()))))


def decide(base: Base, code: str, *, par: str, etat: str = "validée", motif: str | None = None) -> Candidate:
    """Record the centre's decision on the candidate `code` (one transaction); returns the candidate decided.

    The decision bears on the latest result of the action (a validated candidate with a newer result takes it:
    `plus_recent`); it is added to the candidate's history (`decisions`) and becomes the one in force
    (`validations`). The only write of the observatory. Raises SuiviError in French for an unknown code or a
    missing name."""
    if etat not in ETATS:
        raise SuiviError(f"état « {etat} » inconnu ; possibles : {', '.join(ETATS)}")
    par = " ".join((par or "").split())
    if not par:
        raise SuiviError("indiquez qui valide (--par « Nom, structure ») : la base garde qui a décidé et quand")
    motif = " ".join((motif or "").split()) or None
    if etat == "refusée" and motif is None:
        raise SuiviError(
            "un refus se motive (--motif « … ») : le territoire saura pourquoi son expérience n'est pas proposée"
        )
    found = {c.code: c for c in candidates(base)}
    wanted = code.strip().upper()
    if wanted not in found:
        import difflib

        close = difflib.get_close_matches(wanted, list(found), n=3, cutoff=0.5)
        hint = (
            f" ; vouliez-vous dire {fmt_or(close)} ?"
            if close
            else (
                " ; la base ne contient aucune candidate (une action « réalisée » avec un indicateur de résultat et sa "
                "valeur)"
                if not found
                else " ; la liste en est donnée par pilier-eco observatoire experiences --base …"
            )
        )
        raise SuiviError(f"{base.shown} : aucune expérience candidate « {code} »{hint}")
    c = found[wanted]
    snapshot = c.plus_recent.instantane_id if c.plus_recent is not None else c.instantane_id
    now = datetime.now(UTC).isoformat(timespec="seconds")
    v = S.validations
    with base._write() as conn:
        tid = conn.execute(select(S.territoires.c.id).where(S.territoires.c.nom == c.territoire)).scalar_one()
        values = {"instantane_id": snapshot, "etat": etat, "par": par[:200], "le": now, "motif": motif}
        conn.execute(insert(S.decisions).values(territoire_id=tid, cle=c.cle, **values))
        done = conn.execute(update(v).where(v.c.territoire_id == tid, v.c.cle == c.cle).values(**values))
        if not done.rowcount:
            conn.execute(insert(v).values(territoire_id=tid, cle=c.cle, **values))
    return next(x for x in candidates(base) if x.code == wanted)  # as decided: its figures, its history


# ------------------------------------------------------------------------------ as catalogue experiences


def _number(x: float | None) -> str:
    """1234.5 -> « 1 234,5 » (a catalogue text, like those typed in experiences.toml)."""
    if x is None:
        return "—"
    text_ = f"{x:,.2f}".rstrip("0").rstrip(".")
    return text_.replace(",", " ").replace(".", ",")


def citation(c: Candidate) -> str:
    """« suivi de <territoire>, <année> »: how an experience from the follow-up is cited."""
    return f"{FOLLOW_UP_CITATION}{c.territoire}, {c.annee}"


def experience_entry(c: Candidate, catalogue: Catalogue) -> dict:
    """The candidate as a `[[experience]]` entry of the user catalogue format (catalog/experiences.py)."""
    d = catalogue.action(c.action_code) if c.action_code != "LIBRE" else None
    # the action's own enjeux; a snapshot recorded before schema 7 has none: its type's (a local action: none —
    # the territory's first enjeu is not what the action answers, an Épicerie solidaire is no employment action)
    enjeux = list(c.enjeux) or (list(d.enjeux) if d is not None else [])
    quartiers = ", ".join(n for _, n in c.quartiers)
    resume = (
        f"Action « {c.intitule} » réalisée selon le suivi du contrat de ville de {c.territoire}"
        + (f" (quartiers : {quartiers})" if quartiers else "")
        + f", situation au {c.date_situation.strftime('%d/%m/%Y')}. Résultat déclaré : {c.indicateur_resultat} = "
        + f"{_number(c.valeur_resultat)}."
        + (f" Budget réalisé : {_number(c.budget_realise)} €" if c.budget_realise is not None else "")
        + (
            f" (pour un coût prévu de {_number(c.cout)} €)."
            if c.budget_realise is not None and c.cout is not None
            else ""
        )
        + ("." if c.budget_realise is not None and c.cout is None else "")
        + (f" Note de l'année : « {' '.join(c.note.split()).rstrip(' .')} »." if c.note else "")
        + f" Source : {citation(c)}."
    )
    entry: dict = {
        "code": c.code,
        "titre": c.intitule,
        "lieu": c.territoire,
        "annee": str(c.annee),
        "resume": resume,
        "enjeux": enjeux,
        "actions": [d.code if d is not None else c.champ],
    }
    if any(
        code.upper().startswith(("QP0", "QN0")) and code[2:5].lstrip("0") in _occitanie() for code, _ in c.quartiers
    ):
        entry["region"] = "Occitanie"
    entry["communes"] = list(c.communes)
    if c.pilote:
        entry["contact"] = c.pilote
    scale = c.budget_realise or c.cout  # its scale: the matching skips actions of a very different cost
    if scale and scale > 0:
        entry["cout"] = float(scale)
    entry["sources"] = [citation(c)] + ([c.preuve] if c.preuve else [])
    if c.preuve and c.preuve.startswith(("http://", "https://")):
        entry["resultats"] = [
            {"texte": f"{c.indicateur_resultat} : {_number(c.valeur_resultat)} ({citation(c)})", "source": c.preuve}
        ]
    if c.validation is not None:
        entry["validation"] = c.validation.etat
        entry["validee_par"] = c.validation.par
        entry["validee_le"] = c.validation.le[:10]
    return entry


def _occitanie() -> frozenset[str]:
    from ..catalog.qpv import qpv_occitanie

    return frozenset(r.code[2:5].lstrip("0") for r in qpv_occitanie())


def validated_experiences(
    cands: Iterable[Candidate], catalogue: Catalogue
) -> tuple[tuple[Experience, str | None], ...]:
    """(Experience, region) pairs of the validated candidates, ready for `Catalogue.with_experiences` — the
    library's way to what `observatoire experiences -o` writes as a user catalogue (docs/observatoire.md)."""
    from ..catalog.experiences import _parse
    from ..text import normalize_key

    index = {normalize_key(a.code): a for a in catalogue.actions}
    out = []
    for i, c in enumerate(x for x in cands if x.validated):
        entry = experience_entry(c, catalogue)
        if not entry["enjeux"]:
            continue  # a local action of a territory without enjeux: nothing to match it on
        out.append(_parse(entry, f"base de suivi, candidate n° {i + 1}", index))
    return tuple(out)


def _toml_value(v: object) -> str:
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def _entry_toml(entry: dict, prefix: str = "") -> list[str]:
    lines = [f"{prefix}[[experience]]"]
    for k, v in entry.items():
        if k != "resultats":
            lines.append(f"{prefix}{k} = {_toml_value(v)}")
    for r in entry.get("resultats", ()):
        lines += ["", f"{prefix}[[experience.resultats]]"]
        lines += [f"{prefix}{k} = {_toml_value(v)}" for k, v in r.items()]
    return lines


def candidates_toml(cands: Iterable[Candidate], catalogue: Catalogue, base_shown: str) -> str:
    """The candidates as a user catalogue of experiences (`[catalogues] experiences = "…"`).

    Validated candidates are `[[experience]]` entries; the others are written as comments, so that loading
    this file never offers an experience the centre has not validated (validate, then export again)."""
    head = [
        "# Expériences issues du suivi des contrats de ville (pilier-eco observatoire experiences).",
        f"# Base : {base_shown}",
        "# Format : catalogue d'expériences de l'utilisateur. Pour les proposer aux territoires :",
        '#   [catalogues]  experiences = "ce-fichier.toml"   (dans pilier.toml), puis pilier-eco diagnose …',
        "# Seules les candidates validées par le centre de ressources sont actives ; les autres sont en",
        "# commentaire (pilier-eco observatoire valider CODE --par « Nom » --base …, puis exporter de nouveau).",
        "# Une expérience n'est jamais proposée au territoire dont elle vient (ses communes sont listées).",
        "",
    ]
    body: list[str] = []
    pending: list[str] = []
    for c in cands:
        entry = experience_entry(c, catalogue)
        if c.validated and entry["enjeux"]:
            stale = (
                [
                    f"# {c.a_revalider} ; cette entrée garde les chiffres validés ({c.annee}) jusqu'à une nouvelle validation."
                ]
                if c.a_revalider
                else []
            )
            body += [f"# --- {c.code} — {c.etat}", *stale, *_entry_toml(entry), ""]
        else:
            why = (
                [f"# {NO_ENJEUX}"] if c.validated else []
            )  # validated, yet inactive: a local action recorded before its enjeux were kept
            pending += [f"# --- {c.code} — {c.etat}", *why, *_entry_toml(entry, "# "), ""]
    if not body:
        body = ["# Aucune expérience validée pour l'instant.", ""]
    if pending:
        pending = ["# ================= candidates non validées (inactives) =================", "", *pending]
    return "\n".join(head + body + pending).rstrip("\n") + "\n"

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
that snapshot's figures even when later snapshots change them (validate again to take the new ones).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert, select, text, update

from . import schema as S
from .store import Base, SuiviError, _as_date

ETATS = ("validée", "refusée")


@dataclass(frozen=True)
class Validation:
    etat: str  # « validée » | « refusée »
    par: str
    le: str  # ISO timestamp (UTC)
    instantane_id: int
    motif: str | None = None


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
    enjeu_principal: str | None  # the territory's first enjeu that year (for a local action without enjeux)
    validation: Validation | None = None

    @property
    def annee(self) -> int:
        return self.date_situation.year

    @property
    def validated(self) -> bool:
        return self.validation is not None and self.validation.etat == "validée"


def candidate_code(territoire: str, cle: str) -> str:
    """`SUIVI_CARCASSONNE_5_QUARTIERS_PRIORITAIRES_MOB_PERMIS`: ASCII, stable, at most 80 characters."""

    def slug(s: str, n: int) -> str:
        ascii_ = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Z0-9]+", "_", ascii_.upper()).strip("_")[:n].strip("_")

    return f"SUIVI_{slug(territoire, 36)}_{slug(cle, 38)}"


_ROWS = """
SELECT s.id AS instantane_id, s.territoire_id, t.nom, s.date_situation, q.texte AS quartiers, s.communes,
       a.cle, a.code, ti.texte AS intitule, a.champ, a.indicateur_resultat, a.valeur_resultat, a.note, a.preuve,
       a.cout, a.budget_realise,
       (SELECT e.code FROM enjeux e WHERE e.instantane_id = s.id AND e.rang = 1 LIMIT 1) AS enjeu_principal
FROM actions a
JOIN instantanes s ON s.id = a.instantane_id
JOIN territoires t ON t.id = s.territoire_id
JOIN textes ti ON ti.id = a.intitule_id
LEFT JOIN textes q ON q.id = s.quartiers_id
WHERE a.statut = 'réalisée' AND a.indicateur_resultat IS NOT NULL AND a.valeur_resultat IS NOT NULL
ORDER BY t.nom, a.cle, s.date_situation, s.id
"""


def candidates(base: Base, *, only_validated: bool = False) -> tuple[Candidate, ...]:
    """Every candidate of the base, by territory then action; one per (territory, action)."""
    v = S.validations
    with base._read() as conn:
        rows = conn.execute(text(_ROWS)).mappings().all()
        decisions = {
            (r.territoire_id, r.cle): Validation(r.etat, r.par, r.le, r.instantane_id, r.motif)
            for r in conn.execute(select(v))
        }
    chosen: dict[tuple[int, str], dict] = {}
    locked: set[tuple[int, str]] = set()
    for r in rows:  # oldest first: the latest snapshot wins, unless it is the validated one that is met
        key = (r["territoire_id"], r["cle"])
        if key in locked:
            continue
        chosen[key] = r
        d = decisions.get(key)
        if d is not None and d.etat == "validée" and d.instantane_id == r["instantane_id"]:
            locked.add(key)
    out = []
    for key, r in chosen.items():
        d = decisions.get(key)
        quartiers = tuple(tuple(q) for q in json.loads(r["quartiers"] or "[]"))
        communes = tuple(json.loads(r["communes"])) if r["communes"] else _communes_of(quartiers)
        c = Candidate(
            code=candidate_code(r["nom"], r["cle"]),
            territoire=r["nom"],
            date_situation=_as_date(r["date_situation"]),  # type: ignore[arg-type]
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
            quartiers=quartiers,  # type: ignore[arg-type]
            communes=communes,
            enjeu_principal=r["enjeu_principal"],
            validation=d,
        )
        if not only_validated or c.validated:
            out.append(c)
    return tuple(out)


def _communes_of(quartiers) -> tuple[str, ...]:
    """A snapshot recorded before schema 4 has no communes: those of its quartiers (packaged QPV file)."""
    from ..catalog.qpv import qp_communes

    table = qp_communes()
    return tuple(dict.fromkeys(c.code_commune for code, _ in quartiers if (c := table.get(code.upper()))))


def decide(base: Base, code: str, *, par: str, etat: str = "validée", motif: str | None = None) -> Candidate:
    """Record the centre's decision on the candidate `code` (one transaction); returns the candidate decided.

    The only write of the observatory. Raises SuiviError in French for an unknown code or a missing name."""
    if etat not in ETATS:
        raise SuiviError(f"état « {etat} » inconnu ; possibles : {', '.join(ETATS)}")
    par = " ".join((par or "").split())
    if not par:
        raise SuiviError("indiquez qui valide (--par « Nom, structure ») : la base garde qui a décidé et quand")
    found = {c.code: c for c in candidates(base)}
    wanted = code.strip().upper()
    if wanted not in found:
        import difflib

        close = difflib.get_close_matches(wanted, list(found), n=3, cutoff=0.5)
        hint = f" ; vouliez-vous dire : {', '.join(close)} ?" if close else (
            " ; la base ne contient aucune candidate (une action « réalisée » avec un indicateur de résultat et sa "
            "valeur)"
            if not found
            else " ; la liste : pilier-eco observatoire experiences --base …"
        )
        raise SuiviError(f"{base.shown} : aucune expérience candidate « {code} »{hint}")
    c = found[wanted]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    v = S.validations
    with base._write() as conn:
        tid = conn.execute(select(S.territoires.c.id).where(S.territoires.c.nom == c.territoire)).scalar_one()
        values = {"instantane_id": c.instantane_id, "etat": etat, "par": par[:200], "le": now, "motif": motif}
        done = conn.execute(update(v).where(v.c.territoire_id == tid, v.c.cle == c.cle).values(**values))
        if not done.rowcount:
            conn.execute(insert(v).values(territoire_id=tid, cle=c.cle, **values))
    from dataclasses import replace

    return replace(c, validation=Validation(etat, par[:200], now, c.instantane_id, motif))

"""The observatory: every territory of a follow-up base side by side, read in a few set-wise queries.

    with open_base(target, readonly=True) as base:
        obs = observe(base, catalogue=cfg.catalogue, departement="11")
    obs.territories          # one TerritoryState per territory: its latest snapshot, progress, readiness

Read-only by construction: the base is opened with `readonly=True` (SQLite `mode=ro`, PostgreSQL read-only
sessions) and this module only runs SELECT statements, so a resource centre can run it under a role that
holds SELECT and nothing else. Pure data out (frozen dataclasses, codes and numbers): the report layer
writes the French (`report/observatoire.py`).

Why set-wise SQL rather than `Base.snapshots()` per territory: 1,600 territories × 7 snapshots would be
11,200 snapshots read back with all their rows; the observatory needs the latest snapshot of each territory
and, for « en retard », the planned dates of each action's first roadmap — one window query each (SQLite
≥ 3.25 and PostgreSQL both have window functions).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import text

from ..text import fold_words
from .snapshot import STARTED, enjeu_a_objectiver, scored_enjeux
from .store import Base, _as_date

#: Criteria of readiness for the mid-term evaluation (a recommended practice, not a legal obligation):
#: code -> what is checked. The report words them.
READINESS = (
    "point-de-depart",  # at least two snapshots: a starting point and a later situation
    "situation-recente",  # the latest situation is dated the year before the mid-term year or later
    "statuts",  # every action of the latest plan has a follow-up status
    "cibles",  # at least one indicator carries a target (cible 2030)
)


@dataclass(frozen=True)
class ActionProgress:
    cle: str
    code: str
    intitule: str
    champ: str
    statut: str | None
    late: bool
    cout: float | None
    budget_engage: float | None
    budget_realise: float | None

    @property
    def started(self) -> bool:
        return self.statut in STARTED

    @property
    def done(self) -> bool:
        return self.statut == "réalisée"


@dataclass(frozen=True)
class EnjeuRank:
    """An enjeu as the territory's own report shows it: « à objectiver » (no scored indicator informs it) has
    no score and no level, exactly as in its diagnostic (`score/enjeux.py`)."""

    code: str
    libelle: str
    score: float | None  # None when « à objectiver »
    rang: int
    niveau: str | None  # None when « à objectiver »

    @property
    def a_objectiver(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class TerritoryState:
    """One territory as its latest snapshot shows it."""

    nom: str
    quartiers: tuple[tuple[str, str], ...]
    communes: tuple[str, ...]
    departement: str | None
    epci: str | None
    snapshots: int
    premiere_situation: date
    date_situation: date
    periode: tuple[int, int]
    actions: tuple[ActionProgress, ...]
    enjeux: tuple[EnjeuRank, ...]
    prerequis: tuple[tuple[str, str], ...]  # (prerequisite, niveau) still to lift in the latest snapshot
    indicateurs: int
    cibles: int
    missing: tuple[str, ...]  # READINESS codes not met

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def mid_year(self) -> int:
        return (self.periode[0] + self.periode[1]) // 2

    def count(self, what: str) -> int:
        a = self.actions
        return {
            "prevues": len(a),
            "demarrees": sum(x.started for x in a),
            "realisees": sum(x.done for x in a),
            "en_retard": sum(x.late for x in a),
            "sans_statut": sum(x.statut is None for x in a),
        }[what]

    def budget(self, what: str) -> float | None:
        attr = {"prevu": "cout", "engage": "budget_engage", "realise": "budget_realise"}[what]
        values = [v for x in self.actions if (v := getattr(x, attr)) is not None]
        return sum(values) if values else None

    @property
    def state(self) -> str:
        """The map's category: `prete`, `en-retard` (late actions, not ready), `en-cours`, `depart` (one snapshot)."""
        if self.ready:
            return "prete"
        if self.count("en_retard"):
            return "en-retard"
        return "depart" if self.snapshots < 2 else "en-cours"


@dataclass(frozen=True)
class ActionType:
    """One action (catalogue code, or a local action by its title) and the territories that adopted it."""

    code: str
    intitule: str
    champ: str
    territoires: tuple[str, ...]
    realisees: int
    en_retard: int


@dataclass(frozen=True)
class Observatory:
    base: str
    territories: tuple[TerritoryState, ...]  # after the filters
    departements: tuple[str, ...]  # every département of the base (for the filter form)
    epcis: tuple[str, ...]  # every EPCI of the base
    departement: str | None = None  # filters applied
    epci: str | None = None
    total: int = 0  # territories in the base, before the filters
    snapshots: int = 0  # snapshots in the base
    prerequisite_names: tuple[str, ...] = field(default=(), repr=False)
    epci_ambigu: tuple[str, ...] = ()  # the EPCIs of the base the name typed designates, when it designates several

    @property
    def action_types(self) -> tuple[ActionType, ...]:
        """Action types by number of territories that adopted them, then code."""
        by: dict[str, list[tuple[str, ActionProgress]]] = {}
        for t in self.territories:
            for a in t.actions:
                key = a.code if a.code != "LIBRE" else a.cle
                by.setdefault(key, []).append((t.nom, a))
        out = []
        for rows in by.values():
            first = rows[0][1]
            out.append(
                ActionType(
                    code=first.code,
                    intitule=first.intitule,
                    champ=first.champ,
                    territoires=tuple(dict.fromkeys(n for n, _ in rows)),
                    realisees=sum(a.done for _, a in rows),
                    en_retard=sum(a.late for _, a in rows),
                )
            )
        out.sort(key=lambda x: (-len(x.territoires), x.code == "LIBRE", x.intitule))
        return tuple(out)

    @property
    def enjeu_codes(self) -> tuple[tuple[str, str], ...]:
        """(code, libellé) of every enjeu met, by label."""
        seen: dict[str, str] = {}
        for t in self.territories:
            for e in sorted(t.enjeux, key=lambda e: e.code):
                seen.setdefault(e.code, e.libelle)
        return tuple(sorted(seen.items(), key=lambda kv: kv[1]))

    @property
    def prerequisites(self) -> tuple[tuple[str, int, int], ...]:
        """(prerequisite, territories where it is still to lift, of which « bloquant »), most frequent first."""
        terr: dict[str, set[str]] = {}
        blocking: dict[str, set[str]] = {}
        for t in self.territories:
            for name, niveau in t.prerequis:
                terr.setdefault(name, set()).add(t.nom)
                if niveau == "bloquant":
                    blocking.setdefault(name, set()).add(t.nom)
        rows = [(n, len(ts), len(blocking.get(n, ()))) for n, ts in terr.items()]
        rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
        return tuple(rows)

    def count_states(self) -> Counter:
        return Counter(t.state for t in self.territories)


def prerequisite_names(catalogue) -> set[str]:
    """Every prerequisite the catalogue knows: the workbook's three and each action's own conditions."""
    from ..layout import PREREQUIS

    return set(PREREQUIS) | {p.quoi for a in catalogue.actions for p in a.prerequis_detail}


def departement_of(quartiers: Sequence[tuple[str, str]], communes: Sequence[str], declared: str | None) -> str | None:
    """The département: as the workbook declared it, else from the first commune, else from a QPV code
    (QP011002 and QN01101M carry the département in characters 3–5)."""
    if declared and declared.strip():
        return _dep(declared)
    for c in communes:
        c = str(c).strip().upper()
        if len(c) == 5:
            return _dep(c[:3] if c.startswith("97") else c[:2])
    for code, _ in quartiers:
        code = (code or "").strip().upper()
        if len(code) >= 5 and code[:2] in ("QP", "QN"):
            return _dep(code[2:5])
    return None


def epci_name(communes: Sequence[str], typed: str | None) -> str | None:
    """The official name of the communes' EPCI (code officiel géographique 2026), so that two workbooks of one
    EPCI typed differently (« CC Grand Orb », « Grand Orb ») are one EPCI in the observatory; else as typed."""
    from ..catalog.communes import epcis_of

    official = epcis_of(communes)
    if len(official) == 1:
        return official[0].nom
    return (typed or "").strip() or None


def _dep(code: str) -> str:
    c = code.strip().upper()
    if len(c) == 3 and c.startswith("0"):
        c = c[1:]
    return c.zfill(2) if c.isdigit() and len(c) < 2 else c


# ------------------------------------------------------------------------------------------- queries

_HEADS = """
SELECT s.id, t.nom, s.date_situation, s.periode_debut, s.periode_fin, q.texte AS quartiers,
       s.communes, s.epci, s.departement, s.territoire_id
FROM instantanes s
JOIN territoires t ON t.id = s.territoire_id
LEFT JOIN textes q ON q.id = s.quartiers_id
ORDER BY t.nom, s.date_situation, s.id
"""

#: The planned dates of each action in the first snapshot where it appears (they never slide: docs/suivi.md).
_FIRST_PLANNED = """
SELECT territoire_id, cle, debut_prevu, fin_prevue FROM (
  SELECT s.territoire_id, a.cle, a.debut_prevu, a.fin_prevue,
         ROW_NUMBER() OVER (PARTITION BY s.territoire_id, a.cle ORDER BY s.date_situation, s.id) AS rn
  FROM actions a JOIN instantanes s ON s.id = a.instantane_id
) first_plan WHERE rn = 1
"""

_LATEST = """
SELECT id FROM (
  SELECT id, ROW_NUMBER() OVER (PARTITION BY territoire_id ORDER BY date_situation DESC, id DESC) AS rn
  FROM instantanes
) latest WHERE rn = 1
"""

_ACTIONS = f"""
SELECT a.instantane_id, a.cle, a.code, ti.texte AS intitule, a.champ, a.statut, a.date_demarrage,
       a.cout, a.budget_engage, a.budget_realise
FROM actions a JOIN textes ti ON ti.id = a.intitule_id
WHERE a.instantane_id IN ({_LATEST})
ORDER BY a.instantane_id, a.ordre
"""

_ENJEUX = f"""
SELECT e.instantane_id, e.code, tl.texte AS libelle, e.score, e.rang, e.niveau
FROM enjeux e JOIN textes tl ON tl.id = e.libelle_id
WHERE e.instantane_id IN ({_LATEST})
ORDER BY e.instantane_id, e.ordre
"""

#: The enjeux a scored indicator informs, as the indicator row names them (a code or a label, typed freely):
#: an enjeu none of them names is « à objectiver » (`snapshot.enjeu_a_objectiver`, the review's rule too), so
#: its stored score is perception alone and never shown as a figure.
_SCORED_ENJEUX = f"""
SELECT DISTINCT instantane_id, enjeu FROM indicateurs
WHERE score IS NOT NULL AND enjeu IS NOT NULL AND instantane_id IN ({_LATEST})
"""

_PREREQUIS = f"""
SELECT v.instantane_id, v.niveau, v.ref, tm.texte AS message
FROM vigilance v JOIN textes tm ON tm.id = v.message_id
WHERE v.regle = 'prerequis-non-fait' AND v.niveau IN ('bloquant', 'attention')
  AND v.instantane_id IN ({_LATEST})
"""

_INDICATEURS = f"""
SELECT instantane_id, COUNT(*) AS n, COUNT(cible_valeur) AS cibles
FROM indicateurs WHERE instantane_id IN ({_LATEST})
GROUP BY instantane_id
"""


def observe(
    base: Base,
    *,
    prerequisite_names: Collection[str] = (),
    departement: str | None = None,
    epci: str | None = None,
) -> Observatory:
    """Every territory of `base` with its latest snapshot, filtered by département and EPCI if given.

    `prerequisite_names`: the prerequisites the catalogue knows (the three of the workbook and each action's
    conditions); a vigilance point « prérequis non fait » counts each name it mentions.
    """
    with base._read() as conn:
        heads = conn.execute(text(_HEADS)).mappings().all()
        # the large results as plain DBAPI tuples (no parameters, constant SQL): a third of the time of rows
        # built by SQLAlchemy, on 1,600 territories
        planned = {(r[0], r[1]): (_as_date(r[2]), _as_date(r[3])) for r in _rows(conn, _FIRST_PLANNED)}
        actions: dict[int, list] = {}
        for r in _rows(conn, _ACTIONS):
            actions.setdefault(r[0], []).append(r)
        named: dict[int, list[str]] = {}
        for sid, enjeu in _rows(conn, _SCORED_ENJEUX):
            named.setdefault(sid, []).append(enjeu)
        scored = {sid: scored_enjeux(n) for sid, n in named.items()}
        enjeux: dict[int, list[EnjeuRank]] = {}
        for sid, code, libelle, score, rang, niveau in _rows(conn, _ENJEUX):
            objectiver = enjeu_a_objectiver(code, libelle, scored.get(sid, frozenset()))
            shown = (None, None) if objectiver else (float(score), niveau)
            enjeux.setdefault(sid, []).append(EnjeuRank(code, libelle, shown[0], int(rang), shown[1]))
        prerequis: dict[int, list[tuple[str, str]]] = {}
        names = sorted(set(prerequisite_names), key=len, reverse=True)
        for sid, niveau, _ref, message in _rows(conn, _PREREQUIS):
            prerequis.setdefault(sid, []).extend((n, niveau) for n in _names_in(message, names))
        indicateurs = {r[0]: (int(r[1]), int(r[2])) for r in _rows(conn, _INDICATEURS)}

    by_territory: dict[str, list] = {}
    for h in heads:
        by_territory.setdefault(h["nom"], []).append(h)
    states = []
    for nom, hs in by_territory.items():
        last = hs[-1]
        quartiers = tuple(tuple(q) for q in json.loads(last["quartiers"] or "[]"))
        communes = tuple(json.loads(last["communes"])) if last["communes"] else ()
        today = _as_date(last["date_situation"])
        periode = (int(last["periode_debut"]), int(last["periode_fin"]))
        rows = []
        tid = last["territoire_id"]
        for _sid, cle, code, intitule, champ, statut, demarrage, cout, engage, realise in actions.get(last["id"], ()):
            debut, fin = planned.get((tid, cle), (None, None))
            late = _is_late(statut, demarrage, debut, fin, today)
            rows.append(ActionProgress(cle, code, intitule, champ, statut, late, cout, engage, realise))
        n_ind, n_cibles = indicateurs.get(last["id"], (0, 0))
        mid = (periode[0] + periode[1]) // 2
        missing = []
        if len(hs) < 2:
            missing.append("point-de-depart")
        if today.year < mid - 1:
            missing.append("situation-recente")
        if not rows or any(r.statut is None for r in rows):
            missing.append("statuts")
        if n_cibles == 0:
            missing.append("cibles")
        states.append(
            TerritoryState(
                nom=nom,
                quartiers=quartiers,
                communes=communes,
                departement=departement_of(quartiers, communes, last["departement"]),
                epci=epci_name(communes, last["epci"]),
                snapshots=len(hs),
                premiere_situation=_as_date(hs[0]["date_situation"]),
                date_situation=today,
                periode=periode,
                actions=tuple(rows),
                enjeux=tuple(enjeux.get(last["id"], ())),
                prerequis=tuple(dict.fromkeys(prerequis.get(last["id"], ()))),
                indicateurs=n_ind,
                cibles=n_cibles,
                missing=tuple(missing),
            )
        )
    everything = Observatory(
        base=base.shown,
        territories=tuple(states),
        departements=tuple(sorted({t.departement for t in states if t.departement})),
        epcis=tuple(sorted({t.epci for t in states if t.epci}, key=str.casefold)),
        total=len(states),
        snapshots=len(heads),
        prerequisite_names=tuple(names),
    )
    return filtered(everything, departement, epci)


def filtered(obs: Observatory, departement: str | None = None, epci: str | None = None) -> Observatory:
    """`obs` keeping the territories of one département and/or EPCI (`epcis_designated`). A name designating
    several EPCIs of the base keeps none of them: `epci_ambigu` lists them, for the reader to choose."""
    from dataclasses import replace

    dep_filter = _dep(departement) if departement else None
    wanted = epci.strip() if epci and epci.strip() else None
    epcis = epcis_designated(wanted, obs.epcis) if wanted else ()
    ambiguous = epcis if len(epcis) > 1 else ()
    kept = tuple(
        t
        for t in obs.territories
        if (dep_filter is None or t.departement == dep_filter)
        and (wanted is None or (t.epci in epcis and not ambiguous))
    )
    return replace(obs, territories=kept, departement=dep_filter, epci=wanted, epci_ambigu=ambiguous)


def epcis_designated(typed: str, names: Sequence[str]) -> tuple[str, ...]:
    """The EPCIs among `names` that the name typed designates: the one of that very name (case aside); else
    every one whose distinctive words it holds (« Grand Orb », `catalog.communes.designates`); else, for a name
    of generic words only (« CC », « Agglo »), every one whose name holds those words."""
    from ..catalog.communes import designates

    folded = typed.strip().casefold()
    same = tuple(n for n in names if n.strip().casefold() == folded)
    if same:
        return same[:1]
    found = tuple(n for n in names if designates(typed, n))
    if found:
        return found
    words = set(fold_words(typed).split())
    return tuple(n for n in names if words and words <= set(fold_words(n).split()))


def stamp(base: Base) -> tuple:
    """What changes when the base does (a snapshot recorded, a candidate decided): the key of a cached view."""
    with base._read() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT (SELECT COUNT(*) FROM instantanes), (SELECT MAX(id) FROM instantanes), "
                    "(SELECT COUNT(*) FROM decisions), (SELECT MAX(id) FROM decisions)"  # each decision adds one
                )
            ).one()
        )


def _rows(conn, sql: str) -> list[tuple]:
    """The rows of a constant query as the DBAPI gives them (sqlite3 or psycopg), inside the open transaction."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _is_late(statut: str | None, started: object, debut: date | None, fin: date | None, today: date) -> bool:
    """The review's rule (suivi/review.py `_late`), on the raw row: not « réalisée » (nor « abandonnée ») after
    the planned end, or not started after the planned start."""
    if statut in ("réalisée", "abandonnée"):
        return False
    if fin is not None and fin < today:
        return True
    return debut is not None and debut < today and statut in (None, "à venir") and started is None


def _names_in(message: str, names: Sequence[str]) -> list[str]:
    """The prerequisites a « prérequis non fait » sentence lists in its « Avant de lancer … : » part (each
    name followed by « ( », « — », « . » or « ; », as report/wording.py writes them)."""
    if not names:
        return []
    head = message.split(" À vérifier", 1)[0]
    m = _LEAD.match(head)
    if m:  # « Avant de lancer « X » (démarrage …) : A (…) ; B (…) ; C. »: the names open each item
        known = _name_set(tuple(names))
        found = [n for item in head[m.end() :].split(" ; ") if (n := _ITEM_END.split(item, 1)[0].strip()) in known]
        if found:
            return list(dict.fromkeys(found))
    return list(dict.fromkeys(_pattern(tuple(names)).findall(head)))


_LEAD = re.compile(r"Avant de lancer « .*? »(?: \(démarrage au plus tôt en [^)]*\))? : ")
_ITEM_END = re.compile(r" \(| —|\.$")


@lru_cache(maxsize=8)
def _name_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


@lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, longest name first (« Étude de faisabilité » before a shorter name it contains)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(f"(?<![\\w-])({alternatives})(?= \\(| —|\\.| ;)")

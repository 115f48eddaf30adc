"""The revue annuelle (or évaluation à mi-parcours) of a territory, computed from its snapshots.

    review = build_review(base.snapshots("Carcassonne"), avis=(read_avis("avis.txt"),))

Pure: snapshots in, a frozen Review out. « En retard » is computed here against the roadmap of the first
snapshot that held the action (its planned start and end), never typed by the user: an action still « à venir »
after its planned start, or not « réalisée » after its planned end, is late. The comparison date is the date
of the situation of the latest snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..text import normalize_key, strip_controls
from .snapshot import STARTED, ActionState, EnjeuFigure, IndicatorFigure, Snapshot, VigilanceState

MAX_AVIS_BYTES = 200 * 1024
AVIS_SUFFIXES = (".txt", ".md")


class AvisError(ValueError):
    """A French message about a conseil citoyen's opinion file."""


@dataclass(frozen=True)
class Avis:
    """A conseil citoyen's opinion, kept exactly as given (shown as escaped text, never interpreted), with
    what the report's table « Avis reçus et suites données » needs when the file's header gives it."""

    fichier: str
    texte: str
    instance: str | None = None  # who gave the avis (« Conseil citoyen de La Conte »)
    date: str | None = None  # as written in the file (« 1er octobre 2026 », « 2026-10-01 »)
    point: str | None = None  # the point raised
    suite: str | None = None  # the response given (« suite donnée »)
    decidee_par: str | None = None  # the instance that decided the response (« comité de pilotage du 12/11/2026 »)


#: Header keys of an avis file (`Clé : valeur` lines before a line `---`), normalised -> Avis field.
AVIS_KEYS = {
    "instance": "instance",
    "conseil citoyen": "instance",
    "avis de": "instance",
    "date": "date",
    "date de l'avis": "date",
    "point souleve": "point",
    "points souleves": "point",
    "suite donnee": "suite",
    "reponse": "suite",
    "reponse apportee": "suite",
    "decidee par": "decidee_par",
    "instance de reponse": "decidee_par",
}


def _header(text: str) -> tuple[dict[str, str], str]:
    """The `Clé : valeur` block at the top of an avis file, up to a line `---`, and the avis text after it.
    Without that block (or with an unknown key) the whole file is the avis text."""
    lines = text.split("\n")
    if "---" not in (line.strip() for line in lines):
        return {}, text
    cut = next(i for i, line in enumerate(lines) if line.strip() == "---")
    fields: dict[str, str] = {}
    for line in lines[:cut]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        name = AVIS_KEYS.get(normalize_key(key).replace("_", " ").replace("’", "'"))
        if not sep or name is None:
            return {}, text
        fields[name] = value.strip()
    return fields, "\n".join(lines[cut + 1 :]).strip("\n")


def read_avis(path: str | Path) -> Avis:
    """A .txt or .md file in UTF-8, at most 200 Kio; its text is annexed as given (Markdown is not rendered)."""
    path = Path(path)
    if path.suffix.lower() not in AVIS_SUFFIXES:
        raise AvisError(
            f"{path} : format non pris en charge ; attendu : un texte .txt ou .md (UTF-8). "
            "Un avis en PDF se joint au rapport à part."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AvisError(f"{path} : fichier illisible ({exc.strerror or exc})") from None
    if len(data) > MAX_AVIS_BYTES:
        raise AvisError(f"{path} : fichier trop long ({len(data) // 1024} Kio) ; maximum {MAX_AVIS_BYTES // 1024} Kio")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AvisError(f"{path} : le texte n'est pas en UTF-8 ; enregistrez-le en UTF-8 et recommencez") from None
    text = "\n".join(strip_controls(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not text.strip():
        raise AvisError(f"{path} : fichier vide")
    fields, body = _header(text.strip("\n"))
    if not body.strip():
        raise AvisError(f"{path} : l'en-tête est là, mais le texte de l'avis manque après la ligne « --- »")
    return Avis(path.name, body, **fields)


@dataclass(frozen=True)
class StatusChange:
    cle: str
    intitule: str
    avant: str | None
    apres: str | None
    date_avant: date
    date_apres: date


@dataclass(frozen=True)
class ActionLine:
    """One action of the current plan, with its planned dates (first roadmap) and what happened."""

    state: ActionState
    debut_prevu: date | None
    fin_prevue: date | None
    rang_avant: int | None
    started: bool
    done: bool
    retard: str | None  # French reason when late, else None

    @property
    def rank_move(self) -> int | None:
        """Places gained (> 0) or lost (< 0) since the previous snapshot."""
        return None if self.rang_avant is None else self.rang_avant - self.state.rang


@dataclass(frozen=True)
class RankMove:
    """An enjeu of the current plan and its move since the previous snapshot, as each year's report showed it:
    an enjeu « à objectiver » that year (`snapshot.enjeu_a_objectiver`) has no rank, score nor level there, so
    none is shown and no move is computed from it."""

    ref: str
    libelle: str
    avant: int | None  # the previous report's rank; None when new or « à objectiver » then
    apres: int | None  # None when « à objectiver »
    score_avant: float | None
    score: float | None
    niveau: str | None = None
    a_objectiver: bool = False
    a_objectiver_avant: bool = False  # in the previous snapshot
    annee_avant: int | None = None  # year of the previous snapshot, when there is one
    #: places gained among the enjeux ranked both years (None: not ranked both years) — an enjeu that became
    #: « à objectiver » above it does not make it « monte de 1 » with the same score
    ecart: int | None = None

    @property
    def evolution(self) -> str:
        """« ▲ monte de 2 », « inchangé », « nouveau », « à objectiver »…: never computed from a score the
        report did not print."""
        if self.a_objectiver:
            if self.avant is not None:
                return f"à objectiver (rang {self.avant} en {self.annee_avant})"
            return "à objectiver"
        if self.a_objectiver_avant:
            return f"chiffré cette année (à objectiver en {self.annee_avant})"
        if self.avant is None or self.apres is None or self.ecart is None:
            return "nouveau"
        if self.ecart == 0:
            return "inchangé"
        if self.ecart > 0:
            return f"▲ monte de {self.ecart}"
        return f"▼ descend de {-self.ecart}"


@dataclass(frozen=True)
class Point:
    """A value of an indicator at one snapshot, with its own year and source."""

    situation: date
    valeur: float | None
    reference: float | None
    annee: int | None
    source: str | None
    illustratif: bool


@dataclass(frozen=True)
class IndicatorTrend:
    code: str
    libelle: str
    unite: str
    sens: str
    enjeu: str | None
    territoire_reference: str | None
    points: tuple[Point, ...]
    cible_annee: int | None
    cible_valeur: float | None

    @property
    def baseline(self) -> Point | None:
        return next((p for p in self.points if p.valeur is not None), None)

    @property
    def current(self) -> Point | None:
        return next((p for p in reversed(self.points) if p.valeur is not None), None)

    @property
    def evolution(self) -> str | None:
        """« amélioration », « dégradation », « stable », « correction », or None with fewer than two values.

        Two values of the same vintage (same data year) that differ are a correction of the figure, never a
        change of the situation: the report says so instead of « amélioration »."""
        b, c = self.baseline, self.current
        if b is None or c is None or b is c or b.valeur is None or c.valeur is None:
            return None
        delta = c.valeur - b.valeur
        if abs(delta) < 1e-9:
            return "stable"
        if b.annee is not None and b.annee == c.annee:
            return "correction"
        better = delta > 0 if self.sens == "hausse = amélioration" else delta < 0
        return "amélioration" if better else "dégradation"

    @property
    def progress(self) -> float | None:
        """Share of the way from the baseline to the target already covered (may be < 0 or > 1)."""
        b, c = self.baseline, self.current
        if self.cible_valeur is None or b is None or c is None or b.valeur is None or c.valeur is None:
            return None
        gap = self.cible_valeur - b.valeur
        if abs(gap) < 1e-12:
            return None
        return (c.valeur - b.valeur) / gap

    @property
    def stale(self) -> bool:
        """The data year has not moved since the baseline although later snapshots exist (a corrected value of
        the same year is still not an update)."""
        b, c = self.baseline, self.current
        return b is not None and c is not None and b is not c and b.annee is not None and b.annee == c.annee


@dataclass(frozen=True)
class Means:
    """Money of the plan for one funder and one nature of credits: planned, engaged, spent (euros)."""

    financeur: str | None
    nature: str | None
    prevu: float | None
    engage: float | None
    realise: float | None
    actions: int


@dataclass(frozen=True)
class Review:
    territoire: str
    periode: tuple[int, int]
    snapshots: tuple[Snapshot, ...]  # oldest first
    kind: str  # « Revue annuelle » or « Évaluation à mi-parcours »
    status_changes: tuple[StatusChange, ...]
    actions: tuple[ActionLine, ...]  # current plan, by rank
    enjeu_moves: tuple[RankMove, ...]
    vigilance_lifted: tuple[VigilanceState, ...]
    vigilance_open: tuple[VigilanceState, ...]
    vigilance_new: tuple[tuple[str, str, str], ...]  # identities of the open points that are new this year
    indicators: tuple[IndicatorTrend, ...]
    questions: tuple[str, ...]
    avis: tuple[Avis, ...] = ()

    @property
    def current(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def previous(self) -> Snapshot | None:
        return self.snapshots[-2] if len(self.snapshots) > 1 else None

    @property
    def baseline(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def late(self) -> tuple[ActionLine, ...]:
        return tuple(a for a in self.actions if a.retard)

    def count(self, what: str) -> int:
        lines = self.actions
        return {
            "prevues": len(lines),
            "demarrees": sum(a.started for a in lines),
            "realisees": sum(a.done for a in lines),
            "en_retard": sum(bool(a.retard) for a in lines),
            "abandonnees": sum(a.state.statut == "abandonnée" for a in lines),
            "sans_statut": sum(a.state.statut is None for a in lines),
        }[what]

    def budget(self, what: str) -> float | None:
        """Total estimated cost, budget engaged or realised over the current plan (None when nothing is known)."""
        attr = {"prevu": "cout", "engage": "budget_engage", "realise": "budget_realise"}[what]
        values = [getattr(a.state, attr) for a in self.actions if getattr(a.state, attr) is not None]
        return sum(values) if values else None

    @property
    def means(self) -> tuple[Means, ...]:
        """Budgets of the plan by main funder and nature of credits (décret n° 2015-1118: « moyens mobilisés »),
        largest planned first; actions whose funder the workbook does not name are grouped as such."""
        groups: dict[tuple[str | None, str | None], list[ActionState]] = {}
        for a in self.actions:
            key = (a.state.financeur, a.state.nature_financement)
            groups.setdefault(key, []).append(a.state)

        def total(states: list[ActionState], attr: str) -> float | None:
            values = [getattr(s, attr) for s in states if getattr(s, attr) is not None]
            return sum(values) if values else None

        out = [
            Means(f, n, total(g, "cout"), total(g, "budget_engage"), total(g, "budget_realise"), len(g))
            for (f, n), g in groups.items()
        ]
        return tuple(sorted(out, key=lambda m: (m.financeur is None, -(m.prevu or 0))))

    def summary_line(self) -> str:
        n, late = self.count("prevues"), self.count("en_retard")
        return (
            f"{self.territoire} : {self.kind.lower()} {self.current.annee} sur {len(self.snapshots)} instantané"
            f"{'s' if len(self.snapshots) > 1 else ''} ; {_count(self.count('realisees'), 'action réalisée', 'actions réalisées')}, "
            f"{_count(self.count('demarrees'), 'démarrée')} sur {n}, {late} en retard ; "
            f"{_count(len(self.status_changes), 'changement')} de statut ; "
            f"{_count(len(self.questions), 'question')} pour le comité."
        )


def _count(n: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 question », « 3 questions », « 0 action réalisée » (French: 0 and 1 take the singular)."""
    return f"{n} {singular if n < 2 else plural_form or singular + 's'}"


def _fr(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def _late(a: ActionState, debut: date | None, fin: date | None, today: date) -> str | None:
    if a.statut in ("réalisée", "abandonnée"):
        return None
    if fin is not None and fin < today:
        return f"fin prévue le {_fr(fin)}, statut « {a.statut or 'non renseigné'} »"
    if debut is not None and debut < today and a.statut in (None, "à venir") and a.date_demarrage is None:
        return f"démarrage prévu le {_fr(debut)}, statut « {a.statut or 'non renseigné'} »"
    return None


def build_review(snapshots: Sequence[Snapshot], avis: Sequence[Avis] = ()) -> Review:
    """The review of the latest snapshot against the previous one and the first one (the baseline)."""
    if not snapshots:
        raise ValueError("aucun instantané")
    snaps = tuple(sorted(snapshots, key=lambda s: (s.date_situation, s.id or 0)))
    current, previous = snaps[-1], (snaps[-2] if len(snaps) > 1 else None)
    today = current.date_situation
    start, end = current.periode
    kind = "Évaluation à mi-parcours" if today.year == (start + end) // 2 else "Revue annuelle"

    planned: dict[str, tuple[date | None, date | None]] = {}
    for s in snaps:
        for a in s.actions:
            planned.setdefault(a.cle, (a.debut_prevu, a.fin_prevue))

    changes = []
    if previous is not None:
        for a in current.actions:
            before = previous.action(a.cle)
            if before is not None and before.statut != a.statut:
                changes.append(
                    StatusChange(
                        a.cle, a.intitule, before.statut, a.statut, previous.date_situation, current.date_situation
                    )
                )
            elif before is None and a.statut is not None:
                changes.append(
                    StatusChange(a.cle, a.intitule, None, a.statut, previous.date_situation, current.date_situation)
                )

    lines = []
    for a in current.actions:
        debut, fin = planned[a.cle]
        before = previous.action(a.cle) if previous else None
        lines.append(
            ActionLine(
                state=a,
                debut_prevu=debut,
                fin_prevue=fin,
                rang_avant=before.rang if before else None,
                started=a.statut in STARTED or a.date_demarrage is not None,
                done=a.statut == "réalisée",
                retard=_late(a, debut, fin, today),
            )
        )

    enjeu_moves = tuple(_enjeu_move(e, current, previous) for e in current.enjeux)

    prev_points = {v.identity for v in previous.vigilance} if previous else set()
    now_points = {v.identity for v in current.vigilance}
    lifted = tuple(v for v in previous.vigilance if v.identity not in now_points) if previous else ()
    new = tuple(v.identity for v in current.vigilance if previous is not None and v.identity not in prev_points)

    trends = tuple(_trend(code, snaps) for code in dict.fromkeys(i.code for s in snaps for i in s.indicateurs))
    review = Review(
        territoire=current.territoire,
        periode=current.periode,
        snapshots=snaps,
        kind=kind,
        status_changes=tuple(changes),
        actions=tuple(lines),
        enjeu_moves=enjeu_moves,
        vigilance_lifted=lifted,
        vigilance_open=current.vigilance,
        vigilance_new=new,
        indicators=trends,
        questions=(),
        avis=tuple(avis),
    )
    from dataclasses import replace

    return replace(review, questions=_questions(review))


def _ranked_both(current: Snapshot, previous: Snapshot) -> tuple[list[str], list[str]]:
    """The codes of the enjeux ranked in both snapshots (neither « à objectiver »), in each one's rank order."""
    now = {x.code: x.rang for x in current.enjeux if not current.a_objectiver(x)}
    then = {x.code: x.rang for x in previous.enjeux if not previous.a_objectiver(x)}
    both = now.keys() & then.keys()
    return sorted(both, key=lambda c: then[c]), sorted(both, key=lambda c: now[c])


def _enjeu_move(e: EnjeuFigure, current: Snapshot, previous: Snapshot | None) -> RankMove:
    before = next((x for x in previous.enjeux if x.code == e.code), None) if previous else None
    objectiver = current.a_objectiver(e)
    objectiver_avant = before is not None and previous is not None and previous.a_objectiver(before)
    shown_before = before is not None and not objectiver_avant
    ecart = None
    if previous is not None and shown_before and not objectiver:
        order_then, order_now = _ranked_both(current, previous)
        ecart = order_then.index(e.code) - order_now.index(e.code)
    return RankMove(
        e.code,
        e.libelle,
        avant=before.rang if before is not None and shown_before else None,
        apres=None if objectiver else e.rang,
        score_avant=before.score if before is not None and shown_before and not objectiver else None,
        score=None if objectiver else e.score,
        niveau=None if objectiver else e.niveau,
        a_objectiver=objectiver,
        a_objectiver_avant=objectiver_avant,
        annee_avant=previous.annee if previous else None,
        ecart=ecart,
    )


def _trend(code: str, snaps: Sequence[Snapshot]) -> IndicatorTrend:
    figures: list[tuple[Snapshot, IndicatorFigure]] = [(s, f) for s in snaps if (f := s.indicator(code)) is not None]
    last = figures[-1][1]
    target = next(
        ((f.cible_annee, f.cible_valeur) for _, f in reversed(figures) if f.cible_valeur is not None), (None, None)
    )
    return IndicatorTrend(
        code=code,
        libelle=last.libelle,
        unite=last.unite,
        sens=last.sens,
        enjeu=last.enjeu,
        territoire_reference=last.territoire_reference,
        points=tuple(
            Point(s.date_situation, f.valeur_quartier, f.valeur_reference, f.annee, f.source, f.illustratif)
            for s, f in figures
        ),
        cible_annee=target[0],
        cible_valeur=target[1],
    )


MAX_QUESTIONS = 12


def _questions(r: Review) -> tuple[str, ...]:
    """What the next comité de pilotage should decide, most pressing first."""
    q: list[str] = []
    for a in r.actions:
        if a.state.statut == "bloquée":
            q.append(
                f"« {a.state.intitule} » est bloquée : quelle décision du comité permettrait de la débloquer, "
                f"et qui la porte{' (pilote : ' + a.state.pilote + ')' if a.state.pilote else ''} ?"
            )
    for a in r.late:
        if a.state.statut != "bloquée":
            q.append(
                f"« {a.state.intitule} » est en retard ({a.retard}) : faut-il la replanifier, "
                "renforcer ses moyens ou y renoncer ?"
            )
    for v in r.vigilance_open:
        if v.niveau == "bloquant":
            q.append(f"Point de vigilance bloquant toujours ouvert : {v.message} Qui le lève, et pour quand ?")
    for t in r.indicators:
        if t.evolution == "dégradation" and t.cible_valeur is not None:
            q.append(
                f"L'indicateur « {t.libelle} » s'éloigne de sa cible {t.cible_annee or ''} : "
                "les actions de son enjeu suffisent-elles ?".replace("cible  :", "cible :")
            )
    for a in r.actions:
        e, d = a.state.budget_engage, a.state.budget_realise
        if e is not None and d is not None and e > 0 and d < 0.5 * e and a.state.statut == "réalisée":
            q.append(
                f"« {a.state.intitule} » est réalisée avec {d:,.0f} € réalisés sur {e:,.0f} € engagés : "
                "le solde est-il à dégager ?".replace(",", "\u202f")
            )
    missing = [a.state.intitule for a in r.actions if a.state.statut is None]
    if missing:
        q.append(
            "Statut manquant dans le classeur pour "
            + ", ".join(f"« {t} »" for t in missing[:4])
            + (" (liste au chapitre 1)" if len(missing) > 4 else "")
            + " : qui le complète avant la prochaine revue ?"
        )
    stale = [t for t in r.indicators if t.stale]
    if stale:
        q.append(
            "Indicateurs non actualisés depuis la situation de référence (même année de donnée) : "
            + ", ".join(f"« {t.libelle} »" for t in stale[:4])
            + (" (liste au chapitre 2)" if len(stale) > 4 else "")
            + " ; quelle source mobiliser ?"
        )
    for avis in r.avis:
        if not avis.suite:
            who = avis.instance or f"l'avis « {avis.fichier} »"
            q.append(f"Quelle suite donner à l'avis de {who}" + (f" sur {avis.point}" if avis.point else "") + " ?")
    # the most pressing first; every one is also visible in its chapter (late actions, vigilance, indicators)
    return tuple(q[:MAX_QUESTIONS])

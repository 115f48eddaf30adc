"""The live atelier's engine: participants, rounds, notes, journal and results (no HTTP here: `toolkit.web`
serves it). Participants score from their phones, the trainer's screen shows the room's result.

State lives in memory, one `LiveAtelier` per atelier guarded by its own lock, and every change is also
written as an atomic JSON journal in the trainer's session folder (`<session>/ateliers/<id>/journal.json`):
a restarted server reloads the journals it finds and loses no vote. The journal holds pseudonyms, the
optional first names, notes and round state — never an IP address, a user agent or any device identity.

A vote is keyed by (round, participant, object): a resend replaces, it never adds. Each vote carries a
client-generated id and time; an id already applied answers « déjà enregistré » without change, and a
resend older than the note already kept is ignored (a slow retry cannot undo a newer choice).
Revealing closes the round (the room saw the results; notes no longer move). Closing first stops the notes
(« clôture en cours », 409) under the lock, then writes the new workbook through `workshop.merge.write_merged`,
the function `atelier merge` uses: every note answered « enregistré » is in it.
"""

from __future__ import annotations

import json
import math
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.output import atomic_write_text
from ..model import Vote, Workbook
from ..score.votes import DISSENSUS_SPLIT_SHARE, borda_ranks, summarize
from ..text import normalize_key
from .items import BallotItem, ballot_items
from .sheet import SCALE

if TYPE_CHECKING:
    from ..catalog.catalogue import Catalogue

#: No 0/O, 1/I/L: a code read aloud or copied from the projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DEFAULT_HOURS = 6.0
MAX_PARTICIPANTS = 300
MAX_APPLIED_IDS = 2000
# a note's time comes from the phone's clock: a time further ahead of the server's is refused, or that note
# would stay « newer » than every later choice of the participant (a clock one hour wrong is already rare)
MAX_CLOCK_AHEAD_MS = 3600 * 1000
JOURNAL = "journal.json"
DISSENSUS_RULE = (
    f"Avis partagés : la salle se partage entre notes basses et notes hautes, au moins {DISSENSUS_SPLIT_SHARE:.0%} "
    "des notes à 2 ou moins et autant à 4 ou plus."
).replace("%", " %")


class LiveError(Exception):
    """A refused live-atelier action; the message is French and shown as is."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Participant:
    token: str  # secret, carried by the participant's HttpOnly cookie only
    pseudonym: str  # P01, P02…
    first_name: str = ""  # optional, kept out of every output unless the trainer asks
    joined: float = 0.0


@dataclass
class Note:
    note: int
    t: float  # client time of the choice (ms), orders resends
    id: str


@dataclass
class LiveAtelier:
    id: str
    code: str
    owner: str  # trainer's session id
    folder: Path  # <session>/ateliers/<id>
    source: str  # the workbook as dropped (path in folder)
    territoire: str
    items: tuple[BallotItem, ...]
    reserved: tuple[str, ...]  # participant names already in the workbook's Votes sheet
    created: float
    expires: float
    round: int = 1
    round_open: bool = True
    revealed: bool = False
    closed: bool = False
    participants: dict[str, Participant] = field(default_factory=dict)  # token -> participant
    votes: dict[int, dict[str, dict[str, Note]]] = field(default_factory=dict)  # round -> pseudonym -> objet
    applied: list[str] = field(default_factory=list)  # recent client ids (idempotent resends)
    screen_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))  # the read-only room screen link
    paper: list[str] = field(default_factory=list)  # paper scoring sheets dropped by the trainer (paths)
    result: str | None = None  # the merged workbook, once closed
    closing: bool = False  # the workbook is being written: no note may change (never journalled)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # ------------------------------------------------------------------ reading

    @property
    def active(self) -> bool:
        return not self.closed and time.time() < self.expires

    def item(self, objet: str) -> BallotItem | None:
        return next((i for i in self.items if i.objet == objet), None)

    def by_pseudonym(self) -> dict[str, Participant]:
        return {p.pseudonym: p for p in self.participants.values()}

    def round_votes(self, rnd: int | None = None) -> dict[str, dict[str, Note]]:
        return self.votes.get(rnd or self.round, {})

    def as_votes(self, rnd: int | None = None, names: bool = False) -> tuple[Vote, ...]:
        """The notes of a round as `Vote`s in item order (pseudonyms, or first names when asked)."""
        people = self.by_pseudonym()
        out = []
        for who, notes in sorted(self.round_votes(rnd).items()):
            p = people.get(who)
            shown = (p.first_name or who) if (names and p) else who
            for it in self.items:
                if it.objet in notes:
                    out.append(Vote(shown, None, it.objet, notes[it.objet].note))
        return tuple(out)

    # ------------------------------------------------------------------ journal

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "id": self.id,
            "code": self.code,
            "owner": self.owner,
            "source": self.source,
            "territoire": self.territoire,
            "reserved": list(self.reserved),
            "created": self.created,
            "expires": self.expires,
            "round": self.round,
            "round_open": self.round_open,
            "revealed": self.revealed,
            "closed": self.closed,
            "paper": self.paper,
            "result": self.result,
            "items": [
                {"kind": i.kind, "objet": i.objet, "libelle": i.libelle, "detail": i.detail, "key": i.key}
                for i in self.items
            ],
            "participants": [
                {"token": p.token, "pseudonym": p.pseudonym, "first_name": p.first_name, "joined": p.joined}
                for p in self.participants.values()
            ],
            "votes": {
                str(r): {who: {o: [n.note, n.t, n.id] for o, n in notes.items()} for who, notes in per.items()}
                for r, per in self.votes.items()
            },
            "applied": self.applied[-MAX_APPLIED_IDS:],
            "screen_token": self.screen_token,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], folder: Path) -> LiveAtelier:
        a = cls(
            id=data["id"],
            code=data["code"],
            owner=data["owner"],
            folder=folder,
            source=data["source"],
            territoire=data["territoire"],
            reserved=tuple(data["reserved"]),
            items=tuple(BallotItem(i["kind"], i["objet"], i["libelle"], i["detail"], i["key"]) for i in data["items"]),
            created=data["created"],
            expires=data["expires"],
            round=data["round"],
            round_open=data["round_open"],
            revealed=data["revealed"],
            closed=data["closed"],
            paper=list(data["paper"]),
            result=data["result"],
            applied=list(data["applied"]),
            **({"screen_token": data["screen_token"]} if data.get("screen_token") else {}),
        )
        for p in data["participants"]:
            a.participants[p["token"]] = Participant(p["token"], p["pseudonym"], p["first_name"], p["joined"])
        for r, per in data["votes"].items():
            a.votes[int(r)] = {
                who: {o: Note(int(v[0]), float(v[1]), str(v[2])) for o, v in notes.items()}
                for who, notes in per.items()
            }
        return a

    def save(self) -> None:
        """Atomic journal write; called with the lock held so journals never go back in time."""
        atomic_write_text(self.folder / JOURNAL, json.dumps(self.to_json(), ensure_ascii=False), mode=0o600)


# ---------------------------------------------------------------------------------------- statistics


def _item_stats(a: LiveAtelier, rnd: int) -> list[dict[str, Any]]:
    votes = a.as_votes(rnd)
    per: dict[str, list[int]] = {}
    for v in votes:
        per.setdefault(v.objet, []).append(v.note)
    ranks: dict[str, int] = {}
    for kind in ("enjeu", "action"):  # ranked within their kind, as the diagnostic does (`score.votes`)
        keys = [i.objet for i in a.items if i.kind == kind]
        ranks.update(
            {code: rank for code, (_pts, rank) in borda_ranks([v for v in votes if v.objet in keys], keys).items()}
        )
    out = []
    for it in a.items:
        notes = per.get(it.objet, [])
        s = summarize(it.objet, notes)
        out.append(
            {
                "objet": it.objet,
                "type": it.kind,
                "libelle": it.libelle,
                "n": len(notes),
                "mediane": s.median if s else None,
                "q1": s.q1 if s else None,
                "q3": s.q3 if s else None,
                "eiq": s.iqr if s else None,
                "dissensus": bool(s and s.dissensus),
                "histogramme": [notes.count(k) for k in range(SCALE[0], SCALE[1] + 1)],
                "rang_borda": ranks.get(it.objet.strip().upper()),
            }
        )
    return out


def statistics(a: LiveAtelier) -> dict[str, Any]:
    """What the projector shows once revealed: per item, the same figures as the merged workbook's diagnostic."""
    current = _item_stats(a, a.round)
    if a.round > 1:
        before = {s["objet"]: s for s in _item_stats(a, a.round - 1)}
        for s in current:
            b = before.get(s["objet"])
            s["avant"] = {"mediane": b["mediane"], "eiq": b["eiq"], "dissensus": b["dissensus"]} if b else None
    return {"items": current, "regle_dissensus": DISSENSUS_RULE, "tour": a.round}


def participation(a: LiveAtelier) -> dict[str, Any]:
    notes = a.round_votes()
    total = len(a.items)
    done = sum(1 for n in notes.values() if len(n) >= total)
    return {
        "inscrits": len(a.participants),
        "votants": sum(1 for n in notes.values() if n),
        "complets": done,
        "notes": sum(len(n) for n in notes.values()),
        "objets": total,
    }


# ---------------------------------------------------------------------------------------- registry


class LiveRegistry:
    """Every atelier of the server, by id and by join code; reloads the journals it finds at start."""

    def __init__(self, sessions_root: Path, hours: float = DEFAULT_HOURS) -> None:
        self.root = Path(sessions_root)
        self.hours = hours
        self._lock = threading.Lock()
        self._by_id: dict[str, LiveAtelier] = {}
        self._load()

    def _load(self) -> None:
        for path in self.root.glob(f"*/ateliers/*/{JOURNAL}"):
            try:
                a = LiveAtelier.from_json(json.loads(path.read_text(encoding="utf-8")), path.parent)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged journal is left on disk for the trainer, not served
            self._by_id[a.id] = a

    def create(self, owner: str, folder: Path, source: Path, workbook: Workbook, catalogue: Catalogue) -> LiveAtelier:
        """A new atelier on `workbook`'s ballot (its enjeux and actions, titled from `catalogue`)."""
        items = ballot_items(workbook, catalogue)
        if not items:
            raise LiveError("Ce classeur ne donne rien à noter.")
        with self._lock:
            used = {a.code for a in self._by_id.values()}
            code = next(
                c
                for c in iter(lambda: "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)), None)
                if c not in used
            )
            now = time.time()
            a = LiveAtelier(
                id=secrets.token_hex(8),
                code=code,
                owner=owner,
                folder=folder,
                source=str(source),
                territoire=workbook.territoire.nom or "Territoire",
                items=items,
                reserved=tuple(sorted({v.participant for v in workbook.votes})),
                created=now,
                expires=now + self.hours * 3600,
            )
            a.votes[1] = {}
            self._by_id[a.id] = a
        with a.lock:
            a.save()
        return a

    def get(self, atelier_id: str, owner: str | None = None) -> LiveAtelier | None:
        a = self._by_id.get(atelier_id)
        if a is None or (owner is not None and not secrets.compare_digest(a.owner, owner)):
            return None
        return a

    def of_owner(self, owner: str) -> list[LiveAtelier]:
        return sorted((a for a in self._by_id.values() if a.owner == owner), key=lambda a: -a.created)

    def by_screen_token(self, token: str) -> LiveAtelier | None:
        """The atelier whose read-only room screen link carries `token` (erased ateliers are gone)."""
        for a in list(self._by_id.values()):
            if token and secrets.compare_digest(a.screen_token, token):
                return a
        return None

    def by_code(self, code: str) -> LiveAtelier | None:
        code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
        for a in list(self._by_id.values()):
            if a.active and secrets.compare_digest(a.code, code):
                return a
        return None

    def participant(self, atelier_id: str, token: str) -> tuple[LiveAtelier, Participant] | None:
        a = self._by_id.get(atelier_id)
        if a is None or not a.active:
            return None
        p = a.participants.get(token)
        return (a, p) if p is not None else None

    def purge(self, a: LiveAtelier) -> None:
        """One click: the atelier, its journal, its paper sheets and its result are deleted now."""
        with self._lock:
            self._by_id.pop(a.id, None)
        with a.lock:
            a.closed = True
            shutil.rmtree(a.folder, ignore_errors=True)

    def forget_owners(self, owners: list[str]) -> None:
        """Sessions purged for inactivity take their ateliers with them (their folders are already gone)."""
        gone = set(owners)
        with self._lock:
            for k in [k for k, a in self._by_id.items() if a.owner in gone]:
                self._by_id.pop(k)


# ---------------------------------------------------------------------------------------- actions


def join(a: LiveAtelier, first_name: str = "") -> Participant:
    first_name = " ".join(first_name.split())[:40]
    with a.lock:
        if not a.active:
            raise LiveError("Cet atelier est terminé : le code n'est plus valable.", 410)
        if len(a.participants) >= MAX_PARTICIPANTS:
            raise LiveError("Cet atelier est complet.", 409)
        taken = {normalize_key(r) for r in a.reserved} | {normalize_key(p.pseudonym) for p in a.participants.values()}
        k = 0
        while True:
            k += 1
            if normalize_key(f"P{k:02d}") not in taken:
                break
        p = Participant(secrets.token_urlsafe(24), f"P{k:02d}", first_name, time.time())
        a.participants[p.token] = p
        a.save()
    return p


def client_time(t: object) -> float:
    """The time of a choice (milliseconds since 1970, phone clock), vetted: a number, finite, not in the future
    beyond MAX_CLOCK_AHEAD_MS of the server's clock; anything else is a LiveError 422."""
    try:
        value = float(t) if type(t) in (int, float) else math.nan  # type: ignore[arg-type]  # bool is no time
    except OverflowError:  # an integer of 400 digits
        value = math.nan
    if not math.isfinite(value):
        raise LiveError("Heure du choix illisible : rechargez la page.", 422)
    if value > time.time() * 1000 + MAX_CLOCK_AHEAD_MS:
        raise LiveError(
            "L'horloge de cet appareil est en avance de plus d'une heure : corrigez son heure, puis rechargez la page.",
            422,
        )
    return value


def vote(a: LiveAtelier, p: Participant, objet: str, note: int | None, client_id: str, t: object) -> dict[str, Any]:
    """Record (or, with note None, withdraw) one note; idempotent by client id, ordered by client time."""
    if a.item(objet) is None:
        raise LiveError("Objet inconnu dans cet atelier.", 404)
    if note is not None and not (type(note) is int and SCALE[0] <= note <= SCALE[1]):
        raise LiveError(f"Note attendue : un entier de {SCALE[0]} à {SCALE[1]}.", 422)
    t = client_time(t)
    client_id = str(client_id or "")[:64]
    if not client_id:
        raise LiveError("Identifiant d'envoi manquant.", 422)
    client_id = f"{p.pseudonym}:{client_id}"  # ids are the participant's own: another phone's id never matches
    with a.lock:
        if not a.active:
            raise LiveError("Cet atelier est terminé : les notes ne peuvent plus changer.", 410)
        if a.closing:
            raise LiveError("Clôture en cours : l'animateur écrit le classeur, les notes ne peuvent plus changer.", 409)
        if not a.round_open:
            raise LiveError("Le tour de notation est clos : l'animateur a arrêté les votes.", 409)
        mine = a.votes.setdefault(a.round, {}).setdefault(p.pseudonym, {})
        if client_id in a.applied:
            state = "deja"
        elif objet in mine and mine[objet].t > t:
            state = "perime"  # an older resend arriving late: the newer note stays
        else:
            if note is None:
                mine.pop(objet, None)
            else:
                mine[objet] = Note(note, t, client_id)
            a.applied.append(client_id)
            del a.applied[:-MAX_APPLIED_IDS]
            a.save()
            state = "enregistre"
        kept = mine.get(objet)
    return {"etat": state, "objet": objet, "note": kept.note if kept else None}


def my_notes(a: LiveAtelier, p: Participant) -> dict[str, Any]:
    notes = a.round_votes().get(p.pseudonym, {})
    return {
        "tour": a.round,
        "ouvert": a.round_open and a.active,
        "termine": not a.active,
        "notes": {o: n.note for o, n in notes.items()},
        "objets": len(a.items),
    }


def set_round(a: LiveAtelier, action: str) -> None:
    with a.lock:
        if not a.active:
            raise LiveError("Cet atelier est fermé.", 410)
        if a.closing:
            raise LiveError("Clôture en cours.", 409)
        if action == "clore":
            a.round_open = False
        elif action == "rouvrir":
            if a.revealed:
                raise LiveError("Les résultats de ce tour ont été montrés : ouvrez un second tour plutôt.", 409)
            a.round_open = True
        elif action == "second":
            if a.round >= 2:
                raise LiveError("Le second tour a déjà été ouvert.", 409)
            if a.round_open:
                raise LiveError("Closez d'abord le premier tour (ou révélez ses résultats).", 409)
            # each participant starts from their own notes of the first round and changes what moved
            a.votes[2] = {who: {o: replace(n) for o, n in notes.items()} for who, notes in a.votes.get(1, {}).items()}
            a.round, a.round_open, a.revealed = 2, True, False
        elif action == "reveler":
            a.revealed, a.round_open = True, False  # the room saw the results: this round's notes stay as shown
        elif action == "masquer":
            a.revealed = False
        else:
            raise LiveError("Action inconnue.", 400)
        a.save()


def remove(a: LiveAtelier, pseudonym: str) -> Participant:
    """The trainer removes a participant (a device that joined too often, someone who left): their notes go too."""
    with a.lock:
        if a.closed or a.closing:
            raise LiveError("Cet atelier est clos.", 409)
        found = next((p for p in a.participants.values() if p.pseudonym == pseudonym), None)
        if found is None:
            raise LiveError("Participant inconnu dans cet atelier.", 404)
        del a.participants[found.token]
        for per in a.votes.values():
            per.pop(found.pseudonym, None)
        a.save()
    return found


def roster(a: LiveAtelier) -> list[dict[str, Any]]:
    """The participants as the trainer sees them: pseudonym, arrival time, notes given this round (no first name)."""
    notes = a.round_votes()
    return [
        {
            "pseudonyme": p.pseudonym,
            "arrivee": time.strftime("%H:%M", time.localtime(p.joined)),
            "notes": len(notes.get(p.pseudonym, {})),
        }
        for p in sorted(a.participants.values(), key=lambda p: p.pseudonym)
    ]


def add_paper(a: LiveAtelier, path: Path, workbook=None, config=None) -> None:
    """Keep a paper scoring sheet for the close, once it has been checked with the sheets already kept and the
    live notes (`workbook` given): a sheet with an error is refused now, with its located errors, instead of
    blocking the close later. Raises LiveError (422) with the errors."""
    from .merge import plan_merge

    if workbook is not None:
        if config is None:
            raise TypeError("add_paper: the configuration (limits, catalogue) is needed to check a sheet")
        limits, catalogue = config.limits, config.catalogue
        make_way(a, [*a.paper, str(path)], limits)
        with a.lock:
            live_votes = a.as_votes(a.round)
            paper = [*a.paper, str(path)]
        plan = plan_merge(replace(workbook, votes=tuple(workbook.votes) + live_votes), paper, True, limits, catalogue)
        if not plan.ok:
            raise LiveError(
                f"Feuille « {path.name} » refusée, rien n'a été ajouté : " + " ; ".join(i.text for i in plan.errors),
                422,
            )
    with a.lock:
        if a.closed or a.closing:
            raise LiveError("Cet atelier est clos.", 409)
        a.paper.append(str(path))
        a.save()


def make_way(a: LiveAtelier, paper: list[str], limits=None) -> dict[str, str]:
    """A phone whose pseudonym is written on a kit's paper sheet (P05 on the phone, P05 on paper: two people)
    takes the next free pseudonym, everywhere (its notes of every round included); returns old -> new."""
    from .merge import typed_pseudonyms

    on_paper = typed_pseudonyms(paper, limits)
    moved: dict[str, str] = {}
    with a.lock:
        taken = (
            on_paper
            | {normalize_key(r) for r in a.reserved}
            | {normalize_key(p.pseudonym) for p in a.participants.values()}
        )
        for p in sorted(a.participants.values(), key=lambda p: p.pseudonym):
            if normalize_key(p.pseudonym) not in on_paper:
                continue
            k = 0
            while normalize_key(f"P{(k := k + 1):02d}") in taken:
                pass
            new = f"P{k:02d}"
            taken.add(normalize_key(new))
            moved[p.pseudonym] = new
            for per in a.votes.values():
                if p.pseudonym in per:
                    per[new] = per.pop(p.pseudonym)
            p.pseudonym = new
        fresh = on_paper - {normalize_key(r) for r in a.reserved}
        if fresh:  # a phone joining later never takes a pseudonym written on paper
            a.reserved = tuple(sorted({*a.reserved, *(n.upper() for n in fresh)}))
        if moved or fresh:
            a.save()
    return moved


def remove_paper(a: LiveAtelier, index: int) -> Path:
    """The trainer takes back a paper sheet added by mistake (before the close)."""
    with a.lock:
        if a.closed or a.closing:
            raise LiveError("Cet atelier est clos.", 409)
        if not 0 <= index < len(a.paper):
            raise LiveError("Feuille inconnue dans cet atelier.", 404)
        path = Path(a.paper.pop(index))
        a.save()
    shutil.rmtree(path.parent, ignore_errors=True)
    return path


def close(a: LiveAtelier, workbook, config, with_names: bool = False) -> tuple[Path, Any]:
    """Write the new workbook with the live notes of the last round and the paper sheets; then the code expires.

    The live notes are handed to `plan_merge` as votes already in the workbook, so a paper sheet that
    repeats a live participant's note is reported (`vote-deja-present`) instead of counted twice, and
    pseudonymised paper names skip the live P01, P02…; then `write_merged` writes, as `atelier merge` does.
    """
    if a.paper:
        make_way(a, list(a.paper), config.limits)  # sheets added before a phone took the same pseudonym
    with a.lock:  # from here no note changes: what was answered « enregistré » is what gets written
        if a.closed:
            raise LiveError("Cet atelier est déjà clos.", 409)
        if a.closing:
            raise LiveError("Clôture déjà en cours.", 409)
        a.closing, was_open = True, a.round_open
        a.round_open = False
        live = a.as_votes(a.round, names=with_names)
        paper = list(a.paper)
    try:
        target, merged = _write_closed(a, workbook, config, live, paper)
    except BaseException:
        with a.lock:
            a.closing, a.round_open = False, was_open
        raise
    with a.lock:
        a.closed, a.closing, a.result = True, False, str(target)
        a.save()
    return target, merged


def _write_closed(a: LiveAtelier, workbook, config, live: tuple[Vote, ...], paper: list[str]) -> tuple[Path, Any]:
    from .merge import MergePlan, Turnout, plan_merge, write_merged

    plan = plan_merge(
        replace(workbook, votes=tuple(workbook.votes) + live), paper, True, config.limits, config.catalogue
    )
    if not plan.ok:
        raise LiveError("Feuilles papier à corriger : " + " ; ".join(i.text for i in plan.errors), 422)
    if not live and not plan.votes:
        raise LiveError("Aucune note : aucun classeur écrit.", 422)
    total = len(a.items)
    counts: dict[str, int] = {}
    for v in live:
        counts[v.participant] = counts.get(v.participant, 0) + 1
    merged = MergePlan(
        votes=live + plan.votes,
        sources=("atelier en direct",) * len(live) + plan.sources,
        issues=plan.issues,
        turnout=tuple(Turnout(n, None, c, total, ("atelier en direct",)) for n, c in counts.items()) + plan.turnout,
    )
    suffix = Path(a.source).suffix.lower()
    return write_merged(a.source, merged, a.folder / f"atelier{suffix}"), merged

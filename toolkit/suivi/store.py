"""The follow-up base: one SQLite file by default, or a PostgreSQL database shared by a team.

    base = open_base("suivi.sqlite")                       # or "postgresql://user@127.0.0.1:5432/suivi"
    result = base.record(snapshot)                          # one transaction; a no-op if already recorded
    base.snapshots("Carcassonne")                           # the territory's snapshots, oldest first

Why SQLAlchemy Core: the same statements, types and bound parameters on both engines, instead of two
hand-written SQL dialects. Every workbook text reaches the database as a bound parameter.

Safety:
- SQLite runs in WAL mode with foreign keys on and a busy timeout; a write opens `BEGIN IMMEDIATE`, so two
  recorders queue instead of deadlocking, and one that waits too long gets « base occupée, réessayez ».
  PostgreSQL writers queue on a transaction-level advisory lock, with a lock timeout.
- Damage, cheaply on every opening and fully on demand. Every opening of an existing SQLite file first
  looks at it read-only: its 100-byte header (SQLite magic, page size, length against the page count it
  declares), its tables and its schema version; a file that is not a SQLite base, truncated, unreadable or
  written by a newer version is refused in French and left as it was. After that, SQLite checks each page
  it reads (`cell_size_check` on): a damaged page met while reading or recording raises SQLITE_CORRUPT,
  reported as « base endommagée », and the transaction is rolled back, so nothing is written. The full
  `PRAGMA integrity_check`, which reads the whole file (≈ 1 s for 200 MB), runs in `suivi verifier` and
  `suivi sauvegarde` (`check=True`), not before each recording.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, overload

from sqlalchemy import bindparam, create_engine, event, func, insert, inspect, select, update
from sqlalchemy.engine import Connection, CursorResult, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from . import schema as S
from .migrations import MIGRATIONS
from .texts import intern, texts_by_id

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from .snapshot import Snapshot

#: How long a writer waits for another one before giving up (seconds).
BUSY_TIMEOUT_S = 15.0
_PG_LOCK_KEY = 7_241_530_001  # advisory lock of the writers of one PostgreSQL base
_SQLITE_MAGIC = b"SQLite format 3\x00"


class SuiviError(ValueError):
    """A French message about the follow-up base."""


class BaseBusyError(SuiviError):
    """Another process holds the base longer than the busy timeout."""


class BaseDamagedError(SuiviError):
    """The file is not a SQLite base, or fails its integrity check."""


class BaseTooRecentError(SuiviError):
    """Written by a newer pilier-eco: refused, never altered."""


class BaseTooOldError(SuiviError):
    """Opened read-only at an older schema: a reader never migrates (it may hold a read-only role)."""


class NotAFileError(SuiviError):
    """The base path is a folder, a device or a pipe: refused at once (the command-line exits 2)."""


@dataclass(frozen=True)
class RecordResult:
    snapshot_id: int
    created: bool  # False: the same content was already recorded (nothing written)
    territoire: str
    date_situation: date
    enregistre_le: str
    rang: int = 0  # the snapshot's rank among its territory's, by date (1: its first) — not the base-wide id


@dataclass(frozen=True)
class SnapshotInfo:
    """One line of `historique`."""

    id: int
    territoire: str
    date_situation: date
    enregistre_le: str
    version_outil: str
    fichier: str
    indicateurs: int
    actions: int
    empreinte: str


def is_postgres(target: str | Path) -> bool:
    return isinstance(target, str) and target.split(":", 1)[0].lower() in (
        "postgresql",
        "postgres",
        "postgresql+psycopg",
    )


def display_target(target: str | Path) -> str:
    """The base as shown to users: a path, or a PostgreSQL URL without its password."""
    if is_postgres(target):
        try:
            return make_url(str(target)).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - unparsable URL: show nothing secret
            return "postgresql://…"
    return str(target)


def open_base(target: str | Path, *, create: bool = True, check: bool = False, readonly: bool = False) -> Base:
    """Open (and if needed create or migrate) the base at `target`.

    `create=False` refuses a missing SQLite file instead of creating it (reading commands);
    `check=True` first runs SQLite's full integrity check, which reads the whole file (`suivi verifier`,
    `suivi sauvegarde`); every opening checks the header, tables and schema version.
    `readonly=True` (the observatory): never creates, migrates nor writes — SQLite opened with `mode=ro` and
    `query_only`, PostgreSQL sessions with `default_transaction_read_only`, so it works under a role that
    holds SELECT only; a base at an older schema is refused with the command that upgrades it.
    """
    if not is_postgres(target):
        _refuse_special(Path(target))
    if readonly:
        return _open_readonly(target)
    if is_postgres(target):
        return _open_postgres(str(target))
    return _open_sqlite(Path(target), create=create, check=check)


def _refuse_special(path: Path) -> None:
    """A folder, a device or a pipe is refused before anything reads it: a pipe would block forever."""
    from ..io.output import OutputError, refuse_special

    try:
        refuse_special(path)
    except OutputError as exc:
        raise NotAFileError(str(exc)) from None


def _open_readonly(target: str | Path) -> Base:
    if is_postgres(target):
        url = make_url(str(target)).set(drivername="postgresql+psycopg")
        options = f"-c default_transaction_read_only=on -c lock_timeout={int(BUSY_TIMEOUT_S * 1000)}"
        engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10, "options": options})
        base = Base(engine, display_target(target), "postgresql", readonly=True)
    else:
        path = Path(target)
        if path.is_dir():
            raise SuiviError(f"{path} : c'est un dossier ; indiquez le fichier de la base (par exemple suivi.sqlite)")
        if not path.exists() or path.stat().st_size == 0:
            raise SuiviError(
                f"{path} : aucune base de suivi à cet endroit (enregistrez d'abord un classeur : "
                "pilier-eco suivi enregistrer)"
            )
        _sqlite_precheck(path, check=False)
        engine = create_engine(
            f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true",
            poolclass=NullPool,
            connect_args={"timeout": BUSY_TIMEOUT_S},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_con, _record):
            cur = dbapi_con.cursor()
            cur.execute("PRAGMA query_only = ON")
            cur.execute("PRAGMA cell_size_check = ON")
            cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            cur.close()

        base = Base(engine, str(path), "sqlite", readonly=True)
    version = base.schema_version()
    if version is None:
        base.close()
        raise SuiviError(f"{base.shown} : cette base n'est pas une base de suivi pilier-eco ; rien n'a été lu")
    _refuse_newer(base.shown, version)
    if version < S.SCHEMA_VERSION:
        base.close()
        raise BaseTooOldError(
            f"{base.shown} : base au schéma {version} (cette version lit le schéma {S.SCHEMA_VERSION}). "
            "L'observatoire ne la modifie pas : mettez-la à niveau une fois, avec un compte qui peut l'écrire, "
            f"par « pilier-eco suivi historique --base {base.shown} » (la mise à niveau se fait à l'ouverture), "
            "puis relancez."
        )
    return base


# ---------------------------------------------------------------------------------------------- SQLite


def _sqlite_header_problem(path: Path, head: bytes) -> str | None:
    """What is wrong with the 100-byte header of a SQLite file (https://sqlite.org/fileformat.html), if anything."""
    if len(head) < 100:
        return "en-tête SQLite incomplet"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"taille de page invalide ({page_size})"
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the page count is trustworthy only when these two counters agree
    wal = path.with_name(path.name + "-wal")
    if valid and pages and not (wal.exists() and wal.stat().st_size):  # with pending WAL pages, the file may lag
        size = path.stat().st_size
        if size < pages * page_size:
            return f"fichier tronqué ({size} octets au lieu de {pages * page_size})"
    return None


def _sqlite_precheck(path: Path, check: bool) -> None:
    """Read-only look at an existing file: SQLite?, header sane?, readable?, not newer than us; with `check`,
    the full integrity check. Writes nothing."""
    with path.open("rb") as fh:
        head = fh.read(100)
    if not head:
        return  # an empty file: SQLite makes it a new base
    if head[:16] != _SQLITE_MAGIC:
        raise BaseDamagedError(f"{path} : ce fichier n'est pas une base de suivi SQLite ; il n'a pas été modifié")
    problem = _sqlite_header_problem(path, head)
    if problem:
        raise BaseDamagedError(
            f"{path} : base endommagée ({problem}). Elle n'a pas été modifiée ; "
            "repartez de votre dernière sauvegarde (pilier-eco suivi sauvegarde)."
        )
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise BaseDamagedError(f"{path} : base illisible ({exc}) ; elle n'a pas été modifiée") from None
    try:
        if check:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            if rows == [("ok",)]:
                rows = [(f"clé étrangère orpheline dans {r[0]}",) for r in con.execute("PRAGMA foreign_key_check")]
            if rows and rows != [("ok",)]:
                detail = "; ".join(str(r[0]) for r in rows[:3])
                raise BaseDamagedError(
                    f"{path} : base endommagée (contrôle d'intégrité : {detail}). Elle n'a pas été modifiée ; "
                    "repartez de votre dernière sauvegarde (pilier-eco suivi sauvegarde)."
                )
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" in tables:
            row = con.execute("SELECT valeur FROM meta WHERE cle = 'schema_version'").fetchone()
            _refuse_newer(str(path), row[0] if row else None)
        elif tables:
            raise SuiviError(
                f"{path} : cette base SQLite n'est pas une base de suivi pilier-eco ; elle n'a pas été modifiée"
            )
    except sqlite3.OperationalError as exc:
        if _locked(exc):
            raise BaseBusyError(f"{path} : base occupée, réessayez dans un instant") from None
        raise BaseDamagedError(f"{path} : base endommagée ({exc}) ; elle n'a pas été modifiée") from None
    except sqlite3.DatabaseError as exc:
        raise BaseDamagedError(
            f"{path} : base endommagée ({exc}). Elle n'a pas été modifiée ; repartez de votre dernière sauvegarde."
        ) from None
    finally:
        con.close()


def _open_sqlite(path: Path, *, create: bool, check: bool) -> Base:
    if path.is_dir():
        raise SuiviError(f"{path} : c'est un dossier ; indiquez le fichier de la base (par exemple suivi.sqlite)")
    if path.exists():
        _sqlite_precheck(path, check)
    elif not create:
        raise SuiviError(
            f"{path} : aucune base de suivi à cet endroit (enregistrez d'abord un classeur : pilier-eco suivi enregistrer)"
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        # private from birth: SQLite gives its journal and WAL files the base's own permissions
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con, _record):
        dbapi_con.isolation_level = None  # we issue BEGIN ourselves (IMMEDIATE for writers)
        cur = dbapi_con.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA cell_size_check = ON")  # damaged pages detected as they are read, before they spread
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    base = Base(engine, str(path), "sqlite")
    base._migrate()
    return base


# ---------------------------------------------------------------------------------------------- PostgreSQL


def _open_postgres(target: str) -> Base:
    url = make_url(target)
    url = url.set(drivername="postgresql+psycopg")
    shown = display_target(target)
    engine = create_engine(
        url,
        poolclass=NullPool,
        connect_args={"connect_timeout": 10, "options": f"-c lock_timeout={int(BUSY_TIMEOUT_S * 1000)}"},
    )
    base = Base(engine, shown, "postgresql")
    base._migrate()
    return base


# ---------------------------------------------------------------------------------------------- the base


def _locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        "locked" in text
        or "busy" in text
        or "lock timeout" in text
        or "lock_timeout" in text
        or type(getattr(exc, "orig", None)).__name__ == "LockNotAvailable"
    )


def _corrupt(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _refuse_newer(where: str, version: object) -> None:
    try:
        v = int(str(version))
    except ValueError:
        raise BaseDamagedError(
            f"{where} : version de base illisible ({version!r}) ; la base n'a pas été modifiée"
        ) from None
    if v > S.SCHEMA_VERSION:
        raise BaseTooRecentError(
            f"{where} : cette base a été écrite par une version plus récente de pilier-eco (schéma {v}, "
            f"cette version connaît le schéma {S.SCHEMA_VERSION}). Elle n'a pas été modifiée ; "
            "mettez pilier-eco à jour pour l'utiliser."
        )


class Base:
    """An open follow-up base. Methods raise `SuiviError` subclasses with French messages."""

    def __init__(self, engine: Engine, shown: str, dialect: str, *, readonly: bool = False) -> None:
        self.engine = engine
        self.shown = shown
        self.dialect = dialect
        self.readonly = readonly
        #: (from, to) when opening brought an older base to the current schema: older versions of pilier-eco
        #: no longer read it, which a team sharing the base must hear (the command-line says it once).
        self.upgraded: tuple[int, int] | None = None

    def __enter__(self) -> Base:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions -------------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """French errors; SQLITE_CORRUPT / SQLITE_NOTADB met on the way become « base endommagée » (the
        transaction is rolled back by then: nothing was written)."""
        try:
            yield
        except DBAPIError as exc:
            if _locked(exc):
                raise BaseBusyError(f"{self.shown} : base occupée, réessayez dans un instant") from None
            if _corrupt(exc):
                raise BaseDamagedError(
                    f"{self.shown} : base endommagée ({_short(exc)}). Rien n'a été écrit et le fichier n'a pas été "
                    "modifié ; « pilier-eco suivi verifier » donne le détail ; repartez de votre dernière sauvegarde."
                ) from None
            if "permission denied" in str(exc).lower() or "readonly database" in str(exc).lower():
                raise SuiviError(
                    f"{self.shown} : droits insuffisants ({_short(exc)}). Rien n'a été écrit ; cette opération écrit "
                    "dans la base : lancez-la avec un compte qui a le droit d'écrire (l'observatoire, lui, ne fait que lire)."
                ) from None
            if isinstance(exc, OperationalError):
                raise SuiviError(f"{self.shown} : base inaccessible ({_short(exc)})") from None
            raise SuiviError(f"{self.shown} : erreur de la base ({_short(exc)})") from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: BEGIN IMMEDIATE (SQLite) or the writers' advisory lock (PostgreSQL)."""
        if self.readonly:
            raise SuiviError(f"{self.shown} : base ouverte en lecture seule ; rien n'a été écrit")
        with self._errors(), self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
                    yield conn
            finally:
                conn.info["write"] = False

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    # -- schema -------------------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        with self._read() as conn:
            if not inspect(conn).has_table("meta"):
                return None
            v = conn.execute(select(S.meta.c.valeur).where(S.meta.c.cle == "schema_version")).scalar()
            return int(v) if v is not None else None

    def _migrate(self) -> None:
        """Create a new base, or bring an older one to SCHEMA_VERSION; refuse a newer one unaltered."""
        with self._read() as conn:  # a read first: a newer base is refused before any lock or write
            if inspect(conn).has_table("meta"):
                v = conn.execute(select(S.meta.c.valeur).where(S.meta.c.cle == "schema_version")).scalar()
                _refuse_newer(self.shown, v)
                if v is not None and int(v) == S.SCHEMA_VERSION:
                    return
        with self._write() as conn:
            if not inspect(conn).has_table("meta"):
                S.metadata.create_all(conn)
                conn.execute(
                    insert(S.meta),
                    [
                        {"cle": "schema_version", "valeur": str(S.SCHEMA_VERSION)},
                        {"cle": "cree_par", "valeur": f"pilier-eco {_version()}"},
                    ],
                )
                return
            v = int(conn.execute(select(S.meta.c.valeur).where(S.meta.c.cle == "schema_version")).scalar_one())
            _refuse_newer(self.shown, v)
            migrated = v < S.SCHEMA_VERSION  # False: another process migrated it while we waited for the lock
            if migrated:
                self.upgraded = (v, S.SCHEMA_VERSION)
            while v < S.SCHEMA_VERSION:
                MIGRATIONS[v](conn)
                v += 1
            conn.execute(S.meta.update().where(S.meta.c.cle == "schema_version").values(valeur=str(v)))
        if migrated and self.dialect == "sqlite":
            self._vacuum()

    def _vacuum(self) -> None:
        """After a migration, give the space it freed back to the disk (schema 2 -> 3 on 1,600 territories ×
        7 years: 216 MB -> 84 MB, under 2 s). Optional: a base in use by others is left as it is, migrated."""
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection  # the sqlite3 connection, in autocommit (see _on_connect)
            if driver is not None:
                driver.execute("VACUUM")  # outside any transaction
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise SuiviError(f"{self.shown} : base inaccessible ({exc})") from None
        finally:
            raw.close()

    # -- writing ------------------------------------------------------------------------------------

    def record(self, snap: Snapshot) -> RecordResult:
        """Record `snap` in one transaction; if the same content is already there, write nothing."""
        return self.record_many([snap])[0]

    def record_many(self, snaps: Sequence[Snapshot]) -> list[RecordResult]:
        """Record several snapshots in one transaction (a region's workbooks, a base rebuilt from files):
        each as `record` would, a snapshot already there (same territory, same content) written once."""
        out: list[RecordResult] = []
        with self._write() as conn:
            cache: dict[str, int] = {}
            for snap in snaps:
                tid = conn.execute(select(S.territoires.c.id).where(S.territoires.c.nom == snap.territoire)).scalar()
                if tid is None:
                    tid = _new_id(conn.execute(insert(S.territoires).values(nom=snap.territoire)))
                row = conn.execute(
                    select(S.snapshots.c.id, S.snapshots.c.enregistre_le).where(
                        S.snapshots.c.territoire_id == tid, S.snapshots.c.empreinte == snap.empreinte
                    )
                ).first()
                if row is not None:
                    _complete_enjeux(conn, row.id, snap)
                    out.append(
                        RecordResult(
                            row.id,
                            False,
                            snap.territoire,
                            snap.date_situation,
                            row.enregistre_le,
                            _rank(conn, tid, row.id),
                        )
                    )
                    continue
                now = datetime.now(UTC).isoformat(timespec="seconds")
                intern(conn, _texts_of(snap), cache)
                sid = _insert_head(conn, snap, tid, now, cache)
                for table, rows in (
                    (S.indicators, snap.indicateurs),
                    (S.enjeux, snap.enjeux),
                    (S.actions, snap.actions),
                    (S.vigilance, snap.vigilance),
                ):
                    _insert_children(conn, table, sid, rows, cache)
                out.append(RecordResult(sid, True, snap.territoire, snap.date_situation, now, _rank(conn, tid, sid)))
        return out

    # -- reading ------------------------------------------------------------------------------------

    def territories(self) -> list[str]:
        with self._read() as conn:
            return list(conn.execute(select(S.territoires.c.nom).order_by(S.territoires.c.nom)).scalars())

    def history(self, territoire: str | None = None) -> list[SnapshotInfo]:
        """Every snapshot (of one territory if given), by territory then date."""
        s, t = S.snapshots, S.territoires
        # counted per snapshot through the child tables' primary key (instantane_id, ordre): one territory
        # costs its own rows only
        n_ind = select(func.count()).where(S.indicators.c.instantane_id == s.c.id).scalar_subquery()
        n_act = select(func.count()).where(S.actions.c.instantane_id == s.c.id).scalar_subquery()
        q = (
            select(
                s.c.id,
                t.c.nom,
                s.c.date_situation,
                s.c.enregistre_le,
                s.c.version_outil,
                s.c.fichier,
                n_ind,
                n_act,
                s.c.empreinte,
            )
            .join(t, t.c.id == s.c.territoire_id)
            .order_by(t.c.nom, s.c.date_situation, s.c.id)
        )
        if territoire is not None:
            q = q.where(t.c.nom == self.territory_name(territoire))
        with self._read() as conn:
            return [
                SnapshotInfo(r[0], r[1], _as_date(r[2]), r[3], r[4], r[5], int(r[6]), int(r[7]), r[8])
                for r in conn.execute(q)
            ]

    def territory_name(self, name: str) -> str:
        """The territory as stored; a French error suggesting close names when it is unknown."""
        with self._read() as conn:
            if conn.execute(select(S.territoires.c.id).where(S.territoires.c.nom == name)).first() is not None:
                return name
        names = self.territories()
        folded = {n.casefold().strip(): n for n in names}
        key = name.casefold().strip()
        if key in folded:
            return folded[key]
        # the name before the dash is the territory's own name (« Carcassonne » for « Carcassonne – 5 quartiers
        # prioritaires »); any other part of a name is never taken silently: the candidates are listed
        short = [n for n in names if n.split(" – ")[0].split(" - ")[0].strip().casefold() == key]
        if len(short) == 1:
            return short[0]
        partial = [n for k, n in folded.items() if key and key in k]
        import difflib

        close = partial[:10] or difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        hint = (
            f" ; vouliez-vous dire : {', '.join(f'« {c} »' for c in close)} ?"
            if close
            else (
                f" ; territoires présents : {', '.join(f'« {n} »' for n in names[:10])}"
                if names
                else " ; la base est vide"
            )
        )
        raise SuiviError(f"{self.shown} : aucun instantané pour le territoire « {name} »{hint}")

    def counts(self) -> tuple[int, int]:
        """(territories, snapshots) in the base."""
        with self._read() as conn:
            return (
                conn.execute(select(func.count()).select_from(S.territoires)).scalar_one(),
                conn.execute(select(func.count()).select_from(S.snapshots)).scalar_one(),
            )

    def snapshots(self, territoire: str) -> list[Snapshot]:
        """Every snapshot of one territory, oldest situation first."""
        from .snapshot import ActionState, EnjeuFigure, IndicatorFigure, Snapshot, VigilanceState

        name = self.territory_name(territoire)
        s, t = S.snapshots, S.territoires
        with self._read() as conn:
            heads = [
                dict(h)
                for h in conn.execute(
                    select(s)
                    .join(t, t.c.id == s.c.territoire_id)
                    .where(t.c.nom == name)
                    .order_by(s.c.date_situation, s.c.id)
                ).mappings()
            ]
            ids = [h["id"] for h in heads]
            kids = {tbl.name: _children(conn, tbl, ids) for tbl in (S.indicators, S.enjeux, S.actions, S.vigilance)}
            refs = [h[f"{c}_id"] for h in heads for c in S.TEXT_COLUMNS["instantanes"]]
            refs += [
                r[f"{c}_id"]
                for tbl, rows in kids.items()
                for c in S.TEXT_COLUMNS[tbl]
                for per in rows.values()
                for r in per
            ]
            texts = texts_by_id(conn, refs)
        _resolve(texts, "instantanes", heads)
        for tbl, rows in kids.items():
            for per in rows.values():
                _resolve(texts, tbl, per)
        out = []
        for h in heads:
            sid = h["id"]
            out.append(
                Snapshot(
                    territoire=name,
                    date_situation=_as_date(h["date_situation"]),
                    periode=(h["periode_debut"], h["periode_fin"]),
                    version_classeur=h["version_classeur"],
                    version_outil=h["version_outil"],
                    fichier=h["fichier"],
                    configuration=h["configuration"],
                    quartiers=tuple(tuple(q) for q in _unjson(h["quartiers"])),
                    indicateurs=tuple(IndicatorFigure(**r) for r in kids["indicateurs"].get(sid, ())),
                    enjeux=tuple(EnjeuFigure(**r) for r in kids["enjeux"].get(sid, ())),
                    actions=tuple(ActionState(**r) for r in kids["actions"].get(sid, ())),
                    vigilance=tuple(VigilanceState(**r) for r in kids["vigilance"].get(sid, ())),
                    communes=tuple(_unjson(h["communes"])) if h.get("communes") else (),
                    epci=h.get("epci"),
                    departement=h.get("departement"),
                    id=sid,
                    enregistre_le=h["enregistre_le"],
                )
            )
        return out


def _texts_of(snap: Snapshot) -> Iterator[str | None]:
    """Every text of `snap` that lives in `textes`."""
    yield snap.configuration
    yield _quartiers(snap)
    for table in ("indicateurs", "enjeux", "actions", "vigilance"):
        cols = S.TEXT_COLUMNS[table]
        for x in getattr(snap, table):
            yield from (getattr(x, c) for c in cols)


def _quartiers(snap: Snapshot) -> str:
    return _json(list(map(list, snap.quartiers)))


def _refs(table: str, row: dict[str, object], cache: dict[str, int]) -> dict[str, object]:
    """`row` with its TEXT_COLUMNS replaced by their ids in `textes` (already interned in `cache`)."""
    for c in S.TEXT_COLUMNS[table]:
        v = row.pop(c)
        row[f"{c}_id"] = None if v is None else cache[str(v)]  # a text column holds str
    return row


def _resolve(texts: dict[int, str], table: str, rows: list[dict]) -> None:
    """Back from ids to texts, in place."""
    for r in rows:
        for c in S.TEXT_COLUMNS[table]:
            ref = r.pop(f"{c}_id")
            r[c] = None if ref is None else texts[ref]


def _insert_head(conn: Connection, snap: Snapshot, tid: int, now: str, cache: dict[str, int]) -> int:
    row = _refs(
        "instantanes",
        {
            "territoire_id": tid,
            "empreinte": snap.empreinte,
            "enregistre_le": now,
            "date_situation": snap.date_situation,
            "periode_debut": snap.periode[0],
            "periode_fin": snap.periode[1],
            "version_classeur": snap.version_classeur,
            "version_outil": snap.version_outil,
            "fichier": snap.fichier,
            "configuration": snap.configuration,
            "quartiers": _quartiers(snap),
            "communes": _json(list(snap.communes)) if snap.communes else None,
            "epci": snap.epci,
            "departement": snap.departement,
        },
        cache,
    )
    return _new_id(conn.execute(insert(S.snapshots).values(**row)))


def _insert_children(conn: Connection, table, sid: int, items, cache: dict[str, int]) -> None:
    if not items:
        return
    rows = [_refs(table.name, {"instantane_id": sid, "ordre": i, **_fields(x)}, cache) for i, x in enumerate(items)]
    conn.execute(insert(table), rows)


def _complete_enjeux(conn: Connection, sid: int, snap: Snapshot) -> None:
    """A snapshot recorded before schema 7 has no enjeux per action: the same workbook recorded again (same
    content, same hash) gives them, written where they are missing — nothing else of the snapshot changes."""
    a = S.actions
    rows = [{"sid": sid, "k": x.cle, "e": x.enjeux} for x in snap.actions if x.enjeux]
    if rows:
        conn.execute(
            update(a)
            .where(a.c.instantane_id == bindparam("sid"), a.c.cle == bindparam("k"), a.c.enjeux.is_(None))
            .values(enjeux=bindparam("e")),
            rows,
        )


def _rank(conn, tid: int, sid: int) -> int:
    """The rank of snapshot `sid` among its territory's, in `history` order (date of the situation, then id)."""
    s = S.snapshots
    ids = conn.execute(select(s.c.id).where(s.c.territoire_id == tid).order_by(s.c.date_situation, s.c.id)).scalars()
    return next((i for i, x in enumerate(ids, 1) if x == sid), 0)


def _new_id(result: CursorResult) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    if key is None:
        raise SuiviError("la base n'a pas donné d'identifiant à la ligne insérée")
    return int(key[0])


def _fields(x: DataclassInstance) -> dict[str, object]:
    return {f.name: getattr(x, f.name) for f in fields(x)}  # one level, unlike asdict


def _children(conn: Connection, table, ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    if not ids:
        return out
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        q = select(table).where(table.c.instantane_id.in_(chunk)).order_by(table.c.instantane_id, table.c.ordre)
        for r in conn.execute(q).mappings():
            d = dict(r)
            sid = d.pop("instantane_id")
            d.pop("ordre")
            for k, v in d.items():
                if k in ("debut_prevu", "fin_prevue", "date_demarrage"):
                    d[k] = _as_date(v)
                elif k == "illustratif":
                    d[k] = bool(v)
            out.setdefault(sid, []).append(d)
    return out


@overload
def _as_date(v: None) -> None: ...
@overload
def _as_date(v: date | str) -> date: ...
@overload
def _as_date(v: object) -> date | None: ...
def _as_date(v: object) -> date | None:
    """A date as the database gives it back: a date, a datetime (PostgreSQL) or ISO text (SQLite)."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def _json(x: object) -> str:
    import json

    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))


def _unjson(s: str) -> list:
    import json

    return json.loads(s)


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(orig).strip().splitlines()[0][:300] if str(orig).strip() else type(orig).__name__


def _version() -> str:
    from .. import __version__

    return __version__


__all__ = [
    "Base",
    "BaseBusyError",
    "BaseDamagedError",
    "BaseTooOldError",
    "BaseTooRecentError",
    "NotAFileError",
    "RecordResult",
    "SnapshotInfo",
    "SuiviError",
    "display_target",
    "is_postgres",
    "open_base",
]

"""Slow work (PDF renders, workshop kits and merges) in a bounded pool of processes, one job per process.

The pool is `workers` single-process `ProcessPoolExecutor`s fed from one queue, rather than one executor
with `workers` processes: when a process dies (killed, out of memory), `concurrent.futures` breaks the
whole executor and fails every job it holds; with one process per executor only the job that process
was running fails, with a French message, and that slot gets a fresh executor while the others go on.
Memory is bounded by the number of processes (`max_tasks_per_child` also recycles them now and then);
the queue is bounded by `max_queued` (beyond it a request gets « serveur occupé »).

Shares of the queue (beyond one, 429 with a French message; docs/web.md § Modèle de sécurité):
a session keeps at most `per_session` jobs waiting; a client address at most `per_address` jobs waiting or
running, all its sessions together (a training room behind one NAT address: one job per person fits); and
calls that carry no session cookie (each would be a new session, with a share of its own) count as ONE
session per address: at most `per_session` of their jobs waiting or running.

Checks (and the quick diagnostic that follows one) run in a `QuickPool`: each in a fresh child forked
from a preloaded fork server, with its address space capped, so a large workbook's memory is given back
to the system the moment its check ends, and the server's event loop (the phones' votes) never waits on it.
Every child of the server (render or check) ends with the server, even on SIGKILL (`work.init_worker`).

Workers report their step by writing `progress.json` in the job's folder (a process cannot share Python
objects with the server); `status` reads it when asked.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import work

KILLED = (
    "Le processus de rendu s'est arrêté brutalement (arrêt forcé ou mémoire insuffisante) : ce travail "
    "a échoué et n'a rien produit. Relancez-le ; le reste du serveur fonctionne normalement."
)
INTERNAL = "Erreur interne pendant le travail ({}) : rien n'a été produit. Relancez-le ou signalez-la."
BUSY = "Le serveur est occupé ({} travaux en attente) : réessayez dans une minute."
YOUR_SHARE = (
    "Vous avez déjà {} travaux en attente sur ce serveur : attendez qu'ils se terminent (les autres "
    "personnes gardent leur part de la file), puis relancez."
)
ADDRESS_SHARE = (
    "Votre réseau a déjà {} travaux en cours ou en attente sur ce serveur (une salle entière derrière la même "
    "adresse ?) : réessayez dans une minute, quand l'un d'eux sera terminé. Les autres réseaux gardent leur "
    "part de la file."
)
ANONYMOUS_SHARE = (
    "Cette adresse a déjà {} travaux en cours ou en attente lancés sans cookie de session (chaque appel sans "
    "cookie serait une nouvelle session) : attendez qu'ils se terminent, ou gardez le cookie entre vos appels "
    "(curl -c jar -b jar, voir GET /api/session) pour avoir la part d'une session."
)
TOO_HEAVY = (
    "Ce classeur demande trop de mémoire pour être lu sur ce serveur : allégez-le (lignes ou feuilles "
    "inutiles, images) puis déposez-le de nouveau."
)
#: Address space of one check process: a workbook that needs more is refused, the server is not at risk.
CHECK_MEMORY_BYTES = 2 * 1024**3

STATES = {
    "en_attente": "En attente d'un processus libre",
    "en_cours": "En cours",
    "termine": "Terminé",
    "echec": "Échec",
}


#: States of a job that holds a place: waiting for a process, or running in one.
LIVE = ("en_attente", "en_cours")


class Busy(Exception):
    """Too many jobs waiting, all clients together (503); the message is French."""

    status = 503


class OverShare(Busy):
    """This session's, address's or cookieless calls' share of the queue is taken (429); the message is French."""

    status = 429


@dataclass
class Download:
    path: Path
    name: str  # file name proposed to the browser
    label: str  # « Rapport PDF »


@dataclass
class Job:
    id: str
    sid: str  # owning session: no other session can see the job
    kind: str  # "diagnostic" | "comparaison" | "kit" | "fusion"
    folder: Path
    title: str = ""
    state: str = "en_attente"
    message: str = ""
    summary: str = ""
    files: dict[str, Download] = field(default_factory=dict)
    pending: tuple[str, ...] = ()  # downloads the job will add when done (shown as « en préparation »)
    preview: Path | None = None
    details: dict[str, Any] = field(default_factory=dict)  # warnings, turnout…
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    address: str = ""  # client address of the request that made it (memory only): its network's share
    anonymous: bool = False  # made by a call without a session cookie: those share one session's share

    def progress(self) -> dict[str, Any]:
        """What the worker last wrote: step label, its pid, and the fraction done."""
        try:
            return json.loads((self.folder / work.PROGRESS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def _new_executor() -> ProcessPoolExecutor:
    # spawn: the server runs threads and an event loop, which a forked child must not inherit
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=work.init_worker,
        max_tasks_per_child=50,
    )


class QuickPool:
    """Checks and quick diagnostics, each in a fresh process forked from a preloaded fork server."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def _new(self) -> ProcessPoolExecutor:
        ctx: multiprocessing.context.BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            multiprocessing.set_forkserver_preload(["toolkit", "toolkit.web.work", "toolkit.web._forkserver"])
        else:  # Windows: no fork server; a spawned process per check (slower start, same bounds)
            ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=work.init_check_worker,
            initargs=(CHECK_MEMORY_BYTES,),
            max_tasks_per_child=1,  # a fresh process per check: its memory goes back to the system at once
        )

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._executor is None:
            self._executor = self._new()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn, *args)
        except (BrokenProcessPool, MemoryError):
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            raise work.JobFailure(TOO_HEAVY) from None

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


class JobRunner:
    def __init__(self, workers: int, max_queued: int = 64, per_session: int = 8, per_address: int = 24) -> None:
        self.workers = workers
        self.max_queued = max_queued
        self.per_session = per_session
        self.per_address = per_address
        self.quick = QuickPool(min(2, workers))
        self.jobs: dict[str, Job] = {}
        self._executors: list[ProcessPoolExecutor] = []
        self._warmed = False
        self._queue: asyncio.Queue | None = None
        self._tasks: list[asyncio.Task] = []
        self._pdf_seconds = 8.0  # running estimate of a render, for the progress bar

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._executors = [_new_executor() for _ in range(self.workers)]
        self._tasks = [asyncio.create_task(self._slot(i)) for i in range(self.workers)]

    def warm(self) -> None:
        """Start the render processes now, in the background, so that the first PDF does not pay the
        imports and fontconfig (≈ 1.5 s of CPU each). Called when someone opens a form that leads to a
        render, not at server start: a server started for a live atelier, the follow-up or the
        observatory never spends two cores' worth of seconds on a render stack it may never use (and
        the observatory's first view at start is not slowed by it). Idempotent."""
        if self._warmed or self._queue is None:
            return
        self._warmed = True
        loop = asyncio.get_running_loop()
        for ex in self._executors:
            loop.run_in_executor(ex, work.ping).add_done_callback(lambda f: f.cancelled() or f.exception())

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for ex in self._executors:
            ex.shutdown(wait=False, cancel_futures=True)
        self.quick.stop()

    # ------------------------------------------------------------------ jobs

    def new_job(
        self, sid: str, kind: str, folder: Path, title: str = "", address: str = "", anonymous: bool = False
    ) -> Job:
        job = Job(secrets.token_hex(16), sid, kind, folder, title, address=address, anonymous=anonymous)
        self.jobs[job.id] = job
        return job

    def submit(self, job: Job, fn: Callable[..., dict], *args: Any) -> Job:
        """Queue `fn(*args)` (a function of `toolkit.web.work`) for a render process."""
        assert self._queue is not None, "JobRunner.start() not called"
        mine = sum(1 for j in self.jobs.values() if j.sid == job.sid and j.state == "en_attente" and j is not job)
        if mine >= self.per_session:
            self._refuse(job, YOUR_SHARE.format(mine))
        if job.address:
            network = [j for j in self.jobs.values() if j.address == job.address and j.state in LIVE and j is not job]
            cookieless = sum(1 for j in network if j.anonymous)
            if job.anonymous and cookieless >= self.per_session:
                self._refuse(job, ANONYMOUS_SHARE.format(cookieless))
            if len(network) >= self.per_address:
                self._refuse(job, ADDRESS_SHARE.format(len(network)))
        if self._queue.qsize() >= self.max_queued:
            job.state, job.message = "echec", BUSY.format(self._queue.qsize())
            raise Busy(job.message)
        self._queue.put_nowait((job, fn, args))
        return job

    @staticmethod
    def _refuse(job: Job, message: str) -> None:
        job.state, job.message = "echec", message
        raise OverShare(message)

    def get(self, sid: str, job_id: str) -> Job | None:
        """The job if it belongs to session `sid`; None otherwise (same answer as for an unknown id)."""
        job = self.jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.sid, sid) else None

    def forget_sessions(self, sids: list[str]) -> None:
        gone = set(sids)
        for jid in [j.id for j in self.jobs.values() if j.sid in gone]:
            del self.jobs[jid]

    def estimate(self, job: Job) -> float:
        """Fraction done (0–1): steps done, and within a render the elapsed share of a typical render."""
        if job.state == "termine":
            return 1.0
        if job.state != "en_cours" or job.started is None:
            return 0.05
        p = job.progress()
        start, span = float(p.get("debut", 0.1)), float(p.get("part", 0.8))
        since = time.time() - float(p.get("depuis", job.started))
        return min(0.97, start + span * min(1.0, since / max(self._pdf_seconds, 1.0)))

    async def _slot(self, i: int) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            job, fn, args = await self._queue.get()
            job.state, job.started = "en_cours", time.time()
            try:
                result = await loop.run_in_executor(self._executors[i], fn, *args)
            except BrokenProcessPool:
                job.state, job.message = "echec", KILLED
                self._executors[i].shutdown(wait=False, cancel_futures=True)
                self._executors[i] = _new_executor()
            except work.JobFailure as exc:
                job.state, job.message = "echec", str(exc)
            except Exception as exc:  # noqa: BLE001 - one job's failure never stops the slot
                job.state, job.message = "echec", INTERNAL.format(type(exc).__name__)
            else:
                self._finish(job, result)
            finally:
                job.finished = time.time()
                self._queue.task_done()

    def _finish(self, job: Job, result: dict) -> None:
        for key, (path, name, label) in result.get("fichiers", {}).items():
            job.files[key] = Download(Path(path), name, label)
        job.details.update(result.get("details", {}))
        job.summary = result.get("resume", job.summary)
        if result.get("erreur"):
            job.state, job.message = "echec", result["erreur"]
        else:
            job.state = "termine"
        if job.kind in ("diagnostic", "comparaison") and job.started:
            self._pdf_seconds = 0.7 * self._pdf_seconds + 0.3 * (time.time() - job.started)
        job.pending = ()

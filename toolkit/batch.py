"""Diagnosing a whole folder of workbooks in parallel, one file never stopping the others.

    files = find_workbooks("classeurs/")                 # .xlsx, .ods, .xlsm of that folder (not recursive)
    jobs = plan_jobs(files, "rapports/")                 # output names: slug of the file stem, deduplicated
    results = run_batch(jobs, workers=4, on_done=print)  # one FileResult per file, never an exception

Re-running on the same folder renders only what changed: `plan_reuse` compares a digest of each file's
inputs (workbook bytes, configuration, user catalogues, theme, tool version and its packaged data and
templates) with the manifest left next to the outputs (`MANIFEST_NAME`), and `record` updates it.

Each worker process imports the heavy stack (pandas, WeasyPrint, the report templates) once, in its
initializer, and then serves many files. Everything that can go wrong with one file — unreadable, errors
in the workbook, a crash while rendering — is caught in the worker and returned as a status value; a
worker process that dies (killed, out of memory) marks only its pending files as failed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import callable_module
from .config import Config
from .report.theme import Theme
from .text import slugify

WORKBOOK_SUFFIXES = (".xlsx", ".ods", ".xlsm")
Status = Literal["ok", "inchangé", "erreurs", "illisible", "échec"]
STATUS_LABELS = {
    "ok": "rapport écrit",
    "inchangé": "inchangé (déjà à jour)",
    "erreurs": "erreurs dans le classeur",
    "illisible": "fichier illisible",
    "échec": "échec du traitement",
}
#: Next to the outputs: for each workbook, the digest of its inputs and the outputs written from them.
MANIFEST_NAME = ".pilier-eco-lot.json"


@dataclass(frozen=True)
class Job:
    source: Path
    pdf: Path
    html: Path | None = None
    docx: Path | None = None  # the report in Word (--docx)
    pptx: Path | None = None  # the comité deck (--pptx)

    @property
    def outputs(self) -> list[Path]:
        return [self.pdf, *(p for p in (self.html, self.docx, self.pptx) if p is not None)]


@dataclass(frozen=True)
class FileResult:
    source: str  # file name
    status: Status
    errors: int = 0
    warnings: int = 0
    outputs: tuple[str, ...] = ()
    message: str = ""  # French: the first errors, or what failed

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "inchangé")


def find_workbooks(folder: str | Path) -> tuple[Path, ...]:
    """The workbooks directly in `folder`, sorted by name; office lock files and hidden files are skipped."""
    folder = Path(folder)
    return tuple(
        sorted(
            (
                p
                for p in folder.iterdir()
                if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith((".", "~$"))
            ),
            key=lambda p: p.name.casefold(),
        )
    )


def plan_jobs(
    files: Sequence[Path], out_dir: str | Path, html: bool = False, docx: bool = False, pptx: bool = False
) -> tuple[Job, ...]:
    """One job per file: `OUT/<slug>.pdf`, then `<slug>-2.pdf`… when two stems give the same slug."""
    out_dir = Path(out_dir)
    used: set[str] = set()
    jobs = []
    for f in files:
        base = slugify(f.stem, default="classeur")
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}-{k}"
        used.add(name)
        jobs.append(
            Job(
                f,
                out_dir / f"{name}.pdf",
                out_dir / f"{name}.html" if html else None,
                out_dir / f"{name}.docx" if docx else None,
                out_dir / f"{name}-comite.pptx" if pptx else None,
            )
        )
    return tuple(jobs)


# ------------------------------------------------------------------------------------------- worker side


def init_worker() -> None:
    """Import once per process what every file needs, and compile the report templates."""
    import gc
    import logging

    import weasyprint  # noqa: F401 - the slow import, paid once per worker

    from . import diagnostic, validate  # noqa: F401 - imported once per worker, before the first file
    from .report import render

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    env = render.environment()
    env.get_template("report.html")
    env.get_template("report.css")
    gc.freeze()  # what was imported is never garbage: keep it out of every collection (docs/performance.md)


def _first_errors(report, n: int = 3) -> str:
    lines = [i.format() for i in report.errors[:n]]
    more = len(report.errors) - n
    from .report.formatting import plural

    return " | ".join(lines) + (f" | … et {plural(more, 'autre')}" if more > 0 else "")


def process_one(job: Job, config: Config, theme: Theme | None = None) -> FileResult:
    """Check, diagnose and render one workbook; never raises (every failure becomes a FileResult)."""
    name = job.source.name
    try:
        from .diagnostic import diagnose
        from .report import render_docx, render_html, render_pdf, render_pptx
        from .validate import check

        report = check(job.source, config)
        if not report.readable:
            return FileResult(name, "illisible", len(report.errors), 0, (), _first_errors(report))
        if not report.ok or report.workbook is None:
            return FileResult(name, "erreurs", len(report.errors), len(report.warnings), (), _first_errors(report))
        diag = diagnose(report.workbook, config, report=report)
        render_pdf(diag, job.pdf, theme, detailed=config.report.actions_detaillees)
        outputs = [str(job.pdf)]
        for path, render in ((job.html, render_html), (job.docx, render_docx), (job.pptx, render_pptx)):
            if path is not None:
                render(diag, path, theme, detailed=config.report.actions_detaillees)
                outputs.append(str(path))
        return FileResult(name, "ok", 0, len(report.warnings), tuple(outputs))
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return FileResult(name, "échec", 0, 0, (), _unexpected(exc))


# ------------------------------------------------------------------------------------------- parent side


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_batch(
    jobs: Sequence[Job],
    workers: int | None = None,
    config: Config | None = None,
    theme: Theme | None = None,
    on_done: Callable[[FileResult], None] | None = None,
) -> tuple[FileResult, ...]:
    """Process every job with a pool of `workers` processes; results come back in the order of `jobs`.
    `config` None: the documented defaults, `Config()` (resolved here, once, and given to every file)."""
    config = config if config is not None else Config()
    workers = max(1, min(workers or default_workers(), len(jobs) or 1))
    results: dict[int, FileResult] = {}

    def done(i: int, r: FileResult) -> None:
        results[i] = r
        if on_done is not None:
            on_done(r)

    if not jobs:
        return ()
    crashed = _run_pool(jobs, range(len(jobs)), workers, config, theme, done)
    for i in crashed:  # a worker died: retry each unfinished file alone, so only the culprit fails
        if _run_pool(jobs, [i], 1, config, theme, done):
            done(
                i,
                FileResult(
                    jobs[i].source.name,
                    "échec",
                    message="le processus de traitement s'est arrêté "
                    "brutalement sur ce fichier (mémoire insuffisante ou fichier pathologique ?)",
                ),
            )
    return tuple(results[i] for i in range(len(jobs)))


def _run_pool(
    jobs: Sequence[Job],
    indices: Iterable[int],
    workers: int,
    config: Config,
    theme: Theme | None,
    done: Callable[[int, FileResult], None],
) -> list[int]:
    """Run `indices` of `jobs` in one pool; return those left unfinished because a worker process died."""
    crashed: list[int] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:
        pending: dict[Future, int] = {pool.submit(process_one, jobs[i], config, theme): i for i in indices}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = pending.pop(fut)
                try:
                    done(i, fut.result())
                except BrokenProcessPool:
                    crashed.append(i)
                except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                    done(i, FileResult(jobs[i].source.name, "échec", message=_unexpected(exc)))
    return sorted(crashed)


def failed(results: Iterable[FileResult]) -> tuple[FileResult, ...]:
    return tuple(r for r in results if not r.ok)


def _unexpected(exc: BaseException) -> str:
    """A crash told in French, without the Python class name (the library's own message, when it has one)."""
    detail = str(exc).strip()
    what = "mémoire insuffisante" if isinstance(exc, MemoryError) else "erreur inattendue pendant le traitement"
    return (
        what
        + (f" : {detail}" if detail else "")
        + " (relancez ce classeur seul avec pilier-eco diagnose pour le détail)"
    )[:300]


# ------------------------------------------------------------------------------------- unchanged inputs


def _tool_digest() -> str:
    """The tool version plus its packaged data and templates: a new release or catalogue renders again."""
    from . import __version__
    from .resources import data_dir, templates_dir

    h = hashlib.sha256(__version__.encode())
    for root in (data_dir(), templates_dir()):
        for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _file_bytes(path: str | Path | None) -> bytes:
    try:
        return Path(path).read_bytes() if path else b""
    except OSError:
        return b"?"


def input_digests(jobs: Sequence[Job], config: Config, theme: Theme | None = None) -> list[str]:
    """One digest per job of everything its outputs depend on."""
    from .report.theme import DEFAULT_THEME

    theme = theme or DEFAULT_THEME  # None and the default theme render the same
    common = hashlib.sha256(_tool_digest().encode())
    common.update(repr(config).encode())
    for f in config.catalogues.files:
        common.update(_file_bytes(f))
    common.update(repr(theme).encode())
    out = []
    for job in jobs:
        h = common.copy()
        h.update(repr(tuple(o.name for o in job.outputs)).encode())
        h.update(_file_bytes(job.source))
        out.append(h.hexdigest())
    return out


def _read_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return data["fichiers"] if isinstance(data.get("fichiers"), dict) else {}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}  # absent or damaged: everything is rendered again


def plan_reuse(jobs: Sequence[Job], digests: Sequence[str], out_dir: str | Path) -> list[FileResult | None]:
    """For each job, a ready "inchangé" result when its inputs and outputs are those of the manifest, else None."""
    known = _read_manifest(Path(out_dir))
    reuse: list[FileResult | None] = []
    for job, digest in zip(jobs, digests, strict=False):
        entry = known.get(job.source.name)
        outputs = job.outputs
        if isinstance(entry, dict) and entry.get("empreinte") == digest and all(o.is_file() for o in outputs):
            reuse.append(
                FileResult(
                    job.source.name, "inchangé", 0, int(entry.get("avertissements", 0)), tuple(str(o) for o in outputs)
                )
            )
        else:
            reuse.append(None)
    return reuse


def record(out_dir: str | Path, jobs: Sequence[Job], digests: Sequence[str], results: Sequence[FileResult]) -> None:
    """Write the manifest (atomically): the files whose outputs are now up to date, with their digest."""
    from .io.output import atomic_write_text

    out_dir = Path(out_dir)
    known = _read_manifest(out_dir)
    for job, digest, r in zip(jobs, digests, results, strict=False):
        if r.ok:
            known[job.source.name] = {
                "empreinte": digest,
                "avertissements": r.warnings,
                "sorties": [Path(o).name for o in r.outputs],
            }
        else:
            known.pop(job.source.name, None)
    if known or (out_dir / MANIFEST_NAME).exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(
            out_dir / MANIFEST_NAME,
            json.dumps({"version": 1, "fichiers": known}, ensure_ascii=False, indent=1, sort_keys=True),
        )


@dataclass(frozen=True)
class BatchPlan:
    """What a run of `batch` will do, known before it starts: the jobs, the digest of each one's inputs,
    and the result kept from the last run for each unchanged file (None: to process)."""

    out_dir: Path
    jobs: tuple[Job, ...]
    digests: tuple[str, ...]
    reused: tuple[FileResult | None, ...]
    config: Config
    theme: Theme | None = None

    @property
    def todo(self) -> tuple[Job, ...]:
        return tuple(j for j, r in zip(self.jobs, self.reused, strict=False) if r is None)


def plan_batch(
    folder: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    theme: Theme | None = None,
    html: bool = False,
    force: bool = False,
    docx: bool = False,
    pptx: bool = False,
) -> BatchPlan:
    """The plan of `batch`: every workbook of `folder`, and which of them are unchanged since the last run.
    `config` None: the documented defaults, `Config()`, resolved here for the whole run."""
    config = config if config is not None else Config()
    jobs = plan_jobs(find_workbooks(folder), out_dir, html=html, docx=docx, pptx=pptx)
    digests = input_digests(jobs, config, theme)
    reused = [None] * len(jobs) if force else plan_reuse(jobs, digests, out_dir)
    return BatchPlan(Path(out_dir), tuple(jobs), tuple(digests), tuple(reused), config, theme)


def run_plan(
    plan: BatchPlan, workers: int | None = None, on_done: Callable[[FileResult], None] | None = None
) -> tuple[FileResult, ...]:
    """Process what `plan` left to do, then record the manifest; one result per job, in the plan's order."""
    fresh = iter(run_batch(plan.todo, workers, plan.config, plan.theme, on_done))
    results = tuple(r if r is not None else next(fresh) for r in plan.reused)
    record(plan.out_dir, plan.jobs, plan.digests, results)
    return results


def batch(
    folder: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    theme: Theme | None = None,
    html: bool = False,
    workers: int | None = None,
    force: bool = False,
    on_done: Callable[[FileResult], None] | None = None,
    docx: bool = False,
    pptx: bool = False,
) -> tuple[FileResult, ...]:
    """Every workbook directly in `folder` diagnosed into `out_dir` (PDF, and HTML, Word, comité deck with `html`,
    `docx`, `pptx`), in parallel,
    as `pilier-eco batch` does — `pe.batch(...)`: one `FileResult` per file in name order, never an exception
    for a bad file; a file whose inputs are unchanged since the last run is not redone (status « inchangé »)
    unless `force`. The command line runs the same two steps (`plan_batch`, `run_plan`) with a progress bar."""
    plan = plan_batch(folder, out_dir, config, theme, html=html, force=force, docx=docx, pptx=pptx)
    return run_plan(plan, workers, on_done)


callable_module(__name__, batch)

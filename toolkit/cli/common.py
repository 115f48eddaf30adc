"""Steps several commands share: read the settings, refuse an unusable workbook, vet the output paths.

Each helper prints its French message and exits with the command's code, so every command refuses the
same situations with the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..io.output import os_reason

if TYPE_CHECKING:
    from datetime import date

    from ..config import Config
    from ..model import CheckReport, Workbook
    from ..report.theme import Theme


def load_settings(config: Path | None, theme: Path | None = None) -> tuple[Config, Theme]:
    """The configuration (with its catalogue) and the theme, defaults when not given; exit 2 with a French
    message when one is bad."""
    from ..config import ConfigError, load_config
    from ..report.theme import ThemeError, load_theme

    try:
        cfg, thm = load_config(config), load_theme(theme)
    except (ConfigError, ThemeError) as exc:
        typer.echo(f"Configuration : {exc}", err=True)
        raise typer.Exit(2) from None
    return cfg, thm


def echo_report(report: CheckReport, warnings: bool = True) -> None:
    from .check import report_lines

    for line in report_lines(report, warnings):
        typer.echo(line, err=True)


def usable_report(path: Path, cfg: Config, refusal: str, today: date | None = None) -> tuple[CheckReport, Workbook]:
    """`check` the workbook (at the report's date `today`, default the system date); if it is not usable,
    print every issue and `refusal`, and exit 1 (2 if unreadable).

    Returns the report (for the data-quality annex) and its workbook."""
    from ..validate import check

    report = check(path, cfg, today)
    if not report.ok or report.workbook is None:
        echo_report(report)
        typer.echo(refusal, err=True)
        raise typer.Exit(report.exit_code or 1)
    return report, report.workbook


FORCE_HELP = "Écraser les fichiers de sortie qui existent déjà."


def output_targets(
    wanted: Mapping[str, Path | None],
    inputs: Iterable[Path | None],
    force: bool | None = None,
) -> dict[str, Path]:
    """Vetted output paths (never an input, never twice the same: exit 2), and — the same rule for every
    command that writes — never an existing file unless `force` (exit 1), each with a French message.
    `force=None`: the caller checks existing files itself (`suivi`, which also vets its CSV folder)."""
    from ..io.output import OutputError, check_distinct, check_output_path

    sources = [p for p in inputs if p is not None]
    try:
        targets = {kind: check_output_path(path, sources) for kind, path in wanted.items() if path is not None}
        check_distinct(targets.values())
    except OutputError as exc:
        typer.echo(f"Sortie refusée : {exc}", err=True)
        raise typer.Exit(2) from None
    if force is False:
        refuse_existing(targets.values(), force)
    return targets


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """Unless `force`, exit 1 naming every path that exists: an existing output is a refusal, never overwritten."""
    existing = [] if force else [p for p in paths if Path(p).exists()]
    if existing:
        for p in existing:
            typer.echo(f"{p} existe déjà.", err=True)
        typer.echo(
            "Rien n'a été écrit : choisissez un autre nom, ou ajoutez --force pour écraser "
            f"{'ces fichiers' if len(existing) > 1 else 'ce fichier'}.",
            err=True,
        )
        raise typer.Exit(1)


Job = tuple[str, Path, Callable[[Path], object]]


def write_outputs(jobs: Iterable[Job], alongside: Sequence[Job] = ()) -> None:
    """Run each `(label, path, writer)` in turn, printing `Écrit (label) : path` as each lands.

    `alongside` (the Word report, the deck, the note) run at the same time in a copy of this process when the
    machine has a second core and nothing else runs in this one (`_forkable`): they then cost no waiting
    beyond the PDF's (docs/performance.md); otherwise they follow `jobs`, in order. On a write failure, what
    was already written stays listed and the command exits 1 with a French message.
    """
    child = _start_alongside(alongside) if alongside and _forkable() else None
    for job in (*jobs, *(alongside if child is None else ())):
        _write_one(*job)
    if child is not None:
        _finish_alongside(*child)


def write_failure(exc: OSError) -> str:
    """« Écriture impossible : chemin (raison en français) »: what every writing command says on an OSError."""
    return f"Écriture impossible : {exc.filename or ''} ({os_reason(exc)})"


def _write_one(label: str, path: Path, writer: Callable[[Path], object]) -> None:
    try:
        writer(path)
    except OSError as exc:
        typer.echo(write_failure(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Écrit ({label}) : {path}")


def _forkable() -> bool:
    """A copy of the process (fork) is safe and useful: POSIX, a second core, and no other thread that could
    hold a lock at the moment of the copy (a test runner's or a server's threads: then one after the other)."""
    import multiprocessing
    import os
    import threading

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def _start_alongside(jobs: Sequence[Job]) -> tuple[Any, Any, Sequence[Job]]:
    """Fork a process that writes `jobs` and reports each outcome through a pipe: (« ok » | « os » | « bug »)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        for label, path, writer in jobs:
            try:
                writer(path)
            except OSError as exc:
                send.send(("os", write_failure(exc)))
                return
            except Exception as exc:  # noqa: BLE001 - sent back, raised again in the parent as it would have been
                send.send(("bug", exc))
                return
            send.send(("ok", f"Écrit ({label}) : {path}"))

    process = context.Process(target=run, daemon=True)
    process.start()
    send.close()
    return process, receive, jobs


def _finish_alongside(process: Any, receive: Any, jobs: Sequence[Job]) -> None:
    """Print what the copy wrote, in order; its failure is the command's, as if written here."""
    try:
        for _ in jobs:
            try:
                kind, what = receive.recv()
            except EOFError:
                typer.echo("Écriture impossible : le processus des documents s'est arrêté brutalement.", err=True)
                raise typer.Exit(1) from None
            if kind == "os":
                typer.echo(what, err=True)
                raise typer.Exit(1)
            if kind == "bug":
                raise what
            typer.echo(what)
    finally:
        process.join()
        receive.close()

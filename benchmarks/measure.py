"""Timing whole processes: wall time, peak RSS (own and per pool worker) and `-X importtime` parsing."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    returncode: int
    maxrss_mb: float  # peak RSS of the process and of the descendants it waited for (wait4)
    stderr: str = ""
    worker_peaks_mb: dict[int, float] = field(default_factory=dict)  # child pid -> VmHWM (Linux /proc)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run(cmd: list[str], *, cwd: Path | None = None, watch_children: bool = False, env: dict | None = None) -> Run:
    """Run `cmd` to completion; with `watch_children`, poll the peak RSS (VmHWM) of each direct child."""
    peaks: dict[int, float] = {}
    with open(os.devnull, "wb") as devnull, _TempText() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=devnull, stderr=err.fh, env=env)
        stop = threading.Event()
        if watch_children:

            def poll() -> None:
                while not stop.is_set():
                    for c in _children(proc.pid):
                        hwm = _hwm_mb(c)
                        if hwm is not None:
                            peaks[c] = max(peaks.get(c, 0.0), hwm)
                    stop.wait(0.1)

            watcher = threading.Thread(target=poll, daemon=True)
            watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        stop.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        text = err.read()
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, text, peaks)


def best_of(cmd: list[str], n: int, **kw) -> tuple[Run, list[float]]:
    """The fastest of `n` runs (the least disturbed by other load) and every time."""
    runs = [run(cmd, **kw) for _ in range(n)]
    return min(runs, key=lambda r: r.seconds), [r.seconds for r in runs]


class _TempText:
    def __enter__(self) -> _TempText:
        import tempfile

        self.fh = tempfile.TemporaryFile()
        return self

    def read(self) -> str:
        self.fh.seek(0)
        return self.fh.read().decode("utf-8", "replace")

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def imported_modules(importtime_stderr: str) -> dict[str, int]:
    """Module -> cumulative import time (µs) from `python -X importtime` output."""
    out: dict[str, int] = {}
    for line in importtime_stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) == 3:
            try:
                out[parts[2].strip()] = int(parts[1])
            except ValueError:
                continue
    return out


def top_level_imports(importtime_stderr: str) -> list[tuple[str, int]]:
    """Imports done directly by the program (not nested inside another import), slowest first."""
    rows = []
    for line in importtime_stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) == 3 and len(parts[2]) - len(parts[2].lstrip()) <= 1:
            rows.append((parts[2].strip(), int(parts[1])))
    return sorted(rows, key=lambda r: -r[1])


def pdf_pages(path: Path) -> int | None:
    """Page count with poppler's pdfinfo when present."""
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None

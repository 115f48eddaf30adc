"""What the figures were measured on: cores, CPU, RAM, load, Python and library versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata

LIBRARIES = (
    "pilier-eco",
    "weasyprint",
    "pydyf",
    "fonttools",
    "tinycss2",
    "jinja2",
    "babel",
    "numpy",
    "pandas",
    "python-calamine",
    "openpyxl",
    "typer",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "inconnu"


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def _spin(_: object = None) -> float:
    """A fixed pure-Python loop (the kind of work WeasyPrint does), in seconds."""
    import time

    t = time.perf_counter()
    x = 0
    for i in range(20_000_000):
        x += i
    return time.perf_counter() - t


def speed_index() -> dict[str, float]:
    """The same loop alone and on every core at once, best of 3: on a shared virtual machine the host's load
    moves both by ±30 % from one hour to the next, so figures of two days compare only with this beside them."""
    from concurrent.futures import ProcessPoolExecutor

    alone = min(_spin() for _ in range(3))
    n = os.cpu_count() or 1
    with ProcessPoolExecutor(n) as pool:
        together = min(max(pool.map(_spin, range(n))) for _ in range(3))
    return {"seul_s": alone, "tous_coeurs_s": together}


def describe() -> dict[str, object]:
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = "absent"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "nproc": usable,
        "cpu": _cpu_model(),
        "ram_gib": _ram_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
    }

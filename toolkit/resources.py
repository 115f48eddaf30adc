"""Where the packaged data files and report templates live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir() -> Path:
    return Path(str(resources.files("toolkit.data")))


@cache
def templates_dir() -> Path:
    """`templates/` is shipped as the package `toolkit.templates`; in a bare checkout it sits beside `toolkit/`."""
    try:
        path = Path(str(resources.files("toolkit.templates")))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "templates"

"""User catalogues layered over the packaged ones for the length of a run.

A consultant keeps local actions (a foncière commerciale, a regional scheme) and experiences in TOML files
of the packaged format and names them in the configuration::

    [catalogues]
    actions = "actions-locales.toml"          # relative to the configuration file
    experiences = "experiences-locales.toml"

An entry whose code exists replaces the packaged one, a new code is added. `use_catalogues()` makes them
the catalogues every step sees (validation of `Code catalogue`, scoring, roadmap, vigilance, matching of
experiences, workbook template) inside its `with` block only; the packaged files are never modified.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..results import Experience
from ._active import ACTIVE
from .actions import ActionDef, index_actions, load_actions, packaged_actions
from .experiences import load_experiences, packaged_experiences


@dataclass(frozen=True)
class Overlay:
    actions: tuple[ActionDef, ...]
    experiences: tuple[tuple[Experience, str | None], ...]
    files: tuple[str, ...]  # the user files, for the method annex
    action_index: dict[str, ActionDef] = field(default_factory=dict, compare=False, repr=False)


def _merge_experiences(base: tuple[tuple[Experience, str | None], ...],
                       extra: tuple[tuple[Experience, str | None], ...]) -> tuple[tuple[Experience, str | None], ...]:
    merged = {e.code: (e, r) for e, r in base}
    merged.update({e.code: (e, r) for e, r in extra})
    return tuple(merged.values())


@cache
def _load(actions_file: str | None, experiences_file: str | None, _stamp: tuple[float, ...]) -> Overlay:
    defs = load_actions(actions_file, base=packaged_actions()) if actions_file else packaged_actions()
    partial = Overlay(defs, packaged_experiences(), (), index_actions(defs))
    token = ACTIVE.set(partial)  # a user experience may cite a user action code
    try:
        extra = load_experiences(experiences_file) if experiences_file else ()
    finally:
        ACTIVE.reset(token)
    files = tuple(Path(f).name for f in (actions_file, experiences_file) if f)
    return replace(partial, experiences=_merge_experiences(packaged_experiences(), extra), files=files)


def load_overlay(actions_file: str | Path | None = None, experiences_file: str | Path | None = None) -> Overlay | None:
    """The merged catalogues (None when no user file is given); raises CatalogError in French on a bad file.

    Cached per file and modification time, so a batch worker reads each file once.
    """
    names = tuple(str(Path(f).resolve()) if f else None for f in (actions_file, experiences_file))
    if not any(names):
        return None
    stamp = tuple(Path(n).stat().st_mtime if n and Path(n).exists() else 0.0 for n in names)
    return _load(names[0], names[1], stamp)


@contextmanager
def use_catalogues(actions_file: str | Path | None = None, experiences_file: str | Path | None = None) -> Iterator[Overlay | None]:
    """Make the user catalogues the ones every step sees, for the `with` block only."""
    overlay = load_overlay(actions_file, experiences_file)
    token = ACTIVE.set(overlay)
    try:
        yield overlay
    finally:
        ACTIVE.reset(token)

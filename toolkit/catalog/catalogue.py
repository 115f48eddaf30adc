"""The catalogue a run works with: packaged data plus the user's overlays, as one frozen value.

`load_config` builds it (`cfg.catalogue`) from the `[catalogues]` section of the configuration; `check`,
`read` and `diagnose` receive it through their arguments, and the Diagnostic keeps the labels and
definitions it used, so that nothing downstream looks a catalogue up behind the caller's back::

    cat = load_catalogue("actions-locales.toml", "experiences-locales.toml")
    cat.action("BOUTIQUE_ESSAI").intitule

An entry of a user file whose code exists replaces the packaged one, a new code is added; the packaged
files are never modified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..text import normalize_key
from .actions import ActionDef, load_actions, packaged_actions, prerequis_durations
from .enjeux import EnjeuDef, enjeux
from .experiences import Experience, load_experiences, packaged_experiences
from .governance import QuestionDef, questions
from .indicators import IndicatorDef, indicators


@dataclass(frozen=True)
class Catalogue:
    """Enjeux, indicators, actions, experiences (with their region) and governance questions of one run."""

    enjeux: tuple[EnjeuDef, ...]
    indicators: tuple[IndicatorDef, ...]
    actions: tuple[ActionDef, ...]
    experiences_with_region: tuple[tuple[Experience, str | None], ...]
    questions: tuple[QuestionDef, ...]
    prerequis_months: tuple[tuple[str, int], ...]  # default duration of a prerequisite `À faire`
    files: tuple[str, ...] = ()  # names of the user files layered over the packaged ones (method annex)
    # look-up tables, filled once from the tuples above (normalised code -> entry; enjeux also by label)
    _actions: dict[str, ActionDef] = field(default_factory=dict, init=False, compare=False, repr=False)
    _enjeux: dict[str, EnjeuDef] = field(default_factory=dict, init=False, compare=False, repr=False)
    _indicators: dict[str, IndicatorDef] = field(default_factory=dict, init=False, compare=False, repr=False)
    _questions: dict[str, QuestionDef] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for e in self.enjeux:
            self._enjeux[normalize_key(e.code)] = e
            self._enjeux[normalize_key(e.libelle)] = e
        self._actions.update({normalize_key(a.code): a for a in self.actions})
        self._indicators.update({normalize_key(i.code): i for i in self.indicators})
        self._questions.update({normalize_key(q.code): q for q in self.questions})

    def action(self, code: str | None) -> ActionDef | None:
        """The entry for `code`, tolerant to case and surrounding spaces; None for LIBRE or an unknown code."""
        if code is None:
            return None
        return self._actions.get(normalize_key(code).replace(" ", "_"))

    def enjeu(self, key: str | None) -> EnjeuDef | None:
        """An enjeu by code or by label, tolerantly (`commerce`, `Commerce et services de proximité`)."""
        return self._enjeux.get(normalize_key(key)) if key else None

    def indicator(self, code: str | None) -> IndicatorDef | None:
        return self._indicators.get(normalize_key(code)) if code else None

    def question(self, code: str | None) -> QuestionDef | None:
        return self._questions.get(normalize_key(code)) if code else None

    @property
    def experiences(self) -> tuple[Experience, ...]:
        return tuple(e for e, _ in self.experiences_with_region)

    @property
    def prerequis_durations(self) -> dict[str, int]:
        return dict(self.prerequis_months)

    def with_experiences(self, extra: tuple[tuple[Experience, str | None], ...], name: str) -> Catalogue:
        """This catalogue with more experiences (a code already present is replaced), `name` listed in `files`
        (the method annex): the validated experiences of a follow-up base, for instance."""
        return Catalogue(
            self.enjeux,
            self.indicators,
            self.actions,
            _merge_experiences(self.experiences_with_region, extra),
            self.questions,
            self.prerequis_months,
            (*self.files, name),
        )


def _merge_experiences(
    base: tuple[tuple[Experience, str | None], ...], extra: tuple[tuple[Experience, str | None], ...]
) -> tuple[tuple[Experience, str | None], ...]:
    merged = {e.code: (e, r) for e, r in base}
    merged.update({e.code: (e, r) for e, r in extra})
    return tuple(merged.values())


@cache
def packaged_catalogue() -> Catalogue:
    """The catalogue shipped in `toolkit/data/`, read once."""
    actions = packaged_actions()
    return Catalogue(
        enjeux(), indicators(), actions, packaged_experiences(), questions(), tuple(prerequis_durations().items())
    )


@cache
def _load(actions_file: str | None, experiences_file: str | None, _stamp: tuple[float, ...]) -> Catalogue:
    base = packaged_catalogue()
    defs = load_actions(actions_file, base=base.actions) if actions_file else base.actions
    extra = load_experiences(experiences_file, defs) if experiences_file else ()  # may cite a user action code
    files = tuple(Path(f).name for f in (actions_file, experiences_file) if f)
    return Catalogue(
        base.enjeux,
        base.indicators,
        defs,
        _merge_experiences(base.experiences_with_region, extra),
        base.questions,
        base.prerequis_months,
        files,
    )


def load_catalogue(actions_file: str | Path | None = None, experiences_file: str | Path | None = None) -> Catalogue:
    """The packaged catalogue with the user's files layered over it; raises CatalogueError in French on a bad file.

    Cached per file and modification time, so a batch worker reads each file once.
    """
    names = tuple(str(Path(f).resolve()) if f else None for f in (actions_file, experiences_file))
    if not any(names):
        return packaged_catalogue()
    stamp = tuple(Path(n).stat().st_mtime if n and Path(n).exists() else 0.0 for n in names)
    return _load(names[0], names[1], stamp)

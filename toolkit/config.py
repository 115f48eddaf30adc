"""One typed configuration object, with documented defaults, read once at the edge.

A user TOML file (`--config pilier.toml`) may override any key; unknown keys are an error so that a typo
never silently falls back to a default. The sections mirror the method (docs/methode.md).

```toml
[enjeux.poids]          # sources of an enjeu score
indicateurs = 0.5
importance = 0.3
votes = 0.2

[actions.poids]         # criteria of an action score
pertinence = 0.30
impact = 0.20
faisabilite = 0.15
cout = 0.10
partenaires = 0.10
prerequis = 0.15

[actions.priorites]     # score thresholds of priority tiers 1 and 2 (tier 3 below)
niveau1 = 70
niveau2 = 55

[robustesse]
tirages = 2000
concentration = 60      # Dirichlet concentration around the default weights (higher = closer)
top_n = 5
graine = 20240331
seuil_fragile = 0.7

[limites]
taille_fichier_mo = 20
taille_decompressee_mo = 200
lignes_par_feuille = 5000
colonnes_par_feuille = 200
actions = 500           # most action rows `check` accepts (a real territory has 10 to 60)

[enjeux.regles]
votants_min = 3         # votes on an enjeu count from this many voters (fewer: shown, not counted)
ecart_perception = 40   # perception above the data by more than this: named, never « fort » on it alone

[rapport]
actions_detaillees = 40 # actions detailed in the report (tables, charts, fiches); the others in an annex
projet = false          # true: every page says « PROJET — non diffusable »

[feuille_de_route]
capacite = 4            # prerequisite phases run at once (default 0: from the governance answer GOUV03)

[catalogues]            # user catalogues over the packaged ones (paths relative to this file)
actions = "actions-locales.toml"
experiences = "experiences-locales.toml"

[suivi]                 # follow-up base: a SQLite file (relative to this file) or a postgresql:// URL
base = "suivi.sqlite"
```
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .catalog.actions import CatalogueError
from .catalog.catalogue import Catalogue, load_catalogue, packaged_catalogue
from .catalog.contours import Contours

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class ConfigError(ValueError):
    """A French message naming the key, and the file when the value was read from one."""


def _number(section: str, key: str, value: object, what: str, *, integer: bool = False) -> float:
    """`value` as a number, or ConfigError `[section] key = value : what` (a bool is not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise ConfigError(f"[{section}] {key} = {value!r} : {what}")
    if not math.isfinite(value):
        raise ConfigError(f"[{section}] {key} = {value!r} : {what}")
    return float(value)


def _weights(section: str, weights: DataclassInstance) -> None:
    """Weights are numbers ≥ 0, and not all zero (nothing would be scored)."""
    for f in fields(weights):
        value = getattr(weights, f.name)
        if _number(section, f.name, value, "un poids doit être un nombre positif ou nul") < 0:
            raise ConfigError(f"[{section}] {f.name} = {value!r} : un poids doit être positif ou nul")
    if not any(getattr(weights, f.name) for f in fields(weights)):
        raise ConfigError(f"[{section}] : les poids sont tous nuls ; la somme des poids doit être strictement positive")


@dataclass(frozen=True)
class EnjeuWeights:
    """`[enjeux.poids]`: the share of each source in an enjeu score (rescaled over the sources present)."""

    SECTION: ClassVar[str] = "enjeux.poids"
    indicateurs: float = 0.5
    importance: float = 0.3
    votes: float = 0.2

    def __post_init__(self) -> None:
        _weights(self.SECTION, self)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ActionWeights:
    """`[actions.poids]`: the weight of each criterion in an action score."""

    SECTION: ClassVar[str] = "actions.poids"
    pertinence: float = 0.30
    impact: float = 0.20
    faisabilite: float = 0.15
    cout: float = 0.10
    partenaires: float = 0.10
    prerequis: float = 0.15

    def __post_init__(self) -> None:
        _weights(self.SECTION, self)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Tiers:
    """`[actions.priorites]`: the scores (0–100) from which an action is priority 1, then 2 (3 below)."""

    SECTION: ClassVar[str] = "actions.priorites"
    niveau1: float = 70.0
    niveau2: float = 55.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0 <= _number(self.SECTION, f.name, value, "un seuil est un score entre 0 et 100") <= 100:
                raise ConfigError(f"[{self.SECTION}] {f.name} = {value!r} : un seuil est un score entre 0 et 100")
        if self.niveau1 < self.niveau2:
            raise ConfigError(
                f"[{self.SECTION}] niveau1 = {self.niveau1!r}, niveau2 = {self.niveau2!r} : le seuil de la "
                "priorité 1 doit être supérieur ou égal à celui de la priorité 2"
            )


@dataclass(frozen=True)
class RobustnessConfig:
    """`[robustesse]`: the Monte Carlo draws of weights around the configured ones."""

    SECTION: ClassVar[str] = "robustesse"
    tirages: int = 2000
    concentration: float = 60.0  # 0 allowed: raised to a floor by score.robustness
    top_n: int = 5
    graine: int = 20240331
    seuil_fragile: float = 0.7

    def __post_init__(self) -> None:
        section = self.SECTION
        _number(section, "concentration", self.concentration, "un nombre positif ou nul est attendu")
        if self.concentration < 0:
            raise ConfigError(
                f"[{section}] concentration = {self.concentration!r} : un nombre positif ou nul est attendu"
            )
        for key in ("tirages", "top_n"):
            value = getattr(self, key)
            if _number(section, key, value, "un nombre entier d'au moins 1 est attendu", integer=True) < 1:
                raise ConfigError(f"[{section}] {key} = {value!r} : un nombre entier d'au moins 1 est attendu")
        if _number(section, "graine", self.graine, "un nombre entier positif ou nul est attendu", integer=True) < 0:
            raise ConfigError(f"[{section}] graine = {self.graine!r} : un nombre entier positif ou nul est attendu")
        what = "une probabilité entre 0 et 1 est attendue"
        if not 0 <= _number(section, "seuil_fragile", self.seuil_fragile, what) <= 1:
            raise ConfigError(f"[{section}] seuil_fragile = {self.seuil_fragile!r} : {what}")


@dataclass(frozen=True)
class EnjeuRules:
    """[enjeux.regles]: how much thin or subjective evidence may move an enjeu (docs/methode.md § 1.2)."""

    SECTION: ClassVar[str] = "enjeux.regles"
    votants_min: int = 3  # votes on an enjeu count in its score from this many voters on (fewer: shown only)
    ecart_perception: float = 40.0  # perception above the data by more than this (points 0–100): named, capped

    def __post_init__(self) -> None:
        what = "un nombre entier d'au moins 1 est attendu (votants)"
        if _number(self.SECTION, "votants_min", self.votants_min, what, integer=True) < 1:
            raise ConfigError(f"[{self.SECTION}] votants_min = {self.votants_min!r} : {what}")
        what = "un nombre de points entre 0 et 100 est attendu"
        if not 0 <= _number(self.SECTION, "ecart_perception", self.ecart_perception, what) <= 100:
            raise ConfigError(f"[{self.SECTION}] ecart_perception = {self.ecart_perception!r} : {what}")


@dataclass(frozen=True)
class Limits:
    """`[limites]`: what `check` accepts before reading a file (sizes, rows, columns, actions)."""

    SECTION: ClassVar[str] = "limites"
    taille_fichier_mo: float = 20.0
    taille_decompressee_mo: float = 200.0
    lignes_par_feuille: int = 5000
    colonnes_par_feuille: int = 200  # a cell in column XFD would otherwise make 16,384 cells per row
    actions: int = 500  # action rows `check` accepts: the report and its cost grow with each one (issue 14)
    taux_compression_max: float = 200.0  # decompressed / compressed size of one zip member

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            integer = f.type in ("int", int)
            what = (
                "un nombre entier d'au moins 1 est attendu" if integer else "un nombre strictement positif est attendu"
            )
            if _number(self.SECTION, f.name, value, what, integer=integer) <= 0:
                raise ConfigError(f"[{self.SECTION}] {f.name} = {value!r} : {what}")

    @property
    def max_file_bytes(self) -> int:
        return int(self.taille_fichier_mo * 1024 * 1024)

    @property
    def max_uncompressed_bytes(self) -> int:
        return int(self.taille_decompressee_mo * 1024 * 1024)


@dataclass(frozen=True)
class ReportSettings:
    """[rapport]: how much of a long action list the report details (the rest: one line each, in an annex);
    `projet = true` marks the report as a draft (« PROJET — non diffusable ») whatever its data."""

    SECTION: ClassVar[str] = "rapport"
    actions_detaillees: int = 40
    projet: bool = False

    def __post_init__(self) -> None:
        what = "un nombre entier d'au moins 1 est attendu"
        if _number(self.SECTION, "actions_detaillees", self.actions_detaillees, what, integer=True) < 1:
            raise ConfigError(f"[{self.SECTION}] actions_detaillees = {self.actions_detaillees!r} : {what}")
        if not isinstance(self.projet, bool):
            raise ConfigError(f"[{self.SECTION}] projet = {self.projet!r} : true ou false est attendu")


@dataclass(frozen=True)
class RoadmapSettings:
    """[feuille_de_route]: prerequisite phases the team runs at once (0: from the governance answers)."""

    SECTION: ClassVar[str] = "feuille_de_route"
    capacite: int = 0

    def __post_init__(self) -> None:
        what = "un nombre entier positif ou nul est attendu (0 : d'après la réponse GOUV03)"
        if _number(self.SECTION, "capacite", self.capacite, what, integer=True) < 0:
            raise ConfigError(f"[{self.SECTION}] capacite = {self.capacite!r} : {what}")


@dataclass(frozen=True)
class Catalogues:
    """User catalogue files (absolute paths) named in `[catalogues]`; `Config.catalogue` holds their content."""

    actions: str | None = None
    experiences: str | None = None

    @property
    def files(self) -> tuple[str | None, str | None]:
        return self.actions, self.experiences


@dataclass(frozen=True)
class Config:
    enjeu_weights: EnjeuWeights = field(default_factory=EnjeuWeights)
    action_weights: ActionWeights = field(default_factory=ActionWeights)
    tiers: Tiers = field(default_factory=Tiers)
    enjeu_rules: EnjeuRules = field(default_factory=EnjeuRules)
    robustness: RobustnessConfig = field(default_factory=RobustnessConfig)
    limits: Limits = field(default_factory=Limits)
    catalogues: Catalogues = field(default_factory=Catalogues)
    report: ReportSettings = field(default_factory=ReportSettings)
    roadmap: RoadmapSettings = field(default_factory=RoadmapSettings)
    suivi_base: str | None = None  # [suivi] base: absolute path of the SQLite file, or a postgresql:// URL
    source: str | None = None  # path of the TOML it was read from
    #: packaged catalogue plus the `[catalogues]` files: what check, read and diagnose look codes up in
    catalogue: Catalogue = field(default_factory=packaged_catalogue, compare=False, repr=False)
    #: quartier contours for the portrait's map (`diagnose --contours`); None: the packaged 2015 contours of
    #: Occitanie (catalog/contours.py), read and projected once
    contours: Contours | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Each part checks its own values; here, that each part is one (`Config(tiers=(10, 90))` is refused)."""
        for f in fields(self):
            expected = _PART_TYPES.get(f.name)
            value = getattr(self, f.name)
            if expected is not None and not isinstance(value, expected):
                raise ConfigError(
                    f"Config : {f.name} = {value!r} ; attendu : un {expected.__name__}"
                    + (f" (section [{expected.SECTION}])" if hasattr(expected, "SECTION") else "")
                )
        for name in ("suivi_base", "source"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise ConfigError(f"Config : {name} = {getattr(self, name)!r} ; attendu : un chemin (texte) ou None")

    def with_weights(
        self, actions: Mapping[str, float] | None = None, enjeux: Mapping[str, float] | None = None
    ) -> Config:
        """A new Config with some weights changed, the others kept — for a what-if in a notebook::

            cfg2 = cfg.with_weights(actions={"cout": 0.4}, enjeux={"votes": 0})

        Keys are those of `[actions.poids]` and `[enjeux.poids]`; an unknown key, a negative or non-numeric
        weight, or weights all zero raise `ConfigError` with a French message (the weights check themselves,
        as when read from a TOML file)."""
        result = self
        for attr, section, changes in (
            ("action_weights", "actions.poids", actions),
            ("enjeu_weights", "enjeux.poids", enjeux),
        ):
            if not changes:
                continue
            current = getattr(result, attr)
            known = current.as_dict()
            for key in changes:
                if key not in known:
                    raise ConfigError(f"poids « {key} » inconnu dans [{section}] ; clés possibles : {', '.join(known)}")
            result = replace(result, **{attr: replace(current, **changes)})
        return result


#: Config field -> the type its value must have
_PART_TYPES: dict[str, type] = {
    "enjeu_weights": EnjeuWeights,
    "action_weights": ActionWeights,
    "tiers": Tiers,
    "enjeu_rules": EnjeuRules,
    "robustness": RobustnessConfig,
    "limits": Limits,
    "catalogues": Catalogues,
    "report": ReportSettings,
    "roadmap": RoadmapSettings,
    "catalogue": Catalogue,
}

# TOML path -> (attribute of Config, dataclass type)
_SECTIONS: dict[tuple[str, ...], tuple[str, type]] = {
    ("enjeux", "poids"): ("enjeu_weights", EnjeuWeights),
    ("actions", "poids"): ("action_weights", ActionWeights),
    ("actions", "priorites"): ("tiers", Tiers),
    ("enjeux", "regles"): ("enjeu_rules", EnjeuRules),
    ("robustesse",): ("robustness", RobustnessConfig),
    ("limites",): ("limits", Limits),
    ("rapport",): ("report", ReportSettings),
    ("feuille_de_route",): ("roadmap", RoadmapSettings),
}


def _flatten(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], dict[str, Any]]:
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    if scalars:
        out[prefix] = scalars
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(_flatten(v, (*prefix, k)))
    return out


def read_toml(path: Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """The TOML table in `path`, or `error` with a French message naming the file (`what`: e.g. « de thème »)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path} : fichier {what} introuvable") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path} : fichier TOML illisible ({exc})") from None


def _catalogues(path: Path, table: object) -> tuple[Catalogues, Catalogue]:
    """[catalogues]: file names relative to the configuration, read now so a bad entry stops the run early."""
    if not isinstance(table, dict):
        raise ConfigError(f'{path} : [catalogues] doit être une section (actions = "fichier.toml")')
    found: dict[str, str] = {}
    for key, value in table.items():
        if key not in ("actions", "experiences"):
            raise ConfigError(
                f"{path} : clé « {key} » inconnue dans [catalogues] ; clés possibles : actions, experiences"
            )
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path} : [catalogues] {key} = {value!r} ; attendu : le chemin d'un fichier .toml")
        file = (path.parent / value).resolve()
        if not file.is_file():
            raise ConfigError(f"{path} : [catalogues] {key} : fichier {file} introuvable")
        found[key] = str(file)
    result = Catalogues(**found)
    try:
        return result, load_catalogue(*result.files)
    except CatalogueError as exc:
        raise ConfigError(f"{path} : [catalogues] : {exc}") from None


def _suivi_base(path: Path, table: object) -> str:
    """[suivi] base: a postgresql:// URL as given, or a SQLite file relative to the configuration."""
    if (
        not isinstance(table, dict)
        or set(table) - {"base"}
        or not isinstance(table.get("base"), str)
        or not table["base"].strip()
    ):
        raise ConfigError(
            f'{path} : [suivi] attend une seule clé : base = "suivi.sqlite" (ou une adresse postgresql://)'
        )
    value = table["base"].strip()
    if value.split(":", 1)[0].lower() in ("postgresql", "postgres"):
        return value
    return str((path.parent / value).resolve())


def load_config(path: str | Path | None = None) -> Config:
    """Defaults, overridden by the TOML file at `path` if given."""
    config = Config()
    if path is None:
        return config
    path = Path(path)
    data = read_toml(path, "de configuration", ConfigError)
    catalogues = data.pop("catalogues", None)
    if catalogues is not None:
        files, catalogue = _catalogues(path, catalogues)
        config = replace(config, catalogues=files, catalogue=catalogue)
    suivi = data.pop("suivi", None)
    if suivi is not None:
        config = replace(config, suivi_base=_suivi_base(path, suivi))
    for section, values in _flatten(data).items():
        if section not in _SECTIONS:
            known = ", ".join("[" + ".".join(s) + "]" for s in _SECTIONS)
            raise ConfigError(
                f"{path} : section [{'.'.join(section) or '(racine)'}] inconnue ; sections possibles : {known}"
            )
        attr, cls = _SECTIONS[section]
        current = getattr(config, attr)
        names = {f.name: f.type for f in fields(cls)}
        updates: dict[str, Any] = {}
        for key, value in values.items():
            if key not in names:
                raise ConfigError(
                    f"{path} : clé « {key} » inconnue dans [{'.'.join(section)}] ; clés possibles : {', '.join(names)}"
                )
            updates[key] = _as_declared(value, names[key])
        try:  # the section's dataclass checks its values (weights ≥ 0, tiers ordered…)
            part = replace(current, **updates)
        except ConfigError as exc:
            raise ConfigError(f"{path} : {exc}") from None
        config = replace(config, **{attr: part})
    return replace(config, source=str(path))


def _as_declared(value: object, declared: object) -> object:
    """A TOML number as the field declares it (`3000.0` for an int field -> 3000, `1` for a float -> 1.0);
    anything else as given, for the dataclass to refuse it with its own message."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if declared in ("int", int):
        return int(value) if float(value).is_integer() else value
    return float(value)

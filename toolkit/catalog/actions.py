"""The action catalogue (`data/actions.toml`): what each type of action serves, needs, costs and takes.

The workbook's `Actions` sheet refers to these codes; scoring reads the enjeux served, the partner types
needed and the cost band, the roadmap reads durations and prerequisites, vigilance reads `statut` (a
national programme that ended). Costs are orders of magnitude, marked `illustratif` when not sourced.
A user file of the same format extends or overrides entries: `[catalogues] actions = "…"` in the
configuration (`catalog.catalogue`), or `load_actions(path, base=packaged_actions())` in a script.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..layout import ACTOR_TYPE_ALIASES
from ..model import ACTOR_TYPES, CHAMPS, PREREQUIS
from ..resources import data_dir
from ..text import normalize_key

#: Cost bands, ordered; the first is the "lowest band" used by the quick-win rule.
COST_BANDS = ("< 50 k€", "50–200 k€", "200 k€–1 M€", "> 1 M€")

#: Default duration (months) of a prerequisite still to do, when the catalogue file does not say.
DEFAULT_PREREQUIS_MONTHS = 6


#: `programme.etat` values; every state but « en cours » makes vigilance warn (see `_programme_notice`).
PROGRAMME_STATES = ("en cours", "prolongé", "terminé", "non reconduit", "à vérifier")
#: states in which an action cannot be run as the programme was: the roadmap reconfigures it first
ENDED_STATES = ("terminé", "non reconduit")

#: Other names of a partner type in catalogue files (a user's older file, an operator's name), mapped to
#: the workbook's list: the former labels the workbook still reads, and France Travail for its network.
ACTOR_ALIASES = {
    **ACTOR_TYPE_ALIASES,
    "France Travail": "Réseau pour l'emploi",
}


@dataclass(frozen=True)
class Prerequis:
    """One condition of success of an action: what, why, who, how long, and whether it blocks the start."""

    quoi: str
    pourquoi: str
    qui: str
    duree_mois: int
    bloquant: bool
    source: str | None = None  # durations without a source are orders of magnitude (illustratif)


@dataclass(frozen=True)
class Programme:
    """The national programme an action relies on, with its state as last checked."""

    nom: str
    etat: str  # one of PROGRAMME_STATES
    statut: str  # French sentence, e.g. « prolongé jusqu'au 31/12/2026 »
    verifie_le: date
    source: str
    fin: date | None = None
    successeur: str | None = None
    niveau: str = "attention"  # vigilance level when etat is not « en cours »: bloquant | attention


@dataclass(frozen=True)
class ActionDef:
    code: str
    intitule: str
    champ: str
    enjeux: tuple[str, ...]
    partner_types: tuple[str, ...]
    prerequis: tuple[str, ...]
    duree_mois: int
    cout_bande: str
    cout_min: float
    cout_max: float
    suivi: tuple[str, ...]
    statut: str | None
    sources: tuple[str, ...]
    cout_note: str = ""
    statut_source: str | None = None
    statut_niveau: str = "attention"  # vigilance level when the programme changed: bloquant | attention
    programme: Programme | None = None
    prerequis_detail: tuple[Prerequis, ...] = ()
    #: a running service or a recurring rendez-vous (a manager, a facilitateur, a forum each year): once
    #: started it runs to the contract's end; `duree_mois` is then its first period, not a delivery date
    continu: bool = False
    #: a one-day event (a forum, a job dating), repeated each year when `continu`: a milestone, not a bar
    evenement: bool = False
    #: an action that measures (an observatory, a watch on vacant shops): it is how an enjeu the data do not
    #: confirm yet gets its figures, so it is never made to wait for them
    observation: bool = False
    #: an action that gives the team its capacity (a post for the pillar): the roadmap places it first, since
    #: the capacity it plans with assumes it
    renfort_equipe: bool = False

    @property
    def a_reconfigurer(self) -> bool:
        """The national programme it relies on ended or was not renewed as is (never scheduled as it was)."""
        return self.programme is not None and self.programme.etat in ENDED_STATES

    def expired_before(self, start: date) -> bool:
        """Its programme, still running when checked, has an announced end before `start`, the month the action
        would begin (Action cœur de ville, prolonged to 31/12/2026, for an action planned in 2027): it cannot be
        scheduled as is either, until its successor is confirmed."""
        p = self.programme
        return p is not None and p.etat not in ENDED_STATES and p.fin is not None and p.fin < start

    @property
    def cout_central(self) -> float:
        """Geometric middle of the band: the order of magnitude used when the workbook gives no cost."""
        lo, hi = max(self.cout_min, 1.0), max(self.cout_max, 1.0)
        return (lo * hi) ** 0.5


class CatalogueError(ValueError):
    """A French message naming the catalogue file and the faulty entry."""


def _tuple(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, ())
    if isinstance(value, str):
        value = [value]
    return tuple(str(v).strip() for v in value if str(v).strip())


def _parse(entry: dict[str, Any], where: str) -> ActionDef:
    from .enjeux import enjeu_by_key

    missing = [k for k in ("code", "intitule", "champ", "enjeux", "duree_mois", "cout_bande") if k not in entry]
    if missing:
        raise CatalogueError(f"{where} : champ(s) manquant(s) {', '.join(missing)}")
    code = str(entry["code"]).strip().upper()
    where = f"{where} ({code})"
    champ = next((c for c in CHAMPS if normalize_key(c) == normalize_key(entry["champ"])), None)
    if champ is None:
        raise CatalogueError(f"{where} : champ « {entry['champ']} » inconnu ; attendu : {', '.join(CHAMPS)}")
    enjeux = []
    for e in _tuple(entry, "enjeux"):
        d = enjeu_by_key(e)
        if d is None:
            raise CatalogueError(f"{where} : enjeu « {e} » inconnu")
        enjeux.append(d.code)
    partners = []
    for p in _tuple(entry, "partenaires"):
        t = _actor_type(p)
        if t is None:
            raise CatalogueError(f"{where} : type de partenaire « {p} » inconnu ; attendu : {', '.join(ACTOR_TYPES)}")
        partners.append(t)
    band = str(entry["cout_bande"]).strip()
    if band not in COST_BANDS:
        raise CatalogueError(f"{where} : bande de coût « {band} » inconnue ; attendu : {', '.join(COST_BANDS)}")
    try:
        duree = int(entry["duree_mois"])
        cmin, cmax = float(entry.get("cout_min", 0)), float(entry.get("cout_max", 0))
    except (TypeError, ValueError):
        raise CatalogueError(f"{where} : duree_mois, cout_min et cout_max doivent être des nombres") from None
    if duree <= 0 or cmin < 0 or cmax < cmin:
        raise CatalogueError(f"{where} : durée positive et 0 ≤ cout_min ≤ cout_max attendus")
    niveau = str(entry.get("statut_niveau", "attention")).strip()
    if niveau not in ("bloquant", "attention"):
        raise CatalogueError(f"{where} : statut_niveau « {niveau} » inconnu ; attendu : bloquant ou attention")
    for flag in ("continu", "evenement", "observation", "renfort_equipe"):
        if not isinstance(entry.get(flag, False), bool):
            raise CatalogueError(f"{where} : {flag} = true ou false attendu")
    programme = _programme(entry.get("programme"), where)
    statut, statut_source = entry.get("statut"), entry.get("statut_source")
    if programme is not None and not statut and programme.etat != "en cours":
        statut, statut_source, niveau = _programme_notice(programme), programme.source, programme.niveau
    return ActionDef(
        code=code,
        intitule=str(entry["intitule"]).strip(),
        champ=champ,
        enjeux=tuple(enjeux),
        partner_types=tuple(partners),
        prerequis=_tuple(entry, "prerequis"),
        duree_mois=duree,
        cout_bande=band,
        cout_min=cmin,
        cout_max=cmax,
        suivi=_tuple(entry, "suivi"),
        statut=(str(statut).strip() or None) if statut else None,
        sources=_tuple(entry, "sources"),
        cout_note=str(entry.get("cout_note", "")).strip(),
        statut_source=str(statut_source).strip() if statut_source else None,
        statut_niveau=niveau,
        programme=programme,
        prerequis_detail=tuple(
            _prerequis(p, f"{where}, prérequis n° {i}") for i, p in enumerate(entry.get("prerequis_detail", []), 1)
        ),
        continu=entry.get("continu", False),
        evenement=entry.get("evenement", False),
        observation=entry.get("observation", False),
        renfort_equipe=entry.get("renfort_equipe", False),
    )


def _actor_type(name: str) -> str | None:
    """The workbook's actor type for `name`, accepting the old and new names of the employment network."""
    for candidate in (name, ACTOR_ALIASES.get(name.strip(), "")):
        t = next((a for a in ACTOR_TYPES if normalize_key(a) == normalize_key(candidate)), None)
        if t is not None:
            return t
    return None


def _date(value: Any, what: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CatalogueError(f"{where} : {what} « {value} » n'est pas une date AAAA-MM-JJ") from None


def _programme(entry: Any, where: str) -> Programme | None:
    if entry is None:
        return None
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} : [action.programme] attendu (nom, etat, statut, verifie_le, source)")
    missing = [k for k in ("nom", "etat", "statut", "verifie_le", "source") if not entry.get(k)]
    if missing:
        raise CatalogueError(f"{where} : programme national sans {', '.join(missing)}")
    etat = str(entry["etat"]).strip()
    if etat not in PROGRAMME_STATES:
        raise CatalogueError(
            f"{where} : état de programme « {etat} » inconnu ; attendu : {', '.join(PROGRAMME_STATES)}"
        )
    niveau = str(entry.get("niveau", "attention")).strip()
    if niveau not in ("bloquant", "attention"):
        raise CatalogueError(f"{where} : niveau « {niveau} » inconnu ; attendu : bloquant ou attention")
    return Programme(
        nom=str(entry["nom"]).strip(),
        etat=etat,
        statut=str(entry["statut"]).strip(),
        verifie_le=_date(entry["verifie_le"], "verifie_le", where),
        source=str(entry["source"]).strip(),
        fin=_date(entry["fin"], "fin", where) if entry.get("fin") else None,
        successeur=str(entry["successeur"]).strip() if entry.get("successeur") else None,
        niveau=niveau,
    )


def _programme_notice(p: Programme) -> str:
    """The sentence vigilance prints after « dispositif national »."""
    text = f"« {p.nom} » : {p.statut}"
    if p.successeur:
        text += f" ; suite : {p.successeur}"
    return text + f" (vérifié le {p.verifie_le:%d/%m/%Y})"


def _prerequis(entry: Any, where: str) -> Prerequis:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} : [[action.prerequis_detail]] attendu")
    missing = [k for k in ("quoi", "pourquoi", "qui", "duree_mois", "bloquant") if k not in entry]
    if missing:
        raise CatalogueError(f"{where} : champ(s) manquant(s) {', '.join(missing)}")
    try:
        duree = int(entry["duree_mois"])
    except (TypeError, ValueError):
        raise CatalogueError(f"{where} : duree_mois doit être un nombre de mois") from None
    if duree < 0 or not isinstance(entry["bloquant"], bool):
        raise CatalogueError(f"{where} : duree_mois ≥ 0 et bloquant = true ou false attendus")
    return Prerequis(
        quoi=str(entry["quoi"]).strip(),
        pourquoi=str(entry["pourquoi"]).strip(),
        qui=str(entry["qui"]).strip(),
        duree_mois=duree,
        bloquant=entry["bloquant"],
        source=str(entry["source"]).strip() if entry.get("source") else None,
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"{path} : catalogue d'actions introuvable") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path} : catalogue d'actions illisible ({exc})") from None


def load_actions(path: str | Path, base: tuple[ActionDef, ...] = ()) -> tuple[ActionDef, ...]:
    """Read an action catalogue; entries override those of `base` with the same code, others are appended."""
    path = Path(path)
    data = _read(path)
    merged = {a.code: a for a in base}
    for i, entry in enumerate(data.get("action", []), start=1):
        if not isinstance(entry, dict):
            raise CatalogueError(f"{path.name}, action n° {i} : entrée [[action]] attendue")
        a = _parse(entry, f"{path.name}, action n° {i}")
        merged[a.code] = a
    return tuple(merged.values())


@cache
def packaged_actions() -> tuple[ActionDef, ...]:
    return load_actions(data_dir() / "actions.toml")


@cache
def prerequis_durations() -> dict[str, int]:
    """Months a prerequisite `À faire` takes by default (keys: the three prerequisites of the contract)."""
    data = _read(data_dir() / "actions.toml").get("prerequis_durees_mois", {})
    out = dict.fromkeys(PREREQUIS, DEFAULT_PREREQUIS_MONTHS)
    for k, v in data.items():
        name = next((p for p in PREREQUIS if normalize_key(p) == normalize_key(k)), k)
        out[name] = int(v)
    return out


#: Programme states whose action can still be started as is (a discontinued programme is never suggested).
SUGGESTABLE_STATES = ("en cours", "prolongé", "à vérifier")


def suggested_actions(
    actions: Sequence[ActionDef], enjeu: str, exclude: Collection[str] = (), limit: int = 3
) -> tuple[ActionDef, ...]:
    """Catalogue actions to suggest for a strong enjeu that no action of the workbook serves.

    Only actions that still exist as such (no programme, or one « en cours », « prolongé », « à vérifier »), not
    already in the workbook (`exclude`: codes). Those whose first enjeu is `enjeu` come first, then ordinary
    (droit commun) programmes that are running, then the cheaper ones; ties by code, for a stable order.
    """
    skip = {normalize_key(c) for c in exclude}

    def rank(a: ActionDef) -> tuple:
        running = a.programme is not None and a.programme.etat in ("en cours", "prolongé")
        return (a.enjeux[:1] != (enjeu,), not running, a.cout_max or float("inf"), a.code)

    pool = [
        a
        for a in actions
        if enjeu in a.enjeux
        and normalize_key(a.code) not in skip
        and (a.programme is None or a.programme.etat in SUGGESTABLE_STATES)
        and a.statut_niveau != "bloquant"
    ]
    return tuple(sorted(pool, key=rank)[:limit])

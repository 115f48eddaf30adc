"""The action catalogue (`data/actions.toml`): what each type of action serves, needs, costs and takes.

The workbook's `Actions` sheet refers to these codes; scoring reads the enjeux served, the partner types
needed and the cost band, the roadmap reads durations and prerequisites, vigilance reads `statut` (a
national programme that ended). Costs are orders of magnitude, marked `illustratif` when not sourced.
A user file of the same format extends or overrides entries: `[catalogues] actions = "…"` in the
configuration (`catalog.catalogue`), or `load_actions(path, base=packaged_actions())` in a script.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..model import ACTOR_TYPES, CHAMPS, PREREQUIS
from ..resources import data_dir
from ..text import normalize_key

#: Cost bands, ordered; the first is the "lowest band" used by the quick-win rule.
COST_BANDS = ("< 50 k€", "50–200 k€", "200 k€–1 M€", "> 1 M€")

#: Default duration (months) of a prerequisite still to do, when the catalogue file does not say.
DEFAULT_PREREQUIS_MONTHS = 6


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

    @property
    def cout_illustratif(self) -> bool:
        return self.cout_note.strip().lower().startswith("illustratif")

    @property
    def cout_central(self) -> float:
        """Geometric middle of the band: the order of magnitude used when the workbook gives no cost."""
        lo, hi = max(self.cout_min, 1.0), max(self.cout_max, 1.0)
        return (lo * hi) ** 0.5


class CatalogError(ValueError):
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
        raise CatalogError(f"{where} : champ(s) manquant(s) {', '.join(missing)}")
    code = str(entry["code"]).strip().upper()
    where = f"{where} ({code})"
    champ = next((c for c in CHAMPS if normalize_key(c) == normalize_key(entry["champ"])), None)
    if champ is None:
        raise CatalogError(f"{where} : champ « {entry['champ']} » inconnu ; attendu : {', '.join(CHAMPS)}")
    enjeux = []
    for e in _tuple(entry, "enjeux"):
        d = enjeu_by_key(e)
        if d is None:
            raise CatalogError(f"{where} : enjeu « {e} » inconnu")
        enjeux.append(d.code)
    partners = []
    for p in _tuple(entry, "partenaires"):
        t = next((a for a in ACTOR_TYPES if normalize_key(a) == normalize_key(p)), None)
        if t is None:
            raise CatalogError(f"{where} : type de partenaire « {p} » inconnu ; attendu : {', '.join(ACTOR_TYPES)}")
        partners.append(t)
    band = str(entry["cout_bande"]).strip()
    if band not in COST_BANDS:
        raise CatalogError(f"{where} : bande de coût « {band} » inconnue ; attendu : {', '.join(COST_BANDS)}")
    try:
        duree = int(entry["duree_mois"])
        cmin, cmax = float(entry.get("cout_min", 0)), float(entry.get("cout_max", 0))
    except (TypeError, ValueError):
        raise CatalogError(f"{where} : duree_mois, cout_min et cout_max doivent être des nombres") from None
    if duree <= 0 or cmin < 0 or cmax < cmin:
        raise CatalogError(f"{where} : durée positive et 0 ≤ cout_min ≤ cout_max attendus")
    niveau = str(entry.get("statut_niveau", "attention")).strip()
    if niveau not in ("bloquant", "attention"):
        raise CatalogError(f"{where} : statut_niveau « {niveau} » inconnu ; attendu : bloquant ou attention")
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
        statut=(str(entry["statut"]).strip() or None) if entry.get("statut") else None,
        sources=_tuple(entry, "sources"),
        cout_note=str(entry.get("cout_note", "")).strip(),
        statut_source=str(entry["statut_source"]).strip() if entry.get("statut_source") else None,
        statut_niveau=niveau,
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path} : catalogue d'actions introuvable") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path} : catalogue d'actions illisible ({exc})") from None


def load_actions(path: str | Path, base: tuple[ActionDef, ...] = ()) -> tuple[ActionDef, ...]:
    """Read an action catalogue; entries override those of `base` with the same code, others are appended."""
    path = Path(path)
    data = _read(path)
    merged = {a.code: a for a in base}
    for i, entry in enumerate(data.get("action", []), start=1):
        if not isinstance(entry, dict):
            raise CatalogError(f"{path.name}, action n° {i} : entrée [[action]] attendue")
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
    out = {p: DEFAULT_PREREQUIS_MONTHS for p in PREREQUIS}
    for k, v in data.items():
        name = next((p for p in PREREQUIS if normalize_key(p) == normalize_key(k)), k)
        out[name] = int(v)
    return out

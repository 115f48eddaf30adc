"""The French communes in force and their EPCI (`data/communes.csv`, `data/epci.csv`, built by
`scripts/build_communes.py` from Etalab's « découpage administratif », COG 2026).

Used to check the INSEE codes and the EPCI typed in `Territoire`. The file holds ~35,000 rows; it is parsed
on first use into a dict (about 15 ms) and only by the code paths that need it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ..resources import data_dir


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    departement: str
    epci: str = ""  # SIREN of its EPCI à fiscalité propre; "" for the few communes without one (Paris, islands)


@dataclass(frozen=True)
class Epci:
    siren: str
    nom: str  # official name, e.g. « CA Carcassonne Agglo »
    type: str  # CC, CA, CU, METRO


@cache
def _lines() -> dict[str, str]:
    """code -> raw CSV line; a line is parsed only when looked up (3x faster start than `csv` on all rows)."""
    text = (data_dir() / "communes.csv").read_text(encoding="utf-8")
    return {line.split(",", 1)[0]: line for line in text.splitlines()[1:] if line}


def _parse(line: str) -> Commune:
    code, nom, dep, epci = next(csv.reader([line]))
    return Commune(code, nom, dep, epci)


@cache
def _epcis() -> dict[str, Epci]:
    with (data_dir() / "epci.csv").open(encoding="utf-8", newline="") as fh:
        return {r["siren"]: Epci(r["siren"], r["nom"], r["type"]) for r in csv.DictReader(fh)}


def epci(siren: str) -> Epci | None:
    """The EPCI of a SIREN (`200035715`), as `Commune.epci` gives it."""
    return _epcis().get(str(siren).strip())


def is_commune(code: str) -> bool:
    return str(code).strip().upper() in _lines()


def commune(code: str) -> Commune | None:
    """The commune of an INSEE code (`11069`, `2A004`; case and surrounding spaces ignored)."""
    line = _lines().get(str(code).strip().upper())
    return _parse(line) if line is not None else None


def commune_name(code: str) -> str | None:
    found = commune(code)
    return found.nom if found else None


def communes_of_departement(departement: str) -> tuple[Commune, ...]:
    dep = str(departement).strip().upper()
    return tuple(c for c in map(_parse, _lines().values()) if c.departement == dep)


def all_communes() -> tuple[Commune, ...]:
    """Every commune of the file (parsed on demand: for indexes built once, such as names by département)."""
    return tuple(map(_parse, _lines().values()))


def codes() -> frozenset[str]:
    return frozenset(_lines())

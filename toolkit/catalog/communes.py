"""The French communes in force and their EPCI (`data/communes.csv`, `data/epci.csv`, built by
`scripts/build_communes.py` from Etalab's « découpage administratif », COG 2026).

Used to check the INSEE codes and the EPCI typed in `Territoire`. The file holds ~35,000 rows; it is parsed
on first use into a dict (about 15 ms) and only by the code paths that need it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..resources import data_dir
from ..text import fold_words

#: Words an EPCI's name may carry or omit without naming another EPCI (« CA », « Communauté de communes »…).
_EPCI_WORDS = frozenset(
    [
        "cc", "ca", "cu", "communaute", "communautes", "communes", "commune", "agglomeration", "agglo",
        "urbaine", "metropole", "de", "du", "des", "d", "la", "le", "les", "l", "en", "et", "sur",
    ]
)  # fmt: skip


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


def epcis_of(codes: Iterable[str]) -> tuple[Epci, ...]:
    """The EPCI these communes belong to (those the file knows), by name: one for a territory in one EPCI."""
    found = {e for code in codes if (c := commune(code)) is not None and (e := epci(c.epci)) is not None}
    return tuple(sorted(found, key=lambda e: e.nom))


def _epci_key(name: str) -> frozenset[str]:
    return frozenset(fold_words(name).split()) - _EPCI_WORDS


def designates(typed: str, name: str) -> bool:
    """Does the name typed designate the EPCI called `name`? The same name, or its distinctive words (without
    « CC », « Communauté d'agglomération »…) all in it: « Carcassonne Agglo » and « CC Grand Orb » designate
    « CA Carcassonne Agglo » and « CC Grand Orb Communauté de Communes en Languedoc », « CINOR » designates
    « CA Intercommunale du Nord de la Réunion (CINOR) »."""
    if typed.strip().casefold() == name.strip().casefold():
        return True
    key = _epci_key(typed)
    return bool(key) and key <= _epci_key(name)


def same_epci(typed: str, official: Epci) -> bool:
    """Does the name typed in a workbook designate this EPCI: its SIREN, or a name that `designates` it."""
    return typed.replace(" ", "") == official.siren or designates(typed, official.nom)


def is_commune(code: str) -> bool:
    return str(code).strip().upper() in _lines()


def commune(code: str) -> Commune | None:
    """The commune of an INSEE code (`11069`, `2A004`; case and surrounding spaces ignored)."""
    line = _lines().get(str(code).strip().upper())
    return _parse(line) if line is not None else None


def commune_name(code: str) -> str | None:
    found = commune(code)
    return found.nom if found else None


def names_index(communes: Iterable[Commune]) -> dict[str, str]:
    """Folded commune name (`fold_words`) -> the départements having a commune of that name, comma-separated
    and sorted: what `data/communes-noms.tsv` holds, built by `scripts/build_communes.py` with this function."""
    communes = tuple(communes)
    folded = fold_words("\n".join(c.nom for c in communes)).split("\n")
    out: dict[str, set[str]] = {}
    for c, name in zip(communes, folded, strict=True):
        out.setdefault(name, set()).add(c.departement)
    return {name: ",".join(sorted(deps)) for name, deps in sorted(out.items())}


@cache
def communes_by_name() -> dict[str, str]:
    """`names_index` of every commune, read from the shipped file (15 ms, where folding the 35,000 names
    takes 0.15 s: `check` must answer within 0.3 s)."""
    text = (data_dir() / "communes-noms.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines()[1:] if line)


def codes() -> frozenset[str]:
    return frozenset(_lines())

"""INSEE figures of the quartiers prioritaires (2015 geography), shipped for Occitanie.

Used to pre-fill a workbook from official data and to find the territories most similar to a diagnosed
one. Another region's file of the same INSEE format can be loaded with `load_qpv(path)`.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import data_dir
from .geography import QN_2024, QP_2015, QpvRecord, geography  # noqa: F401 - re-exported for callers of catalog.qpv


@dataclass(frozen=True)
class DataMetadata:
    """What the packaged INSEE figures describe: printed on the report's cover and portrait."""

    geographie: str  # "2015" | "2024"
    geographie_libelle: str
    couverture: str
    millesimes: str
    source: str
    source_url: str
    geographie_2024_url: str

    def mention(self) -> str:
        """One French sentence for a cover or a table footnote."""
        return f"Données INSEE en {self.geographie_libelle} ; millésimes : {self.millesimes} ({self.source})."


@cache
def packaged_metadata() -> DataMetadata:
    data = tomllib.loads((data_dir() / "insee" / "meta.toml").read_text(encoding="utf-8"))
    return DataMetadata(**{k: str(data[k]) for k in DataMetadata.__dataclass_fields__})


#: The region of the bundled file: its « ensemble des QPV » is that region's, not France's.
REGION_LABEL = "d'Occitanie"
#: How a comparison with every QPV of the bundled file is named (portrait, JSON).
QPV_PERIMETER = f"Ensemble des QPV {REGION_LABEL}"

#: Citation to print with every figure taken from the bundled file.
SOURCE = "INSEE (démographie 2015, revenus 2017, insertion professionnelle 2020), via Toulouse DataViz Hackaviz 2021"

_TEXT_COLUMNS = ("code_qp", "nom_qp", "nom_commune")


def _num(text: str | None) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    return float(text.replace(",", "."))


def load_qpv(path: str | Path) -> tuple[QpvRecord, ...]:
    """Read an INSEE QPV file: the documented format (header as in `meta_qp.csv`) or INSEE's own layouts.

    Files that are not exactly in the documented format (semicolons, other header names, .xlsx, the 2024
    files) go through `insee_file.read_insee_file`. Raises ValueError with a French message.
    """
    path = Path(path)
    if not _documented_format(path):
        from .insee_file import read_insee_file

        return read_insee_file(path)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _TEXT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name} : colonnes manquantes {', '.join(missing)} (format INSEE QPV attendu)")
        for line, row in enumerate(reader, start=2):
            try:
                values = {
                    k: _num(v) for k, v in row.items() if k and k not in _TEXT_COLUMNS and not isinstance(v, list)
                }
            except ValueError as exc:
                raise ValueError(f"{path.name}, ligne {line} : valeur non numérique ({exc})") from None
            code = (row.get("code_qp") or "").strip()
            if not code:  # blank or truncated line
                continue
            pop = values.get("pop_mun")
            out.append(
                QpvRecord(
                    code=code,
                    nom=(row.get("nom_qp") or "").strip(),
                    commune=(row.get("nom_commune") or "").strip(),
                    pop_mun=int(pop) if pop is not None else None,
                    values=values,
                )
            )
    return tuple(out)


def _documented_format(path: Path) -> bool:
    if path.suffix.lower() not in (".csv", ".txt"):
        return False
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
    except UnicodeDecodeError:
        return False
    return all(c in next(csv.reader([header]), []) for c in _TEXT_COLUMNS)


@cache
def qpv_occitanie() -> tuple[QpvRecord, ...]:
    return load_qpv(data_dir() / "insee" / "qp_occitanie.csv")


@dataclass(frozen=True)
class QpCommune:
    """Where a QPV lies: INSEE code of its main commune and its département (from the official contours)."""

    code_qp: str
    nom_qp: str
    code_commune: str
    commune: str
    communes_englobantes: str  # names, comma-separated when the QPV spans several communes
    departement: str


@dataclass(frozen=True)
class Millesime:
    """The year a column of the INSEE file describes, with its source and how sure we are of it."""

    colonne: str
    theme: str
    annee: int
    certitude: str
    source: str


@cache
def qp_communes() -> dict[str, QpCommune]:
    """QP code (upper case) -> commune, read from `insee/qp_communes.csv` (extracted from `qp.geojson`)."""
    path = data_dir() / "insee" / "qp_communes.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {
            r["code_qp"].strip().upper(): QpCommune(
                code_qp=r["code_qp"].strip(),
                nom_qp=r["nom_qp"].strip(),
                code_commune=r["code_commune"].strip(),
                commune=r["commune_qp"].strip(),
                communes_englobantes=r["nom_commune"].strip(),
                departement=r["code_departement"].strip(),
            )
            for r in csv.DictReader(fh)
        }


@cache
def millesimes() -> dict[str, Millesime]:
    """INSEE column -> vintage, read from `insee/millesimes.csv`."""
    path = data_dir() / "insee" / "millesimes.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {
            r["colonne"].strip(): Millesime(
                colonne=r["colonne"].strip(),
                theme=r["theme"].strip(),
                annee=int(r["annee"]),
                certitude=r["certitude"].strip(),
                source=r["source"].strip(),
            )
            for r in csv.DictReader(fh)
        }

"""Rebuild `toolkit/data/communes.csv` and `epci.csv` from the npm package `@etalab/decoupage-administratif`.

Usage::

    python scripts/build_communes.py /chemin/etalab-decoupage-administratif-6.0.0.tgz
    python scripts/build_communes.py            # runs `npm pack @etalab/decoupage-administratif@6.0.0`

Only current communes (`type == "commune-actuelle"`) are kept, as `code,nom,departement,epci` (the SIREN of
the EPCI à fiscalité propre the commune belongs to, empty for the few without one), sorted by code, so that
the CSV stays small and its diff readable when the package is upgraded; `epci.csv` holds `siren,nom,type` of
each EPCI. The provenance file `communes.SOURCE.md` is rewritten alongside (package, version, date, licence).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from datetime import date
from pathlib import Path

from toolkit.catalog.communes import Commune, names_index

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
DATA_DIR = Path(__file__).resolve().parent.parent / "toolkit" / "data"


def _npm_pack(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=workdir, check=True, capture_output=True)
    return next(workdir.glob("*.tgz"))


def _member_json(tgz: Path, name: str) -> object:
    with tarfile.open(tgz, "r:gz") as tar:
        fh = tar.extractfile(f"package/{name}")
        if fh is None:
            raise SystemExit(f"{tgz} : {name} absent de l'archive")
        return json.load(fh)


def write_names_index(communes: list[Commune], out_dir: Path = DATA_DIR) -> None:
    """`communes-noms.tsv`: each folded commune name and the départements having a commune of that name, so
    that `check` looks names up without folding 35,000 of them (toolkit.catalog.communes.names_index)."""
    lines = [f"{name}\t{deps}" for name, deps in names_index(communes).items()]
    (out_dir / "communes-noms.tsv").write_text("nom_replie\tdepartements\n" + "\n".join(lines) + "\n", encoding="utf-8")


def build(tgz: Path, out_dir: Path = DATA_DIR) -> int:
    meta = _member_json(tgz, "package.json")
    communes = _member_json(tgz, "data/communes.json")
    epcis: list[dict] = _member_json(tgz, "data/epci.json")  # type: ignore[assignment]  # a JSON list of objects
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    rows = sorted(
        (c["code"], c["nom"], c.get("departement", ""), epci_of.get(c["code"], ""))
        for c in communes  # type: ignore[union-attr]  # a JSON list of objects (package @etalab/decoupage-administratif)
        if c.get("type") == "commune-actuelle"
    )
    with (out_dir / "communes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("code", "nom", "departement", "epci"))
        writer.writerows(rows)
    with (out_dir / "epci.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("siren", "nom", "type"))
        writer.writerows(sorted((e["code"], e["nom"], e["type"]) for e in epcis))
    write_names_index([Commune(*row) for row in rows], out_dir)
    (out_dir / "communes.SOURCE.md").write_text(
        f"""# communes.csv et epci.csv — provenance

- Paquet npm : `{meta["name"]}` version `{meta["version"]}` (millésime 2026 du Code officiel géographique
  selon le README du paquet), dépôt {meta.get("repository", "https://github.com/etalab/decoupage-administratif")}.
- Fichier d'origine : `data/communes.json`, filtré sur `type == "commune-actuelle"` ({len(rows)} communes) ;
  colonnes gardées : `code`, `nom`, `departement`, et `epci` : le SIREN de l'EPCI à fiscalité propre de la
  commune, pris de `data/epci.json` (vide pour les {sum(1 for r in rows if not r[3])} communes sans EPCI).
- `epci.csv` : les {len(epcis)} EPCI de `data/epci.json`, colonnes `siren`, `nom`, `type` (CC, CA, CU,
  métropole).
- `communes-noms.tsv` : dérivé de `communes.csv` (nom replié en minuscules ASCII → départements ayant une
  commune de ce nom), pour que `check` retrouve un nom de commune sans replier les 35 000 noms.
- Licence : {meta.get("license", "?")} (Etalab) ; données issues du COG de l'INSEE (Licence Ouverte).
- Construit le {date.today().isoformat()} par `scripts/build_communes.py`.

Pour mettre à jour : `python scripts/build_communes.py [chemin/vers/le/paquet.tgz]` (sans argument, le script
lance `npm pack {PACKAGE}@{VERSION}` ; changez `VERSION` dans le script pour un autre millésime).
""",
        encoding="utf-8",
    )
    return len(rows)


def main(argv: list[str]) -> None:
    if argv:
        n = build(Path(argv[0]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            n = build(_npm_pack(Path(tmp)))
    print(f"{n} communes écrites dans {DATA_DIR / 'communes.csv'}")


if __name__ == "__main__":
    main(sys.argv[1:])

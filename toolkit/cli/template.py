"""Crée le classeur à remplir (.xlsx), pré-rempli avec les données INSEE si des codes QPV sont donnés.

\b
Exemples :
  pilier-eco template classeur.xlsx
  pilier-eco template carcassonne.xlsx --qpv QP011002 QP011003 QP011004
  pilier-eco template autre.xlsx --qpv QP123456 --donnees qp_autre_region.csv
  pilier-eco template quartier.xlsx --qpv QN… --donnees donnees_qpv_2024.csv   # géographie 2024 (INSEE)
  pilier-eco template classeur.xlsx --config pilier.toml   # listes complétées par [catalogues]
"""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    sortie: Path = typer.Argument(..., metavar="CLASSEUR.xlsx", help="Fichier .xlsx à créer."),
    autres_codes: list[str] = typer.Argument(None, hidden=True),
    qpv: list[str] = typer.Option(
        None,
        "--qpv",
        metavar="CODE…",
        help="Code(s) QPV pour pré-remplir : géographie 2015 (QP…, données fournies) ou 2024 (QN…, avec --donnees).",
    ),
    donnees: Path = typer.Option(
        None,
        "--donnees",
        metavar="FICHIER.csv",
        help="Fichier INSEE des QPV (.csv ou .xlsx), par exemple « Données sur les quartiers 2024 » (docs/donnees.md).",
    ),
    force: bool = typer.Option(False, "--force", help="Écraser le fichier s'il existe déjà."),
    config: Path = typer.Option(
        None,
        "--config",
        metavar="FICHIER.toml",
        help="Configuration dont la section [catalogues] complète la liste des actions.",
    ),
) -> None:
    """Write the workbook; every failure is a French message and exit code 1 (2 for a target that is not a
    regular file, as for the other commands), nothing half-written."""
    from ..catalog.prefill import OtherGeographyError, UnknownQpvError, split_codes
    from ..io.template import make_template

    codes = list(qpv or [])
    if autres_codes:
        if not codes:
            _fail(f"Argument(s) en trop : {' '.join(autres_codes)}. Pour pré-remplir, écrivez --qpv CODE [CODE…].")
        codes += autres_codes
    if sortie.suffix.lower() != ".xlsx":
        _fail(f"{sortie} : le classeur est créé au format .xlsx ; donnez un nom de fichier finissant par .xlsx.")
    from ..io.output import OutputError, refuse_special

    try:  # a folder, a device or a pipe is refused at once, as by every command that writes (exit 2)
        refuse_special(sortie)
    except OutputError as exc:
        typer.echo(f"Sortie refusée : {exc}", err=True)
        raise typer.Exit(2) from None
    if sortie.exists() and not force:
        _fail(f"{sortie} existe déjà : choisissez un autre nom ou ajoutez --force pour l'écraser.")
    if donnees is not None and not codes:
        _fail("--donnees ne sert qu'avec --qpv CODE : indiquez les quartiers à pré-remplir.")
    if donnees is not None and not donnees.is_file():
        _fail(f"{donnees} : fichier de données introuvable.")
    catalogue = None
    if config is not None:
        from .common import load_settings

        catalogue = load_settings(config)[0].catalogue
    try:
        path = make_template(sortie, qpv=split_codes(codes) or None, donnees=donnees, catalogue=catalogue)
    except OtherGeographyError as exc:  # QN… codes, 2015 data: blank workbook and how to pre-fill it
        try:
            path = make_template(sortie, catalogue=catalogue)
        except OSError as err:
            _fail(f"{sortie} : écriture impossible ({err.strerror or err}).")
        typer.echo(f"Classeur créé (vierge) : {path}")
        typer.echo(exc.message)
        raise typer.Exit(0) from None
    except UnknownQpvError as exc:
        _fail(str(exc))
    except UnicodeDecodeError:
        _fail(f"{donnees} : fichier illisible (texte CSV en UTF-8 attendu).")
    except ValueError as exc:  # unreadable INSEE file: French message from load_qpv
        _fail(f"Données illisibles : {exc}")
    except OSError as exc:
        _fail(f"{sortie} : écriture impossible ({exc.strerror or exc}).")
    typer.echo(f"Classeur créé : {path}")
    if codes:
        typer.echo(f"Pré-rempli avec les données INSEE de : {', '.join(split_codes(codes))}.")
    typer.echo(f"Remplissez-le, puis vérifiez-le avec : pilier-eco check {path}")


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)

"""Vérifie un classeur rempli (.xlsx, .ods, .xlsm) : liste chaque erreur et avertissement avec sa cellule.

\b
Les remarques sur les lignes pré-remplies par l'outil, sans rien à corriger, suivent « pour information ».
Codes de sortie : 0 classeur utilisable (avertissements possibles), 1 erreurs à corriger, 2 fichier illisible.
Exemples :
  pilier-eco check carcassonne.xlsx
  pilier-eco check carcassonne.ods --config pilier.toml
  pilier-eco check carcassonne.xlsx --json
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import typer


def command(
    fichier: Path = typer.Argument(..., metavar="CLASSEUR", help="Classeur rempli : .xlsx, .ods ou .xlsm."),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Limites et réglages (section [limites])."
    ),
    as_json: bool = typer.Option(False, "--json", help="Écrire le résultat en JSON sur la sortie standard."),
    date_rapport: str = typer.Option(
        None,
        "--date",
        metavar="AAAA-MM-JJ",
        help="Date du rapport à venir : l'âge des données et la géographie en vigueur sont jugés à cette date "
        "(par défaut : aujourd'hui), comme le fera diagnose --date.",
    ),
) -> None:
    """Only parses arguments and prints: reading and validation live in `toolkit.validate`."""
    from ..config import ConfigError, load_config
    from ..validate import check, check_json

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        typer.echo(f"Configuration : {exc}", err=True)
        raise typer.Exit(2) from None
    from .dates import parse_date

    report = check(fichier, cfg, parse_date(date_rapport))
    if as_json:
        typer.echo(json.dumps(check_json(report), ensure_ascii=False, indent=2))
    else:
        for line in report_lines(report):
            typer.echo(line)
    raise typer.Exit(report.exit_code)


def report_lines(report, warnings: bool = True) -> list[str]:
    """The check as printed; `warnings=False` keeps the verdict and the errors (compare: only what blocks).

    Information (rows the tool pre-filled, nothing to correct) comes last, under its note, and is not counted
    among the warnings."""
    from ..problems import INFORMATION_NOTE
    from ..report.formatting import agree, plural

    name = Path(report.path).name
    if not report.readable:
        return [f"{name} : fichier illisible", *(f"ERREUR {i.format()}" for i in report.errors)]
    errors = report.errors
    verdict = "utilisable" if report.ok else "à corriger"
    comments = (
        f", {plural(report.rows_comment, 'ligne')} de commentaire {agree(report.rows_comment, 'ignorée')}"
        if report.rows_comment
        else ""
    )
    n_info = len(report.informations)
    infos = f" et {plural(n_info, 'remarque')} pour information" if n_info else ""
    lines = [
        (
            f"{name} : {verdict} — {plural(report.rows_read, 'ligne')} {agree(report.rows_read, 'lue')}, "
            f"{report.rows_used} {agree(report.rows_used, 'utilisée')}{comments} ; "
            f"{plural(len(errors), 'erreur')}, {plural(len(report.warnings), 'avertissement')}{infos}"
        )
    ]
    lines += [f"ERREUR {i.format()}" for i in errors]
    if warnings:
        lines += [f"AVERTISSEMENT {i.format()}" for i in report.warnings]
        if report.informations:
            lines.append(INFORMATION_NOTE)
            lines += [f"INFORMATION {i.format()}" for i in report.informations]
    if errors:  # the path as the user typed it, so that the command can be pasted back as is
        lines.append("Corrigez les erreurs ci-dessus puis relancez : pilier-eco check " + shlex.quote(str(report.path)))
    return lines

"""Atelier de notation : préparer le kit (feuille de notation, cartes, fiche animateur), puis fusionner les notes.

\b
Exemples :
  pilier-eco atelier kit carcassonne.xlsx --out-dir atelier/
  pilier-eco atelier merge carcassonne.xlsx atelier/ -o carcassonne-atelier.xlsx --pseudonymiser
Un fichier existant n'est remplacé qu'avec --force.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import FORCE_HELP, write_failure

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=__doc__)


@app.command("kit")
def kit(
    fichier: Path = typer.Argument(..., metavar="CLASSEUR", help="Classeur du territoire (.xlsx, .ods, .xlsm)."),
    out_dir: Path = typer.Option(..., "--out-dir", "-o", metavar="DOSSIER", help="Dossier où écrire le kit."),
    participants: int = typer.Option(
        0,
        "--participants",
        "-n",
        metavar="N",
        min=0,
        max=200,
        help="Écrire aussi N feuilles pré-nommées P01…PN (en plus de notation.xlsx).",
    ),
    proteger: bool = typer.Option(
        True,
        "--proteger/--sans-protection",
        help="Verrouiller les colonnes Objet et Libellé (protection sans mot de passe).",
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils et limites de la méthode."
    ),
    theme: Path = typer.Option(None, "--theme", metavar="THEME.toml", help="Couleurs des cartes et de la fiche."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Écrit la feuille de notation (notation.xlsx), les cartes A6 (cartes.pdf) et la fiche animateur (animateur.pdf).

    \b
    notation.xlsx : une ligne par enjeu et par action du classeur, colonne « Note (1-5) » en liste déroulante.
    cartes.pdf : une carte A6 par enjeu et par action, quatre par feuille A4, traits de coupe.
    animateur.pdf : déroulé, règles de vote, écarts entre données et ressenti, commande de fusion.
    """
    from ..workshop.kit import kit_paths, make_kit, participant_names
    from .common import load_settings, output_targets, usable_report

    cfg, thm = load_settings(config, theme)
    if out_dir.exists() and not out_dir.is_dir():
        typer.echo(f"Sortie refusée : {out_dir} est un fichier ; indiquez un dossier.", err=True)
        raise typer.Exit(2)
    _, workbook = usable_report(fichier, cfg, "Corrigez d'abord le classeur du territoire.")
    paths = kit_paths(out_dir, participant_names(workbook, participants))
    output_targets({str(i): p for i, p in enumerate(paths)}, (fichier, config, theme), force)
    try:
        result = make_kit(workbook, out_dir, participants, proteger, cfg, thm, source=fichier)
    except OSError as exc:
        typer.echo(write_failure(exc), err=True)
        raise typer.Exit(1) from None
    for p in result.sheets:
        typer.echo(f"Écrit (feuille de notation) : {p}")
    typer.echo(f"Écrit (cartes A6) : {result.cards}")
    typer.echo(f"Écrit (fiche animateur) : {result.facilitator}")
    typer.echo(
        f"{result.n_items} objets à noter. Après l'atelier, rangez les feuilles remplies dans {out_dir} "
        "(quel que soit leur nom) et lancez :"
    )
    typer.echo(f"  {result.merge_command}")


@app.command("merge")
def merge(
    fichier: Path = typer.Argument(
        ..., metavar="CLASSEUR", help="Classeur du territoire (.xlsx ou .xlsm) : il n'est jamais modifié."
    ),
    notes: list[Path] = typer.Argument(
        ...,
        metavar="DOSSIER|NOTATION.xlsx...",
        help="Dossier du kit (toutes ses feuilles de notation), ou feuilles remplies.",
    ),
    sortie: Path = typer.Option(
        ..., "-o", "--output", metavar="NOUVEAU.xlsx", help="Nouveau classeur à écrire (copie avec les votes)."
    ),
    pseudonymiser: bool = typer.Option(
        False, "--pseudonymiser", help="Remplacer les noms des participants par P01, P02…"
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Limites de lecture (section [limites])."
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Ajoute toutes les notes à la feuille Votes d'un NOUVEAU classeur ; l'original n'est jamais modifié.

    \b
    Une note hors de l'échelle 1-5, un objet inconnu ou un fichier illisible sont signalés avec leur
    cellule et rien n'est écrit (code de sortie 1). La participation de chacun est affichée, feuilles
    vides comprises. Un dossier donné est lu en entier : un fichier qui n'est pas une feuille de notation
    y est nommé et ignoré.
    """
    from ..report.formatting import agree, plural
    from ..workshop.merge import plan_merge, write_merged
    from .common import load_settings, output_targets, usable_report

    suffix = fichier.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        typer.echo(
            f"{fichier.name} : la fusion écrit un classeur Excel ; ouvrez ce fichier dans LibreOffice ou Excel, "
            "enregistrez-le au format .xlsx, puis relancez avec ce fichier.",
            err=True,
        )
        raise typer.Exit(2)
    if sortie.suffix.lower() != suffix:
        typer.echo(f"Sortie refusée : {sortie} doit avoir l'extension {suffix}, comme {fichier.name}.", err=True)
        raise typer.Exit(2)
    output_targets({"xlsx": sortie}, (fichier, *(n for n in notes if not n.is_dir()), config), force)
    cfg, _ = load_settings(config)
    _, workbook = usable_report(fichier, cfg, "Corrigez d'abord le classeur du territoire.")

    plan = plan_merge(workbook, notes, pseudonymiser, cfg.limits, cfg.catalogue, exclude=(fichier, sortie))
    for issue in plan.warnings:
        typer.echo(f"AVERTISSEMENT {issue.text}", err=True)
    if not plan.ok:
        for issue in plan.errors:
            typer.echo(f"ERREUR {issue.text}", err=True)
        n = len(plan.errors)
        typer.echo(f"{plural(n, 'erreur')} : aucun classeur écrit. Corrigez les feuilles puis relancez.", err=True)
        raise typer.Exit(1)
    if not plan.votes:
        _print_turnout(plan)
        typer.echo("Aucune note trouvée dans ces feuilles : aucun classeur écrit.", err=True)
        raise typer.Exit(1)
    try:
        write_merged(fichier, plan, sortie)
    except OSError as exc:
        typer.echo(f"Écriture impossible : {exc.filename or ''} ({exc.strerror or exc})", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:  # the source workbook cannot be copied by openpyxl
        typer.echo(f"Fusion impossible : {exc}", err=True)
        raise typer.Exit(2) from None
    _print_turnout(plan)
    n = len(plan.votes)
    typer.echo(
        f"Écrit : {sortie} ({plural(n, 'note')} {agree(n, 'ajoutée')} à la feuille Votes ; "
        f"{fichier.name} n'a pas été modifié)."
    )
    typer.echo(f"Suite : pilier-eco diagnose {sortie}")


def _print_turnout(plan) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Participation")
    table.add_column("Participant", overflow="fold")
    table.add_column("Structure", overflow="fold")
    table.add_column("Objets notés", justify="right")
    table.add_column("Fichier(s)", overflow="fold")
    for t in plan.turnout:
        scored = Text(t.remark) if t.remark else f"{t.scored} / {t.total}"
        table.add_row(Text(t.participant), Text(t.structure or "—"), scored, Text(", ".join(t.files)))
    Console(highlight=False).print(table)

"""(à venir) commande diagnose."""

import typer


def command() -> None:
    typer.echo("Commande « diagnose » pas encore disponible.", err=True)
    raise typer.Exit(3)

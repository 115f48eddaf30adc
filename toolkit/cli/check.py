"""(à venir) commande check."""

import typer


def command() -> None:
    typer.echo("Commande « check » pas encore disponible.", err=True)
    raise typer.Exit(3)

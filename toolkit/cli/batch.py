"""(à venir) commande batch."""

import typer


def command() -> None:
    typer.echo("Commande « batch » pas encore disponible.", err=True)
    raise typer.Exit(3)

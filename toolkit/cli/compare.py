"""(à venir) commande compare."""

import typer


def command() -> None:
    typer.echo("Commande « compare » pas encore disponible.", err=True)
    raise typer.Exit(3)

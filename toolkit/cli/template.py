"""(à venir) commande template."""

import typer


def command() -> None:
    typer.echo("Commande « template » pas encore disponible.", err=True)
    raise typer.Exit(3)

"""Kit d'atelier (à venir)."""

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("kit")
def kit() -> None:
    typer.echo("Commande « atelier kit » pas encore disponible.", err=True)
    raise typer.Exit(3)

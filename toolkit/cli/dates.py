"""The `--date AAAA-MM-JJ` option of `check` and `diagnose`: the report's date, read once, refused in French."""

from __future__ import annotations

from datetime import date

import typer


def parse_date(text: str | None) -> date | None:
    """--date AAAA-MM-JJ (`check`, `diagnose`), or a French message and exit code 2."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        typer.echo(f"--date : « {text} » n'est pas une date au format AAAA-MM-JJ (ex. 2026-12-02).", err=True)
        raise typer.Exit(2) from None

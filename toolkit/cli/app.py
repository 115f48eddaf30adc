"""The `pilier-eco` command: a thin typer app; each command lives in its own module and only calls the library.

Command modules keep their heavy imports (pandas, WeasyPrint) inside the command bodies so
that `pilier-eco check` starts fast.
"""

from __future__ import annotations

import os
import sys

import typer

from . import atelier, batch, check, compare, diagnose, observatoire, serve, suivi, template
from .french import FrenchStream

app = typer.Typer(
    name="pilier-eco",
    help="Diagnostic et feuille de route « emploi et développement économique » des contrats de ville.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.command("template", help=template.__doc__)(template.command)
app.command("check", help=check.__doc__)(check.command)
app.command("diagnose", help=diagnose.__doc__)(diagnose.command)
app.command("compare", help=compare.__doc__)(compare.command)
app.command("batch", help=batch.__doc__)(batch.command)
app.add_typer(atelier.app, name="atelier", help=atelier.__doc__)
app.add_typer(suivi.app, name="suivi", help=suivi.__doc__)
app.add_typer(observatoire.app, name="observatoire", help=observatoire.__doc__)
app.command("serve", help=serve.__doc__)(serve.command)


def main() -> None:
    """Entry point: never shows a traceback to a user (set PILIER_ECO_DEBUG=1 to see one).

    The streams are wrapped for the command only and put back when it ends (a caller that runs
    `main()` in its own process, such as a test, gets its own streams back).
    """
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = FrenchStream(sys.stdout), FrenchStream(sys.stderr)
    try:
        app()
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - last-resort guard
        if os.environ.get("PILIER_ECO_DEBUG"):
            raise
        print(
            f"Erreur interne inattendue ({exc}). Relancez avec PILIER_ECO_DEBUG=1 pour le détail et signalez-la.",
            file=sys.stderr,
        )
        sys.exit(3)
    finally:
        sys.stdout, sys.stderr = streams

"""Compare plusieurs territoires : enjeux côte à côte, actions communes et propres, points de vigilance partagés, ce que chacun peut reprendre des autres, couverture des données.

\b
Chaque classeur est d'abord vérifié comme par « check » : si l'un d'eux contient des erreurs, seules ses
erreurs sont listées, fichier par fichier, et aucun document n'est écrit (code de sortie 1 ; 2 si un fichier est illisible).
Sans -o, le PDF va dans reports/comparaison.pdf ; un fichier existant n'est remplacé qu'avec --force.
Exemples :
  pilier-eco compare carcassonne.xlsx bedarieux.xlsx vauvert.xlsx -o comparaison.pdf
  pilier-eco compare a.xlsx b.ods --html comparaison.html --config pilier.toml
"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import FORCE_HELP


def command(
    fichiers: list[Path] = typer.Argument(
        ..., metavar="CLASSEUR...", help="Au moins deux classeurs remplis (.xlsx, .ods, .xlsm)."
    ),
    sortie: Path = typer.Option(
        None, "-o", "--output", metavar="COMPARAISON.pdf", help="Document PDF (par défaut : reports/comparaison.pdf)."
    ),
    html: Path = typer.Option(
        None, "--html", metavar="COMPARAISON.html", help="Écrire aussi la comparaison en HTML autonome."
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils et limites de la méthode."
    ),
    theme: Path = typer.Option(None, "--theme", metavar="THEME.toml", help="Couleurs et pied de page."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Only parses arguments, calls the library and prints in French."""
    from ..report.formatting import agree, plural
    from ..validate import check
    from .common import echo_report, load_settings, output_targets, write_outputs

    if len(fichiers) < 2:
        typer.echo("Indiquez au moins deux classeurs à comparer.", err=True)
        raise typer.Exit(2)
    seen: set[Path] = set()
    for f in fichiers:
        if f.resolve() in seen:
            typer.echo(f"{f} : ce classeur est donné deux fois ; comparez des territoires différents.", err=True)
            raise typer.Exit(2)
        seen.add(f.resolve())
    cfg, thm = load_settings(config, theme)
    targets = output_targets(
        {"pdf": sortie or Path("reports") / "comparaison.pdf", "html": html}, (*fichiers, config, theme), force
    )

    reports = [check(f, cfg) for f in fichiers]
    bad = [r for r in reports if not r.ok or r.workbook is None]
    if bad:
        for r in bad:  # only what blocks: the errors of the failing files, not the checks of the others
            echo_report(r, warnings=False)
        names = ", ".join(Path(r.path).name for r in bad)
        typer.echo(f"Aucune comparaison produite : {plural(len(bad), 'classeur')} à corriger ({names}).", err=True)
        raise typer.Exit(max(r.exit_code for r in bad) or 1)

    from ..compare import compare
    from ..diagnostic import diagnose
    from ..report.compare import render_compare_html, render_compare_pdf

    diags = [diagnose(wb, cfg, report=r) for r in reports if (wb := r.workbook) is not None]  # all, as checked
    cmp = compare(diags, [Path(r.path).name for r in reports])
    writers = {
        "pdf": ("PDF", lambda p: render_compare_pdf(cmp, p, thm)),
        "html": ("HTML", lambda p: render_compare_html(cmp, p, thm)),
    }
    write_outputs((label, targets[kind], write) for kind, (label, write) in writers.items() if kind in targets)
    typer.echo(
        f"{len(diags)} territoires comparés : {plural(len(cmp.common_actions), 'action')} en commun, "
        f"{plural(len(cmp.shared_vigilance), 'point')} de vigilance {agree(len(cmp.shared_vigilance), 'partagé')}."
    )

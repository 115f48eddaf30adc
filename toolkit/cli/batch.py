"""Diagnostique tous les classeurs d'un dossier (.xlsx, .ods, .xlsm ; sous-dossiers non parcourus), en parallèle.

\b
Un rapport PDF par classeur dans le dossier de sortie, nommé d'après le nom du fichier (sans accents
ni espaces ; « -2 », « -3 »… si deux fichiers donnent le même nom). Un classeur en erreur n'arrête
pas les autres : un tableau récapitulatif (fichier, statut, erreurs, avertissements, sortie) clôt le
traitement. Relancé sur le même dossier, seuls les classeurs modifiés (ou dont la configuration, les
catalogues, le thème ou la version de l'outil ont changé) sont refaits ; --force refait tout.
Codes de sortie : 0 tous les rapports écrits, 1 au moins un classeur en échec (chacun est nommé),
2 dossier introuvable ou option invalide.
Exemples :
  pilier-eco batch classeurs/ --out-dir rapports/
  pilier-eco batch classeurs/ --out-dir rapports/ --jobs 2 --html --config pilier.toml
  pilier-eco batch classeurs/ --out-dir rapports/ --docx --pptx
"""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    dossier: Path = typer.Argument(..., metavar="DOSSIER", help="Dossier contenant les classeurs remplis."),
    out_dir: Path = typer.Option(..., "--out-dir", "-o", metavar="SORTIE", help="Dossier où écrire les rapports."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", metavar="N", help="Nombre de traitements en parallèle (par défaut : nombre de cœurs)."
    ),
    html: bool = typer.Option(False, "--html", help="Écrire aussi chaque rapport en HTML."),
    docx: bool = typer.Option(False, "--docx", help="Écrire aussi chaque rapport en Word modifiable."),
    pptx: bool = typer.Option(
        False, "--pptx", help="Écrire aussi le diaporama du comité de pilotage de chaque classeur."
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils et limites de la méthode."
    ),
    theme: Path = typer.Option(
        None, "--theme", metavar="THEME.toml", help="Couleurs, logo et pied de page des rapports."
    ),
    force: bool = typer.Option(False, "--force", help="Refaire tous les rapports, même ceux déjà à jour."),
) -> None:
    """Only parses arguments, calls `toolkit.batch` and prints in French (progress bar and summary on the terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table
    from rich.text import Text

    from ..batch import STATUS_LABELS, default_workers, failed, plan_batch, run_plan
    from ..config import ConfigError, load_config
    from ..report.formatting import agree, plural
    from ..report.theme import ThemeError, load_theme

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not dossier.is_dir():
        err.print(f"{dossier} : dossier introuvable.", markup=False)
        raise typer.Exit(2)
    if jobs is not None and jobs < 1:
        err.print(f"--jobs {jobs} : indiquez un nombre de traitements parallèles d'au moins 1.", markup=False)
        raise typer.Exit(2)
    if out_dir.exists() and not out_dir.is_dir():
        err.print(f"{out_dir} : c'est un fichier ; indiquez un dossier de sortie.", markup=False)
        raise typer.Exit(2)
    try:
        cfg = load_config(config)
        thm = load_theme(theme)
    except (ConfigError, ThemeError) as exc:
        err.print(f"Configuration : {exc}", markup=False)
        raise typer.Exit(2) from None

    plan = plan_batch(dossier, out_dir, cfg, thm, html=html, force=force, docx=docx, pptx=pptx)  # as pe.batch
    if not plan.jobs:
        err.print(
            f"{dossier} : aucun classeur .xlsx, .ods ou .xlsm dans ce dossier (les sous-dossiers ne sont pas "
            "parcourus).",
            markup=False,
        )
        raise typer.Exit(1)
    job_list, todo = plan.jobs, plan.todo
    skipped = len(job_list) - len(todo)
    workers = max(1, min(jobs or default_workers(), len(todo)))
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"{plural(len(job_list), 'classeur')} {agree(len(job_list), 'trouvé')}"
        + (
            f", dont {skipped} {agree(skipped, 'inchangé')} depuis le dernier traitement "
            "(non refait ; --force pour tout refaire)"
            if skipped
            else ""
        )
        + f" : {len(todo)} à traiter"
        + (f", {plural(workers, 'traitement')} en parallèle" if todo else "")
        + ".",
        markup=False,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not todo,
    ) as progress:
        task = progress.add_task("Diagnostic", total=len(todo))

        def on_done(result) -> None:
            progress.advance(task)

        results = run_plan(plan, workers, on_done)

    table = Table(title=f"Récapitulatif (rapports dans {out_dir})", show_lines=False)
    table.add_column("Fichier", overflow="fold")
    table.add_column("Statut", no_wrap=True)
    table.add_column("Erreurs", justify="right")
    table.add_column("Avertissements", justify="right")
    table.add_column("Sortie", overflow="fold")
    for r in results:
        table.add_row(
            Text(r.source),
            STATUS_LABELS[r.status],
            str(r.errors),
            str(r.warnings),
            Text(", ".join(Path(o).name for o in r.outputs) or "—"),
        )
    out.print(table)
    bad = failed(results)
    ok = len(results) - len(bad)
    written = ok - skipped
    out.print(
        f"{plural(ok, 'rapport')} à jour sur {len(results)} : {written} {agree(written, 'écrit')}"
        + (f", {skipped} {agree(skipped, 'inchangé')} ({agree(skipped, 'non refait')})" if skipped else "")
        + ".",
        markup=False,
    )
    if bad:
        for r in bad:
            err.print(
                f"Échec : {r.source} — {STATUS_LABELS[r.status]}" + (f" : {r.message}" if r.message else ""),
                markup=False,
                soft_wrap=True,
            )
        err.print("Corrigez ces classeurs (pilier-eco check CLASSEUR) puis relancez.", markup=False)
        raise typer.Exit(1)

"""Diagnostique un classeur rempli et produit le rapport (PDF, et au choix HTML, Word, diaporama, note, Excel, JSON).

\b
Le classeur est d'abord vérifié comme par « check » : s'il contient des erreurs, elles sont listées
et aucun fichier n'est écrit (code de sortie 1). Sans -o, le PDF va dans reports/<territoire>.pdf.
Un fichier de sortie existant n'est remplacé qu'avec --force.
Le classeur d'entrée n'est jamais modifié ; chaque sortie est écrite d'un bloc (fichier temporaire
puis remplacement).
Exemples :
  pilier-eco diagnose carcassonne.xlsx
  pilier-eco diagnose carcassonne.xlsx -o rapport.pdf --html rapport.html --xlsx resultats.xlsx
  pilier-eco diagnose carcassonne.xlsx --docx rapport.docx --pptx comite.pptx --note note-elus.pdf
  pilier-eco diagnose carcassonne.ods --config pilier.toml --theme theme.toml --json resultats.json
  pilier-eco diagnose carcassonne.xlsx --pseudonymiser
  pilier-eco diagnose carcassonne.xlsx --date 2026-12-02
La feuille de route part de la date du jour (ou de --date) : une action dont le démarrage prévu est
passé est signalée « en retard » et replanifiée.
Le rapport ne nomme que des organisations, jamais les participants de la feuille Votes ;
--pseudonymiser remplace en plus leurs noms par P01, P02… dès la lecture.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import FORCE_HELP


def command(
    fichier: Path = typer.Argument(..., metavar="CLASSEUR", help="Classeur rempli : .xlsx, .ods ou .xlsm."),
    sortie: Path = typer.Option(
        None, "-o", "--output", metavar="RAPPORT.pdf", help="Rapport PDF (par défaut : reports/<territoire>.pdf)."
    ),
    html: Path = typer.Option(None, "--html", metavar="RAPPORT.html", help="Écrire aussi le rapport en HTML autonome."),
    xlsx: Path = typer.Option(None, "--xlsx", metavar="RESULTATS.xlsx", help="Écrire aussi les résultats en Excel."),
    json_out: Path = typer.Option(None, "--json", metavar="RESULTATS.json", help="Écrire aussi les résultats en JSON."),
    docx: Path = typer.Option(
        None, "--docx", metavar="RAPPORT.docx", help="Écrire aussi le rapport en Word modifiable (mêmes chapitres)."
    ),
    pptx: Path = typer.Option(
        None, "--pptx", metavar="PRESENTATION.pptx", help="Écrire aussi le diaporama du comité de pilotage."
    ),
    note: Path = typer.Option(
        None, "--note", metavar="NOTE.pdf", help="Écrire aussi la note d'une page aux élus (PDF A4)."
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils et limites de la méthode."
    ),
    theme: Path = typer.Option(
        None, "--theme", metavar="THEME.toml", help="Couleurs, logo et pied de page du rapport."
    ),
    pseudonymiser: bool = typer.Option(
        False,
        "--pseudonymiser",
        help="Remplacer les noms des participants (feuille Votes) par P01, P02… avant tout calcul.",
    ),
    date_generation: str = typer.Option(
        None,
        "--date",
        metavar="AAAA-MM-JJ",
        help="Date de référence de la feuille de route (par défaut : aujourd'hui).",
    ),
    contours: Path = typer.Option(
        None,
        "--contours",
        metavar="FICHIER.geojson",
        help="Contours des quartiers pour la carte du portrait (GeoJSON WGS 84, par exemple les périmètres 2024 "
        "de data.gouv.fr) ; par défaut ceux de 2015 des quartiers d'Occitanie, fournis.",
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Only parses arguments, calls the library and prints in French."""
    from ..io.output import default_report_path
    from ..report.formatting import plural
    from .common import load_settings, output_targets, usable_report, write_outputs
    from .dates import parse_date
    from .observatoire import with_contours

    today = parse_date(date_generation)
    cfg, thm = load_settings(config, theme)
    cfg = with_contours(cfg, contours)
    report, workbook = usable_report(fichier, cfg, "Aucun rapport produit.", today)
    if pseudonymiser:
        from ..pseudonyms import pseudonymise_votes

        workbook = pseudonymise_votes(workbook)
    pdf_path = sortie if sortie is not None else default_report_path(workbook.territoire.nom)
    targets = output_targets(
        {"pdf": pdf_path, "html": html, "docx": docx, "pptx": pptx, "note": note, "xlsx": xlsx, "json": json_out},
        (fichier, config, theme, contours),
        force,
    )

    from ..diagnostic import diagnose

    diag = diagnose(workbook, cfg, report=report, today=today)
    jobs = _writers(diag, thm, targets, cfg.report.actions_detaillees)
    office = [j for j in jobs if j[0] in OFFICE_LABELS]
    if office:  # one view and one HTML for every document, computed before the Word report and PDF part ways
        from ..report.shared import html_for, view_for

        html_for(view_for(diag, thm, None, cfg.report.actions_detaillees))
    write_outputs([j for j in jobs if j[0] not in OFFICE_LABELS], alongside=office)
    typer.echo(summary_line(diag))
    if report.warnings:
        n = len(report.warnings)
        typer.echo(f"{plural(n, 'avertissement')} sur les données : voir l'annexe « Qualité des données ».")


#: The editable documents, written alongside the PDF (cli/common.write_outputs).
OFFICE_LABELS = ("Word", "diaporama", "note aux élus")


def _writers(diag, thm, targets: dict[str, Path], detailed: int | None = None):
    """(label, path, writer) for each requested output, PDF first; `detailed`: actions detailed in the report."""
    import json

    from ..io.output import atomic_write_text
    from ..report import render_docx, render_html, render_note, render_pdf, render_pptx, render_xlsx
    from ..report.records import to_json

    writers = {
        "pdf": ("PDF", lambda p: render_pdf(diag, p, thm, detailed=detailed)),
        "html": ("HTML", lambda p: render_html(diag, p, thm, detailed=detailed)),
        "docx": ("Word", lambda p: render_docx(diag, p, thm, detailed=detailed)),
        "pptx": ("diaporama", lambda p: render_pptx(diag, p, thm, detailed=detailed)),
        "note": ("note aux élus", lambda p: render_note(diag, p, thm, detailed=detailed)),
        "xlsx": ("Excel", lambda p: render_xlsx(diag, p)),
        "json": (
            "JSON",
            lambda p: atomic_write_text(p, json.dumps(to_json(diag), ensure_ascii=False, indent=2) + "\n"),
        ),
    }
    return [(label, targets[kind], write) for kind, (label, write) in writers.items() if kind in targets]


def summary_line(diag) -> str:
    """One French line: territory, top enjeu, actions by priority, blocking points."""
    from ..report.formatting import agree, plural

    n = len(diag.actions)
    p1 = sum(1 for a in diag.actions if a.priorite == 1)
    blocking = sum(1 for v in diag.vigilance if v.niveau == "bloquant")
    top = f"enjeu n° 1 : {diag.enjeux[0].libelle}" if diag.enjeux else "aucun enjeu noté"
    return (
        f"{diag.territoire.nom} : {top} ; {plural(n, 'action')} {agree(n, 'classée')} "
        f"dont {p1} de priorité 1 ; {plural(len(diag.vigilance), 'point')} de vigilance "
        f"dont {blocking} {agree(blocking, 'bloquant')}."
    )

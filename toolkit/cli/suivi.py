"""Suivi 2024–2030 : enregistrer chaque année l'état du plan, voir l'historique, produire la revue annuelle.

\b
La base de suivi est un fichier SQLite (suivi.sqlite à côté du classeur, ou [suivi] base = … dans la
configuration, ou --base) ; une équipe peut partager une base PostgreSQL : --base postgresql://…
Exemples :
  pilier-eco suivi enregistrer carcassonne.xlsx
  pilier-eco suivi historique --base suivi.sqlite
  pilier-eco suivi bilan --base suivi.sqlite --territoire Carcassonne -o revue.pdf --avis avis-conseil-citoyen.txt
  pilier-eco suivi bilan --base suivi.sqlite --territoire Carcassonne -o revue.pdf --docx revue.docx
  pilier-eco suivi export --base suivi.sqlite --territoire Carcassonne -o plan.xlsx --csv plan-csv/
  pilier-eco suivi sauvegarde --base suivi.sqlite sauvegarde-2026-12.sqlite
  pilier-eco suivi verifier --base suivi.sqlite
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..suivi.store import Base

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=__doc__)

_BASE_HELP = (
    "Base de suivi : un fichier SQLite ou une adresse postgresql://utilisateur@hôte:port/base "
    "(par défaut : [suivi] base de la configuration, sinon suivi.sqlite à côté du classeur "
    "ou dans le dossier courant)."
)


def resolve_base(base: str | None, config: Path | None, near: Path | None = None) -> str:
    """--base, else the configuration's [suivi] base, else suivi.sqlite beside the workbook (or here)."""
    if base:
        return base
    if config is not None:
        from .common import load_settings

        cfg, _ = load_settings(config)
        if cfg.suivi_base:
            return cfg.suivi_base
    return str((near.parent if near is not None else Path(".")) / "suivi.sqlite")


def base_problem(exc: Exception, target: str) -> str:
    """« Base de suivi old5.sqlite : base au schéma 5… »: the base named once, never « Base de suivi :
    old5.sqlite : … » (the store's messages open with the base they are about); « Base de suivi : … » otherwise,
    and a message that already has its own « : » is given as it is, its first letter raised."""
    from ..suivi.store import display_target

    msg = str(exc)
    names = {str(Path(target)), display_target(target), target}
    if any(msg.startswith(f"{name} : ") for name in names if name):
        return f"Base de suivi {msg}"
    if " : " in msg:
        return msg[:1].upper() + msg[1:]
    return f"Base de suivi : {msg}"


@contextmanager
def opened(target: str, *, create: bool = False, check: bool = False) -> Iterator[Base]:
    """The open base; a French message and exit 1 on any base problem (2 for a folder, a device or a pipe)."""
    from ..suivi.store import NotAFileError, SuiviError, open_base

    try:
        base = open_base(target, create=create, check=check)
    except NotAFileError as exc:
        typer.echo(base_problem(exc, target), err=True)
        raise typer.Exit(2) from None
    except SuiviError as exc:
        typer.echo(base_problem(exc, target), err=True)
        raise typer.Exit(1) from None
    if base.upgraded is not None:
        old, new = base.upgraded
        typer.echo(
            f"Base {base.shown} mise à niveau du schéma {old} au schéma {new} (une fois pour toutes) : les versions "
            "plus anciennes de pilier-eco ne la liront plus.",
            err=True,
        )
    try:
        yield base
    except SuiviError as exc:
        typer.echo(base_problem(exc, target), err=True)
        raise typer.Exit(1) from None
    finally:
        base.close()


def _date(d) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def _counts(snapshots: int, territories: int) -> str:
    """« 3 instantanés, 1 territoire », through the report's one plural helper (Babel's French rules)."""
    from ..report.formatting import plural

    return f"{plural(snapshots, 'instantané')}, {plural(territories, 'territoire')}"


def _stamp(iso: str) -> str:
    """The recording time stored as ISO text, shown as a French date (« 02/12/2026 »)."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) >= 10 else iso


@app.command("enregistrer")
def enregistrer(
    fichier: Path = typer.Argument(..., metavar="CLASSEUR", help="Classeur rempli du territoire (.xlsx, .ods, .xlsm)."),
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils, limites et base de suivi."
    ),
) -> None:
    """Enregistre un instantané daté du territoire : chiffres (année, source), scores des enjeux, rangs et
    statuts des actions, points de vigilance, version de l'outil, catalogues et configuration utilisés.

    \b
    Le classeur est d'abord vérifié comme par « check » ; s'il contient des erreurs, rien n'est enregistré.
    Enregistrer deux fois le même classeur ne crée rien (le message le dit). L'instantané est écrit d'un bloc :
    interrompu, il ne laisse rien de partiel.
    """
    from ..catalog.geography import geography
    from ..diagnostic import diagnose
    from ..suivi.snapshot import take_snapshot
    from ..suivi.store import display_target
    from .common import load_settings, usable_report

    cfg, _ = load_settings(config)
    report, wb = usable_report(fichier, cfg, "Rien n'a été enregistré dans la base de suivi.")
    target = base or cfg.suivi_base or str(fichier.parent / "suivi.sqlite")
    # the plan as it stood on the situation date: the roadmap is anchored to it
    snap = take_snapshot(
        wb, diagnose(wb, cfg, report=report, today=wb.territoire.date_diagnostic), fichier=fichier.name
    )
    with opened(target, create=True) as b:  # damage: header checked here, pages by SQLite as they are read
        result = b.record(snap)
    where = display_target(target)
    if not any(geography(q.code) for q in wb.territoire.quartiers):  # issue 22: an unlocated snapshot
        cell = wb.territoire.cells.get("quartiers")
        typer.echo(
            f"Avertissement : instantané sans code de quartier prioritaire (QP… ou QN…) "
            f"({cell if cell else 'Territoire, ligne « Quartiers prioritaires »'}) : les années suivantes ne "
            "pourront pas être rapprochées de ce périmètre ; renseignez les codes puis réenregistrez.",
            err=True,
        )
    from ..report.wording import snapshot_which

    which = snapshot_which(result.rang, result.territoire)
    if result.created:
        typer.echo(f"Enregistré : {which} (situation au {_date(result.date_situation)}) dans {where}.")
    else:
        typer.echo(
            f"Déjà enregistré : ce classeur est identique au {which} (enregistré le {_stamp(result.enregistre_le)}) ; "
            f"rien n'a été écrit dans {where}."
        )


@app.command("historique")
def historique(
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    territoire: str = typer.Option(None, "--territoire", metavar="NOM", help="Seulement ce territoire."),
    json_out: bool = typer.Option(False, "--json", help="Écrire la liste en JSON sur la sortie standard."),
    config: Path = typer.Option(None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base)."),
) -> None:
    """Liste les instantanés enregistrés : territoire, date de la situation, date d'enregistrement, contenu."""
    target = resolve_base(base, config)
    with opened(target) as b:
        rows = b.history(territoire)
    if json_out:  # a JSON array, one snapshot per line (C encoder: `indent` would fall back to pure Python)
        _write_data(
            "[" if rows else "[]\n",
            (
                ("\n  " if i == 0 else ",\n  ")
                + json.dumps(
                    {
                        "id": r.id,
                        "territoire": r.territoire,
                        "date_situation": r.date_situation.isoformat(),
                        "enregistre_le": r.enregistre_le,
                        "version_outil": r.version_outil,
                        "fichier": r.fichier,
                        "indicateurs": r.indicateurs,
                        "actions": r.actions,
                        "empreinte": r.empreinte,
                    },
                    ensure_ascii=False,
                )
                for i, r in enumerate(rows)
            ),
        )
        if rows:
            _write_data("\n]\n", ())
        return
    if not rows:
        typer.echo("Aucun instantané dans la base.")
        return

    def lines() -> Iterator[str]:
        current = None
        for r in rows:
            if r.territoire != current:
                current = r.territoire
                yield f"{current}\n"
            yield (
                f"  n° {r.id:<5} situation au {_date(r.date_situation)}  enregistré le {_stamp(r.enregistre_le)}  "
                f"{r.indicateurs} indicateurs, {r.actions} actions  ({r.fichier}, pilier-eco {r.version_outil})\n"
            )

    _write_data("", lines())
    n_t = len({r.territoire for r in rows})
    typer.echo(_counts(len(rows), n_t) + ".")


def _write_data(head: str, parts: Iterable[str]) -> None:
    """Data lines (names from workbooks) straight to the binary standard output, by blocks: they bypass the
    translation of the parser's English phrases (a territory's name is never rewritten) and its cost."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (some embedding): write through it
        sys.stdout.write(head + "".join(parts))
        return
    sys.stdout.flush()
    block = [head]
    size = len(head)
    for part in parts:
        block.append(part)
        size += len(part)
        if size > 1 << 16:
            out.write("".join(block).encode("utf-8"))
            block, size = [], 0
    out.write("".join(block).encode("utf-8"))
    out.flush()


@app.command("bilan")
def bilan(
    territoire: str = typer.Option(
        ...,
        "--territoire",
        metavar="NOM",
        help="Territoire : nom enregistré, ou son nom avant le tiret (« Carcassonne ») ; sinon les candidats sont listés.",
    ),
    sortie: Path = typer.Option(..., "-o", "--output", metavar="REVUE.pdf", help="Revue annuelle en PDF."),
    html: Path = typer.Option(None, "--html", metavar="REVUE.html", help="Écrire aussi la revue en HTML autonome."),
    docx: Path = typer.Option(
        None, "--docx", metavar="REVUE.docx", help="Écrire aussi la revue en Word modifiable (même contenu que le PDF)."
    ),
    xlsx: Path = typer.Option(
        None, "--xlsx", metavar="SUIVI.xlsx", help="Écrire aussi le plan et son historique en Excel."
    ),
    avis: list[Path] = typer.Option(
        None,
        "--avis",
        metavar="FICHIER.txt",
        help="Avis d'un conseil citoyen (.txt ou .md, UTF-8), annexé tel quel ; répétable.",
    ),
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    config: Path = typer.Option(None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base)."),
    theme: Path = typer.Option(None, "--theme", metavar="THEME.toml", help="Couleurs, logo et pied de page."),
    force: bool = typer.Option(False, "--force", help="Remplacer les fichiers de sortie qui existent déjà."),
) -> None:
    """Produit la revue annuelle / évaluation à mi-parcours à partir des instantanés enregistrés.

    \b
    Chapitres du rapport annuel (décret n° 2015-1118) : orientations et actions du contrat ; évolution de la
    situation des quartiers au regard des objectifs ; actions de l'année (changements de statut, retards,
    budgets) ; perspectives et questions pour le prochain comité de pilotage ; avis des conseils citoyens.
    """
    from ..suivi.review import AvisError, read_avis
    from .common import load_settings, output_targets, refuse_existing, write_outputs

    target = resolve_base(base, config)
    _, thm = load_settings(config, theme)
    targets = output_targets({"pdf": sortie, "html": html, "docx": docx, "xlsx": xlsx}, [*(avis or []), config, theme])
    refuse_existing(targets.values(), force)
    try:
        opinions = tuple(read_avis(p) for p in (avis or []))
    except AvisError as exc:
        typer.echo(f"Avis : {exc}", err=True)
        raise typer.Exit(2) from None
    with opened(target) as b:
        snaps = b.snapshots(territoire)
    from ..report.review import render_review_html, render_review_pdf
    from ..report.word import render_review_docx
    from ..suivi import export as ex
    from ..suivi.review import build_review

    review = build_review(snaps, opinions)
    jobs = {
        "pdf": ("PDF", lambda p: render_review_pdf(review, p, thm)),
        "html": ("HTML", lambda p: render_review_html(review, p, thm)),
        "docx": ("Word", lambda p: render_review_docx(review, p, thm)),
        "xlsx": ("Excel", lambda p: ex.write_xlsx(snaps, p)),
    }
    write_outputs([(label, targets[k], w) for k, (label, w) in jobs.items() if k in targets])
    typer.echo(review.summary_line())


@app.command("export")
def export(
    territoire: str = typer.Option(..., "--territoire", metavar="NOM", help="Territoire à exporter."),
    sortie: Path = typer.Option(
        ..., "-o", "--output", metavar="PLAN.xlsx", help="Classeur Excel du plan et de son historique."
    ),
    csv_dir: Path = typer.Option(
        None, "--csv", metavar="DOSSIER", help="Écrire aussi un fichier CSV par onglet dans ce dossier."
    ),
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    config: Path = typer.Option(None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base)."),
    force: bool = typer.Option(False, "--force", help="Remplacer les fichiers qui existent déjà."),
) -> None:
    """Exporte le plan d'actions et son historique (statut, pilote, dates, budgets, notes par année) en XLSX et CSV.

    \b
    Onglets : Plan (dernier état), Actions (un instantané × une action), Indicateurs (un instantané × un
    indicateur), Instantanés. Les textes qui commencent par = + - @ sont précédés d'une apostrophe.
    """
    from ..suivi import export as ex
    from .common import output_targets, refuse_existing, write_outputs

    target = resolve_base(base, config)
    targets = output_targets({"xlsx": sortie}, [config])
    csv_paths = ex.csv_paths(csv_dir) if csv_dir is not None else []
    if csv_dir is not None and csv_dir.exists() and not csv_dir.is_dir():
        typer.echo(f"Sortie refusée : {csv_dir} est un fichier ; indiquez un dossier.", err=True)
        raise typer.Exit(2)
    refuse_existing([*targets.values(), *csv_paths], force)
    with opened(target) as b:
        snaps = b.snapshots(territoire)
    jobs: list[tuple[str, Path, Callable[[Path], object]]] = [
        ("Excel", targets["xlsx"], lambda p: ex.write_xlsx(snaps, p))
    ]
    if csv_dir is not None:
        frames = ex.frames(snaps)
        for name, path in zip(ex.SHEETS, csv_paths, strict=True):
            jobs.append(("CSV", path, partial(ex.write_csv, frames[name])))
    write_outputs(jobs)


@app.command("sauvegarde")
def sauvegarde(
    destination: Path = typer.Argument(..., metavar="FICHIER", help="Fichier de sauvegarde à écrire."),
    base: str = typer.Option(
        ..., "--base", metavar="CIBLE", help="Base à sauvegarder (fichier SQLite ou postgresql://…)."
    ),
    force: bool = typer.Option(False, "--force", help="Remplacer la sauvegarde si le fichier existe déjà."),
) -> None:
    """Copie cohérente de la base, même pendant que d'autres l'utilisent.

    \b
    SQLite : copie par l'API de sauvegarde de SQLite, puis contrôle d'intégrité complet de la copie (une base
    endommagée n'est donc jamais sauvegardée comme si elle était saine).
    PostgreSQL : pg_dump (format personnalisé, à restaurer avec pg_restore) s'il est installé.
    """
    from ..suivi.backup import backup
    from ..suivi.store import SuiviError
    from .common import output_targets, refuse_existing

    output_targets({"copie": destination}, [Path(base)] if not base.startswith("postgres") else [])
    refuse_existing([destination], force)
    try:
        result = backup(base, destination)
    except SuiviError as exc:
        typer.echo(f"Sauvegarde : {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Écrit (sauvegarde) : {result}")


@app.command("verifier")
def verifier(
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    config: Path = typer.Option(None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base)."),
) -> None:
    """Contrôle complet de la base : chaque page du fichier SQLite est relue (PRAGMA integrity_check) et
    chaque ligne doit avoir son instantané (clés étrangères). Rien n'est modifié.

    \b
    Chaque enregistrement contrôle déjà l'en-tête et la version de la base, et SQLite signale une page
    abîmée dès qu'il la lit ; ce contrôle-ci lit tout le fichier (environ 1 s pour 200 Mo) : à lancer de
    temps en temps, ou si un message parle de base endommagée. Code de sortie 1 si la base est endommagée.
    """
    target = resolve_base(base, config)
    from ..suivi.store import display_target, is_postgres

    with opened(target, check=True) as b:
        n_t, n_s = b.counts()
        version = b.schema_version()
    scope = (
        "schéma et contenu lisibles ; l'intégrité des pages relève du serveur PostgreSQL"
        if is_postgres(target)
        else "contrôle d'intégrité complet : aucune erreur"
    )
    typer.echo(f"Base intacte : {display_target(target)} ({scope}) ; schéma {version}, {_counts(n_s, n_t)}.")

"""Observatoire : les contrats de ville d'une base de suivi côte à côte, et les expériences issues du suivi.

\b
Lit la base de suivi sans l'écrire (fonctionne avec un rôle PostgreSQL qui n'a que SELECT) ; seule
« valider » écrit, la décision du centre de ressources.
Exemples :
  pilier-eco observatoire --base suivi.sqlite -o observatoire.pdf
  pilier-eco observatoire --base suivi.sqlite -o aude.pdf --departement 11
  pilier-eco observatoire experiences --base suivi.sqlite -o candidates.toml
  pilier-eco observatoire valider SUIVI_CARCASSONNE_5_QUARTIERS_PRIORITAIRES_MOB_PLATEFORME --par "VTO" --base suivi.sqlite
Les expériences validées rejoignent les diagnostics par [catalogues] experiences = "candidates.toml".
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from .common import FORCE_HELP, write_failure

app = typer.Typer(no_args_is_help=False, rich_markup_mode=None, help=__doc__, invoke_without_command=True)

_BASE_HELP = (
    "Base de suivi : un fichier SQLite ou une adresse postgresql://utilisateur@hôte:port/base (par défaut : "
    "[suivi] base de la configuration, sinon suivi.sqlite dans le dossier courant). Ouverte en lecture seule."
)


@contextmanager
def _readonly(target: str):
    from ..suivi.store import NotAFileError, SuiviError, open_base
    from .suivi import base_problem

    try:
        base = open_base(target, readonly=True)
    except SuiviError as exc:
        typer.echo(base_problem(exc, target), err=True)
        raise typer.Exit(2 if isinstance(exc, NotAFileError) else 1) from None  # as every command (suivi.opened)
    try:
        yield base
    except SuiviError as exc:
        typer.echo(base_problem(exc, target), err=True)
        raise typer.Exit(1) from None
    finally:
        base.close()


def with_contours(cfg, path: Path | None):
    """`cfg` carrying the user's contours (`--contours` of `diagnose` and `serve`), unchanged without a file."""
    from dataclasses import replace

    return cfg if path is None else replace(cfg, contours=contours_of(path))


def contours_of(path: Path | None):
    """The user's GeoJSON (checked, projected), else the packaged 2015 contours of Occitanie; exit 2 in French."""
    from ..catalog.contours import ContoursError, load_contours, packaged_contours

    if path is None:
        return packaged_contours()
    try:
        return load_contours(path)
    except ContoursError as exc:
        typer.echo(f"Contours : {exc.problem.text}", err=True)
        typer.echo("Rien n'a été écrit.", err=True)
        raise typer.Exit(2) from None


@app.callback()
def observatoire(
    ctx: typer.Context,
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    sortie: Path = typer.Option(None, "-o", "--sortie", metavar="FICHIER.pdf", help="Le PDF de l'observatoire."),
    html: Path = typer.Option(None, "--html", metavar="FICHIER.html", help="Aussi en page HTML autonome."),
    departement: str = typer.Option(None, "--departement", metavar="CODE", help="Seulement ce département (11, 34…)."),
    epci: str = typer.Option(
        None,
        "--epci",
        metavar="NOM",
        help="Seulement cet EPCI : son nom officiel ou un nom court qui le désigne (« Grand Orb »).",
    ),
    contours: Path = typer.Option(
        None,
        "--contours",
        metavar="FICHIER.geojson",
        help="Contours des quartiers (GeoJSON WGS 84, par exemple les périmètres 2024 de data.gouv.fr) ; "
        "par défaut ceux de 2015 des quartiers d'Occitanie, fournis.",
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base, catalogues)."
    ),
    theme: Path = typer.Option(None, "--theme", metavar="FICHIER.toml", help="Thème de la structure (couleurs, logo)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Tous les territoires de la base avec leur dernier instantané : avancement, budgets, enjeux côte à côte,
    prérequis bloquants, préparation de l'évaluation à mi-parcours, expériences candidates, carte régionale."""
    if ctx.invoked_subcommand is not None:
        return
    if sortie is None and html is None:
        typer.echo(ctx.get_help())
        typer.echo("\nIndiquez le fichier à écrire : -o observatoire.pdf (ou --html observatoire.html).", err=True)
        raise typer.Exit(2)
    from ..report.observatoire import (
        build_observatory_view,
        no_territory,
        render_observatory_html,
        render_observatory_pdf,
    )
    from ..suivi.candidates import candidates
    from ..suivi.observatory import observe, prerequisite_names
    from .common import load_settings, output_targets, write_outputs
    from .suivi import resolve_base

    cfg, th = load_settings(config, theme)
    targets = output_targets({"pdf": sortie, "html": html}, [contours], force)
    shapes = contours_of(contours)
    with _readonly(resolve_base(base, config)) as b:
        obs = observe(b, prerequisite_names=prerequisite_names(cfg.catalogue), departement=departement, epci=epci)
        cands = candidates(b)
    if not obs.territories:
        typer.echo(f"{no_territory(obs)} Rien n'a été écrit.", err=True)
        raise typer.Exit(1)
    view = build_observatory_view(obs, cands, shapes, th)
    jobs = []
    if "pdf" in targets:
        jobs.append(("PDF", targets["pdf"], lambda p: render_observatory_pdf(view, p)))
    if "html" in targets:
        jobs.append(("HTML", targets["html"], lambda p: _written(render_observatory_html(view, p), p)))
    write_outputs(jobs)
    from ..report.formatting import agree, plural

    typer.echo(
        f"{plural(len(obs.territories), 'territoire')}, {view.ready} {agree(view.ready, 'prêt')} pour l'évaluation "
        f"à mi-parcours {view.mid_year}, {plural(len(view.candidates), 'expérience candidate', 'expériences candidates')}."
    )


@app.command("experiences")
def experiences(
    base: str = typer.Option(None, "--base", metavar="CIBLE", help=_BASE_HELP),
    sortie: Path = typer.Option(
        None, "-o", "--sortie", metavar="FICHIER.toml", help="Catalogue d'expériences à écrire (format [catalogues])."
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base, catalogues)."
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Les expériences candidates (actions « réalisées » avec un indicateur de résultat et sa valeur) et leur état.

    \b
    Avec -o : un catalogue d'expériences au format des catalogues de l'utilisateur, où seules les validées sont
    actives (les autres en commentaire) ; à déclarer dans pilier.toml : [catalogues] experiences = "FICHIER.toml".
    """
    from ..io.output import atomic_write_text
    from ..suivi.candidates import candidates, candidates_toml
    from .common import load_settings, output_targets
    from .suivi import resolve_base

    cfg, _ = load_settings(config)
    targets = output_targets({"toml": sortie}, [], force)
    with _readonly(resolve_base(base, config)) as b:
        cands = candidates(b)
        shown = b.shown
    for c in cands:
        typer.echo(
            f"{c.code} — « {c.intitule} », {c.territoire}, {c.annee} : {c.indicateur_resultat} = {c.valeur_resultat:g} ; {c.etat}"
            + (f" ; {c.a_revalider}" if c.a_revalider else "")
        )
    if not cands:
        typer.echo(
            "Aucune expérience candidate : aucune action « réalisée » avec un indicateur de résultat et sa valeur."
        )
    if "toml" in targets:
        try:
            atomic_write_text(targets["toml"], candidates_toml(cands, cfg.catalogue, shown))
        except OSError as exc:
            typer.echo(write_failure(exc), err=True)
            raise typer.Exit(1) from None
        from ..report.formatting import agree

        n = sum(c.validated for c in cands)
        typer.echo(f"Écrit (catalogue d'expériences, {n} {agree(n, 'validée')} sur {len(cands)}) : {targets['toml']}")


@app.command("valider")
def valider(
    code: str = typer.Argument(..., metavar="CODE", help="Code de la candidate (SUIVI_…), donné par « experiences »."),
    par: str = typer.Option(..., "--par", metavar="NOM", help="Qui valide (nom, structure) : gardé dans la base."),
    base: str = typer.Option(
        None, "--base", metavar="CIBLE", help=_BASE_HELP.replace(" Ouverte en lecture seule.", "")
    ),
    refuser: bool = typer.Option(False, "--refuser", help="Enregistrer un refus au lieu d'une validation."),
    motif: str = typer.Option(
        None,
        "--motif",
        metavar="TEXTE",
        help="Motif de la décision : obligatoire pour un refus (le territoire saura pourquoi), facultatif sinon.",
    ),
    config: Path = typer.Option(None, "--config", metavar="FICHIER.toml", help="Configuration ([suivi] base)."),
) -> None:
    """Enregistre dans la base la décision du centre de ressources sur une expérience candidate (qui, quand).

    Seule écriture de l'observatoire. Une candidate validée est proposée aux autres territoires (jamais au sien),
    citée « suivi de <territoire>, <année> », avec les chiffres de l'instantané validé.
    """
    from ..suivi.candidates import decide
    from .suivi import opened, resolve_base

    if refuser and not (motif or "").strip():
        typer.echo(
            'Un refus se motive : ajoutez --motif « … » (par exemple --motif "résultat non vérifiable"), '
            "le territoire saura pourquoi son expérience n'est pas proposée. Rien n'a été enregistré.",
            err=True,
        )
        raise typer.Exit(2)
    with opened(resolve_base(base, config)) as b:
        c = decide(b, code, par=par, etat="refusée" if refuser else "validée", motif=motif)
    v = c.validation
    assert v is not None  # decide() records the decision it returns
    typer.echo(
        f"{'Refusée' if refuser else 'Validée'} : « {c.intitule} » ({c.territoire}, {c.annee}), par {v.par} le "
        f"{v.date}."
        + (f" Elle remplace la décision précédente : {v.precedentes[0].text()}." if v.precedentes else "")
        + (
            " Exportez le catalogue pour la proposer : pilier-eco observatoire experiences -o candidates.toml"
            if not refuser
            else ""
        )
    )


def _written(_html: str, path: Path) -> Path:
    """The path an HTML writer wrote to (the writer returns the text; `write_outputs` wants the path)."""
    return path

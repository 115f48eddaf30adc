"""Ouvre pilier-eco dans le navigateur : une page web locale pour vérifier, diagnostiquer, comparer, préparer un atelier.

\b
Par défaut, seule cette machine peut se connecter (adresse 127.0.0.1). Pour ouvrir la page au réseau
(--host 0.0.0.0, une salle, un service), un code d'accès est obligatoire (--code ou la variable
d'environnement PILIER_ECO_CODE) : chaque visiteur doit le saisir.
Exemples :
  pilier-eco serve
  pilier-eco serve --port 8080 --dossier donnees-web
  PILIER_ECO_CODE=… pilier-eco serve --host 0.0.0.0
\b
Atelier en direct (les participants notent depuis leur téléphone) : les téléphones doivent joindre
l'ordinateur, donc ouvrez la page au réseau de la salle :
  pilier-eco serve --host 0.0.0.0 --code CODE-ANIMATEUR --dossier atelier-web
Le code de l'atelier affiché à l'écran n'ouvre que la page de notation des participants.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

MIN_CODE = 6


def command(
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port d'écoute."),
    host: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute (127.0.0.1 : cet ordinateur seulement)."),
    dossier: Path = typer.Option(
        None,
        "--dossier",
        metavar="DOSSIER",
        help="Où garder les fichiers déposés et les résultats (par défaut : un dossier temporaire).",
    ),
    code: str | None = typer.Option(
        None,
        "--code",
        envvar="PILIER_ECO_CODE",
        metavar="CODE",
        help="Code d'accès exigé de chaque visiteur (obligatoire hors de 127.0.0.1).",
    ),
    conservation: float = typer.Option(
        120,
        "--conservation",
        min=1,
        metavar="MINUTES",
        help="Fichiers effacés après ce délai sans activité de la session.",
    ),
    config: Path = typer.Option(
        None, "--config", metavar="FICHIER.toml", help="Poids, seuils et limites de la méthode."
    ),
    base: str = typer.Option(
        None,
        "--base",
        metavar="CIBLE",
        help="Base de suivi (fichier SQLite ou adresse postgresql://) : active la page Suivi.",
    ),
    contours: Path = typer.Option(
        None,
        "--contours",
        metavar="FICHIER.geojson",
        help="Contours des quartiers pour les cartes des rapports et de l'observatoire (GeoJSON WGS 84, par "
        "exemple les périmètres 2024 de data.gouv.fr) ; par défaut ceux de 2015 des quartiers d'Occitanie.",
    ),
    nom_hote: list[str] = typer.Option(
        None,
        "--nom-hote",
        metavar="NOM",
        help="Nom sous lequel les navigateurs joignent ce serveur (ex. : atelier.local), en plus de son "
        "adresse ; répétable. Toute autre adresse demandée est refusée.",
    ),
) -> None:
    """Parses arguments, refuses an unsafe start in French, then runs uvicorn on the app of `toolkit.web`."""
    from ..web.app import DataFolderError, check_data_dir
    from ..web.settings import WebSettings, is_loopback
    from .common import load_settings

    code = (code or "").strip() or None
    if not is_loopback(host) and code is None:
        typer.echo(
            f"Refus de démarrer : --host {host} ouvre la page au réseau ; il faut alors un code d'accès "
            "(--code CODE ou la variable PILIER_ECO_CODE), que chaque visiteur devra saisir.",
            err=True,
        )
        raise typer.Exit(2)
    if code is not None and len(code) < MIN_CODE:
        typer.echo(f"Code d'accès trop court : {MIN_CODE} caractères au moins.", err=True)
        raise typer.Exit(2)
    from .observatoire import with_contours

    # read and projected once, before the server starts: a bad file stops it in French
    cfg = with_contours(load_settings(config)[0], contours)
    kwargs: dict[str, Any] = {  # WebSettings fields; data_dir and secret only with --dossier
        "code": code,
        "config": cfg,
        "keep_minutes": conservation,
        "host": host,
        "port": port,
        "suivi_base": base or None,
        "host_names": tuple(nom_hote or ()),
    }
    if dossier is not None:
        if dossier.exists() and not dossier.is_dir():
            typer.echo(f"{dossier} est un fichier ; indiquez un dossier.", err=True)
            raise typer.Exit(2)
        kwargs["data_dir"] = dossier
        try:
            check_data_dir(dossier)  # before reading the cookie key from it: another user's folder is refused
        except DataFolderError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        kwargs["secret"] = _kept_secret(dossier)
    settings = WebSettings(**kwargs)

    from ..web import create_app
    from ..web.server import run

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"pilier-eco est ouvert à l'adresse http://{shown}:{port}/ (Ctrl+C pour arrêter).")
    if code is None:
        typer.echo("Accès : cet ordinateur seulement (127.0.0.1) ; aucun code demandé.")
    elif is_loopback(host):  # a code on the loopback is asked too: say both
        typer.echo(f"Accès : cet ordinateur seulement ({host}) ; le code d'accès est demandé à chaque visiteur.")
    else:
        typer.echo(f"Accès : ouvert au réseau sur {host}:{port} ; chaque visiteur doit saisir le code d'accès.")
    if is_loopback(host):
        typer.echo(
            "Atelier en direct : les téléphones ne peuvent pas joindre 127.0.0.1 ; relancez avec "
            "--host 0.0.0.0 --code CODE pour ouvrir la page au réseau de la salle."
        )
    typer.echo(f"Fichiers déposés dans {settings.data_dir}, effacés {conservation:g} min après la dernière activité.")
    try:
        app = create_app(settings)
    except DataFolderError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    run(settings, app)


def _kept_secret(folder: Path) -> bytes:
    """The key that signs cookies, kept in the data folder: after a restart, sessions and ateliers resume."""
    import os
    import secrets

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "cle-secrete"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data

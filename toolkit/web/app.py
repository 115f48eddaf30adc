"""The pages of `pilier-eco serve` (routes), assembled with the JSON API, the guard and the job pool.

Every page works without JavaScript (plain forms, a refresh while a job runs); the small scripts of
`templates/web/static/` only make it quicker (drop zone, instant check, live progress).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import MutableMapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import toolkit as pe

from ..typography import french_html
from ..workshop import live
from . import api, live_pages, observatoire, qpv_search, service, suivi
from .jobs import Busy, JobRunner
from .pages import WEB, json_error, page, templates
from .security import (
    ACCESS_COOKIE,
    PREVIEW_CSP,
    AccessCode,
    Attempts,
    BodyLimits,
    CsrfCheck,
    HostCheck,
    SecurityHeaders,
    SessionCookie,
    access_token,
    code_matches,
    cookie_header,
)
from .sessions import SessionStore
from .settings import WebSettings

# ------------------------------------------------------------------------------------------------ pages


async def home(request: Request) -> Response:
    return page(request, "accueil.html")


async def template_page(request: Request) -> Response:
    return page(request, "modele.html", titre="Modèle de classeur", insee_2024=INSEE_2024_URL)


INSEE_2024_URL = "https://www.insee.fr/fr/statistiques/8243167"


def _template_error(
    request: Request, status: int, message: str, codes: Sequence[str], en_2024: bool = False
) -> Response:
    return page(
        request,
        "modele.html",
        status,
        titre="Modèle de classeur",
        erreur=message,
        saisie=", ".join(codes),
        saisie_2024=", ".join(codes) if en_2024 else "",
        insee_2024=INSEE_2024_URL,
    )


async def template_download(request: Request) -> Response:
    """The blank or pre-filled workbook, made for this request in a temporary folder (`pilier-eco template`).

    GET: the packaged figures (Occitanie, 2015 geography). POST: with INSEE's file dropped on the page
    (« Données sur les quartiers 2024 »), for QN… codes or any region."""
    from ..catalog.prefill import OtherGeographyError, UnknownQpvError, split_codes

    settings = request.app.state.settings
    donnees: Path | None = None
    if request.method == "POST":
        form = await service.read_form(request)
        raw = [c for c in str(form.get("qpv") or "").split(",") if c.strip()]
        files = service.uploads(form, "donnees")
        if not files:
            raise service.Refused("Choisissez le fichier de données INSEE (.csv ou .xlsx) à utiliser.")
        donnees = await service.save(request, files[0])
        if donnees.suffix.lower() not in (".csv", ".txt", ".xlsx"):
            raise service.Refused(f"{files[0].filename} : fichier de données attendu au format .csv ou .xlsx.")
    else:
        raw = [c for c in request.query_params.getlist("qpv") if c.strip()]
    codes = split_codes(raw)[:50]
    if donnees is not None and not codes:
        return _template_error(
            request, 400, "Indiquez les codes des quartiers à pré-remplir avec ce fichier.", [], True
        )
    tmp = Path(tempfile.mkdtemp(prefix="modele-", dir=settings.data_dir))
    name = f"classeur-{'-'.join(c.lower() for c in codes[:3])}.xlsx" if codes else "classeur.xlsx"
    try:
        path = await asyncio.to_thread(
            partial(
                pe.make_template,
                tmp / "classeur.xlsx",
                codes or None,
                donnees,
                catalogue=settings.config.catalogue,
                commands=False,  # its Lisez-moi says the page's steps, no command line
            )
        )
    except OtherGeographyError:
        _rmtree(tmp)
        return _template_error(
            request,
            400,
            f"{', '.join(codes)} : quartiers de la géographie 2024. Les chiffres fournis avec pilier-eco ne couvrent "
            "que les quartiers de 2015 en Occitanie : déposez ci-dessous le fichier INSEE « Données sur les quartiers "
            "2024 de la politique de la ville » pour pré-remplir le classeur, ou téléchargez le classeur vierge.",
            codes,
            en_2024=True,
        )
    except UnknownQpvError as exc:
        _rmtree(tmp)
        return _template_error(request, 400, service.for_people(str(exc)), codes, en_2024=donnees is not None)
    except ValueError as exc:  # the dropped data file cannot be read
        _rmtree(tmp)
        return _template_error(request, 422, service.for_people(str(exc)), codes, en_2024=True)
    return FileResponse(
        path,
        filename=name,
        content_disposition_type="attachment",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(_rmtree, tmp),
    )


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


async def check_page(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "verifier.html", titre="Vérifier un classeur")
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    path, report = await service.check_upload(request, files[0] if files else None)
    payload = service.check_payload(report)
    return page(
        request,
        "verifier.html",
        titre="Vérifier un classeur",
        resultat=payload,
        groupes=service.group_by_sheet(payload),
        depot=path.parent.name if report.ok else None,
    )


async def diagnose_page(request: Request) -> Response:
    if request.method == "GET":
        request.app.state.jobs.warm()  # the upload comes next: the render processes start meanwhile
        return page(request, "diagnostic.html", titre="Diagnostiquer un territoire")
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    depot = str(form.get("depot") or "")
    if depot and not files:  # « Lancer le diagnostic » after a usable check: the same file, not dropped again
        _, report = await service.check_kept(request, depot)
    else:
        _, report = await service.check_upload(request, files[0] if files else None)
    if not report.ok or report.workbook is None:
        payload = service.check_payload(report)
        return page(
            request,
            "diagnostic.html",
            422,
            titre="Diagnostiquer un territoire",
            resultat=payload,
            groupes=service.group_by_sheet(payload),
        )
    job = await service.start_diagnostic(request, report)
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


async def compare_page(request: Request) -> Response:
    title = "Comparer des territoires"
    if request.method == "GET":
        request.app.state.jobs.warm()
        return page(request, "comparer.html", titre=title)
    form = await service.read_form(request)
    files = service.uploads(form, "classeurs")
    if len(files) < 2:  # not a dead end: the same form, saying what is missing
        return page(
            request,
            "comparer.html",
            400,
            titre=title,
            erreur=(
                "Un seul classeur reçu : une comparaison en demande au moins deux. Choisissez-les ensemble dans "
                "la fenêtre de fichiers (touche Ctrl ou Cmd enfoncée), ou glissez-les ensemble ici."
                if files
                else "Aucun classeur reçu : choisissez au moins deux classeurs à comparer."
            ),
        )
    checked = [await service.check_upload(request, f) for f in files]
    reports = [r for _, r in checked]
    bad = [service.check_payload(r) for r in reports if not r.ok]
    if bad:
        return page(request, "comparer.html", 422, titre=title, resultats=[(p, service.group_by_sheet(p)) for p in bad])
    names = [Path(p).name for p, _ in checked]
    job = await service.start_comparison(request, reports, names)
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


async def workshop_page(request: Request) -> Response:
    sid = request.scope["state"]["sid"]
    request.app.state.jobs.warm()  # a kit or a merge is a render
    return page(request, "atelier.html", titre="Atelier de notation", en_direct=request.app.state.live.of_owner(sid))


async def workshop_kit(request: Request) -> Response:
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    _, report = await service.check_upload(request, files[0] if files else None)
    if not report.ok:
        payload = service.check_payload(report)
        return page(
            request,
            "atelier.html",
            422,
            titre="Atelier de notation",
            resultat=payload,
            groupes=service.group_by_sheet(payload),
        )
    try:
        n = max(0, min(200, int(str(form.get("participants") or 0))))
    except ValueError:
        raise service.Refused("Nombre de participants : un nombre entier de 0 à 200 est attendu.") from None
    job = service.start_kit(request, report, n)
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


async def workshop_merge(request: Request) -> Response:
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    sheets = service.uploads(form, "notations")
    if not files:
        raise service.Refused(service.NO_FILE)
    if not files[0].filename or Path(files[0].filename).suffix.lower() not in (".xlsx", ".xlsm"):
        raise service.Refused(
            f"{files[0].filename} : la fusion écrit un classeur Excel ; ouvrez ce fichier dans "
            "LibreOffice ou Excel, enregistrez-le au format .xlsx, puis déposez-le de nouveau."
        )
    if not sheets:
        raise service.Refused("Ajoutez au moins une feuille de notation remplie.")
    source, report = await service.check_upload(request, files[0])
    if not report.ok:
        payload = service.check_payload(report)
        return page(
            request,
            "atelier.html",
            422,
            titre="Atelier de notation",
            resultat=payload,
            groupes=service.group_by_sheet(payload),
        )
    paths = [await service.save(request, s) for s in sheets]
    job = service.start_merge(request, report, source, paths, form.get("pseudonymiser") == "oui")
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


async def job_page(request: Request) -> Response:
    _, _, jobs, sid = service.ctx(request)
    job = jobs.get(sid, request.path_params["job_id"])
    if job is None:
        return page(request, "erreur.html", 404, titre="Travail introuvable", message=api.UNKNOWN_JOB)
    return page(request, "tache.html", titre=job.title, tache=service.job_status(request, job))


async def preview(request: Request) -> Response:
    """The HTML report inside the page: its own strict CSP (no script, sandboxed origin), framed only by us."""
    _, _, jobs, sid = service.ctx(request)
    job = jobs.get(sid, request.path_params["job_id"])
    if job is None or job.preview is None or not job.preview.is_file():
        return HTMLResponse("<p>Aperçu introuvable.</p>", status_code=404)
    return FileResponse(
        job.preview,
        media_type="text/html; charset=utf-8",
        headers={"content-security-policy": PREVIEW_CSP, "x-frame-options": "SAMEORIGIN"},
    )


async def forget_me(request: Request) -> Response:
    """One click: every file of this session and its jobs are deleted now."""
    await service.read_form(request)
    _, sessions, jobs, sid = service.ctx(request)
    for a in request.app.state.live.of_owner(sid):  # a running atelier stops too: nothing more is written
        request.app.state.live.purge(a)
    jobs.forget_sessions([sid])
    sessions.remove(sid)
    return page(request, "accueil.html", message="Vos fichiers et résultats ont été effacés de ce serveur.")


async def access(request: Request) -> Response:
    settings = request.app.state.settings
    target = request.query_params.get("suite", "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"
    if not settings.code:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return page(request, "acces.html", titre="Code d'accès", suite=target)
    attempts = request.app.state.attempts
    client = request.client.host if request.client else "?"
    if attempts.blocked(client):  # before comparing: a braked address gets 429 even with the right code
        return page(
            request,
            "acces.html",
            429,
            titre="Code d'accès",
            suite=target,
            erreur="Trop d'essais : patientez une minute avant de recommencer.",
        )
    form = await service.read_form(request)
    if not code_matches(str(form.get("code") or ""), settings.code):
        attempts.failed(client)
        return page(request, "acces.html", 403, titre="Code d'accès", suite=target, erreur="Code incorrect.")
    response = RedirectResponse(target, status_code=303)
    name, value = cookie_header(ACCESS_COOKIE, access_token(settings.secret, settings.code), settings.secure_cookies)
    response.headers.append(name.decode(), value.decode())
    return response


# ------------------------------------------------------------------------------------------------ errors


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


async def refused(request: Request, exc: Exception) -> Response:
    status: int = getattr(exc, "status", 0) or getattr(exc, "status_code", 400)
    message = str(getattr(exc, "detail", "") or exc) if not isinstance(exc, service.Refused) else str(exc)
    if isinstance(exc, HTTPException) and status == 404:
        message = "Page introuvable."
    elif isinstance(exc, HTTPException) and status == 405:
        message = "Méthode non permise sur cette adresse."
    elif isinstance(exc, HTTPException) and status == 400:
        message = "Formulaire illisible (envoi interrompu ou mal formé) : rechargez la page et recommencez."
    elif isinstance(exc, Busy):
        status = exc.status  # 503 when the server's queue is full, 429 when the caller's share of it is taken
    if _wants_json(request):
        return json_error(message, status)
    return page(request, "erreur.html", status, titre="Impossible de continuer", message=message)


INTERNAL = "Erreur interne du serveur : rien n'a été modifié par cette requête. Recommencez, ou signalez-la."


LOGGED = "pilier_eco.logged"  # set in the request's scope once its failure has its line in the log


def log_failure(scope: MutableMapping[str, Any], exc: BaseException) -> None:
    """ONE line in the server's log for an unexpected failure: method, path, exception type and message."""
    import logging

    message = " ".join(str(exc).split())[:300]
    logging.getLogger("pilier_eco.web").error(
        "%s %s : %s%s",
        scope.get("method", "?"),
        scope.get("path", "?"),
        type(exc).__name__,
        f" : {message}" if message else "",
    )
    scope[LOGGED] = True


async def internal_error(request: Request, exc: Exception) -> Response:
    """Any unexpected failure: a French page or JSON, never a traceback (the server's log keeps one line)."""
    log_failure(request.scope, exc)
    if _wants_json(request) or "application/json" in request.headers.get("content-type", ""):
        return json_error(INTERNAL, 500)
    return HTMLResponse(
        french_html(
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur — pilier-eco</title>'
            '<link rel="stylesheet" href="/static/site.css"></head><body><main class="page" id="contenu">'
            f'<h1>Erreur interne</h1><p role="alert">{INTERNAL}</p><p><a href="/">Retour à l’accueil</a></p>'
            "</main></body></html>"
        ),
        status_code=500,
    )


class DataFolderError(Exception):
    """The data folder cannot be trusted (French message)."""


def check_data_dir(folder: Path) -> None:
    """Create the data folder (0700), or accept an existing one only if it is ours and nobody else can write in it."""
    import os
    import stat

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode):
        raise DataFolderError(f"{folder} : ce n'est pas un dossier (lien symbolique ou fichier) ; indiquez un dossier.")
    if st.st_uid != os.getuid():
        raise DataFolderError(
            f"{folder} appartient à un autre utilisateur : pilier-eco n'y gardera pas de fichiers. "
            "Choisissez un dossier à vous (ou laissez le dossier par défaut)."
        )
    if st.st_mode & 0o022:
        raise DataFolderError(
            f"{folder} est modifiable par d'autres utilisateurs : pilier-eco n'y gardera pas de fichiers. "
            "Choisissez un dossier à vous, ou retirez ces droits."
        )


# ------------------------------------------------------------------------------------------------ assembly


def create_app(settings: WebSettings) -> Starlette:
    check_data_dir(settings.data_dir)
    sessions = SessionStore(settings.data_dir / "sessions", settings.secret, settings.keep_minutes)
    jobs = JobRunner(settings.workers, settings.max_queued, settings.jobs_per_session, settings.jobs_per_address)
    ateliers = live.LiveRegistry(settings.data_dir / "sessions")
    attempts = Attempts()

    async def purge_loop() -> None:
        while True:
            gone = sessions.purge()
            jobs.forget_sessions(gone)
            ateliers.forget_owners(gone)
            await asyncio.sleep(min(60.0, max(1.0, settings.keep_minutes * 60 / 4)))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await jobs.start()
        observatoire.warm(settings)  # the observatory of the server's base, read in the background
        task = asyncio.create_task(purge_loop())
        try:
            yield
        finally:
            task.cancel()
            await jobs.stop()

    routes = [
        Route("/", home),
        Route("/modele", template_page),
        Route("/modele.xlsx", template_download, methods=["GET", "POST"]),
        Route("/verifier", check_page, methods=["GET", "POST"]),
        Route("/diagnostic", diagnose_page, methods=["GET", "POST"]),
        Route("/comparer", compare_page, methods=["GET", "POST"]),
        Route("/atelier", workshop_page),
        Route("/atelier/kit", workshop_kit, methods=["POST"]),
        Route("/atelier/fusion", workshop_merge, methods=["POST"]),
        *live_pages.routes,
        Route("/taches/{job_id:str}", job_page),
        Route("/taches/{job_id:str}/apercu", preview),
        Route("/effacer", forget_me, methods=["POST"]),
        Route("/acces", access, methods=["GET", "POST"]),
        *suivi.routes,
        *observatoire.routes,
        *api.routes,
        Mount("/static", StaticFiles(directory=str(WEB / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[  # outermost first: the order a request meets them (docs/web.md, « Modèle de sécurité »)
            Middleware(SecurityHeaders),
            Middleware(HostCheck, settings=settings),
            Middleware(BodyLimits, settings=settings),
            Middleware(AccessCode, settings=settings, attempts=attempts, extra_access=live_pages.participant_access),
            Middleware(SessionCookie, settings=settings, sessions=sessions),
            Middleware(CsrfCheck),
        ],
        exception_handlers={service.Refused: refused, HTTPException: refused, Busy: refused, Exception: internal_error},
    )
    app.state.attempts = attempts
    app.state.join_attempts = Attempts(limit=live_pages.JOIN_CODE_TRIES)
    app.state.join_budget = live_pages.JoinBudget()
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.jobs = jobs
    app.state.live = ateliers
    app.state.templates = templates()
    app.state.qpv_search = qpv_search
    return app

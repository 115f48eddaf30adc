"""Follow-up (suivi annuel) on the web page: record a snapshot of a dropped workbook, the history, the revue.

Available when the server was given a follow-up base (`serve --base …`, or `[suivi] base` in the `--config`
file). The base is the team's: every visitor of this server (who passed its access code) records into it
and sees its history, as with `pilier-eco suivi` on a shared base. Only the public functions are called —
`pe.record`, `pe.open_base(…).history()`/`.snapshots()`, `pe.build_review`, `pe.render_review` — and the PDF
is made in the bounded render pool like every PDF of the page.
"""

from __future__ import annotations

import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

import toolkit as pe

from ..text import slugify
from . import service, work
from .pages import page, suivi_available

NO_BASE = (
    "Aucune base de suivi sur ce serveur : demandez à la personne qui a lancé pilier-eco de le relancer avec une "
    "base de suivi."
)

TITLE = "Suivi annuel"


def base_of(request: Request) -> str | None:
    settings = request.app.state.settings
    return settings.suivi_base or settings.config.suivi_base


def _history(base: str) -> list:
    with pe.open_base(base, create=False) as b:
        return b.history()


def _shown(base: str) -> str:
    """The base as visitors see it: a SQLite file by its name only (no server folder), a URL without password."""
    from pathlib import Path

    from ..suivi.store import display_target, is_postgres

    return display_target(base) if is_postgres(base) else Path(base).name


async def _page(request: Request, status: int = 200, **extra) -> Response:
    base = base_of(request)
    if not suivi_available() or base is None:
        return page(request, "suivi.html", status, titre=TITLE, disponible=suivi_available(), base=None, **extra)
    try:
        rows = await run_in_threadpool(_history, base)
        problem = None
    except Exception as exc:  # noqa: BLE001 - SuiviError (busy, damaged, too recent) or a base not created yet
        rows, problem = [], _message(exc)
    territories = sorted({r.territoire for r in rows})
    return page(
        request,
        "suivi.html",
        status,
        titre=TITLE,
        disponible=True,
        base=_shown(base),
        lignes=rows,
        territoires=territories,
        probleme=problem,
        **extra,
    )


def _message(exc: Exception) -> str:
    from ..suivi.store import SuiviError

    if isinstance(exc, SuiviError):
        return str(exc)
    return "La base de suivi ne s'ouvre pas encore : elle sera créée au premier enregistrement."


async def suivi_page(request: Request) -> Response:
    request.app.state.jobs.warm()  # the annual review is a render
    return await _page(request)


def _record(path, base: str, config):
    return pe.record(path, base, config)


async def record(request: Request) -> Response:
    base = base_of(request)
    if base is None:
        raise service.Refused(NO_BASE, 404)
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    path, report = await service.check_upload(request, files[0] if files else None)
    if not report.ok:
        payload = service.check_payload(report)
        return await _page(request, 422, resultat=payload, groupes=service.group_by_sheet(payload))
    from ..suivi.store import SuiviError

    try:
        result = await run_in_threadpool(_record, path, base, request.app.state.settings.config)
    except SuiviError as exc:
        raise service.Refused(str(exc), 409) from None
    when = result.date_situation.strftime("%d/%m/%Y")
    from ..report.wording import snapshot_which

    which = snapshot_which(result.rang, result.territoire)  # « 2e instantané de Carcassonne », its own count
    message = (
        f"{which[:1].upper()}{which[1:]} enregistré, situation au {when}."
        if result.created
        else f"Déjà enregistré ({which}, situation au {when}) : rien n'a été écrit."
    )
    return await _page(request, message=message)


async def review(request: Request) -> Response:
    base = base_of(request)
    if base is None:
        raise service.Refused(NO_BASE, 404)
    form = await service.read_form(request)
    territoire = str(form.get("territoire") or "").strip()
    if not territoire:
        raise service.Refused("Choisissez un territoire.")
    avis = await _opinions(request, form)
    _settings, sessions, jobs, sid = service.ctx(request)
    folder = sessions.new_dir(sid, "taches")
    job = jobs.new_job(sid, "revue", folder, f"Revue annuelle — {territoire}", **service.origin(request))
    job.pending = ("Revue annuelle (PDF)",)
    jobs.submit(job, work.suivi_review, base, territoire, str(folder), slugify(territoire), avis)
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


MAX_AVIS_CHARS = 100_000


async def _opinions(request: Request, form) -> tuple:
    """The conseil citoyen's avis and the response given, typed on the page or dropped as .txt/.md files;
    annexed to the revue exactly as given (escaped text, never interpreted)."""
    from ..suivi.review import Avis, AvisError, read_avis

    out = []
    for field, label in (("avis", "Avis du conseil citoyen"), ("reponse", "Réponse apportée à l'avis")):
        text = str(form.get(field) or "").strip()
        if len(text) > MAX_AVIS_CHARS:
            raise service.Refused(
                f"{label} : texte trop long (au plus {MAX_AVIS_CHARS:,} caractères).".replace(",", "\u202f")
            )
        if text:
            out.append(Avis(label, text))
    for upload in service.uploads(form, "avis_fichier"):
        path = await service.save(request, upload)
        try:
            out.append(read_avis(path))
        except AvisError as exc:
            raise service.Refused(str(exc).replace(str(path), upload.filename or path.name), 422) from None
    return tuple(out)


def _export(base: str, territoire: str, target: Path) -> Path:
    import toolkit as pe

    from ..suivi.export import write_xlsx

    with pe.open_base(base, create=False) as b:
        return write_xlsx(b.snapshots(territoire), target)


async def export(request: Request) -> Response:
    """The territory's snapshots as an Excel workbook (`pilier-eco suivi export`)."""
    from ..suivi.store import SuiviError

    base = base_of(request)
    if base is None:
        raise service.Refused(NO_BASE, 404)
    form = await service.read_form(request)
    territoire = str(form.get("territoire") or "").strip()
    folder = request.app.state.sessions.new_dir(request.scope["state"]["sid"], "exports")
    try:
        path = await run_in_threadpool(_export, base, territoire, folder / "suivi.xlsx")
    except SuiviError as exc:
        raise service.Refused(service.for_people(str(exc)), 404) from None
    return FileResponse(
        path,
        filename=f"suivi-{slugify(territoire)}.xlsx",
        content_disposition_type="attachment",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


async def backup_download(request: Request) -> Response:
    """A consistent copy of the whole base (`pilier-eco suivi sauvegarde`), 0600 on disk, then downloaded."""
    from ..suivi.backup import backup
    from ..suivi.store import SuiviError

    base = base_of(request)
    if base is None:
        raise service.Refused(NO_BASE, 404)
    await service.read_form(request)
    folder = request.app.state.sessions.new_dir(request.scope["state"]["sid"], "exports")
    postgres = base.startswith("postgres")
    try:
        path = await run_in_threadpool(backup, base, folder / ("suivi.dump" if postgres else "suivi.sqlite"))
    except SuiviError as exc:
        raise service.Refused(service.for_people(str(exc)), 409) from None
    return FileResponse(
        path,
        filename=f"sauvegarde-suivi-{time.strftime('%Y-%m-%d')}{path.suffix}",
        content_disposition_type="attachment",
        media_type="application/octet-stream",
    )


routes = [
    Route("/suivi", suivi_page),
    Route("/suivi/enregistrer", record, methods=["POST"]),
    Route("/suivi/revue", review, methods=["POST"]),
    Route("/suivi/export", export, methods=["POST"]),
    Route("/suivi/sauvegarde", backup_download, methods=["POST"]),
]

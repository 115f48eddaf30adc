"""Follow-up (suivi annuel) on the web page: record a snapshot of a dropped workbook, the history, the revue.

Available when the server was given a follow-up base (`serve --base …`, or `[suivi] base` in the `--config`
file). The base is the team's: every visitor of this server (who passed its access code) records into it
and sees its history, as with `pilier-eco suivi` on a shared base. Only the public functions are called —
`pe.record`, `pe.open_base(…).history()`/`.snapshots()`, `pe.build_review`, `pe.render_review` — and the PDF
is made in the bounded render pool like every PDF of the page.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
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
    message = (
        f"Instantané n° {result.snapshot_id} enregistré : {result.territoire}, situation au {when}."
        if result.created
        else f"Déjà enregistré (instantané n° {result.snapshot_id}, {result.territoire}, situation au {when}) : "
        "rien n'a été écrit."
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
    _settings, sessions, jobs, sid = service.ctx(request)
    folder = sessions.new_dir(sid, "taches")
    job = jobs.new_job(sid, "revue", folder, f"Revue annuelle — {territoire}")
    job.pending = ("Revue annuelle (PDF)",)
    jobs.submit(job, work.suivi_review, base, territoire, str(folder), slugify(territoire))
    return RedirectResponse(f"/taches/{job.id}", status_code=303)


routes = [
    Route("/suivi", suivi_page),
    Route("/suivi/enregistrer", record, methods=["POST"]),
    Route("/suivi/revue", review, methods=["POST"]),
]

"""The JSON API the page uses and scripts can call (docs/web.md has curl examples).

POST /api/check      multipart `classeur` -> exactly the JSON of `pilier-eco check --json`
POST /api/diagnose   multipart `classeur` [, `documents` = pdf,xlsx,docx,pptx,note: all when absent]
                     -> 202 {tache, etat, apercu, verification} (422 if unusable or an unknown document)
GET  /api/jobs/{id}  state, step, progress, downloads
GET  /api/jobs/{id}/{pdf|xlsx|json|html|docx|pptx|note|…}   a result file
GET  /api/qpv?q=…    QPV whose code, name or commune matches (template pre-filling)
GET  /api/session    the session's CSRF token, for a script that keeps its cookies between calls
GET  /api/jobs       the session's jobs
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from . import qpv_search, service
from .jobs import Busy
from .pages import json_error

UNKNOWN_JOB = "Travail introuvable : il a peut-être été effacé (fichiers conservés un temps limité) ou appartient à une autre session."
UNUSABLE = "Classeur à corriger : aucun diagnostic lancé. Corrigez les erreurs listées puis déposez-le de nouveau."


async def api_check(request: Request) -> Response:
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    path, report = await service.check_upload(request, files[0] if files else None)
    payload = service.check_payload(report)
    if report.ok:  # the page's « Lancer le diagnostic » sends this back instead of the file
        payload["depot"] = path.parent.name
    return JSONResponse(payload)


async def api_diagnose(request: Request) -> Response:
    form = await service.read_form(request)
    try:  # before the upload is checked: a script's typo is answered at once
        documents = service.requested_documents(str(form.get("documents") or ""))
    except service.DocumentsError as exc:
        return json_error(str(exc), 422, tache=None)
    files = service.uploads(form, "classeur")
    _, report = await service.check_upload(request, files[0] if files else None)
    payload = service.check_payload(report)
    if not report.ok or report.workbook is None:
        return json_error(UNUSABLE, 422, tache=None, verification=payload)
    try:
        job = await service.start_diagnostic(request, report, documents)
    except Busy as exc:
        return json_error(str(exc), exc.status, tache=None, verification=payload)
    return JSONResponse(
        {
            "tache": job.id,
            "etat": f"/api/jobs/{job.id}",
            "page": f"/taches/{job.id}",
            "apercu": f"/taches/{job.id}/apercu",
            "verification": payload,
        },
        status_code=202,
    )


def _job(request: Request):
    _, _, jobs, sid = service.ctx(request)
    return jobs.get(sid, request.path_params["job_id"])


async def api_job(request: Request) -> Response:
    job = _job(request)
    if job is None:
        return json_error(UNKNOWN_JOB, 404)
    return JSONResponse(service.job_status(request, job))


async def download(request: Request) -> Response:
    job = _job(request)
    item = job.files.get(request.path_params["kind"]) if job is not None else None
    if item is None or not item.path.is_file():
        return json_error(UNKNOWN_JOB if job is None else "Fichier pas encore prêt ou inconnu.", 404)
    media = {
        ".pdf": "application/pdf",
        ".json": "application/json",
        ".html": "text/html; charset=utf-8",
        ".zip": "application/zip",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }.get(item.path.suffix, "application/octet-stream")
    # a downloaded HTML report is a file to save, never a page of this site (it would run with our origin)
    return FileResponse(
        item.path,
        media_type=media,
        filename=item.name,
        content_disposition_type="attachment",
        headers={"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"},
    )


async def api_session(request: Request) -> Response:
    """For a script that keeps its cookies (one cookie jar for several calls): the session's CSRF token, to send
    back in `X-CSRF-Token` with each POST. A cross-site page cannot read it (same-origin JSON, no CORS)."""
    return JSONResponse({"jeton": request.scope["state"]["csrf"]})


async def api_jobs(request: Request) -> Response:
    """The session's jobs, newest first: id, type, title, state and the status URL."""
    _, _, jobs, sid = service.ctx(request)
    mine = sorted((j for j in jobs.jobs.values() if j.sid == sid), key=lambda j: -j.created)
    return JSONResponse(
        {
            "taches": [
                {
                    "id": j.id,
                    "type": j.kind,
                    "titre": j.title,
                    "etat": j.state,
                    "etat_url": f"/api/jobs/{j.id}",
                    "page": f"/taches/{j.id}",
                }
                for j in mine
            ]
        }
    )


async def api_qpv(request: Request) -> Response:
    q = request.query_params.get("q", "")
    return JSONResponse({"resultats": qpv_search.search(q)})


routes = [
    Route("/api/check", api_check, methods=["POST"]),
    Route("/api/diagnose", api_diagnose, methods=["POST"]),
    Route("/api/session", api_session),
    Route("/api/jobs", api_jobs),
    Route("/api/jobs/{job_id:str}", api_job),
    Route("/api/jobs/{job_id:str}/{kind:str}", download),
    Route("/api/qpv", api_qpv),
]

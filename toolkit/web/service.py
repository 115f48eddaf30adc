"""The steps the pages and the JSON API share: read a form, keep its files, check, start a job, describe it.

Fast steps (check, diagnose, HTML preview, JSON: a few hundred milliseconds) run in a thread of the
server so the preview is there at once; slow ones (PDF, workshop kit and merge) go to the process pool.
Every call is the library's public function the CLI calls for the same command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

import toolkit as pe

from ..report.formatting import agree, number, plural
from ..text import slugify
from ..typography import french_text
from . import work
from .jobs import Download, Job, JobRunner
from .sessions import OverQuota, SessionStore, TooLarge
from .settings import WebSettings

NO_FILE = "Aucun fichier reçu : choisissez un classeur (.xlsx ou .ods) puis validez."


class Refused(Exception):
    """A request the user must change (French message, HTTP status)."""

    def __init__(self, message: str, status: int = 400, payload: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.payload = payload


def ctx(request: Request) -> tuple[WebSettings, SessionStore, JobRunner, str]:
    s = request.app.state
    return s.settings, s.sessions, s.jobs, request.scope["state"]["sid"]


def origin(request: Request) -> dict[str, Any]:
    """Where a job comes from, for the queue's shares (`JobRunner.submit`): the client address, and whether
    the call carried no session cookie (each such call is a new session: they share one per address)."""
    return {
        "address": request.client.host if request.client else "?",
        "anonymous": not request.scope["state"].get("had_session", True),
    }


async def read_form(request: Request) -> FormData:
    """The multipart form, with bounded file and field counts (its CSRF token was checked by `CsrfCheck`)."""
    settings = request.app.state.settings
    return await request.form(max_files=settings.max_files, max_fields=100)


def uploads(form: FormData, field: str) -> list[UploadFile]:
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and (f.filename or f.size)]


async def save(request: Request, upload: UploadFile) -> Path:
    settings, sessions, _, sid = ctx(request)
    try:
        return await sessions.save_upload(sid, upload, settings.max_upload_bytes, quota=settings.session_quota_bytes)
    except TooLarge:
        mo = round(settings.max_upload_bytes / 1024 / 1024)
        raise Refused(f"{upload.filename} : fichier trop volumineux (maximum : {mo} Mo).", 413) from None
    except OverQuota:
        mo = round(settings.session_quota_bytes / 1024 / 1024)
        raise Refused(
            f"Espace de votre session plein ({number(mo, 0)} Mo au plus) : cliquez sur « Effacer mes fichiers » "
            "en bas de page pour faire de la place, puis déposez de nouveau.",
            507,
        ) from None


def _check(path: Path, config) -> Any:
    return pe.check(path, config)


async def check_upload(request: Request, upload: UploadFile | None) -> tuple[Path, Any]:
    if upload is None:
        raise Refused(NO_FILE)
    path = await save(request, upload)
    return path, await quick(request, _check, path, request.app.state.settings.config)


_DEPOT = re.compile(r"^[0-9a-f]{16}$")


def kept_upload(request: Request, depot: str) -> Path:
    """The workbook this session dropped on « Vérifier » (its folder's random name, `depot`), to diagnose it
    without dropping it again; a name that is not one of this session's uploads is refused like a missing file."""
    _, sessions, _, sid = ctx(request)
    folder = sessions.folder(sid) / "depots" / depot if _DEPOT.match(depot or "") else None
    files = [p for p in folder.iterdir() if p.is_file()] if folder is not None and folder.is_dir() else []
    if len(files) != 1:
        raise Refused("Classeur vérifié introuvable (effacé entre-temps) : déposez-le de nouveau.", 404)
    return files[0]


async def check_kept(request: Request, depot: str) -> tuple[Path, Any]:
    path = kept_upload(request, depot)
    return path, await quick(request, _check, path, request.app.state.settings.config)


async def quick(request: Request, fn, *args):
    """`fn(*args)` in a fresh check process (memory bounded and given back); a French refusal if it breaks."""
    try:
        return await request.app.state.jobs.quick.run(fn, *args)
    except work.JobFailure as exc:
        raise Refused(str(exc), 422) from None


#: The library's advice names commands and settings (`pilier-eco template`, `[limites] … dans --config`);
#: a person on the page has neither a terminal nor the server's configuration: the page says what she can do.
_PAGE_WORDS = (
    (
        re.compile(r",? ou relevez \[limites\] \w+(?: dans --config)?"),
        ", ou demandez à la personne qui a lancé pilier-eco de relever cette limite",
    ),
    (re.compile(r"(?:généré par|issu de) « pilier-eco template »"), "téléchargé sur la page Modèle"),
    (re.compile(r"voir le modèle\s?:\s?pilier-eco template"), "téléchargez le modèle depuis la page Modèle"),
    (re.compile(r"« ?pilier-eco (?:atelier )?merge ?»|« atelier merge »"), "la fusion de la page Atelier"),
    (re.compile(r"\(option --\w+\)|option --\w+"), "la case correspondante de la page"),
)


def for_people(text: str) -> str:
    """A library message as the page shows it: no command, option or configuration key."""
    for pattern, words in _PAGE_WORDS:
        text = pattern.sub(words, text)
    return text


def check_payload(report) -> dict[str, Any]:
    """`check_json(report)` with the messages worded for the page (see `for_people`)."""
    payload = pe.check_json(report)
    for level in ("erreurs", "avertissements", "informations"):
        for item in payload["qualite_donnees"][level]:
            for key in ("message", "texte", "attendu"):
                if isinstance(item.get(key), str):
                    item[key] = for_people(item[key])
    return payload


def group_by_sheet(payload: dict) -> list[dict]:
    """The errors and warnings of a `check_json` payload grouped by sheet, in order of first appearance (the
    information, on rows the tool pre-filled, is its own group after them: `_resultat.html`)."""
    groups: dict[str, dict] = {}
    q = payload["qualite_donnees"]
    for level, items in (("erreur", q["erreurs"]), ("avertissement", q["avertissements"])):
        for i in items:
            where = i["cellule"] or ""
            sheet, _, cell = where.partition("!")
            label = sheet or "Fichier"
            g = groups.setdefault(label, {"feuille": label, "erreurs": 0, "avertissements": 0, "items": []})
            g["items"].append({**i, "niveau": level, "cellule": cell if sheet and cell else ""})
            g["erreurs" if level == "erreur" else "avertissements"] += 1
    for g in groups.values():
        g["items"].sort(key=lambda i: i["niveau"] != "erreur")
    return list(groups.values())


# ------------------------------------------------------------------------------------------------ diagnose


def summary_line(diag) -> str:
    """One French line for the job page: territory, top enjeu, actions by priority, blocking points."""
    n = len(diag.actions)
    p1 = sum(1 for a in diag.actions if a.priorite == 1)
    blocking = sum(1 for v in diag.vigilance if v.niveau == "bloquant")
    top = f"enjeu n° 1 : {diag.enjeux[0].libelle}" if diag.enjeux else "aucun enjeu noté"
    return (
        f"{diag.territoire.nom} : {top} ; {plural(n, 'action')} {agree(n, 'classée')} dont {number(p1, 0)} de "
        f"priorité 1 ; {plural(len(diag.vigilance), 'point')} de vigilance dont {number(blocking, 0)} "
        f"{agree(blocking, 'bloquant')}."
    )


def _diagnose_now(report, folder: Path, config) -> tuple[Any, str, str]:
    """Diagnostic, HTML preview and JSON in the server (fast); the PDF is left to a render process."""
    from ..io.output import atomic_write_text

    diag = pe.diagnose(report.workbook, config, report=report)
    pe.render_html(diag, folder / "apercu.html")
    atomic_write_text(folder / "resultats.json", json.dumps(pe.to_json(diag), ensure_ascii=False, indent=2) + "\n")
    return diag, slugify(diag.territoire.nom), summary_line(diag)


class DocumentsError(ValueError):
    """A `documents` field naming a kind the job cannot make; the message is French, for the 422 answer."""


def requested_documents(value: str | None) -> tuple[str, ...]:
    """The kinds a script asks for (`documents=pdf,xlsx`), all of them when the field is absent or empty."""
    if not value or not value.strip():
        return tuple(work.DOCUMENTS)
    asked = tuple(dict.fromkeys(k.strip().lower() for k in value.split(",") if k.strip()))
    unknown = [k for k in asked if k not in work.DOCUMENTS]
    if unknown or not asked:
        raise DocumentsError(
            f"Documents demandés inconnus : {', '.join(unknown) or value}. Possibles : {', '.join(work.DOCUMENTS)} "
            "(séparés par des virgules ; sans ce champ, tous)."
        )
    return asked


async def start_diagnostic(request: Request, report, documents: tuple[str, ...] = tuple(work.DOCUMENTS)) -> Job:
    settings, sessions, jobs, sid = ctx(request)
    folder = sessions.new_dir(sid, "taches")
    diag, slug, summary = await quick(request, _diagnose_now, report, folder, settings.config)
    job = jobs.new_job(sid, "diagnostic", folder, f"Diagnostic — {diag.territoire.nom}", **origin(request))
    job.summary = summary
    job.preview = folder / "apercu.html"
    job.files["html"] = Download(folder / "apercu.html", f"{slug}.html", "Rapport HTML")
    job.files["json"] = Download(folder / "resultats.json", f"{slug}.json", "Résultats JSON")
    job.pending = tuple(d.label for k, d in work.DOCUMENTS.items() if k in documents)
    n = len(report.warnings)
    if n:
        job.details["avertissements_classeur"] = n
    jobs.submit(job, work.render_diagnostic, diag, str(folder), slug, settings.config, documents)
    return job


# ------------------------------------------------------------------------------------------------ compare


def _compare_now(reports: list, names: list[str], folder: Path, config) -> tuple[Any, str]:
    from ..compare import compare
    from ..report.compare import render_compare_html

    diags = [pe.diagnose(r.workbook, config, report=r) for r in reports]
    cmp = compare(diags, names)
    render_compare_html(cmp, folder / "apercu.html")
    n = len(cmp.common_actions)
    m = len(cmp.shared_vigilance)
    return cmp, (
        f"{len(diags)} territoires comparés : {plural(n, 'action')} en commun, "
        f"{plural(m, 'point')} de vigilance {agree(m, 'partagé')}."
    )


async def start_comparison(request: Request, reports: list, names: list[str]) -> Job:
    settings, sessions, jobs, sid = ctx(request)
    folder = sessions.new_dir(sid, "taches")
    cmp, summary = await quick(request, _compare_now, reports, names, folder, settings.config)
    job = jobs.new_job(sid, "comparaison", folder, f"Comparaison de {len(reports)} territoires", **origin(request))
    job.summary = summary
    job.preview = folder / "apercu.html"
    slug = "comparaison-" + "-".join(slugify(t.court) for t in cmp.territories)[:80]  # named after the territories
    job.files["html"] = Download(folder / "apercu.html", f"{slug}.html", "Comparaison HTML")
    job.pending = ("Comparaison PDF",)
    jobs.submit(job, work.render_comparison, cmp, str(folder), settings.config, slug)
    return job


# ------------------------------------------------------------------------------------------------ workshop


def start_kit(request: Request, report, participants: int) -> Job:
    settings, sessions, jobs, sid = ctx(request)
    folder = sessions.new_dir(sid, "taches")
    job = jobs.new_job(sid, "kit", folder, f"Kit d'atelier — {report.workbook.territoire.nom}", **origin(request))
    job.pending = ("Kit complet (zip)", "Feuille de notation", "Cartes A6", "Fiche animateur")
    jobs.submit(job, work.workshop_kit, report.workbook, str(folder), participants, settings.config)
    return job


def start_merge(request: Request, report, source: Path, sheets: list[Path], pseudonymise: bool) -> Job:
    settings, sessions, jobs, sid = ctx(request)
    folder = sessions.new_dir(sid, "taches")
    nom = report.workbook.territoire.nom
    job = jobs.new_job(sid, "fusion", folder, f"Fusion des notes d'atelier — {nom}", **origin(request))
    job.pending = ("Classeur avec les votes",)
    jobs.submit(
        job,
        work.workshop_merge,
        report.workbook,
        str(source),
        [str(p) for p in sheets],
        pseudonymise,
        str(folder),
        slugify(nom),
        settings.config,
    )
    return job


# ------------------------------------------------------------------------------------------------ status


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        return french_text(value)
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    return value


def job_status(request: Request, job: Job) -> dict[str, Any]:
    """The JSON of `GET /api/jobs/{id}`, also what the job page shows at load and its script shows as it goes:
    the sentences (step, message, summary, labels, details) carry the French typography; codes, names and URLs
    stay as they are."""
    jobs: JobRunner = request.app.state.jobs
    progress = job.progress() if job.state == "en_cours" else {}
    base = f"/api/jobs/{job.id}"
    step = progress.get("etape") or {
        "en_attente": "En attente d'un processus de rendu libre",
        "termine": "Terminé",
        "echec": "Échec",
    }.get(job.state, "Démarrage")
    return {
        "id": job.id,
        "type": job.kind,
        "titre": french_text(job.title),
        "etat": job.state,
        "etape": french_text(step),
        "progression": round(jobs.estimate(job) * 100),
        "message": french_text(job.message or ""),
        "resume": french_text(job.summary or ""),
        "apercu": f"/taches/{job.id}/apercu" if job.preview is not None else None,
        "telechargements": [
            {"type": k, "libelle": french_text(d.label), "nom": d.name, "url": f"{base}/{k}"}
            for k, d in job.files.items()
            if d.path.is_file()
        ],
        "en_preparation": [french_text(p) for p in job.pending] if job.state in ("en_attente", "en_cours") else [],
        "details": _shown(job.details),
    }

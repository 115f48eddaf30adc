"""The routes of the live atelier: the trainer's control and projector pages, the participants' scoring page.

Trainer routes (`/atelier/direct/…`) answer only the session that opened the atelier (any other gets 404).
Participant routes (`/rejoindre`, `/p`, `/p/…`) are the only ones the join code opens when the server asks
for an access code (`participant_access`, given to the AccessCode middleware); they act only on the
participant named by the HttpOnly cookie `pe_participant` (atelier id + a 192-bit secret token), never on a
participant chosen by the request. `/salle/<secret>` is the room screen, read-only, for another device.
The engine (participants, rounds, notes, journal, results) is `toolkit.workshop.live`: here is HTTP only.
"""

from __future__ import annotations

import io
import secrets
import socket
import time
from collections import defaultdict
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

import toolkit as pe

from ..report.formatting import agree, plural
from ..text import slugify
from ..workshop import live
from . import service
from .pages import json_error, page
from .security import cookie_header
from .settings import is_loopback

PARTICIPANT_COOKIE = "pe_participant"
PRIVACY = (
    "Vos notes sont enregistrées sous un pseudonyme (P01, P02…) sur l'ordinateur de l'animateur, sans "
    "adresse IP ni identifiant de votre appareil. Le prénom que vous indiquez éventuellement ne sert qu'à "
    "vous saluer ; il n'apparaît ni à l'écran de la salle ni dans le classeur, sauf si l'animateur le "
    "décide et vous le dit. Les notes rejoignent le classeur du territoire ; l'animateur peut tout effacer "
    "d'un clic à la fin de l'atelier."
)


#: Wrong join codes an address may send in a minute (a room behind one NAT address shares them: 60 typos a
#: minute is far more than a room makes with the code on the screen and in the QR code).
JOIN_CODE_TRIES = 60
#: Joins an address may make at once, then one more every `JOIN_REFILL_SECONDS`: a room of 80 phones behind
#: one NAT address (the venue's Wi-Fi) all join at the start; a script creating participants is held to
#: 20 a minute, and the trainer sees and removes them on the control page.
JOIN_BURST = 80
JOIN_REFILL_SECONDS = 3.0


class JoinBudget:
    """Joins per client address: a bucket of `burst` tokens refilled one per `refill` seconds."""

    def __init__(self, burst: int = JOIN_BURST, refill: float = JOIN_REFILL_SECONDS) -> None:
        self.burst, self.refill = burst, refill
        self._buckets: dict[str, tuple[float, float]] = defaultdict(lambda: (float(burst), time.monotonic()))

    def take(self, client: str) -> bool:
        now = time.monotonic()
        full_after = self.burst * self.refill  # an address idle this long has its whole burst back: forgotten
        for gone in [c for c, (_t, since) in self._buckets.items() if now - since > full_after]:
            del self._buckets[gone]
        tokens, since = self._buckets[client]
        tokens = min(float(self.burst), tokens + (now - since) / self.refill)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return False
        self._buckets[client] = (tokens - 1, now)
        return True


def participant_access(path: str) -> bool:
    """`AccessCode`'s `extra_access`: the join code opens the participant routes, and only them; the room
    screen's read-only link (`/salle/<secret>`) opens that screen on another device (a projector's computer)."""
    return path in ("/rejoindre", "/p") or path.startswith(("/p/", "/salle/"))


def registry(request: Request) -> live.LiveRegistry:
    return request.app.state.live


# ------------------------------------------------------------------------------------------------ addresses


def lan_address() -> str | None:
    """This computer's address on the room's network (no packet is sent: a UDP socket only picks a route)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.254.254.254", 1))
            ip = s.getsockname()[0]
        return None if is_loopback(ip) else ip
    except OSError:
        return None


def join_address(request: Request, a: live.LiveAtelier) -> tuple[str, bool]:
    """The address participants type or scan, and whether phones can reach it (server bound beyond loopback)."""
    settings = request.app.state.settings
    host, port = settings.host, settings.port
    reachable = not is_loopback(host)
    seen = request.url.hostname or ""
    if reachable:
        if host in ("0.0.0.0", "::", ""):
            host = seen if seen and not is_loopback(seen) else (lan_address() or seen or "127.0.0.1")
    else:
        host = seen or host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/rejoindre?code={a.code}", reachable


# ------------------------------------------------------------------------------------------------ trainer


def _own(request: Request) -> live.LiveAtelier:
    sid = request.scope["state"]["sid"]
    a = registry(request).get(request.path_params["atelier_id"], owner=sid)
    if a is None:
        raise service.Refused("Atelier introuvable (terminé, effacé, ou ouvert depuis un autre navigateur).", 404)
    return a


async def open_live(request: Request) -> Response:
    form = await service.read_form(request)
    files = service.uploads(form, "classeur")
    if files and Path(files[0].filename or "").suffix.lower() not in (".xlsx", ".xlsm"):
        raise service.Refused(
            f"{files[0].filename} : l'atelier en direct écrit un classeur Excel à la fin ; ouvrez ce "
            "fichier dans LibreOffice ou Excel, enregistrez-le au format .xlsx, puis déposez-le."
        )
    source, report = await service.check_upload(request, files[0] if files else None)
    if not report.ok or report.workbook is None:
        payload = service.check_payload(report)
        return page(
            request,
            "atelier.html",
            422,
            titre="Atelier de notation",
            resultat=payload,
            groupes=service.group_by_sheet(payload),
        )
    settings, sessions, _, sid = service.ctx(request)
    folder = sessions.folder(sid) / "ateliers" / secrets.token_hex(8)
    folder.mkdir(parents=True, mode=0o700)
    kept = folder / ("classeur" + source.suffix.lower())
    source.replace(kept)
    a = registry(request).create(sid, folder, kept, report.workbook, settings.config.catalogue)
    return RedirectResponse(f"/atelier/direct/{a.id}", status_code=303)


async def control(request: Request) -> Response:
    a = _own(request)
    address, reachable = join_address(request, a)
    return page(
        request,
        "atelier_direct.html",
        titre=f"Atelier en direct — {a.territoire}",
        a=a,
        adresse=address,
        joignable=reachable,
        port=request.app.state.settings.port,
        regle=live.DISSENSUS_RULE,
        participation=live.participation(a),
        participants=live.roster(a),
        feuilles=[Path(p).name for p in a.paper],
        salle=address.split("/rejoindre", 1)[0] + f"/salle/{a.screen_token}",
    )


def _screened(request: Request) -> live.LiveAtelier:
    a = registry(request).by_screen_token(request.path_params["jeton"])
    if a is None:
        raise service.Refused("Écran introuvable : l'atelier a été effacé.", 404)
    return a


def _screen(request: Request, a: live.LiveAtelier, base: str, read_only: bool) -> Response:
    address, reachable = join_address(request, a)
    kind = request.query_params.get("objets", "")
    return page(
        request,
        "atelier_ecran.html",
        titre=f"Résultats — {a.territoire}",
        a=a,
        adresse=address,
        joignable=reachable,
        regle=live.DISSENSUS_RULE,
        filtre=kind if kind in ("enjeu", "action") else "",
        base=base,
        lecture_seule=read_only,
    )


async def projector(request: Request) -> Response:
    a = _own(request)
    return _screen(request, a, f"/atelier/direct/{a.id}", read_only=False)


async def room_screen(request: Request) -> Response:
    """The room screen on another device, read-only: no button, the same participation and results."""
    a = _screened(request)
    return _screen(request, a, f"/salle/{a.screen_token}", read_only=True)


async def qr_svg(request: Request) -> Response:
    a = _own(request) if "atelier_id" in request.path_params else _screened(request)
    return _qr(request, a)


def _qr(request: Request, a: live.LiveAtelier) -> Response:
    import segno

    address, _ = join_address(request, a)
    buf = io.BytesIO()
    segno.make(address, error="m").save(
        buf, kind="svg", scale=8, border=2, dark="#000", light="#fff", title=f"Code QR : {address}", xmldecl=False
    )
    return Response(buf.getvalue(), media_type="image/svg+xml")


async def state(request: Request) -> Response:
    """Participation always; the statistics only once the trainer revealed them (no anchoring)."""
    a = _own(request) if "atelier_id" in request.path_params else _screened(request)
    request.app.state.sessions.touch(a.owner)  # a running atelier keeps its session from the idle purge
    with a.lock:
        body = {
            "tour": a.round,
            "ouvert": a.round_open,
            "revele": a.revealed,
            "clos": a.closed,
            "participation": live.participation(a),
        }
        if a.revealed:
            body["resultats"] = live.statistics(a)
    return JSONResponse(body, headers={"cache-control": "no-store"})


async def round_action(request: Request) -> Response:
    form = await service.read_form(request)
    a = _own(request)
    try:
        live.set_round(a, str(form.get("action") or ""))
    except live.LiveError as exc:
        raise service.Refused(str(exc), exc.status) from None
    back = str(form.get("retour") or "")
    kind = str(form.get("objets") or "")
    screen = "/ecran" + (f"?objets={kind}" if kind in ("enjeu", "action") else "")
    return RedirectResponse(f"/atelier/direct/{a.id}" + (screen if back == "ecran" else ""), status_code=303)


async def add_paper(request: Request) -> Response:
    form = await service.read_form(request)
    a = _own(request)
    if a.closed:
        raise service.Refused("Cet atelier est clos.", 409)
    sheets = service.uploads(form, "notations")
    if not sheets:
        raise service.Refused("Ajoutez au moins une feuille de notation remplie.")
    config = request.app.state.settings.config
    report = await run_in_threadpool(pe.check, a.source, config)
    for s in sheets:
        path = await service.save(request, s)
        kept = a.folder / "papier" / secrets.token_hex(4) / path.name
        kept.parent.mkdir(parents=True, mode=0o700)
        path.replace(kept)
        try:  # checked now, with the sheets already kept and the live notes: located errors, nothing kept
            await run_in_threadpool(live.add_paper, a, kept, report.workbook, config)
        except live.LiveError as exc:
            import shutil

            shutil.rmtree(kept.parent, ignore_errors=True)
            raise service.Refused(str(exc), exc.status) from None
    return RedirectResponse(f"/atelier/direct/{a.id}#papier", status_code=303)


async def remove_paper(request: Request) -> Response:
    form = await service.read_form(request)
    a = _own(request)
    try:
        live.remove_paper(a, int(str(form.get("feuille") or "-1")))
    except ValueError:
        raise service.Refused("Feuille inconnue dans cet atelier.", 404) from None
    except live.LiveError as exc:
        raise service.Refused(str(exc), exc.status) from None
    return RedirectResponse(f"/atelier/direct/{a.id}#papier", status_code=303)


def _close(a: live.LiveAtelier, config, names: bool):
    report = pe.check(a.source, config)
    if not report.ok or report.workbook is None:
        raise live.LiveError("Le classeur du territoire ne se relit plus : atelier non clos.", 500)
    return live.close(a, report.workbook, config, names)


async def close(request: Request) -> Response:
    form = await service.read_form(request)
    a = _own(request)
    try:
        _, _plan = await run_in_threadpool(_close, a, request.app.state.settings.config, form.get("prenoms") == "oui")
    except live.LiveError as exc:
        raise service.Refused(str(exc), exc.status) from None
    return RedirectResponse(f"/atelier/direct/{a.id}", status_code=303)


async def remove_participant(request: Request) -> Response:
    form = await service.read_form(request)
    a = _own(request)
    try:
        live.remove(a, str(form.get("pseudonyme") or ""))
    except live.LiveError as exc:
        raise service.Refused(str(exc), exc.status) from None
    return RedirectResponse(f"/atelier/direct/{a.id}#participants", status_code=303)


async def download(request: Request) -> Response:
    a = _own(request)
    if not a.result or not Path(a.result).is_file():
        raise service.Refused("Le classeur de l'atelier n'est pas encore écrit : closez d'abord l'atelier.", 404)
    suffix = Path(a.result).suffix
    return FileResponse(
        a.result,
        filename=f"{slugify(a.territoire)}-atelier{suffix}",
        content_disposition_type="attachment",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


async def purge(request: Request) -> Response:
    await service.read_form(request)
    a = _own(request)
    registry(request).purge(a)
    return page(
        request,
        "atelier.html",
        titre="Atelier de notation",
        message="L'atelier en direct, ses notes et son classeur ont été effacés de ce serveur.",
    )


# ------------------------------------------------------------------------------------------------ participants


def _participant(request: Request) -> tuple[live.LiveAtelier, live.Participant] | None:
    raw = request.cookies.get(PARTICIPANT_COOKIE) or ""
    atelier_id, _, token = raw.partition(".")
    if not atelier_id or not token:
        return None
    return registry(request).participant(atelier_id, token)


def _participant_cookie(response: Response, request: Request, value: str, max_age: int) -> None:
    name, header = cookie_header(PARTICIPANT_COOKIE, value, request.app.state.settings.secure_cookies, max_age)
    response.headers.append(name.decode(), header.decode())


async def join_page(request: Request) -> Response:
    code = str(request.query_params.get("code") or "")[:12]
    if request.method == "GET":
        found = _participant(request)
        if found is not None and (not code or found[0].code == code.upper()):
            return RedirectResponse("/p", status_code=303)
        return page(request, "rejoindre.html", titre="Rejoindre l'atelier", code=code, avis=PRIVACY)
    attempts = request.app.state.join_attempts
    client = request.client.host if request.client else "?"  # kept in memory for a minute, never written
    form = await service.read_form(request)
    code = str(form.get("code") or "")[:12]
    if attempts.blocked(client):  # before looking the code up
        return page(
            request,
            "rejoindre.html",
            429,
            titre="Rejoindre l'atelier",
            code=code,
            avis=PRIVACY,
            erreur="Trop d'essais : patientez une minute avant de recommencer.",
        )
    a = registry(request).by_code(code)
    if a is None:
        attempts.failed(client)
        return page(
            request,
            "rejoindre.html",
            403,
            titre="Rejoindre l'atelier",
            code=code,
            avis=PRIVACY,
            erreur="Code inconnu ou atelier terminé : vérifiez le code affiché dans la salle.",
        )
    found = _participant(request)
    if found is not None and found[0] is a:  # the same phone joining again (QR scanned twice): same pseudonym
        return RedirectResponse("/p", status_code=303)
    if not request.app.state.join_budget.take(client):
        return page(
            request,
            "rejoindre.html",
            429,
            titre="Rejoindre l'atelier",
            code=code,
            avis=PRIVACY,
            erreur="Trop d'arrivées depuis ce réseau en peu de temps : patientez quelques secondes puis recommencez.",
        )
    try:
        p = live.join(a, str(form.get("prenom") or ""))
    except live.LiveError as exc:
        return page(
            request, "rejoindre.html", exc.status, titre="Rejoindre l'atelier", code=code, avis=PRIVACY, erreur=str(exc)
        )
    response = RedirectResponse("/p", status_code=303)
    _participant_cookie(response, request, f"{a.id}.{p.token}", max(60, int(a.expires - time.time())))
    return response


def _ballot(a: live.LiveAtelier, p: live.Participant, status: int = 200, *, request: Request, **extra) -> Response:
    mine = live.my_notes(a, p)
    sections = [
        ("Enjeux", [i for i in a.items if i.kind == "enjeu"]),
        ("Actions", [i for i in a.items if i.kind == "action"]),
    ]
    return page(
        request,
        "participant.html",
        status,
        titre=f"Notation — {a.territoire}",
        a=a,
        p=p,
        moi=mine,
        sections=sections,
        envoi=secrets.token_hex(8),
        t=int(time.time() * 1000),
        avis=PRIVACY,
        **extra,
    )


async def ballot(request: Request) -> Response:
    found = _participant(request)
    if found is None:
        response = RedirectResponse("/rejoindre", status_code=303)
        if PARTICIPANT_COOKIE in request.cookies:
            _participant_cookie(response, request, "", 0)
        return response
    a, p = found
    if request.method == "GET":
        done, skipped = request.query_params.get("enregistrees", ""), request.query_params.get("ignorees", "")
        if done.isdigit():  # after the form's post/redirect/get: a reload asks nothing again
            n = min(int(done), len(a.items))
            message = f"{plural(n, 'note')} {agree(n, 'enregistrée')}."
            if skipped.isdigit() and int(skipped):
                m = min(int(skipped), len(a.items))
                why = (
                    "une note plus récente était déjà enregistrée pour cet objet"
                    if m == 1
                    else "des notes plus récentes étaient déjà enregistrées pour ces objets"
                )
                message += f" {plural(m, 'note')} non {agree(m, 'prise')} en compte : {why}."
            return _ballot(a, p, request=request, message=message)
        return _ballot(a, p, request=request)
    form = await service.read_form(request)
    envoi = str(form.get("envoi") or "")[:32] or secrets.token_hex(8)
    try:
        t = float(str(form.get("t") or time.time() * 1000))
    except ValueError:
        t = time.time() * 1000
    saved = stale = 0
    try:
        for it in a.items:
            raw = form.get(f"note-{it.objet}")
            if raw in (None, ""):
                continue
            try:
                note = int(str(raw))
            except ValueError:
                raise live.LiveError("Note attendue : un entier de 1 à 5.", 422) from None
            result = live.vote(a, p, it.objet, note, f"{envoi}:{it.objet}", t)
            if result["etat"] == "perime":  # a newer note of this participant stays: this one was not taken
                stale += 1
            else:
                saved += 1
    except live.LiveError as exc:
        return _ballot(a, p, exc.status, request=request, erreur=str(exc))
    request.app.state.sessions.touch(a.owner)
    after = f"/p?enregistrees={saved}" + (f"&ignorees={stale}" if stale else "")
    return RedirectResponse(after, status_code=303)  # no « resubmit the form? » on reload


async def note_api(request: Request) -> Response:
    found = _participant(request)
    if found is None:
        return json_error("Session de participant inconnue ou atelier terminé : rejoignez de nouveau.", 401)
    a, p = found
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # not JSON, or nested deep enough to break the parser
        return json_error("Envoi illisible : rechargez la page.", 400)
    if not isinstance(body, dict) or not isinstance(body.get("objet"), str) or not isinstance(body.get("id"), str):
        return json_error("Envoi illisible : rechargez la page.", 400)
    note, t = body.get("note"), body.get("t")
    if note is not None and type(note) is not int:  # 3.9, "3" and true are not notes
        return json_error("Note attendue : un entier de 1 à 5.", 422, **live.my_notes(a, p))
    try:  # the time is vetted by the engine (a number, finite, not far ahead of the server's clock)
        result = live.vote(a, p, body["objet"], note, body["id"], t)
    except live.LiveError as exc:
        return json_error(str(exc), exc.status, **live.my_notes(a, p))
    request.app.state.sessions.touch(a.owner)  # the room is voting: the trainer's session is active
    return JSONResponse(result)


async def my_state(request: Request) -> Response:
    found = _participant(request)
    if found is None:
        return json_error("Atelier terminé ou session inconnue.", 410, termine=True)
    return JSONResponse(live.my_notes(*found))


routes = [
    Route("/atelier/direct", open_live, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}", control),
    Route("/atelier/direct/{atelier_id:str}/ecran", projector),
    Route("/atelier/direct/{atelier_id:str}/qr.svg", qr_svg),
    Route("/atelier/direct/{atelier_id:str}/etat", state),
    Route("/atelier/direct/{atelier_id:str}/tour", round_action, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}/papier", add_paper, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}/papier/retirer", remove_paper, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}/clore", close, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}/retirer", remove_participant, methods=["POST"]),
    Route("/atelier/direct/{atelier_id:str}/classeur", download),
    Route("/atelier/direct/{atelier_id:str}/purger", purge, methods=["POST"]),
    Route("/salle/{jeton:str}", room_screen),
    Route("/salle/{jeton:str}/qr.svg", qr_svg),
    Route("/salle/{jeton:str}/etat", state),
    Route("/rejoindre", join_page, methods=["GET", "POST"]),
    Route("/p", ballot, methods=["GET", "POST"]),
    Route("/p/note", note_api, methods=["POST"]),
    Route("/p/etat", my_state),
]

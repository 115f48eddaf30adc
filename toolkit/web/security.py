"""The server's defences: one ASGI middleware per concern, in the order a request meets them.

1. `SecurityHeaders` — every response gets a CSP without inline script, nosniff, frame-deny, no referrer to
   other sites and `no-store` (a route may set a stricter CSP of its own).
2. `HostCheck` — the `Host` header must name this server: a loopback name or address, the address it is
   bound to, the address the connection arrived on, or a name given with `serve --nom-hote`; anything else
   (a DNS-rebinding page, whose name resolves to us) gets 400 before any route runs.
3. `BodyLimits` — a declared `Content-Length` over the path's limit is answered 413 before a byte is read;
   a body without one is counted as it streams and cut at the limit; a body that stalls (no byte for
   `BODY_IDLE_SECONDS`) or crawls is answered 408; a client that disconnects mid-body ends quietly.
4. `AccessCode` — when the server asks for a code, every request needs it (header `X-Code-Acces`, or the
   signed cookie the `/acces` form sets); the brake (20 wrong codes a minute per address) is consulted
   *before* any comparison, so a braked address gets 429 even with the right code.
5. `SessionCookie` — a signed HttpOnly SameSite=Strict cookie names the session; its CSRF token is derived.
6. `CsrfCheck` — every POST/PUT/PATCH/DELETE, whatever its route, carries the session's token (header
   `X-CSRF-Token`, or the form field `csrf`, read here from the start of the body and replayed to the route)
   and no cross-site `Origin`/`Sec-Fetch-Site`; a script calling `/api/*` without any cookie has no ambient
   credential to abuse and needs no token.

Each refusal is French: a JSON `{"erreur": …}` for the API and scripts, a small page otherwise.
Header read time and open connections are bounded below ASGI, in `toolkit.web.server`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import time
from collections import defaultdict, deque
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect, HTTPConnection
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..typography import french_html, french_text
from .sessions import COOKIE, SessionStore
from .settings import WebSettings, is_loopback

ACCESS_COOKIE = "pe_acces"
CODE_HEADER = "x-code-acces"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: How much of a form body the CSRF check reads to find its field (the pages put it first).
CSRF_PREFIX_BYTES = 64 * 1024
#: A request body that sends nothing for this long is answered 408 and closed.
BODY_IDLE_SECONDS = 20.0
#: …and a whole body must arrive within this base time plus one second per `BODY_MIN_RATE` bytes.
BODY_BASE_SECONDS = 60.0
BODY_MIN_RATE = 16 * 1024

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: The report preview: inline CSS and data: images only, no script, its own origin (sandbox), framed by us.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox"
)

TOO_LARGE = "Fichier trop volumineux : la limite est de {} Mo par classeur. Allégez-le (images, feuilles inutiles)."
TOO_LARGE_SMALL = "Envoi trop volumineux pour cette adresse (au plus {} Ko)."
TOO_SLOW = "Envoi trop lent ou interrompu : la connexion a été fermée. Recommencez."
CSRF_REFUSED = (
    "Requête refusée : jeton de sécurité absent ou périmé (protection contre les requêtes venues d'un "
    "autre site). Rechargez la page puis recommencez."
)
CODE_NEEDED = "Code d'accès requis : saisissez le code communiqué par la personne qui a lancé pilier-eco."
TOO_MANY = "Trop d'essais de code d'accès : patientez une minute."
BAD_HOST = (
    "Adresse inattendue : ce serveur ne répond qu'à son propre nom (adresse de cet ordinateur). "
    "Ouvrez la page par l'adresse affichée au démarrage."
)

SECURITY_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),  # no-referrer made Chromium send `Origin: null` on our forms
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    ("content-security-policy", PAGE_CSP),
    ("x-frame-options", "DENY"),
    ("cache-control", "no-store"),
)

_ERROR_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" '
    'content="width=device-width, initial-scale=1"><title>Requête refusée — pilier-eco</title>'
    '<link rel="stylesheet" href="/static/site.css"></head><body><main class="page" id="contenu">'
    '<h1>Requête refusée</h1><p role="alert">{}</p><p><a href="/">Retour à l’accueil</a></p></main></body></html>'
)


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


def csrf_token(secret: bytes, sid: str) -> str:
    return hmac.new(secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()


def access_token(secret: bytes, code: str) -> str:
    """Cookie value proving the code was typed: tied to this server's secret and to the code itself."""
    return hmac.new(secret, b"acces:" + code.encode(), hashlib.sha256).hexdigest()


def code_matches(given: str | None, code: str) -> bool:
    return given is not None and hmac.compare_digest(given.strip().encode(), code.encode())


class Attempts:
    """Wrong codes per client address over the last `window` seconds (brute-force brake).

    Callers ask `blocked` before comparing anything, and record every wrong code with `failed`."""

    def __init__(self, limit: int = 20, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        q = self._seen[client]
        while q and q[0] < time.monotonic() - self.window:
            q.popleft()
        if not q:
            self._seen.pop(client, None)  # the address is forgotten once its minute is over
        return len(q) >= self.limit

    def failed(self, client: str) -> None:
        now = time.monotonic()
        for other in [c for c, q in self._seen.items() if q and q[-1] < now - self.window]:
            del self._seen[other]  # addresses whose minute is over are forgotten (kept in memory only, never written)
        self._seen[client].append(now)


def client_address(scope) -> str:
    return (scope.get("client") or ("?", 0))[0]


def wants_json(scope) -> bool:
    path: str = scope["path"]
    headers = Headers(scope=scope)
    return (
        path.startswith("/api/")
        or "application/json" in headers.get("accept", "")
        or "application/json" in headers.get("content-type", "")
    )


def cookie_header(name: str, value: str, secure: bool, max_age: int | None = None) -> tuple[bytes, bytes]:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return b"set-cookie", "; ".join(parts).encode("latin-1")


async def refuse(scope, receive, send, status: int, message: str, as_json: bool | None = None) -> None:
    """Answer a refusal in French (JSON for scripts and the page's calls, a small page otherwise) and close."""
    response: Response
    if as_json if as_json is not None else wants_json(scope):
        response = JSONResponse({"erreur": french_text(message)}, status_code=status)
    else:
        escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        response = HTMLResponse(french_html(_ERROR_PAGE.format(escaped)), status_code=status)
    response.headers["connection"] = "close"
    await response(scope, receive, send)


def _http(scope) -> bool:
    return scope["type"] == "http"


# ------------------------------------------------------------------------------------------------ 1 headers


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if not _http(scope):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------------------------------------ 2 host


def host_name(host_header: str) -> str:
    """`[::1]:8000` -> `::1`, `Example.org.:80` -> `example.org`."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1 : h.find("]")] if "]" in h else ""
    name, _, _port = h.partition(":")
    return name.rstrip(".")


def allowed_host(host_header: str, settings: WebSettings, server_address: str | None) -> bool:
    """Only names that cannot be a DNS-rebinding attacker's: loopback, our own addresses, the given names."""
    name = host_name(host_header)
    if not name:
        return False
    if name == "localhost" or name in settings.host_names:
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    return (
        is_loopback(name)
        or name == settings.host.strip("[]")
        or (server_address is not None and ip == _ip(server_address))
    )


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


class HostCheck:
    def __init__(self, app, settings: WebSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send) -> None:
        if _http(scope):
            server = scope.get("server")
            if not allowed_host(Headers(scope=scope).get("host", ""), self.settings, server[0] if server else None):
                await refuse(scope, receive, send, 400, BAD_HOST)
                return
        await self.app(scope, receive, send)


# ------------------------------------------------------------------------------------------------ 3 body


class BodyLimits:
    def __init__(self, app, settings: WebSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send) -> None:
        if not _http(scope):
            await self.app(scope, receive, send)
            return
        limit = self.settings.request_limit(scope["path"])
        if limit >= 1024 * 1024:
            too_large = TOO_LARGE.format(round(self.settings.max_upload_bytes / 1024 / 1024))
        else:
            too_large = TOO_LARGE_SMALL.format(limit // 1024)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await refuse(scope, receive, send, 413, too_large)
            return
        expected = int(declared) if declared is not None else limit
        deadline = time.monotonic() + BODY_BASE_SECONDS + expected / BODY_MIN_RATE
        received, done, started = 0, False, False

        async def bounded_receive():
            nonlocal received, done
            if done:
                return await receive()
            wait = min(BODY_IDLE_SECONDS, deadline - time.monotonic())
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.0, wait))
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
                done = not message.get("more_body", False)
            return message

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await refuse(scope, receive, send, 413, too_large)
        except BodyTooSlow:
            if not started:
                await refuse(scope, receive, send, 408, TOO_SLOW)
        except ClientDisconnect:
            pass  # the browser went away mid-upload: nobody to answer, nothing worth a traceback


# ------------------------------------------------------------------------------------------------ 4 access code


class AccessCode:
    def __init__(
        self,
        app,
        settings: WebSettings,
        attempts: Attempts,
        extra_access: Callable[[str], bool] | None = None,
    ) -> None:
        self.app, self.settings, self.attempts = app, settings, attempts
        self.extra_access = extra_access  # live workshop: a participant's code opens only their pages

    async def __call__(self, scope, receive, send) -> None:
        path: str = scope.get("path", "")
        code = self.settings.code
        if not _http(scope) or not code or path.startswith("/static/") or path == "/acces":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        client = client_address(scope)
        given = conn.headers.get(CODE_HEADER)
        if given is not None:
            if self.attempts.blocked(client):  # before comparing: a braked address learns nothing more
                await refuse(scope, receive, send, 429, TOO_MANY)
                return
            if not code_matches(given, code):
                self.attempts.failed(client)
                given = None
        ok = (
            given is not None
            or hmac.compare_digest(conn.cookies.get(ACCESS_COOKIE, ""), access_token(self.settings.secret, code))
            or (self.extra_access is not None and self.extra_access(path))
        )
        if ok:
            await self.app(scope, receive, send)
        elif wants_json(scope) or scope["method"] != "GET":
            await refuse(scope, receive, send, 401, CODE_NEEDED, as_json=True)
        else:
            await RedirectResponse(f"/acces?suite={quote(path, safe='/')}", status_code=303)(scope, receive, send)


# ------------------------------------------------------------------------------------------------ 5 session


class SessionCookie:
    def __init__(self, app, settings: WebSettings, sessions: SessionStore) -> None:
        self.app, self.settings, self.sessions = app, settings, sessions

    async def __call__(self, scope, receive, send) -> None:
        if not _http(scope):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(COOKIE)
        sid = self.sessions.unsign(cookie)
        state = scope.setdefault("state", {})
        state["had_session"] = sid is not None
        fresh = sid is None
        if sid is None:
            sid = self.sessions.new_id()
        state["sid"] = sid
        state["csrf"] = csrf_token(self.settings.secret, sid)

        async def send_cookie(message) -> None:
            if fresh and message["type"] == "http.response.start":
                name, value = cookie_header(COOKIE, self.sessions.sign(sid), self.settings.secure_cookies)
                MutableHeaders(scope=message).append(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_cookie)


# ------------------------------------------------------------------------------------------------ 6 CSRF


def _cross_site(headers: Headers) -> bool:
    origin = headers.get("origin")
    host = headers.get("host", "")
    return headers.get("sec-fetch-site") not in (None, "same-origin", "none") or (
        origin is not None and origin not in (f"http://{host}", f"https://{host}")
    )


async def _form_token(scope, receive) -> tuple[str | None, list[dict]]:
    """The `csrf` field of an urlencoded or multipart body, read from at most `CSRF_PREFIX_BYTES` of it.

    Returns the token (or None) and the messages read, which the caller replays to the route."""
    ctype = Headers(scope=scope).get("content-type", "")
    kind = ctype.split(";")[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None, []
    read: list[dict] = []
    data = b""
    complete = False
    while len(data) < CSRF_PREFIX_BYTES and not complete:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            break
        data += message.get("body", b"")
        complete = not message.get("more_body", False)
        token = _find_token(kind, ctype, data, complete)
        if token is not None:
            return token, read
    return None, read


def _find_token(kind: str, ctype: str, data: bytes, complete: bool) -> str | None:
    if kind == "application/x-www-form-urlencoded":
        text = data.decode("latin-1")
        if not complete:
            text = text.rpartition("&")[0]
        for k, v in parse_qsl(text, keep_blank_values=True):
            if k == CSRF_FIELD:
                return v
        return None
    boundary = next(
        (
            p.split("=", 1)[1].strip().strip('"')
            for p in ctype.split(";")[1:]
            if p.strip().lower().startswith("boundary=")
        ),
        "",
    )
    if not boundary:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    for part in data.split(delimiter)[1:-1]:  # whole parts only: the last one may be cut
        head, sep, value = part.partition(b"\r\n\r\n")
        if sep and b'name="csrf"' in head and b"filename=" not in head:
            return value.removesuffix(b"\r\n").decode("latin-1").strip()
    return None


class CsrfCheck:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if not _http(scope) or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        state = scope["state"]
        if _cross_site(headers):
            await refuse(scope, receive, send, 403, CSRF_REFUSED)
            return
        if scope["path"].startswith("/api/") and not state["had_session"]:
            await self.app(scope, receive, send)  # a script without cookies: nothing ambient to abuse
            return
        given = headers.get(CSRF_HEADER)
        replay: list[dict] = []
        if given is None:
            given, replay = await _form_token(scope, receive)
        if not state["had_session"] or not given or not hmac.compare_digest(given.encode(), state["csrf"].encode()):
            await refuse(scope, receive, send, 403, CSRF_REFUSED)
            return

        async def replaying_receive():
            if replay:
                return replay.pop(0)
            return await receive()

        await self.app(scope, replaying_receive, send)

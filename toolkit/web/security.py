"""The server's defences, in one ASGI middleware that sees every request before the routes do.

In order: (1) body size — a declared `Content-Length` over the limit is answered 413 before a byte of the
body is read, and a body without one is counted as it streams and cut at the limit; (2) access code —
when the server is bound beyond loopback every request needs it (header `X-Code-Acces`, or the signed
cookie the `/acces` form sets); (3) session — a signed HttpOnly SameSite=Strict cookie names the
session; (4) CSRF — a POST/PUT/DELETE from a page must carry the session's token (form field `csrf` or
header `X-CSRF-Token`) and no cross-site `Origin`/`Sec-Fetch-Site`; a script calling `/api/*` without any
cookie has no ambient credential to abuse and needs no token; (5) headers — a CSP without inline script,
nosniff, frame-deny and no referrer to other sites on every response (a route may set a stricter CSP of its own).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import quote

from ..typography import french_html, french_text
from .sessions import COOKIE, SessionStore
from .settings import WebSettings

ACCESS_COOKIE = "pe_acces"
CODE_HEADER = "x-code-acces"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

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
CSRF_REFUSED = (
    "Requête refusée : jeton de sécurité absent ou périmé (protection contre les requêtes venues d'un "
    "autre site). Rechargez la page puis recommencez."
)
CODE_NEEDED = "Code d'accès requis : saisissez le code communiqué par la personne qui a lancé pilier-eco."
TOO_MANY = "Trop d'essais de code d'accès : patientez une minute."


class BodyTooLarge(Exception):
    pass


def csrf_token(secret: bytes, sid: str) -> str:
    return hmac.new(secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()


def access_token(secret: bytes, code: str) -> str:
    """Cookie value proving the code was typed: tied to this server's secret and to the code itself."""
    return hmac.new(secret, b"acces:" + code.encode(), hashlib.sha256).hexdigest()


def code_matches(given: str | None, code: str) -> bool:
    return given is not None and hmac.compare_digest(given.strip().encode(), code.encode())


class Attempts:
    """Wrong access codes per client address over the last minute (brute-force brake)."""

    def __init__(self, limit: int = 20, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        q = self._seen[client]
        while q and q[0] < time.monotonic() - self.window:
            q.popleft()
        return len(q) >= self.limit

    def failed(self, client: str) -> None:
        self._seen[client].append(time.monotonic())


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
        return {}
    return {k: m.value for k, m in jar.items()}


def cookie_header(name: str, value: str, secure: bool, max_age: int | None = None) -> tuple[bytes, bytes]:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return b"set-cookie", "; ".join(parts).encode("latin-1")


async def _respond(send, status: int, message: str, as_json: bool, extra=()) -> None:
    if as_json:
        body = json.dumps({"erreur": french_text(message)}, ensure_ascii=False).encode()
        ctype = b"application/json"
    else:
        body = french_html(
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>pilier-eco</title>'
            f'<link rel="stylesheet" href="/static/site.css"></head><body><main class="page"><h1>'
            f'Requête refusée</h1><p role="alert">{_escape(message)}</p><p><a href="/">Retour à '
            f"l’accueil</a></p></main></body></html>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer made Chromium send `Origin: null` on our forms
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class Guard:
    """ASGI middleware: size limit, access code, session cookie, CSRF and security headers."""

    def __init__(
        self,
        app,
        settings: WebSettings,
        sessions: SessionStore,
        extra_access: Callable[[dict, str, dict[str, str]], bool] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.sessions = sessions
        self.attempts = Attempts()
        self.extra_access = extra_access  # live workshop: a participant's code opens only their pages

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        headers = _headers(scope)
        cookies = _cookies(headers)
        api = path.startswith("/api/")
        wants_json = api or "application/json" in headers.get("accept", "")
        started = False
        new_cookies: list[tuple[bytes, bytes]] = []

        async def send_wrapper(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                hdrs = list(message.get("headers", []))
                hdrs += [h for h in SECURITY_HEADERS if h[0] not in present]
                if b"content-security-policy" not in present:
                    hdrs.append((b"content-security-policy", PAGE_CSP.encode()))
                if b"x-frame-options" not in present:
                    hdrs.append((b"x-frame-options", b"DENY"))
                if b"cache-control" not in present:
                    hdrs.append((b"cache-control", b"no-store"))
                hdrs += new_cookies
                message = {**message, "headers": hdrs}
            await send(message)

        # (1) size, before reading anything
        limit = self.settings.request_limit(path)
        too_large = TOO_LARGE.format(round(self.settings.max_upload_bytes / 1024 / 1024))
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _respond(send_wrapper, 413, too_large, wants_json)
            return
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        # (2) access code
        client = (scope.get("client") or ("?", 0))[0]
        if self.settings.code and not path.startswith("/static/") and path != "/acces":
            ok = (
                cookies.get(ACCESS_COOKIE) == access_token(self.settings.secret, self.settings.code)
                or code_matches(headers.get(CODE_HEADER), self.settings.code)
                or (self.extra_access is not None and self.extra_access(scope, path, cookies))
            )
            if not ok:
                if CODE_HEADER in headers:
                    if self.attempts.blocked(client):
                        await _respond(send_wrapper, 429, TOO_MANY, wants_json)
                        return
                    self.attempts.failed(client)
                if wants_json or method != "GET":
                    await _respond(send_wrapper, 401, CODE_NEEDED, True)
                else:
                    target = quote(path, safe="/")
                    await send_wrapper(
                        {
                            "type": "http.response.start",
                            "status": 303,
                            "headers": [(b"location", f"/acces?suite={target}".encode())],
                        }
                    )
                    await send_wrapper({"type": "http.response.body", "body": b""})
                return
        scope.setdefault("state", {})["attempts"] = self.attempts

        # (3) session
        had_cookie = COOKIE in cookies
        sid = self.sessions.unsign(cookies.get(COOKIE))
        if sid is None:
            sid = self.sessions.new_id()
            new_cookies.append(cookie_header(COOKIE, self.sessions.sign(sid), self.settings.secure_cookies))
        state = scope["state"]
        state["sid"] = sid
        state["csrf"] = csrf_token(self.settings.secret, sid)

        # (4) CSRF on every state-changing request
        if method in UNSAFE:
            origin = headers.get("origin")
            host = headers.get("host", "")
            cross = headers.get("sec-fetch-site") not in (None, "same-origin", "none") or (
                origin is not None and origin not in (f"http://{host}", f"https://{host}")
            )
            script_call = api and not had_cookie and not cross
            if not script_call:
                given = headers.get(CSRF_HEADER)
                if given is None and not api:
                    state["csrf_from_form"] = True  # checked by the route once the form is parsed
                elif cross or not had_cookie or given is None or not hmac.compare_digest(given, state["csrf"]):
                    await _respond(send_wrapper, 403, CSRF_REFUSED, wants_json)
                    return
            if cross:
                await _respond(send_wrapper, 403, CSRF_REFUSED, wants_json)
                return
        try:
            await self.app(scope, counting_receive, send_wrapper)
        except BodyTooLarge:
            if not started:
                await _respond(send_wrapper, 413, too_large, wants_json)


def check_form_csrf(request, form) -> bool:
    """For a page form: the hidden `csrf` field must match the session (and the session cookie be there)."""
    if not request.scope["state"].get("csrf_from_form"):
        return True
    given = form.get(CSRF_FIELD)
    had_cookie = COOKIE in request.cookies
    return had_cookie and isinstance(given, str) and hmac.compare_digest(given, request.scope["state"]["csrf"])

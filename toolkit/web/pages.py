"""Rendering a page: the Jinja environment (autoescape on), what every page template receives, and the French
typography of what the browser shows (applied once, on the rendered page, by `toolkit.typography`)."""

from __future__ import annotations

import importlib.util

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from ..report.formatting import agree, number, plural
from ..resources import templates_dir
from ..typography import french_html, french_text

WEB = templates_dir() / "web"


def json_error(message: str, status: int, **extra) -> JSONResponse:
    """A refusal as JSON: `erreur` is the French sentence the page shows as is, so it carries the typography."""
    return JSONResponse({"erreur": french_text(message), **extra}, status_code=status)


def suivi_available() -> bool:
    return importlib.util.find_spec("toolkit.suivi") is not None


def templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(WEB)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # every number a person reads has the French thousands separator (« 3 019 lignes lues »), and the
    # word after it agrees with it (« 0 participant », « 2 feuilles »): the report's own helpers
    env.filters["nombre"] = lambda x: number(x, 0) if isinstance(x, (int, float)) else x
    env.globals["pluriel"] = plural
    env.globals["accord"] = agree
    return Jinja2Templates(env=env)


def page(request: Request, name: str, status: int = 200, **context) -> Response:
    st = request.app.state
    context.setdefault("titre", "")
    response = st.templates.TemplateResponse(
        request,
        name,
        {
            "csrf": request.scope["state"]["csrf"],
            "code_requis": bool(st.settings.code),
            "suivi": suivi_available(),
            "limite_mo": round(st.settings.max_upload_bytes / 1024 / 1024),
            "conservation": st.settings.keep_minutes,
            **context,
        },
        status_code=status,
    )
    # the edge where every page leaves the server: typography on the rendered (already escaped) HTML
    response.body = french_html(bytes(response.body).decode("utf-8")).encode("utf-8")
    response.headers["content-length"] = str(len(response.body))
    return response

"""Rendering a page: the Jinja environment (autoescape on) and what every page template receives."""

from __future__ import annotations

import importlib.util

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..resources import templates_dir

WEB = templates_dir() / "web"


def suivi_available() -> bool:
    return importlib.util.find_spec("toolkit.suivi") is not None


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(WEB)), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


def page(request: Request, name: str, status: int = 200, **context) -> Response:  # noqa: ANN003
    st = request.app.state
    context.setdefault("titre", "")
    return st.templates.TemplateResponse(request, name, {
        "csrf": request.scope["state"]["csrf"], "code_requis": bool(st.settings.code),
        "suivi": suivi_available(), "limite_mo": round(st.settings.max_upload_bytes / 1024 / 1024),
        "conservation": st.settings.keep_minutes, **context}, status_code=status)

"""`pilier-eco serve`: the toolkit as a local web page, a second door into the same library.

    from toolkit.web import WebSettings, create_app
    app = create_app(WebSettings(data_dir="données-web"))   # a Starlette app; serve it with uvicorn

The page holds no method of its own: every route calls the public functions the CLI calls (`check`,
`diagnose`, `render_*`, `make_template`, the workshop kit and merge). What it adds is what a shared web
server needs: a folder per browser session (`sessions`), bounded pools of render and check processes
(`jobs`), the defences of `security` (one middleware per concern: headers, Host, body limits, access code,
session, CSRF) and bounded connections under them (`server`). The live atelier's engine is
`toolkit.workshop.live`; its routes are `live_pages`. See docs/web.md.
"""

from __future__ import annotations

from .settings import WebSettings


def create_app(settings: WebSettings):
    from .app import create_app as _create

    return _create(settings)


__all__ = ["WebSettings", "create_app"]

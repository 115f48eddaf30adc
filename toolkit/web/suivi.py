"""Follow-up (suivi annuel) on the web page: the place kept for `toolkit.suivi` (record, history, revue).

`toolkit.suivi` is built on its own branch; until it is part of the installed package, the page says so and
offers nothing it cannot do. When it lands, its public functions are wired here and nowhere else.
"""

from __future__ import annotations

import importlib.util

from starlette.requests import Request
from starlette.responses import Response


def available() -> bool:
    return importlib.util.find_spec("toolkit.suivi") is not None


async def suivi_page(request: Request) -> Response:
    from .app import page

    return page(request, "suivi.html", titre="Suivi annuel", disponible=available())


from starlette.routing import Route  # noqa: E402

routes = [Route("/suivi", suivi_page)]

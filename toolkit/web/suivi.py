"""Follow-up (suivi annuel) on the web page: the place kept for `toolkit.suivi` (record, history, revue).

`toolkit.suivi` is built on its own branch; until it is part of the installed package, the page says so and
offers nothing it cannot do. When it lands, its public functions are wired here and nowhere else.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .pages import page, suivi_available


async def suivi_page(request: Request) -> Response:
    return page(request, "suivi.html", titre="Suivi annuel", disponible=suivi_available())


routes = [Route("/suivi", suivi_page)]

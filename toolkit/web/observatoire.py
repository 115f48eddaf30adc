"""The observatory on the web page (`/observatoire`): read-only, filtered by département and EPCI.

Available when the server was given a follow-up base (`serve --base …`). The base is opened read-only (the
page never writes, whoever visits it); the view is the PDF's (`report/observatoire.py`), its map inline SVG.
Validating a candidate experience stays a command (`pilier-eco observatoire valider`): a decision with a name.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# imported with the server, not on the first visit: the page's first view is its queries and rendering only
from ..catalog.contours import packaged_contours
from ..report.observatoire import build_observatory_view, observatory_body
from ..suivi.candidates import candidates
from ..suivi.observatory import observe, prerequisite_names
from ..suivi.store import SuiviError, open_base
from .pages import page
from .suivi import _shown, base_of

TITLE = "Observatoire"


def _build(base: str, config, departement: str | None, epci: str | None, page: int = 1):
    with open_base(base, readonly=True) as b:
        obs = observe(b, prerequisite_names=prerequisite_names(config.catalogue), departement=departement, epci=epci)
        cands = candidates(b)
    view = build_observatory_view(obs, cands, packaged_contours(), page=page)
    return view, observatory_body(view)


def _param(request: Request, name: str) -> str | None:
    value = " ".join(str(request.query_params.get(name) or "").split())[:120]
    return value or None


async def observatory_page(request: Request) -> Response:
    base = base_of(request)
    if base is None:
        return page(request, "observatoire.html", titre=TITLE, base=None)

    departement, epci = _param(request, "departement"), _param(request, "epci")
    number = _param(request, "page") or "1"
    page_no = int(number) if number.isdigit() and len(number) < 6 else 1
    try:
        view, body = await run_in_threadpool(
            _build, base, request.app.state.settings.config, departement, epci, page_no
        )
    except SuiviError as exc:
        return page(request, "observatoire.html", 503, titre=TITLE, base=_shown(base), probleme=str(exc))
    return page(request, "observatoire.html", titre=TITLE, base=_shown(base), v=view, corps=body)


routes = [Route("/observatoire", observatory_page)]

"""The observatory on the web page (`/observatoire`): read-only, filtered by département and EPCI.

Available when the server was given a follow-up base (`serve --base …`). The base is opened read-only (the
page never writes, whoever visits it); the view is the PDF's (`report/observatoire.py`), its map inline SVG,
the territories' tables by pages of 100. Validating a candidate experience stays a command (`pilier-eco
observatoire valider`): a decision with a name.

The territories' states are read once per state of the base and kept (`_CACHE`): the next views, another
filter or another page only filter and render; a snapshot recorded or a candidate decided changes the base's
stamp (a query of a few milliseconds) and the next view reads it again.
"""

from __future__ import annotations

import contextlib
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# imported with the server, not on the first visit: the page's first view is its queries and rendering only
from ..catalog.contours import packaged_contours
from ..report.observatoire import build_observatory_view, observatory_body
from ..suivi.candidates import candidates
from ..suivi.observatory import filtered, observe, prerequisite_names, stamp
from ..suivi.store import SuiviError, open_base
from .pages import page
from .suivi import _shown, base_of

TITLE = "Observatoire"
_CACHE: dict[str, tuple[tuple, object, tuple]] = {}  # base -> (stamp, Observatory of every territory, candidates)
_BUILDING = threading.Lock()  # one reading at a time: a visitor arriving during the warm-up waits for it


def _read(base: str, config):
    with _BUILDING, open_base(base, readonly=True) as b:
        key = stamp(b)
        hit = _CACHE.get(base)
        if hit is not None and hit[0] == key:
            return hit[1], hit[2]
        obs = observe(b, prerequisite_names=prerequisite_names(config.catalogue))
        cands = candidates(b)
        _CACHE[base] = (key, obs, cands)
    return obs, cands


def warm(settings) -> None:
    """At server start, read the observatory of the server's base in the background, so that the first
    visitor of /observatoire gets it rendered, not computed. Any problem is left for the page to tell."""
    base = settings.suivi_base or settings.config.suivi_base
    if base is None:
        return

    def run() -> None:
        # a missing, busy or damaged base: nothing here, the page says it in French when visited
        with contextlib.suppress(Exception):
            _read(base, settings.config)

    threading.Thread(target=run, name="observatoire-warm", daemon=True).start()


def _build(base: str, config, departement: str | None, epci: str | None, page_no: int = 1):
    obs, cands = _read(base, config)
    contours = config.contours or packaged_contours()  # `serve --contours`, else the packaged 2015 ones
    view = build_observatory_view(filtered(obs, departement, epci), cands, contours, page=page_no)
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

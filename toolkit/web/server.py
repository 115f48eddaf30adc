"""Running the app under uvicorn with bounded connections: the part of the defences below ASGI.

An ASGI middleware only sees a request once its headers are complete, so a client that opens a socket and
sends half a request line (or one header byte every few seconds) never reaches it. `BoundedH11Protocol`
gives every request `HEADER_SECONDS` to arrive whole, from the connection's start or from the first
byte after a keep-alive pause; then the socket is closed. The body's read time is bounded by
`security.BodyLimits`. `LIMIT_CONCURRENCY` caps open connections and running requests together (beyond
it, uvicorn answers 503 at once), and idle keep-alive connections close after `KEEP_ALIVE_SECONDS`.
One address holds at most `CONNECTIONS_PER_ADDRESS` of them (a further one is closed at once), so a single
machine of the room's network cannot take every connection from the others — while a whole room of phones
behind one NAT address (about two connections each) still fits.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import WebSettings

#: A request's line and headers must arrive within this time.
HEADER_SECONDS = 10.0
#: An idle keep-alive connection is closed after this time (uvicorn's own timer).
KEEP_ALIVE_SECONDS = 5
#: Open connections plus running requests; beyond it, 503 at once. A room of 100 phones holds ~200.
LIMIT_CONCURRENCY = 500
#: Open connections of one client address; beyond it, the new connection is closed. 100 phones behind one
#: NAT address hold ~200; the rest of LIMIT_CONCURRENCY stays for everyone else.
CONNECTIONS_PER_ADDRESS = 240


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for the request line and headers."""

    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        if self._same_address() > CONNECTIONS_PER_ADDRESS:
            transport.close()  # connection_lost follows: uvicorn forgets it
            return
        self._arm_header_deadline()

    def _same_address(self) -> int:
        """Open connections of this one's client address (the server's own set: no state of ours)."""
        mine = self.client[0] if self.client else None
        return sum(1 for c in self.connections if (theirs := getattr(c, "client", None)) and theirs[0] == mine)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm_header_deadline()  # bytes of a request, headers not complete yet: the clock runs
        else:
            self._disarm_header_deadline()  # headers complete: the body's time is BodyLimits' business

    def on_response_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_response_complete()  # arms uvicorn's keep-alive timer

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        if self._header_deadline is None:  # armed once per request: trickling bytes do not push it back
            self._header_deadline = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


class OneLineErrors:
    """The served app: Starlette answers an unexpected failure with the French 500 page (`app.internal_error`,
    which logs one line), then raises it again for the server, which would log a traceback of fifty lines.
    Here it stops: the log keeps its one line (written here if the response had already started)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if scope["type"] != "http":  # the lifespan: a failure to start is the server's to report
                raise
            from .app import LOGGED, log_failure

            if not scope.get(LOGGED):
                log_failure(scope, exc)


def run(settings: WebSettings, app) -> None:
    import uvicorn

    uvicorn.run(
        OneLineErrors(app),
        host=settings.host,
        port=settings.port,
        http=BoundedH11Protocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=LIMIT_CONCURRENCY,
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
    )

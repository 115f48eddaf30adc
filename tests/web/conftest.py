"""Fixtures of the web suite: the app under Starlette's TestClient, a real `pilier-eco serve` in a subprocess,
and workbooks that differ by territory (so each concurrent request can be matched to its own answer)."""

from __future__ import annotations

import contextlib
import html as html_lib
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal
from starlette.testclient import TestClient as StarletteClient

from toolkit.web import WebSettings, create_app
from toolkit.web.jobs import JobRunner

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "sample_data" / "carcassonne.xlsx"


#: The event loop (Starlette's blocking portal) of each app a `with TestClient(app)` has started, by app.
_RUNNING: dict[int, BlockingPortal] = {}


class TestClient(StarletteClient):
    """Starlette's TestClient addressing the server as a browser on this computer does (`Host: 127.0.0.1`):
    the server answers only to its own names (`HostCheck`), and « testserver » is not one of them.

    A second client of an app already started (`with TestClient(app)`) sends its requests to that app's
    event loop, as every browser's requests reach uvicorn's one loop. Starlette's own would run each request
    on a new loop of its own, and a job it queues would wait, unseen, until the app's loop next woke up
    (up to a minute)."""

    __test__ = False  # not a test class, despite its name

    def __init__(self, app, **kw) -> None:
        kw.setdefault("base_url", "http://127.0.0.1")
        super().__init__(app, **kw)
        self._app_key = id(app)

    def __enter__(self) -> TestClient:
        super().__enter__()
        _RUNNING.setdefault(self._app_key, self.portal)
        return self

    def __exit__(self, *exc) -> None:
        if _RUNNING.get(self._app_key) is self.portal:
            del _RUNNING[self._app_key]
        super().__exit__(*exc)

    @contextlib.contextmanager
    def _portal_factory(self) -> Iterator[BlockingPortal]:
        running = _RUNNING.get(self._app_key)
        if self.portal is None and running is not None:
            yield running
        else:
            with super()._portal_factory() as portal:
                yield portal


def _builder():
    spec = importlib.util.spec_from_file_location("build_fixtures_web", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def territory_workbook(folder: Path, i: int) -> Path:
    """The valid fixture workbook, territory named « Territoire n° i (illustratif) »."""
    b = _builder()
    sheets = b.set_cell(b.base(), "Territoire", 1, 1, f"Territoire n° {i} (illustratif)")
    return b.write(folder / f"territoire-{i}.xlsx", sheets)


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("classeurs")
    return [territory_workbook(folder, i) for i in range(1, 21)]


# --- French typography of what the page shows (issue 13; toolkit/typography.py) ---------------------

_HIDDEN = re.compile(r"<!--.*?-->|<(script|style|code|pre|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SHOWN_ATTRIBUTE = re.compile(r'\s(?:alt|title|aria-label|placeholder)="([^"]*)"')
_FAULTS = (
    (re.compile(r"(?<=\w)'(?=\w)"), "apostrophe droite entre deux lettres"),
    (re.compile(r"[ \t\r\n]+[:;!?»]"), "espace ordinaire avant : ; ! ? ou »"),
    (re.compile(r"«[ \t\r\n]+"), "espace ordinaire après «"),
)


def typography_faults(text: str) -> list[str]:
    """Where a shown text breaks the French typography: a straight apostrophe between letters, an ordinary
    space before « : ; ! ? » » or after « « » (each fault with its surroundings, to be read in the failure)."""
    found = []
    for pattern, what in _FAULTS:
        for m in pattern.finditer(text):
            found.append(f"{what} : {text[max(0, m.start() - 30) : m.end() + 15]!r}")
    return found


def shown_text(page_html: str) -> str:
    """What a reader of the page sees or hears: text between tags (without <script>, <style>, comments, and the
    verbatim <code>, <pre> and <textarea>, which show commands, paths and typed text character for character),
    plus the alt, title, aria-label and placeholder attributes; entities decoded (&#39; is an apostrophe)."""
    visible = _HIDDEN.sub("", page_html)
    said = [html_lib.unescape(m.group(1)) for m in _SHOWN_ATTRIBUTE.finditer(visible)]
    return "\n".join([html_lib.unescape(_TAG.sub("", visible)), *said])


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


class Browser:
    """One browser session: a TestClient with its cookie jar and the CSRF token of its pages."""

    def __init__(self, client: TestClient) -> None:
        self.c = client
        self.csrf = csrf_of(client.get("/").text)

    def post_file(self, url: str, path: Path, field: str = "classeur", name: str | None = None, **kw):
        with open(path, "rb") as fh:
            return self.c.post(url, files={field: (name or path.name, fh)}, headers={"X-CSRF-Token": self.csrf}, **kw)

    def wait(self, job_id: str, timeout: float = 240) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            status = self.c.get(f"/api/jobs/{job_id}").json()
            if status["etat"] in ("termine", "echec"):
                return status
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} not finished after {timeout} s")


@pytest.fixture(autouse=True)
def _render_processes_start_with_the_first_job(request, monkeypatch):
    """Apps built in this process start their render processes with their first job, not when a form opens.

    Opening a form warms the render processes (`JobRunner.warm`): each imports the PDF stack, about a second
    of CPU. Most tests here open forms and never render, and that CPU was taken from the other test worker
    (12 atelier tests: 15.6 s of CPU with warming, 4.1 s without). A job still starts its process when it
    runs, so nothing a user sees changes; real `serve` subprocesses keep warming, and
    `test_opening_a_render_form_starts_the_render_processes` checks that they do.
    """
    monkeypatch.setattr(JobRunner, "warm", lambda self: None)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(WebSettings(data_dir=tmp_path_factory.mktemp("web"), workers=2))


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


def new_browser(app) -> Browser:
    """A second, independent session on the same running app (its own cookie jar)."""
    return Browser(TestClient(app, follow_redirects=False))


@pytest.fixture()
def browser(client) -> Browser:
    client.cookies.clear()
    return Browser(client)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, proc: subprocess.Popen, data: Path) -> None:
        self.url, self.proc, self.data = url, proc, data


def start_server(data: Path, *args: str, env: dict | None = None) -> LiveServer:
    """`python -m toolkit serve` on a free loopback port; returns once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--dossier", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return LiveServer(f"http://127.0.0.1:{port}", proc, data)
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("serve did not start within 60 s")


def stop_server(server: LiveServer) -> str:
    """Ctrl+C-like stop; the whole process group (server and its render processes) is killed if it lingers."""
    import signal

    server.proc.send_signal(signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.proc.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGKILL)
    out, _ = server.proc.communicate(timeout=10)
    return out


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    stop_server(server)

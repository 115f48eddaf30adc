"""Fixtures shared across the suite."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


@pytest.fixture(scope="session")
def listener():
    """(base URL, list of paths requested): a local HTTP listener that counts requests.

    Hostile payloads point here; rendering must never fetch anything, so the list must stay empty.
    """
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):  # silence
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


# --- No silent skip ---------------------------------------------------------------------------------------
#: The only reasons a test may be skipped for. Anything else that skips (a bare `pytest.skip`, an
#: `importorskip` hiding a broken import, a `skipif` on a missing binary such as pdftotext) fails the run:
#: the binaries the suite needs are installed by .ci/run, and a missing one is an error, not a pass.
ALLOWED_SKIPS = {
    # tests/io/test_template.py opens the template in LibreOffice; .ci/run does not install LibreOffice
    # (about 400 MB), so this one interoperability check runs only where LibreOffice already is.
    "LibreOffice absent",
}


def _disallowed(report) -> str | None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    return None if reason in ALLOWED_SKIPS else reason


def _fail(report, reason: str) -> None:
    report.outcome = "failed"
    report.longrepr = (
        f"test sauté pour une raison non autorisée : {reason!r}. Un import cassé ou un "
        f"programme absent est une erreur ; raisons admises (tests/conftest.py) : "
        f"{sorted(ALLOWED_SKIPS)}"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if (reason := _disallowed(report)) is not None:
        _fail(report, reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    report = (yield).get_result()
    if (reason := _disallowed(report)) is not None:  # a module-level importorskip or skip
        _fail(report, reason)


# --- Slow tests (`lent`) ----------------------------------------------------------------------------------
#: Files whose tests are marked `lent`: `make test-rapide` leaves them out, `make test` (CI) runs them.
#: A file is here for what it starts, not for what it checks (docs/performance.md, « Suite de tests »).
SLOW_FILES = {
    "tests/web": "un vrai serveur uvicorn, un pool de rendus par application, Chromium sans écran",
    "tests/cli/test_batch.py": "lots de classeurs rendus en PDF, relancés pour tester l'idempotence",
    "tests/suivi/test_review_cli.py": "parcours du README de bout en bout, serveur PostgreSQL jetable",
    "tests/report/test_office_libreoffice.py": "LibreOffice sans écran, un processus par document converti",
}
_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    missing = [f for f in SLOW_FILES if not (_ROOT / f).exists()]
    if (
        missing and (_ROOT / "pyproject.toml").exists()
    ):  # (not in a pytester copy of this conftest)  # a renamed file would silently leave the slow lane
        raise pytest.UsageError(f"tests/conftest.py SLOW_FILES : chemins absents {missing}")
    slow = set()
    for item in items:
        rel = item.path.relative_to(_ROOT).as_posix()
        if any(rel == f or rel.startswith(f + "/") for f in SLOW_FILES):
            item.add_marker(pytest.mark.lent)
            slow.add(item.path)
    # Longest files first: the parallel workers (`--dist loadfile --no-loadscope-reorder`, Makefile) take
    # the files in this order, so the slow ones do not start last and leave one core idle at the end; then
    # the others, those with the most tests first (xdist's own order). The sort is stable: within a file,
    # the tests keep their order.
    per_file = Counter(item.path for item in items)
    items.sort(key=lambda item: (item.path not in slow, -per_file[item.path], item.path))

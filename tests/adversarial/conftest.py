"""Shared fixtures of the adversarial suite: a local HTTP listener that counts requests, hostile workbooks,
and a runner of the real command in a subprocess (with a timeout, so a hang fails the test)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from .hostile import write_hostile


@pytest.fixture(scope="session")
def listener():
    """(base URL, list of paths requested): every payload points here; the list must stay empty."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def hostile_xlsx(tmp_path_factory, listener) -> Path:
    return write_hostile(tmp_path_factory.mktemp("hostile") / "hostile.xlsx", listener[0])


def run_cli(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """`python -m toolkit …` in a subprocess: a hang raises TimeoutExpired (the test fails, nothing waits)."""
    env = {**os.environ, "PILIER_ECO_DEBUG": ""}
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def tree(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}

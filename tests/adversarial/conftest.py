"""Shared fixtures of the adversarial suite: hostile workbooks (pointing at the counting `listener` of
tests/conftest.py) and a runner of the real command in a subprocess (with a timeout, so a hang fails)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile import write_hostile


@pytest.fixture(scope="session")
def hostile_xlsx(tmp_path_factory, listener) -> Path:
    return write_hostile(tmp_path_factory.mktemp("hostile") / "hostile.xlsx", listener[0])


def run_cli(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """`python -m toolkit …` in a subprocess: a hang raises TimeoutExpired (the test fails, nothing waits)."""
    env = {**os.environ, "PILIER_ECO_DEBUG": ""}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


def tree(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}

"""Fixture workbooks (committed, see tests/fixtures/build_fixtures.py) and a builder for variants."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def builder():
    return _load_builder()


@pytest.fixture
def fixture_path():
    return lambda name: FIXTURES / name

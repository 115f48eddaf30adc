"""The user catalogues active for the current run (a context variable, so a run never leaks into another)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

#: An `overlay.Overlay` while `use_catalogues()` is in effect, else None (the packaged catalogues).
ACTIVE: ContextVar[Any] = ContextVar("pilier_eco_catalogues", default=None)

"""Catalogues shipped as data files in `toolkit/data/` (CSV/TOML), loaded once and cached.

Users read and extend the files; nothing here is a Python literal list of domain content. User files of
the same format are layered over the actions and experiences for one run by `overlay.use_catalogues`.
Each loader lives in its own module; this package re-exports the accessors.
"""

from .enjeux import EnjeuDef, enjeu_by_key, enjeux
from .indicators import IndicatorDef, indicator, indicators

__all__ = ["EnjeuDef", "IndicatorDef", "enjeu_by_key", "enjeux", "indicator", "indicators"]

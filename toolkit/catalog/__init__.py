"""Catalogues shipped as data files in `toolkit/data/` (CSV/TOML), and the `Catalogue` value a run works with.

Users read and extend the files; nothing here is a Python literal list of domain content. User files of
the same format are layered over the actions and experiences by `load_catalogue` (the `[catalogues]`
section of the configuration); the result is passed along explicitly (`cfg.catalogue`), never kept aside.
Each loader lives in its own module; this package re-exports the main names.
"""

from .catalogue import Catalogue, load_catalogue, packaged_catalogue
from .enjeux import EnjeuDef, enjeu_by_key, enjeux
from .indicators import IndicatorDef, indicator, indicators

__all__ = [
    "Catalogue",
    "EnjeuDef",
    "IndicatorDef",
    "enjeu_by_key",
    "enjeux",
    "indicator",
    "indicators",
    "load_catalogue",
    "packaged_catalogue",
]

"""Vigilance points as the report prints them."""

from __future__ import annotations

from ...results import VigilancePoint
from .. import formatting as fmt
from ..records import vigilance_record
from .labels import OBJET_LABELS, VIGILANCE_LEVEL_LABEL
from .model import VigilanceItem


def _vigilance_item(p: VigilancePoint) -> VigilanceItem:
    v = vigilance_record(p)  # the same fields as the JSON and the results workbook
    return VigilanceItem(
        niveau=VIGILANCE_LEVEL_LABEL.get(v["niveau"], v["niveau"]),
        objet=OBJET_LABELS.get(v["objet"], v["objet"]),
        ref=v["ref"],
        message=fmt.text(v["message"]),
        cells=", ".join(v["cellules"]),
    )

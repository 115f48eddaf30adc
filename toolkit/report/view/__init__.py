"""The report view model: a Diagnostic turned into French, display-ready, immutable records.

Templates only lay out what this package prepared: every number is formatted here (Babel, French
typography), every missing value becomes a dash or an explicit sentence, never `None` or `nan`.
Nothing here reads a file or a catalogue: labels and bounds come from `diag.definitions`.

One module per chapter (`cover`, `synthesis`, `portrait`, `enjeux`, `governance`, `actions`, `vigilance`,
`annexes`), the records in `model`, the labels in `labels`; `assemble.build_view` puts them together.
Word, slides and the one-page note render this same view: sentences are written once, here.
"""

from .assemble import DETAILED_ACTIONS, SECTIONS, build_view
from .common import chart_img, is_retained
from .cover import data_mention
from .model import ReportView

__all__ = [
    "DETAILED_ACTIONS",
    "SECTIONS",
    "_IMG_SRC",
    "ReportView",
    "build_view",
    "chart_img",
    "data_mention",
    "is_retained",
]

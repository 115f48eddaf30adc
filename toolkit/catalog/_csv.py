"""Reading a catalogue CSV: UTF-8 (BOM tolerated), header row, empty cells -> None."""

from __future__ import annotations

import csv
from pathlib import Path

from ..resources import data_dir


def read_rows(name: str, directory: Path | None = None) -> list[dict[str, str | None]]:
    path = (directory or data_dir()) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k.strip(): (v.strip() if v and v.strip() else None) for k, v in row.items() if k}
            for row in csv.DictReader(fh)
        ]

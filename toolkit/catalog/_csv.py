"""Reading a catalogue CSV: UTF-8 (BOM tolerated), header row, empty cells -> None.

`row[key]` is a cell the file must fill (a `str`; an empty one is an error naming file, line and column),
`row.get(key)` one that may be empty (`str | None`)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..resources import data_dir


class Row(dict[str, str | None]):
    """One row of a catalogue CSV, with its file and line for the message of a missing value."""

    def __init__(self, cells: dict[str, str | None], file: str, line: int) -> None:
        super().__init__(cells)
        self.file, self.line = file, line

    def __getitem__(self, key: str) -> str:
        value = super().__getitem__(key)
        if value is None:
            raise ValueError(f"{self.file}, ligne {self.line} : la colonne « {key} » doit être remplie")
        return value


def read_rows(name: str, directory: Path | None = None) -> list[Row]:
    path = (directory or data_dir()) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            Row({k.strip(): (v.strip() if v and v.strip() else None) for k, v in row.items() if k}, name, line)
            for line, row in enumerate(csv.DictReader(fh), start=2)
        ]

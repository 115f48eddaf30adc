"""The workshop kit of one workbook: scoring sheet, A6 cards and facilitator sheet, in one folder.

    result = make_kit(workbook, "atelier/", participants=0)   # KitResult: the paths written

The facilitator sheet needs the diagnostic (to put data-driven and perceived enjeu scores side by side),
so the kit runs the method once on the workbook; nothing is written in the workbook itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..model import Workbook
from ..report.theme import Theme
from .commands import diagnose_command, merge_command
from .documents import cards_html, facilitator_html, facilitator_view, write_pdf
from .items import ballot_items
from .sheet import write_sheet

SHEET_NAME = "notation.xlsx"
CARDS_NAME = "cartes.pdf"
FACILITATOR_NAME = "animateur.pdf"


@dataclass(frozen=True)
class KitResult:
    sheets: tuple[Path, ...]
    cards: Path
    facilitator: Path
    n_items: int
    merge_command: str  # printed by the CLI and written in animateur.pdf: one string, both places


def participant_names(workbook: Workbook, participants: int) -> tuple[str, ...]:
    """P01, P02…, skipping the pseudonyms already used in the workbook's `Votes` sheet (no accidental merge)."""
    used = {v.participant.strip().casefold() for v in workbook.votes}
    names: list[str] = []
    k = 0
    while len(names) < participants:
        k += 1
        if f"p{k:02d}" not in used:
            names.append(f"P{k:02d}")
    return tuple(names)


def kit_paths(out_dir: str | Path, names: tuple[str, ...] = ()) -> tuple[Path, ...]:
    """Every file the kit will write, for checking them against the inputs before writing anything."""
    out = Path(out_dir)
    return tuple(out / n for n in (SHEET_NAME, *(f"notation-{p}.xlsx" for p in names), CARDS_NAME, FACILITATOR_NAME))


def make_kit(
    workbook: Workbook,
    out_dir: str | Path,
    participants: int = 0,
    protect: bool = True,
    config: Config | None = None,
    theme: Theme | None = None,
    source: str | Path | None = None,
    commands: bool = True,
) -> KitResult:
    """Write the kit; `participants` > 0 also writes one pre-named sheet per participant (P01, P02…).

    `source` is the workbook's path as the user typed it (default: its file name), for the merge command.
    `commands=False` (the web page's kit): the facilitator sheet says the page's steps in words, with no
    command line and no path of the server (issue 25: no command words where a non-programmer reads)."""
    from ..diagnostic import diagnose

    out = Path(out_dir)
    config = config or Config()  # the documented defaults, like diagnose(workbook)
    items = ballot_items(workbook, config.catalogue)
    nom = workbook.territoire.nom
    sheets = [write_sheet(out / SHEET_NAME, items, nom, None, protect)]
    for p in participant_names(workbook, participants):
        sheets.append(write_sheet(out / f"notation-{p}.xlsx", items, nom, p, protect))
    cards = write_pdf(cards_html(items, nom, theme), out / CARDS_NAME)
    diag = diagnose(workbook, config)
    typed = source or Path(workbook.source).name
    command = merge_command(typed, out_dir)
    view = facilitator_view(
        items,
        diag,
        Path(workbook.source).name,
        merge_command=command if commands else "",
        diagnose_command=diagnose_command(typed) if commands else "",
    )
    facilitator = write_pdf(facilitator_html(view, theme), out / FACILITATOR_NAME)
    return KitResult(tuple(sheets), cards, facilitator, len(items), command)

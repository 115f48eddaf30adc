"""The commands a trainer runs after the workshop, written once: the kit's terminal output and the
facilitator sheet (animateur.pdf) both print these strings, so they can never disagree."""

from __future__ import annotations

from pathlib import Path


def merged_name(workbook: str | Path) -> str:
    """`bedarieux.xlsx` -> `bedarieux-atelier.xlsx`: the new workbook the merge writes (a .ods source is
    merged into .xlsx, the only format the merge writes)."""
    path = Path(workbook)
    suffix = path.suffix.lower() if path.suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"
    return f"{path.stem}-atelier{suffix}"


def merge_command(workbook: str | Path, out_dir: str | Path) -> str:
    """The one command that merges the kit's sheets after the workshop: the whole folder (any sheet however
    it was renamed), written beside the workbook, names replaced by P01… (the kit's P05 stays P05)."""
    import shlex

    path = Path(workbook)
    target = path.with_name(merged_name(path))
    return " ".join(
        [
            "pilier-eco atelier merge",
            shlex.quote(str(path)),
            shlex.quote(str(out_dir)),
            "-o",
            shlex.quote(str(target)),
            "--pseudonymiser",
        ]
    )


def diagnose_command(workbook: str | Path) -> str:
    """What to run after `merge_command`: the report of the merged workbook."""
    import shlex

    return f"pilier-eco diagnose {shlex.quote(str(Path(workbook).with_name(merged_name(workbook))))}"

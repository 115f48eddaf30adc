"""Workbooks of the follow-up tests: the Carcassonne sample as filled year after year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "carcassonne.xlsx"


def yearly_workbook(
    directory: Path,
    year: int,
    *,
    tweak: float = 0.0,
    name: str | None = None,
    follow_up: dict[str, dict[str, object]] | None = None,
    edit=None,
) -> Path:
    """The Carcassonne sample as filled in `year`: date of the situation on 31 March, indicators moved by
    `tweak` points, optional follow-up columns of Actions ({action code: {header: value}}), and `edit(wb)`."""
    from openpyxl import load_workbook

    wb = load_workbook(SAMPLE)
    ws = wb["Territoire"]
    for row in ws.iter_rows():
        if row[0].value and str(row[0].value).startswith("Date du diagnostic"):
            row[1].value = date(year, 3, 31)
        if name and row[0].value and str(row[0].value).startswith("Nom du territoire"):
            row[1].value = name
    if tweak:
        ind = wb["Indicateurs"]
        header = _header_row(ind, "Valeur quartier")
        col = _col(ind, header, "Valeur quartier")
        for r in range(header + 1, ind.max_row + 1):
            v = ind.cell(r, col).value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ind.cell(r, col).value = round(v + tweak, 2)
    if follow_up:
        set_follow_up(wb, follow_up)
    if edit is not None:
        edit(wb)
    path = directory / f"{(name or 'carcassonne').split()[0].lower()}-{year}.xlsx"
    wb.save(path)
    return path


def _header_row(ws, label: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=30):
        for c in row:
            if isinstance(c.value, str) and c.value.strip().lower().startswith(label.lower()):
                return c.row
    raise AssertionError(f"en-tête {label} introuvable dans {ws.title}")


def _col(ws, header_row: int, label: str) -> int:
    for c in ws[header_row]:
        if isinstance(c.value, str) and c.value.strip().lower().startswith(label.lower()):
            return c.column
    raise AssertionError(f"colonne {label} introuvable dans {ws.title}")


def set_follow_up(wb, values: dict[str, dict[str, object]]) -> None:
    """Write follow-up cells in Actions by action code (headers as in the template: « Statut (suivi) »…;
    matched like the reader does, so « Note de l'année » finds the template's « Note de l’année »)."""
    from toolkit.text import normalize_key

    ws = wb["Actions"]
    h = _header_row(ws, "Code")
    headers = {normalize_key(c.value): c.column for c in ws[h] if c.value}
    for code, fields in values.items():
        row = next(r for r in range(h + 1, ws.max_row + 1) if ws.cell(r, headers["code"]).value == code)
        for header, value in fields.items():
            if normalize_key(header) not in headers:
                headers[normalize_key(header)] = ws.max_column + 1
                ws.cell(h, headers[normalize_key(header)]).value = header
            cell = ws.cell(row, headers[normalize_key(header)])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):  # typed as text ('=…), as Excel stores it
                cell.data_type = "s"
                cell.quotePrefix = True


def action_codes(path: Path = SAMPLE) -> list[str]:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=False)["Actions"]
    h = _header_row(ws, "Code")
    col = _col(ws, h, "Code")
    return [
        ws.cell(r, col).value
        for r in range(h + 1, ws.max_row + 1)
        if ws.cell(r, col).value and not str(ws.cell(r, col).value).startswith("#")
    ]


def snapshot_of(path: Path):
    import toolkit as pe
    from toolkit.suivi.snapshot import take_snapshot

    report = pe.check(path)
    assert report.ok, [i.format() for i in report.errors]
    wb = report.workbook
    return take_snapshot(wb, pe.diagnose(wb, report=report, today=wb.territoire.date_diagnostic))

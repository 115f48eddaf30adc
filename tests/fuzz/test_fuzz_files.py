"""File-level fuzzing: real .xlsx files with random cell types in every field of every sheet, and damaged bytes.

`toolkit.validate.check(path)` must never raise, never hang (hypothesis deadline), and either accept the
file or locate every error (a cell, a sheet, or — for an unreadable file — the file). An accepted workbook
must then go through the engine without raising. The in-suite run is short; for a long run:

    PILIER_ECO_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/fuzz -q
"""

from __future__ import annotations

import copy
import os
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from adversarial.hostile import builder, ooxml_escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from toolkit.config import Config, RobustnessConfig
from toolkit.diagnostic import diagnose
from toolkit.validate import check

EXAMPLES = int(os.environ.get("PILIER_ECO_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = builder().base()
QUICK = replace(Config(), robustness=RobustnessConfig(tirages=50))

FORMULA = object()  # marker: write a formula with no cached value
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
VALUES = st.one_of(
    st.none(),
    st.just(""),
    _TEXT,
    st.text(min_size=500, max_size=1500),
    st.sampled_from(
        [
            "#",
            "LIBRE",
            "EMPLOI",
            "COM_MANAGER",
            "PERSO_X",
            "Oui",
            "Non",
            "Fait",
            "2026-S2",
            "12,5 %",
            "1 234,5",
            "11069",
            "QP011002",
            "Ville moyenne",
            "hausse = dégradation",
            "1e308",
            "-0",
            "31/02/2024",
            "2024-2030",
            "\u202e",
            "'=1+1",
            "<script>x</script>",
            "ÉMPLOI ; COMMERCE",
        ]
    ),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.just(FORMULA),
)


def _write(path: Path, sheets: dict) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, (titles, header, rows) in sheets.items():
        ws = wb.create_sheet(name[:31] or "Feuille")
        for title in titles:
            ws.append([ooxml_escape(title)] if title else [])
        ws.append([ooxml_escape(h) for h in header])
        for row in rows:
            ws.append([None if v is FORMULA else ooxml_escape(v) for v in row])
            for cell, v in zip(ws[ws.max_row], row, strict=False):
                if v is FORMULA:
                    cell.value = "=A1+1"
                elif isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


@st.composite
def workbooks(draw) -> dict:
    """The valid workbook, then: sheets dropped, rows added, and random values in random cells of every sheet."""
    sheets = copy.deepcopy(BASE)
    for name in list(sheets):
        if name != "Territoire" and draw(st.integers(0, 9)) == 0:
            del sheets[name]
    for _name, (_, header, rows) in sheets.items():
        for _ in range(draw(st.integers(0, 2))):
            rows.append([draw(VALUES) for _ in header])
        n = draw(st.integers(0, 2 * len(header)))
        for _ in range(n):
            if not rows:
                break
            r = draw(st.integers(0, len(rows) - 1))
            row = rows[r]
            c = draw(st.integers(0, max(len(row), len(header)) - 1))
            row.extend([""] * (c + 1 - len(row)))
            row[c] = draw(VALUES)
        if draw(st.integers(0, 9)) == 0 and header:
            header[draw(st.integers(0, len(header) - 1))] = draw(_TEXT)
    return sheets


def _assert_located(report) -> None:
    assert report.exit_code in (0, 1, 2)
    for issue in report.issues:
        assert issue.message, issue
        if report.readable:
            assert issue.cell is not None or issue.sheet, issue  # every finding names a cell or a sheet
        else:
            assert issue.file, issue
    if report.ok:
        diag = diagnose(report.workbook, QUICK, report=report)
        assert diag.territoire.nom


@FUZZ
@given(sheets=workbooks())
def test_random_workbook_is_checked_without_raising(sheets):
    with TemporaryDirectory() as tmp:
        report = check(_write(Path(tmp) / "fuzz.xlsx", sheets))
        _assert_located(report)


@FUZZ
@given(data=st.data())
def test_damaged_bytes_are_refused_or_read_without_raising(data):
    """Bit flips, truncation and splices on a real workbook: a clean verdict, never a traceback."""
    raw = bytearray((FIXTURES / "valide.xlsx").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "abime.xlsx"
        path.write_bytes(bytes(raw))
        _assert_located(check(path))


@FUZZ
@given(data=st.data())
def test_damaged_members_are_refused_or_read_without_raising(data):
    """Valid zip, damaged XML inside (the parser, not the zip layer, must cope)."""
    src = zipfile.ZipFile(FIXTURES / "valide.xlsx")
    names = src.namelist()
    target = data.draw(st.sampled_from(names))
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "xml.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                body = bytearray(src.read(name))
                if name == target and body:
                    for _ in range(data.draw(st.integers(1, 6))):
                        i = data.draw(st.integers(0, len(body) - 1))
                        body[i] = data.draw(st.sampled_from(b"<>&\"'/=\x00\xff0123456789ABZ r"))
                dst.writestr(name, bytes(body))
        _assert_located(check(path))

"""Whatever people type in any cell, validation reports it and never raises (property test, in memory)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalog import packaged_catalogue
from toolkit.io.reader import RawSheet, RawWorkbook
from toolkit.validate import validate

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

_VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "#", "12,5 %", "LIBRE", "EMPLOI", "Oui", "2026-S2", "PERSO_", "=A1", "1e999", "\u00a0"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12).map(float),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)
_LOCATION = re.compile(r"^[^!]+(![A-Z]+\d+|![0-9]+:[0-9]+)?$")


def _raw(builder) -> dict[str, list[list[object]]]:
    out = {}
    for name, (titles, header, rows) in builder.base().items():
        grid = [[t] for t in titles] + [list(header)] + [list(r) for r in rows]
        width = max(len(r) for r in grid)
        out[name] = [r + [""] * (width - len(r)) for r in grid]
    return out


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_validation_never_raises_and_locates_every_issue(builder, data):
    grids = _raw(builder)
    names = sorted(grids)
    for _ in range(data.draw(st.integers(1, 6))):
        sheet = data.draw(st.sampled_from(names))
        grid = grids[sheet]
        r = data.draw(st.integers(0, len(grid) - 1))
        c = data.draw(st.integers(0, len(grid[r]) - 1))
        grid[r][c] = data.draw(_VALUES)
    raw = RawWorkbook("fuzz.xlsx", tuple(RawSheet(n, tuple(tuple(r) for r in g)) for n, g in grids.items()))
    report = validate(raw, CAT)
    assert report.rows_used <= report.rows_read
    for issue in report.issues:
        assert issue.message and _LOCATION.match(issue.location), issue
    if report.ok:
        assert report.workbook is not None
    if report.workbook is not None:
        for ind in report.workbook.indicateurs:
            assert math.isfinite(ind.valeur_quartier)
            assert ind.valeur_reference is None or math.isfinite(ind.valeur_reference)
        for action in report.workbook.actions:
            assert action.enjeux and action.champ and action.intitule
            assert action.cout is None or (math.isfinite(action.cout) and action.cout >= 0)
            assert all(1 <= (x or 1) <= 5 for x in (action.impact, action.faisabilite))


def test_non_finite_number_from_a_reader_is_refused(builder):
    grids = _raw(builder)
    grids["Actions"][3][6] = float("nan")  # Actions!G4, cost of IMMO_PEPINIERE
    raw = RawWorkbook("nan.xlsx", tuple(RawSheet(n, tuple(tuple(r) for r in g)) for n, g in grids.items()))
    report = validate(raw, CAT)
    assert [(i.code, i.location) for i in report.errors] == [("nombre-illisible", "Actions!G4")]

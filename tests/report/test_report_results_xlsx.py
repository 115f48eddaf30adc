"""Excel results: expected sheets and headers, frozen header and filters, number formats, no formula ever."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from report_factories import build_diagnostic

from toolkit.report import render_xlsx

PAYLOADS = [
    '=HYPERLINK("http://127.0.0.1/x","clic")',
    "+33 6 00",
    "-2+3",
    "@SOMME(A1:A2)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    render_xlsx(build_diagnostic(), path)
    return openpyxl.load_workbook(path)


def headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_sheets_and_headers(book):
    assert book.sheetnames == [
        "Enjeux",
        "Indicateurs",
        "Actions",
        "Feuille de route",
        "Vigilance",
        "Qualité des données",
        "Votes",
    ]  # the sample's workshop voted
    assert headers(book["Votes"])[:5] == ["Type", "Objet", "Libellé", "Votants", "Médiane"]
    assert headers(book["Actions"])[:8] == [
        "Rang",
        "Code",
        "Intitulé",
        "Champ",
        "Enjeux visés",
        "Score",
        "Priorité",
        "Gain rapide",
    ]
    assert "p(même priorité)" in headers(book["Actions"]) and "Rang fragile" in headers(book["Actions"])
    assert headers(book["Feuille de route"]) == ["Rang", "Action", "Priorité", "Phase", "Type", "Début", "Fin"]


def test_each_sheet_is_filterable_with_frozen_header(book):
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width > 0


def test_values_and_number_formats(book):
    ws = book["Actions"]
    col = {h: i for i, h in enumerate(headers(ws))}
    first = list(ws[2])
    assert first[col["Rang"]].value == 1
    assert isinstance(first[col["Score"]].value, float) and first[col["Score"]].number_format == "0.0"
    assert first[col["p(même priorité)"]].number_format == "0%"
    assert 0 <= first[col["p(même priorité)"]].value <= 1
    assert isinstance(first[col["Début"]].value, datetime) and first[col["Début"]].number_format == "DD/MM/YYYY"
    assert ws.max_row == 1 + len(build_diagnostic().actions)
    q = book["Qualité des données"]
    issue = build_diagnostic().qualite.issues[0]
    assert any(c.value == issue.location for c in q["C"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_workbook_text_never_becomes_a_formula(tmp_path, payload):
    path = tmp_path / "r.xlsx"
    render_xlsx(build_diagnostic(hostile=True, payload=payload), path)
    book = openpyxl.load_workbook(path)
    needle = payload.lstrip("\t\r")  # XML may normalise a leading CR when read back
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{ws.title}!{cell.coordinate}"
                    if needle in cell.value:
                        seen += 1
    assert seen >= 5  # the text is kept, only neutralised

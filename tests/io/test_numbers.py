"""French numbers, dates and deadlines as typed in a spreadsheet."""

from __future__ import annotations

from datetime import date

import pytest
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.io.numbers import ParsedNumber, parse_date, parse_echeance, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("12,5", 12.5, None),
        ("12,5 %", 12.5, "%"),
        ("12,5%", 12.5, "%"),
        ("1 234", 1234, None),
        ("1\u00a0234", 1234, None),
        ("1\u202f234", 1234, None),
        ("1 234,50 €", 1234.5, "€"),
        ("60 000 €", 60000, "€"),
        ("50 k€", 50000, "€"),
        ("1,2 M€", 1_200_000, "€"),
        ("12.5", 12.5, None),
        ("-3,5", -3.5, None),
        ("  7 ", 7, None),
        ("4,2 ‰", 4.2, "‰"),
        ("300 euros", 300, "€"),
    ],
)
def test_french_numbers(text, value, unit):
    assert parse_number(text) == ParsedNumber(value, unit)


@pytest.mark.parametrize("text", ["", "  ", "douze", "1,2,3", "12,5 %%", "NaN", "inf", "1e400", "€", "k€", "--1"])
def test_unreadable_numbers_are_none(text):
    assert parse_number(text) is None


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)))
def test_babel_french_format_round_trips(x):
    text = format_decimal(x, format="#,##0.###", locale="fr_FR")
    parsed = parse_number(text)
    assert parsed is not None and parsed.value == pytest.approx(x, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: round(x, 2)))
def test_babel_currency_and_percent_round_trip(x):
    assert parse_number(format_currency(x, "EUR", locale="fr_FR")).value == pytest.approx(x)
    pct = parse_number(format_percent(x / 100, format="#,##0.##%", locale="fr_FR"))
    assert pct.unit == "%" and pct.value == pytest.approx(x, abs=0.01)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_never_raises_on_arbitrary_text(text):
    result = parse_number(text)
    assert result is None or isinstance(result.value, float)
    parse_date(text)
    parse_echeance(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/03/2024", date(2024, 3, 31)),
        ("2024-03-31", date(2024, 3, 31)),
        ("1/4/2024", date(2024, 4, 1)),
        (date(2024, 3, 31), date(2024, 3, 31)),
        ("31/02/2024", None),
        ("2024-03-31xyz", None),
        ("mars 2024", None),
        (45382, None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "last_day", "text"),
    [
        ("2027", date(2027, 12, 31), "2027"),
        (2027.0, date(2027, 12, 31), "2027"),
        ("2026-S2", date(2026, 12, 31), "2026-S2"),
        ("2026-S1", date(2026, 6, 30), "2026-S1"),
        ("2026 T1", date(2026, 3, 31), "2026 T1"),
        ("31/03/2026", date(2026, 3, 31), "31/03/2026"),
        (date(2026, 5, 1), date(2026, 5, 1), "2026-05-01"),
    ],
)
def test_echeances(value, last_day, text):
    e = parse_echeance(value)
    assert (e.date, e.text) == (last_day, text)


@pytest.mark.parametrize("value", ["2026-S3", "bientôt", 12.5, 99999, "", True])
def test_bad_echeances(value):
    assert parse_echeance(value) is None

"""French numbers, dates and deadlines as people type them in a spreadsheet.

The number itself is parsed by Babel (`parse_decimal(..., locale="fr_FR")`), which knows the French
separators (comma decimal, normal / no-break / narrow no-break space for thousands). Around it we only
peel off what people add: a unit sign (`%`, `‰`, `€`, `EUR`, `euros`) and surrounding spaces. Every
function returns None on text it cannot read, and never raises.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from babel.numbers import NumberFormatError, parse_decimal

from ..model import Echeance

_SPACES = "\u00a0\u202f\u2007\u2009 \t"
# unit suffixes, longest first; value = canonical unit
_UNITS = (("euros", "€"), ("euro", "€"), ("eur", "€"), ("€", "€"), ("%", "%"), ("‰", "‰"), ("pts", "%"))
# multipliers people write before the euro sign: `50 k€`, `1,2 M€`
_SCALES = (("k", 1e3), ("m", 1e6))


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    unit: str | None = None  # "%", "‰" or "€" when the text carried it


def parse_number(text: str) -> ParsedNumber | None:
    """`12,5` -> 12.5; `12,5 %` -> 12.5 (unit %); `1 234,50 €` -> 1234.5; `50 k€` -> 50000; `12.5` -> 12.5;
    junk -> None."""
    if not isinstance(text, str):
        return None
    s = text.strip(_SPACES)
    unit = None
    lowered = s.casefold()
    for suffix, canonical in _UNITS:
        if lowered.endswith(suffix):
            s = s[: len(s) - len(suffix)].strip(_SPACES)
            unit = canonical
            break
    factor = 1.0
    if unit == "€":
        for prefix, mult in _SCALES:
            if s.casefold().endswith(prefix) and s[:-1].strip(_SPACES)[-1:].isdigit():
                s, factor = s[:-1].strip(_SPACES), mult
                break
    if not s or len(s) > 40:
        return None
    # Babel wants its own group separator (U+202F for fr_FR); unify every space to it.
    for space in _SPACES:
        s = s.replace(space, "\u202f")
    s = s.replace("\u2212", "-")  # typographic minus
    try:
        value = float(parse_decimal(s, locale="fr_FR")) * factor
    except (NumberFormatError, ValueError, ArithmeticError):
        return None
    if not math.isfinite(value):
        return None
    return ParsedNumber(value, unit)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SEMESTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*S([12])$", re.IGNORECASE)
_TRIMESTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*T([1-4])$", re.IGNORECASE)


def parse_date(value: object) -> date | None:
    """A real date (or datetime), ISO text `2024-03-31`, or French `31/03/2024`; else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip(_SPACES)
    try:
        if len(s) >= 10 and s[4] == "-" and (len(s) == 10 or s[10] in "T "):
            return date.fromisoformat(s[:10])
        return _dmy(s)
    except ValueError:
        return None


def _dmy(s: str) -> date | None:
    m = _DMY.match(s)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    return date(year, month, day)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_echeance(value: object) -> Echeance | None:
    """A deadline: a date, a year (`2027` -> 31/12/2027), a semester (`2026-S2` -> 31/12/2026) or a
    quarter (`2026-T1` -> 31/03/2026). `date` is the last day the text denotes."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return Echeance(date(int(value), 12, 31), str(int(value)))
        return None
    found = parse_date(value)
    if found is not None:
        return Echeance(found, value.strip() if isinstance(value, str) else found.isoformat())
    if not isinstance(value, str):
        return None
    s = value.strip(_SPACES)
    if m := _YEAR.match(s):
        year = int(m.group(1))
        return Echeance(date(year, 12, 31), s) if 1900 <= year <= 2200 else None
    if m := _SEMESTER.match(s):
        year, half = int(m.group(1)), int(m.group(2))
        return Echeance(_last_day(year, 6 * half), s) if 1900 <= year <= 2200 else None
    if m := _TRIMESTER.match(s):
        year, quarter = int(m.group(1)), int(m.group(2))
        return Echeance(_last_day(year, 3 * quarter), s) if 1900 <= year <= 2200 else None
    return None


def french_number(x: float) -> str:
    """A number as a French user types it, for « trouvé : … » in messages: 4.5 -> `4,5`, 1234 -> `1 234`."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else f"{int(x):,}"
    return text.replace(",", " ").replace(".", ",")

"""French typography of every number, date and label the report prints (Babel, locale fr_FR).

Separators follow the Imprimerie nationale usage Babel ships: a narrow no-break space (U+202F) for
thousands and before `%`, `‰` and `€`; a decimal comma. Values are rounded for display only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from ..typography import NBSP, NNBSP  # the page's own spaces: a number never parted from its word

LOCALE = "fr_FR"
_FR = Locale.parse(LOCALE)
DASH = "—"  # printed for a missing value, never "None" or "nan"


def _nan(x: object) -> bool:
    """A number that is not one (NaN from pandas): printed as missing, like None."""
    return isinstance(x, float) and math.isnan(x)


def number(x: float | None, digits: int = 1) -> str:
    """`1 234,5`; trailing zeros dropped (`12` not `12,0`)."""
    if x is None or _nan(x):
        return DASH
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    # half-up, as people round by hand (Babel's default is half-even: 4,25 -> 4,2)
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    out = format_decimal(rounded, format=pattern, locale=LOCALE)
    out = out.replace("-", "\u2212")  # a true minus sign, as in the gaps
    return "0" if out == "\u22120" else out


def signed(x: float | None, digits: int = 1) -> str:
    """`+3,2` / `−1,5` for gaps (true minus sign)."""
    if x is None or _nan(x):
        return DASH
    body = number(abs(x), digits)
    if body == "0":
        return "0"
    return ("+" if x > 0 else "\u2212") + body


def percent_points(x: float | None, digits: int = 1) -> str:
    """A value already in percent points: `12,5 %`."""
    if x is None or _nan(x):
        return DASH
    return f"{number(x, digits)}{NNBSP}%"


def share(p: float | None, digits: int = 0) -> str:
    """A probability or share in [0, 1]: `85 %`."""
    if p is None or _nan(p):
        return DASH
    return percent_points(p * 100, digits)


def euros(x: float | None) -> str:
    """`1 234 €` (whole euros, as budgets are estimates)."""
    if x is None or _nan(x):
        return DASH
    return format_currency(round(x), "EUR", format="#,##0" + NNBSP + "¤", locale=LOCALE, currency_digits=False)


def value(x: float | None, unite: str | None, digits: int = 1) -> str:
    """A value in the unit of its indicator: `%`, `‰`, `€` or a count (`nb`)."""
    if x is None or _nan(x):
        return DASH
    unite = (unite or "").strip()
    if unite == "%":
        return percent_points(x, digits)
    if unite == "‰":
        return f"{number(x, digits)}{NNBSP}‰"
    if unite == "€":
        return euros(x)
    if unite in ("", "nb"):
        return number(x, digits)
    return f"{number(x, digits)}{NNBSP}{unite}"


def gap(x: float | None, unite: str | None, digits: int = 1) -> str:
    """A difference in the unit of its indicator; percentages become points, written out and agreed as French
    agrees them (« +0,7 point », « −3,9 points »: singular below 2), never the abbreviation « pts »."""
    if x is None or _nan(x):
        return DASH
    unite = (unite or "").strip()
    digits = 0 if unite == "€" else digits
    if unite == "%":
        return signed(x, digits) + NBSP + agree(round(abs(x), digits), "point", "points")
    suffix = {"‰": NNBSP + "‰", "€": NNBSP + "€"}.get(unite, "")
    return signed(x, digits) + suffix


def score(x: float | None) -> str:
    """A 0–100 score, whole number: scores carry no meaningful decimal."""
    return number(x, 0) if not (x is None or _nan(x)) else DASH


def long_date(d: date | None) -> str:
    """`31 mars 2024`, `1er octobre 2026` (Imprimerie nationale: the first of the month is « 1er »)."""
    if not d:
        return DASH
    text = format_date(d, format="long", locale=LOCALE)
    return "1er" + text[1:] if d.day == 1 and text.startswith("1 ") else text


_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def dates_in_words(text: str) -> str:
    """« vérifié le 07/12/2026 » → « vérifié le 7 décembre 2026 »: a catalogue sentence's numeric dates in
    words for élus (editorial.md: months in words); anything that is not a real date is left as typed."""

    def word(m: re.Match[str]) -> str:
        try:
            return long_date(date(int(m[3]), int(m[2]), int(m[1])))
        except ValueError:
            return m[0]

    return _NUMERIC_DATE.sub(word, text)


def month_year(d: date | None) -> str:
    """`mars 2024`."""
    return format_date(d, format="MMMM y", locale=LOCALE) if d else DASH


_WISH_SEMESTER = re.compile(r"^\s*(\d{4})\s*-?\s*S\s*([12])\s*$", re.IGNORECASE)
_WISH_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def wish(text: str | None) -> str:
    """A wished deadline as typed, in words: « 2025-S2 » → « second semestre 2025 », « 2028-06-30 » → « 30 juin 2028 »."""
    t = (text or "").strip()
    if m := _WISH_SEMESTER.match(t):
        return f"{'premier' if m.group(2) == '1' else 'second'} semestre {m.group(1)}"
    if m := _WISH_ISO.match(t):
        try:
            return long_date(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return t
    return t or DASH


def semester(d: date | None) -> str:
    """`S2 2026`."""
    if d is None:
        return DASH
    return f"S{1 if d.month <= 6 else 2}{NNBSP}{d.year}"


def fixed(x: float | None, digits: int = 1) -> str:
    """`1 234,50`: a fixed number of decimals (a distance, an amount in M€), trailing zeros kept."""
    if x is None or _nan(x):
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALE).replace("-", "\u2212")


def agree(n: float, singular: str, plural_form: str | None = None) -> str:
    """The form of a word agreeing with `n`, by Babel's French plural rules (CLDR: 0 and 1 are singular)."""
    return singular if _FR.plural_form(abs(n)) == "one" else (plural_form or singular + "s")


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """`1 action`, `0 action`, `3 actions`: the number and the word agreeing with it (Babel's French rules)."""
    return f"{number(n, 0)} {agree(n, singular, plural_form)}"


def ordinal(n: int) -> str:
    """« 1er », « 2e », « 21e »: a masculine French ordinal in figures (Imprimerie nationale: « 1er », never
    « 1ème » nor « n° 1 »)."""
    return "1er" if n == 1 else f"{n}e"


def listing(items: Sequence[str]) -> str:
    """« a, b et c »: a French list, « et » before the last item, every item named (never « et N autres »).
    When one of the last two items holds its own « et » outside quotes (« maîtrise du foncier et des
    copropriétés », « saisine et accord de l'ANCT »), the last comes after « , ainsi que »: never « … et
    des copropriétés et saisine et accord… »."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return items[0] if items else ""
    own_et = any(" et " in i and not i.startswith("«") for i in items[-2:])
    return ", ".join(items[:-1]) + (", ainsi que " if own_et else " et ") + items[-1]


_ELIDES = frozenset("aàâeéèêëiîïoôuùûœæ")


def of(words: str) -> str:
    """« de mars 2027 », « d’avril 2027 », « d’octobre 2025 »: « de » elided before a vowel (no « de avril »)."""
    return ("d’" if words[:1].lower() in _ELIDES else "de ") + words


def of_place(name: str) -> str:
    """« de Carcassonne », « d’Agde », « du Grau-du-Roi », « des Angles »: « de » elided, « de le » and « de les »
    contracted, as French writes a place's complement."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return of(name)


def at_place(name: str) -> str:
    """« à Grazailles », « au Viguier - Saint-Jacques », « aux Costières »: French contracts « à le » and « à les »."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return "à " + name


def text(x: object) -> str:
    """A free text cell for display: stripped, never `None`/`nan`."""
    if x is None or _nan(x):
        return ""
    s = str(x).strip()
    return "" if s.lower() in ("none", "nan") else s

"""How figures read in Chinese text: the data dictionary's exact number formatting.

- counts below 10,000: the plain integer (`3568`); from 10,000: 万 with at most two decimals, rounded
  half-up, trailing zeros dropped (`123456` -> `12.35万`, `120000` -> `12万`);
- amounts in 元 below 10,000: whole 元 rounded half-up (`8650元`); from 10,000: 万元 the same way
  (`352380.50` -> `35.24万元`);
- rates: one decimal place (`87.5%`).

The threshold is applied to the rounded value, so 9999.5 元 reads `1万元`, never `10000元`. Everything
is computed in Decimal with ROUND_HALF_UP: SQLite sums decimals as floats, and Python's round() rounds
half to even; neither may decide the last digit a leader reads.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
_CENT = Decimal("0.01")
_ONE = Decimal(1)
_TENTH = Decimal("0.1")


def to_decimal(value) -> Decimal:
    """A figure as an exact Decimal (floats from SQLite sums go through their shortest repr first)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_amount(value) -> Decimal:
    """An amount rounded half-up to the cent (the form stored in frozen figures)."""
    return to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _wan(value: Decimal) -> str:
    wan = (value / TEN_THOUSAND).quantize(_CENT, rounding=ROUND_HALF_UP)
    text = format(wan, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "万"


def count(value) -> str:
    """A whole number of people, events or things: `3568`, `12.35万`."""
    number = to_decimal(value).quantize(_ONE, rounding=ROUND_HALF_UP)
    if number < TEN_THOUSAND:
        return format(number, "f")
    return _wan(number)


def amount(value) -> str:
    """An amount in 元 with its unit: `8650元`, `35.24万元`."""
    exact = to_decimal(value)
    whole = exact.quantize(_ONE, rounding=ROUND_HALF_UP)
    if whole < TEN_THOUSAND:
        return f"{format(whole, 'f')}元"
    return f"{_wan(exact)}元"


def rate(numerator, denominator) -> str:
    """numerator / denominator as a percentage with one decimal: `87.5%` (empty when nothing to divide by)."""
    denominator = to_decimal(denominator)
    if not denominator:
        return ""
    percent = (to_decimal(numerator) * 100 / denominator).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{format(percent, 'f')}%"


def ratio(numerator, denominator) -> Decimal | None:
    """numerator / denominator as a Decimal fraction rounded to 0.001 (for spreadsheets' percent format)."""
    denominator = to_decimal(denominator)
    if not denominator:
        return None
    return (to_decimal(numerator) / denominator).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def chinese_date(day) -> str:
    """`2023年7月5日`: Arabic numerals, no zero padding (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"

"""Cleaning a cell: the data dictionary's rules for what users type into a workbook.

Trim, control and zero-width characters, full-width digits and letters, thousands separators, the
five date forms and Excel serial numbers, multi-choice separators. Each function takes what the
reader found in a cell and returns a value or raises ValueError with the reason a staff member reads.
Which values a record may hold (dates from 2000, counts ≥ 0 …) is the model's rule, not this module's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from youthwork.spreadsheets import safe_text

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the ideographic space; the rest of free text
# (Chinese punctuation such as ，and（）) is kept as typed.
_FULL_WIDTH_ALNUM = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}
_MINUS = {0x2212: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D, 0xFE63: 0x2D}


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.translate(_ZERO_WIDTH).strip())


def clean_text(value) -> str:
    """Free text: trimmed, control and zero-width characters removed, full-width digits and letters made ASCII."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        value = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return safe_text(str(value)).translate(_ZERO_WIDTH).translate(_FULL_WIDTH_ALNUM).strip()


def normalise(value) -> str:
    """A code, label, number or date typed as text: NFKC (all full-width forms), zero-width removed, trimmed."""
    return unicodedata.normalize("NFKC", clean_text(value)).translate(_MINUS).strip()


def reason_value(value) -> str:
    """A cell as a reason quotes it: its text, cut after 40 characters."""
    text = clean_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_DATE_FORMS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
_SERIAL = re.compile(r"\d{1,5}")


def parse_typed_date(text: str) -> dt.date | None:
    """A date as people type it: 2023-05-04, 2023/5/4, 2023.5.4, 2023年5月4日 or 20230504; None otherwise."""
    text = normalise(text)
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def parse_date(value, date1904: bool = False) -> dt.date:
    """A date cell, an Excel serial number, or text in one of the five forms; anything else is refused.

    Year, month and day are always read in that order, so day and month are never swapped. Which dates
    a record may have (2000-01-01 to today) is the model field's rule (youthwork.fields.LedgerDateField),
    checked with the rest of the row, so the importer says what the portal and the admin say.
    """
    result = None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        result = _from_serial(value, date1904)
    elif isinstance(value, str):
        text = normalise(value)
        result = _from_serial(int(text), date1904) if _SERIAL.fullmatch(text) else parse_typed_date(text)
    if result is None:
        raise ValueError(f"日期无法识别:{reason_value(value)}")
    return result


def _from_serial(serial, date1904: bool) -> dt.date | None:
    if not math.isfinite(serial) or serial < 1 or serial > 80000:
        return None
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return epoch + dt.timedelta(days=int(serial))


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
TEN_THOUSAND = "万"
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(value, header: str, expected: str) -> Decimal:
    """A number cell or text like `1,234`, `１２３４`, `12.50`, `1.2万`; a reason naming the column otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{header}应为{expected}:{reason_value(value)}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{header}应为{expected}:{reason_value(value)}")
        # Excel stores numbers as binary floats: 0.1 + 0.2 comes back as 0.30000000000000004.
        return Decimal(repr(round(value, 9)))
    text = normalise(value)
    scale = 1
    if text.endswith(TEN_THOUSAND):
        text, scale = text.removesuffix(TEN_THOUSAND).strip(), 10_000
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(f"{header}应为{expected}:{reason_value(value)}")
    try:
        return Decimal(text) * scale
    except InvalidOperation as exc:
        raise ValueError(f"{header}应为{expected}:{reason_value(value)}") from exc


MULTI_CHOICE_SEPARATORS = re.compile(r"[、,;/]")  # after NFKC, ，；／ have become , ; /

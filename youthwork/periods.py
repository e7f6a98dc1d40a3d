"""Report periods: a quarter `2023Q2`, a half `2023H1`, a year `2023` or a range `2023-04-01:2023-06-30`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from youthwork.fields import EARLIEST_DATE, LATEST_STORED_DATE

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")


# The years a period typed by a user may fall in: the years a record may be dated in.
FIRST_YEAR, LAST_YEAR = EARLIEST_DATE.year, LATEST_STORED_DATE.year


class PeriodError(ValueError):
    """The text does not name a period; the message is shown to users."""


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"期间的年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间:{text}")
    return year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = "range"  # quarter, half, year or range

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip().upper()
        if m := _QUARTER.match(text):
            return cls.quarter_of(dt.date(_year(m[1]), 3 * int(m[2]) - 2, 1))
        if m := _HALF.match(text):
            return cls.half_of(dt.date(_year(m[1]), 6 * int(m[2]) - 5, 1))
        if m := _YEAR.match(text):
            return cls.year_of(dt.date(_year(m[1]), 1, 1))
        if m := _RANGE.match(text):
            try:
                start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            except ValueError as exc:
                raise PeriodError(f"期间中的日期无法识别:{text}") from exc
            for typed in (m[1], m[2]):
                _year(typed[:4])
            if end < start:
                raise PeriodError(f"期间的结束日期早于开始日期:{text}")
            return cls(start, end, "range")
        raise PeriodError(f"期间无法识别:{text}(可写 2023Q2、2023H1、2023 或 2023-04-01:2023-06-30)")

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        """The quarter of a date (any date: the quarter before 2000Q1 is a period too, with no records)."""
        q = (day.month - 1) // 3 + 1
        return cls(dt.date(day.year, 3 * q - 2, 1), _month_end(day.year, 3 * q), "quarter")

    @classmethod
    def half_of(cls, day: dt.date) -> Period:
        h = 1 if day.month <= 6 else 2
        return cls(dt.date(day.year, 6 * h - 5, 1), _month_end(day.year, 6 * h), "half")

    @classmethod
    def year_of(cls, day: dt.date) -> Period:
        return cls(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")

    @property
    def code(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.start.year}H{1 if self.start.month == 1 else 2}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """How the period reads in Chinese text: 2023年第二季度, 2023年上半年, 2023年, 2023年4月1日至6月30日."""
        year = self.start.year
        if self.kind == "quarter":
            return f"{year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == "half":
            return f"{year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "year":
            return f"{year}年"
        end = f"{self.end.month}月{self.end.day}日"
        if self.end.year != year:
            end = f"{self.end.year}年{end}"
        return f"{year}年{self.start.month}月{self.start.day}日至{end}"

    def __str__(self) -> str:
        return self.code

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def year_to_date(self) -> Period:
        """今年以来: 1 January of the period's (end) year to the period's end."""
        return Period(dt.date(self.end.year, 1, 1), self.end, "range")

    def previous(self) -> Period:
        """The period of the same length just before this one (the previous quarter, half or year)."""
        if self.kind == "quarter":
            return Period.quarter_of(self.start - dt.timedelta(days=1))
        if self.kind == "half":
            return Period.half_of(self.start - dt.timedelta(days=1))
        if self.kind == "year":
            return Period.year_of(self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, "range")

"""Report periods: a quarter `2023Q2`, a half `2023H1`, a year `2023` or a range `2023-04-01:2023-06-30`.

`Period.parse` is the one parser of a period typed anywhere (the dashboard's `?period=`, the report
pages, `build_report --period`). Besides the codes it reads the ways people write them: `2023 Q2`,
`2023-Q2`, `2023q2`, the app's own labels `2023年第二季度`, `2023年上半年`, `2023年`, `2023年全年`,
`2023年4月1日至6月30日`, and full-width characters.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from youthwork.fields import EARLIEST_DATE, LATEST_STORED_DATE

_QUARTER = re.compile(r"^(\d{4})\s*[-/]?\s*Q([1-4])$")
_QUARTER_CN = re.compile(r"^(\d{4})年?\s*第?([一二三四1-4])季度$")
_HALF = re.compile(r"^(\d{4})\s*[-/]?\s*H([12])$")
_HALF_CN = re.compile(r"^(\d{4})年?\s*([上下])半年$")
_YEAR = re.compile(r"^(\d{4})(?:年|年全年|年度)?$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?::|至|~|到)\s*(\d{4}-\d{2}-\d{2})$")
_RANGE_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*至\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


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
        text = unicodedata.normalize("NFKC", text or "").strip().upper()
        if m := _QUARTER.match(text) or _QUARTER_CN.match(text):
            quarter = _CN_DIGITS.get(m[2]) or int(m[2])
            return cls.quarter_of(dt.date(_year(m[1]), 3 * quarter - 2, 1))
        if m := _HALF.match(text):
            return cls.half_of(dt.date(_year(m[1]), 6 * int(m[2]) - 5, 1))
        if m := _HALF_CN.match(text):
            return cls.half_of(dt.date(_year(m[1]), 1 if m[2] == "上" else 7, 1))
        if m := _YEAR.match(text):
            return cls.year_of(dt.date(_year(m[1]), 1, 1))
        if m := _RANGE.match(text):
            return cls._range(text, m[1], m[2])
        if m := _RANGE_CN.match(text):
            first = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
            last = f"{m[4] or m[1]}-{int(m[5]):02d}-{int(m[6]):02d}"
            return cls._range(text, first, last)
        raise PeriodError(
            f"期间无法识别:{text}(可写 2023Q2、2023年第二季度、2023H1、2023年上半年、2023 或 2023-04-01:2023-06-30)"
        )

    @classmethod
    def _range(cls, text: str, first: str, last: str) -> Period:
        try:
            start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        except ValueError as exc:
            raise PeriodError(f"期间中的日期无法识别:{text}") from exc
        for typed in (first, last):
            _year(typed[:4])
        if end < start:
            raise PeriodError(f"期间的结束日期早于开始日期:{text}")
        return cls(start, end, "range")

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

    @property
    def name(self) -> str:
        """The period as a report names it: the label, a year as 2023年全年."""
        return f"{self.start.year}年全年" if self.kind == "year" else self.label

    @property
    def crosses_years(self) -> bool:
        return self.start.year != self.end.year

    def is_finished(self, today: dt.date) -> bool:
        """Whether the period is over on `today` (its last day has passed)."""
        return self.end < today

    def is_future(self, today: dt.date) -> bool:
        return self.start > today

    @classmethod
    def last_finished_quarter(cls, today: dt.date) -> Period:
        """The quarter before the one `today` is in: the quarter a report is usually written for."""
        return cls.quarter_of(today).previous()

    def __str__(self) -> str:
        return self.code

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def year_to_date(self) -> Period:
        """今年以来: 1 January of the period's (end) year to the period's end.

        A range across New Year (2023-11-01:2024-02-29) is its own span: its cumulative figures are the
        range's, not those of the second year's first weeks.
        """
        if self.crosses_years:
            return Period(self.start, self.end, "range")
        return Period(dt.date(self.end.year, 1, 1), self.end, "range")

    def same_last_year(self) -> Period:
        """The same period one year earlier (同比): 2023Q2 -> 2022Q2; 29 February becomes the 28th."""

        def back(day: dt.date) -> dt.date:
            return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))

        return Period(back(self.start), back(self.end), self.kind)

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


def offered_periods(quarters_with_records, today: dt.date) -> list[tuple[str, list[Period]]]:
    """The periods a report may be chosen for, grouped (季度, 半年, 全年), newest first in each group.

    The quarters that have records, the last finished quarter (always, records or not), and the half
    years and years those quarters fall in. A period that has not ended yet is offered too (a leader may
    look at it) and flagged by whoever shows it.
    """
    quarters = {*quarters_with_records, Period.last_finished_quarter(today)}
    quarters = {quarter for quarter in quarters if FIRST_YEAR <= quarter.start.year <= LAST_YEAR}
    halves = {Period.half_of(quarter.start) for quarter in quarters}
    years = {Period.year_of(quarter.start) for quarter in quarters}
    return [
        ("季度", sorted(quarters, reverse=True)),
        ("半年", sorted(halves, reverse=True)),
        ("全年", sorted(years, reverse=True)),
    ]

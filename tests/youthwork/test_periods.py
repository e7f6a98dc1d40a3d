import datetime as dt

import pytest

from youthwork.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2023Q2", dt.date(2023, 4, 1), dt.date(2023, 6, 30), "2023年第二季度"),
        ("2023q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31), "2023年第四季度"),
        ("2023H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30), "2023年上半年"),
        ("2023H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31), "2023年下半年"),
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023年"),
        ("2023-04-01:2023-06-30", dt.date(2023, 4, 1), dt.date(2023, 6, 30), "2023年4月1日至6月30日"),
    ],
)
def test_periods_parse_into_dates_and_read_in_chinese(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.parse(period.code) == period


def test_year_to_date_runs_from_the_first_of_january_to_the_periods_end():
    ytd = Period.parse("2023Q2").year_to_date()
    assert (ytd.start, ytd.end) == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2023Q1", "2022Q4"),
        ("2023Q3", "2023Q2"),
        ("2023H1", "2022H2"),
        ("2023H2", "2023H1"),
        ("2023", "2022"),
        ("2023-04-11:2023-04-20", "2023-04-01:2023-04-10"),
    ],
)
def test_the_previous_period_has_the_same_length(text, previous):
    assert Period.parse(text).previous() == Period.parse(previous)


@pytest.mark.parametrize("text", ["2023Q5", "2023-13-01:2023-12-31", "2023-06-30:2023-04-01", "上季度", ""])
def test_bad_periods_get_a_chinese_message(text):
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    assert "期间" in str(caught.value)

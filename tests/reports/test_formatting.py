"""Numbers read exactly as the data dictionary says."""

from decimal import Decimal

import pytest

from youthwork import formatting


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (3568, "3568"),
        (9999, "9999"),
        (10000, "1万"),
        (123456, "12.35万"),
        (120000, "12万"),
        (125000, "12.5万"),
        (123450, "12.35万"),
        (99995, "10万"),
        (232612, "23.26万"),
    ],
)
def test_counts_below_ten_thousand_are_plain_and_above_in_wan(value, text):
    assert formatting.count(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("8650", "8650元"),
        ("8650.50", "8651元"),
        ("0.49", "0元"),
        ("352380.50", "35.24万元"),
        ("10000", "1万元"),
        ("9999.50", "1万元"),
        ("960000.00", "96万元"),
        ("123450.00", "12.35万元"),
        (499421967.1100008, "49942.2万元"),
    ],
)
def test_amounts_in_yuan_and_wan_yuan(value, text):
    assert formatting.amount(value if isinstance(value, float) else Decimal(value)) == text


def test_half_up_not_half_even():
    assert formatting.count(12345) == "1.23万"  # 1.2345 → 1.23
    assert formatting.count(12350) == "1.24万"  # 1.235 → 1.24 (round() would say 1.24 only by luck of floats)
    assert formatting.amount(Decimal("2.5")) == "3元"  # round(2.5) == 2


def test_rates_have_one_decimal():
    assert formatting.rate(7, 8) == "87.5%"
    assert formatting.rate(2, 3) == "66.7%"
    assert formatting.rate(1, 1) == "100.0%"
    assert formatting.rate(1, 0) == ""


def test_dates_are_written_without_zero_padding():
    import datetime as dt

    assert formatting.chinese_date(dt.date(2023, 7, 5)) == "2023年7月5日"

"""The checks on a quarter's figures: each fires on data that calls for it and stays quiet otherwise."""

import datetime as dt
import re

import pytest

from activities.models import OnlineLesson, ThemeDay
from tests.factories import make_record
from tests.submissions.conftest import QUARTER, page_text

HISTORY = [dt.date(2022, 5, 4), dt.date(2022, 8, 4), dt.date(2022, 11, 4), dt.date(2023, 2, 4)]


def flags(client, unit) -> list[tuple[str, str]]:
    page = page_text(client.get(f"/submissions/{unit.pk}/{QUARTER}/"))
    found = re.findall(
        r'data-check="([^"]+)">.*?<span class="badge [^"]*">[^<]*</span>\s*(?:<a [^>]*>)?([^<]*)', page, re.S
    )
    return [(check, message.strip()) for check, message in found]


def lessons(unit, values, dates=HISTORY):
    for index, (date, value) in enumerate(zip(dates, values, strict=True)):
        make_record(OnlineLesson, unit, date, column="其他", issue=f"第{index}期", participants=value)


@pytest.mark.parametrize(("history", "now", "fires"), [([10, 12, 8, 10], 51, True), ([10, 12, 8, 10], 50, False)])
def test_a_value_more_than_five_times_the_units_median_is_flagged(town, login, history, now, fires):
    lessons(town.school_a, history)
    lessons(town.school_a, [now], [dt.date(2023, 5, 20)])
    found = [message for check, message in flags(login(town.town_clerk), town.town_a) if check == "异常值"]
    expected = ["网上团队课的“参学人次”为51,超过本单位前四个季度中位数(10)的5倍"] if fires else []
    assert found == expected


def test_a_value_with_less_than_four_quarters_of_history_is_not_flagged(town, login):
    lessons(town.school_a, [10, 12, 8], HISTORY[1:])
    lessons(town.school_a, [500], [dt.date(2023, 5, 20)])
    assert not [check for check, _message in flags(login(town.town_clerk), town.town_a) if check == "异常值"]


@pytest.mark.parametrize(("parent_count", "fires"), [(80, True), (40, False)])
def test_the_same_activity_recorded_by_a_unit_and_its_parent_is_flagged(town, login, parent_count, fires):
    day = dt.date(2023, 5, 4)
    make_record(ThemeDay, town.school_a, day, day_type="主题队日", theme="红领巾心向党", participants=100)
    make_record(ThemeDay, town.town_a, day, day_type="主题队日", theme="红领巾心向党", participants=parent_count)
    make_record(ThemeDay, town.town_a, day, day_type="主题队日", theme="另一个主题", participants=100)
    found = [message for check, message in flags(login(town.town_clerk), town.town_a) if check == "疑似重复"]
    expected = ["主题团队日2023-05-04“红领巾心向党”同时由甲区第一小学和上级单位甲街道团工委填报,汇总时可能重复计算"]
    assert found == (expected if fires else [])


@pytest.mark.parametrize(
    ("day_type", "participants", "fires"),
    [("主题团日", 5001, True), ("主题团日", 5000, False), ("主题队日", 9000, False)],
)
def test_more_than_five_thousand_at_one_league_day_is_flagged(town, login, day_type, participants, fires):
    make_record(ThemeDay, town.school_a, dt.date(2023, 5, 4), day_type=day_type, participants=participants)
    found = [message for check, message in flags(login(town.town_clerk), town.town_a) if check == "人数异常"]
    assert found == (["一场主题团日的“参与人数”为5,001,超过5,000,请核实"] if fires else [])


@pytest.mark.parametrize(
    ("dates", "reported_now", "fires"),
    [(HISTORY[2:], False, True), (HISTORY[3:], False, False), (HISTORY[2:], True, False)],
)
def test_an_area_reported_in_the_two_quarters_before_and_not_now_is_flagged(town, login, dates, reported_now, fires):
    if not reported_now:
        OnlineLesson.objects.all().delete()  # the quarter's only 思想引领 record
    lessons(town.school_a, [10] * len(dates), dates)
    found = [message for check, message in flags(login(town.town_clerk), town.town_a) if check == "领域缺报"]
    assert ("甲街道团工委本季度没有“思想引领”的台账记录,而前两个季度都有" in found) is fires


def test_a_flag_is_marked_checked_with_a_note_and_stays_so(town, login):
    make_record(ThemeDay, town.school_a, dt.date(2023, 5, 4), day_type="主题团日", participants=6000)
    client = login(town.town_clerk)
    page = page_text(client.get(f"/submissions/{town.town_a.pk}/{QUARTER}/"))
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    client.post(f"/submissions/{town.town_a.pk}/{QUARTER}/flags/", {"key": key, "note": "全区集中活动,人数属实"})
    page = page_text(client.get(f"/submissions/{town.town_a.pk}/{QUARTER}/"))
    assert "已核实:全区集中活动,人数属实" in page and 'name="key"' not in page
    listing = page_text(login(town.admin_a).get(f"/submissions/?period={QUARTER}"))
    assert "0条待核实" in listing and "(共1条)" in listing
    outside = login(town.clerk_b).post(f"/submissions/{town.town_a.pk}/{QUARTER}/flags/", {"key": key, "note": "x"})
    assert outside.status_code == 404
    leader = page_text(
        login(town.leader_a).post(f"/submissions/{town.town_a.pk}/{QUARTER}/flags/", {"key": key}, follow=True)
    )
    assert "只有甲街道团工委的录入员、管理员或上级单位的管理员可以核实" in leader

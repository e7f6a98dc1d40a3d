"""The demo is alive on the day it is loaded (issue 10, §1): its records cover the quarter of "today" up to
today and the four quarters before it, so this quarter has figures and the last finished quarter's report is
a full one. The tests pin "today" (`load_demo --today`); the demo's rows of a day do not depend on it."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from activities.models import OnlineLesson
from youthwork.ledgers import all_ledgers
from youthwork.models import User
from youthwork.periods import Period

pytestmark = pytest.mark.django_db

DEMO_AREAS = ("activities", "assistance", "legal_education")


def demo_ledgers():
    return [ledger for ledger in all_ledgers() if ledger.app_label in DEMO_AREAS]


def load(today: dt.date) -> str:
    output = io.StringIO()
    call_command("load_demo", "--today", today.isoformat(), stdout=output)
    return output.getvalue()


def five_quarters(today: dt.date) -> list[Period]:
    quarters = [Period.quarter_of(today)]
    for _back in range(4):
        quarters.append(quarters[-1].previous())
    return quarters


@pytest.mark.parametrize("today", [dt.date(2026, 11, 18), dt.date(2025, 2, 10), dt.date(2024, 8, 5)])
def test_the_demo_covers_this_quarter_up_to_today_and_the_four_before_it_and_nothing_after_today(today):
    load(today)
    quarters = five_quarters(today)
    first_day = quarters[-1].start
    for ledger in demo_ledgers():
        records = ledger.model.objects.all()
        assert not records.filter(date__gt=today).exists(), ledger.name
        assert not records.filter(date__lt=first_day).exists(), ledger.name
    lessons = OnlineLesson.objects.all()
    for quarter in quarters:
        assert lessons.filter(date__range=(quarter.start, quarter.end)).exists(), quarter.label
    # every ledger has records in each finished quarter of the window (its report has no empty ledger)
    for quarter in quarters[1:]:
        empty = [
            ledger.name
            for ledger in demo_ledgers()
            if not ledger.model.objects.filter(date__range=(quarter.start, quarter.end)).exists()
        ]
        assert empty == [], (quarter.label, empty)


def test_weekly_lessons_keep_running_issue_numbers_within_each_year():
    load(dt.date(2026, 3, 20))
    issues = OnlineLesson.objects.filter(unit__code="S0101").order_by("date").values_list("date", "issue")
    for date, issue in issues:
        assert date.weekday() == 0
        assert issue.startswith(f"{date.year}年第")
    first_of_2026 = next(issue for date, issue in issues if date.year == 2026)
    assert first_of_2026 == "2026年第1期"


def test_loading_the_demo_again_adds_nothing_and_a_later_day_adds_only_the_days_since():
    load(dt.date(2026, 5, 10))
    counts = {ledger.name: ledger.model.objects.count() for ledger in demo_ledgers()}
    again = load(dt.date(2026, 5, 10))
    assert {ledger.name: ledger.model.objects.count() for ledger in demo_ledgers()} == counts
    assert "网上团队课: 新增 0" in again
    stored = set(OnlineLesson.objects.values_list("unit_id", "date", "issue", "participants"))
    load(dt.date(2026, 5, 31))
    later = set(OnlineLesson.objects.values_list("unit_id", "date", "issue", "participants"))
    assert stored < later  # the same rows (same values), and the weeks since
    assert {date for _unit, date, _issue, _n in later - stored} <= {
        dt.date(2026, 5, 11) + dt.timedelta(days=n) for n in range(21)
    }


def test_the_last_finished_quarters_report_of_the_demo_is_a_full_one(client):
    today = dt.date(2026, 11, 18)
    load(today)
    last = Period.last_finished_quarter(today)
    client.force_login(User.objects.get(username="leader"))
    city = User.objects.get(username="leader").unit
    page = client.get("/reports/draft/", {"period": last.code, "unit": city.pk}).content.decode()
    assert "没有任何台账记录" not in page and "本期未填报台账记录" not in page
    assert f"{city.name}{last.label}" in page
    output, errors = io.StringIO(), io.StringIO()
    call_command("build_report", period=last.code, format="html", output="/dev/null", stdout=output, stderr=errors)
    gaps = [line for line in errors.getvalue().splitlines() if line.startswith("数据缺口")]
    ledger_gaps = [line for line in gaps if any(f":{ledger.name}" in line for ledger in demo_ledgers())]
    assert ledger_gaps == [], gaps


def test_the_demo_is_not_loaded_for_a_day_after_today_nor_for_an_unreadable_day():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CommandError, match="不能晚于今天"):
        load(tomorrow)
    with pytest.raises(CommandError, match="无法识别"):
        call_command("load_demo", "--today", "2026-13-01", stdout=io.StringIO())

"""Every figure traceable (issue 10, §4): a figure on the dashboard or in the report preview links to the
ledger list of exactly the records it counts, and that list's totals line shows the same number."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from activities.models import Ceremony, ThemeDay
from assistance.models import Donation
from legal_education.models import SafetyWork
from tests.factories import make_record
from youthwork.areas import work_areas
from youthwork.ledgers import get_ledger


@pytest.fixture
def records(cast):
    """District A's records (all in its town's school) and some that no figure of district A's 2023Q2 counts."""
    school, other = cast.school_a, cast.school_b
    make_record(ThemeDay, school, dt.date(2023, 4, 10), day_type="主题团日", theme="一", participants=30)
    make_record(ThemeDay, school, dt.date(2023, 5, 4), day_type="主题团日", theme="二", participants=50)
    make_record(ThemeDay, school, dt.date(2023, 2, 1), day_type="主题团日", theme="三", participants=7)  # Q1
    make_record(ThemeDay, school, dt.date(2023, 6, 1), day_type="主题队日", theme="四", participants=20)
    make_record(ThemeDay, school, dt.date(2023, 7, 10), day_type="主题团日", theme="五", participants=5)  # Q3
    make_record(ThemeDay, other, dt.date(2023, 5, 4), day_type="主题团日", theme="外区", participants=99)
    make_record(Donation, school, dt.date(2023, 2, 1), donor="甲", purpose="助学金", amount=Decimal("100.50"))
    make_record(Donation, school, dt.date(2023, 5, 1), donor="乙", purpose="助学金", amount=Decimal("200.00"))
    make_record(Donation, school, dt.date(2022, 12, 1), donor="去年", purpose="助学金", amount=Decimal("9.00"))
    make_record(Donation, other, dt.date(2023, 5, 1), donor="外区", purpose="助学金", amount=Decimal("1000.00"))
    make_record(SafetyWork, school, dt.date(2023, 6, 5), work_type="防溺水巡查", quantity=3, place="河边")
    make_record(SafetyWork, school, dt.date(2023, 6, 5), work_type="设置警戒线", quantity=5, place="河边")
    make_record(Ceremony, school, dt.date(2023, 3, 1), ceremony_type="入团仪式", new_members=12)
    make_record(Ceremony, school, dt.date(2023, 5, 1), ceremony_type="入团仪式", new_members=8)
    make_record(Ceremony, school, dt.date(2023, 5, 1), ceremony_type="入队仪式", new_members=40)
    return cast


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("元", ""))


def list_totals(client, url: str) -> tuple[int, dict[str, Decimal], str]:
    """(records listed, {column: total}, page) of a ledger list."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    count = int(re.search(r'id="result-count" data-count="(\d+)"', page).group(1))
    totals = {name: number(text) for name, text in re.findall(r'data-total="(\w+)">([^<]*)</td>', page)}
    return count, totals, page


def rows_of(page: str) -> str:
    """The list's table body (the filter form above it names every unit in the select)."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


def linked_total(client, url: str) -> Decimal:
    """What a figure's link adds up to: the sum of the column the link marks, or the record count."""
    count, totals, _page = list_totals(client, url)
    column = re.search(r"[?&]total=(\w+)", url)
    return totals[column.group(1)] if column else Decimal(count)


def preview_row(page: str, key: str) -> tuple[str, str]:
    """(the number shown, the link) of a figure in the report preview's 数据来源 panel."""
    match = re.search(rf'<tr data-figure="{key}">.*?<a class="figure-link" href="([^"]+)"[^>]*>([^<]+)</a>', page, re.S)
    assert match, key
    return match.group(2), html.unescape(match.group(1))


def dashboard_figure(page: str, key: str) -> tuple[str, str]:
    match = re.search(
        rf'data-figure="{key}">.*?<a class="figure-link" href="([^"]+)"[^>]*><span class="figure-value">(.*?)</span>',
        page,
        re.S,
    )
    assert match, key
    return match.group(2), html.unescape(match.group(1))


FIGURES_AND_VALUES = [
    ("theme_day_participants", Decimal(100)),  # a sum
    ("league_days", Decimal(2)),  # a count filtered by a choice
    ("pioneer_days", Decimal(1)),
    ("patrols", Decimal(3)),  # a sum filtered by a choice
    ("funds", Decimal("200.00")),  # an amount
    ("funds_ytd", Decimal("300.50")),  # 今年以来
    ("league_ceremonies_ytd", Decimal(2)),  # 今年以来, a choice
    ("new_league_members_ytd", Decimal(20)),
]


@pytest.mark.parametrize(("key", "expected"), FIGURES_AND_VALUES)
def test_following_a_figure_of_the_report_preview_lists_records_that_add_up_to_it(records, login, key, expected):
    client = login(records.leader_a)
    page = client.get(f"/reports/draft/?period=2023Q2&unit={records.district_a.pk}").content.decode()
    shown, url = preview_row(page, key)
    assert number(shown) == expected
    assert linked_total(client, url) == expected


def test_the_dashboards_key_figures_link_to_records_that_add_up_to_them(records, login):
    client = login(records.leader_a)
    page = client.get("/?period=2023Q2").content.decode()
    for key, expected in [("theme_day_participants", 100), ("league_days", 2), ("patrols", 3), ("funds", 200)]:
        shown, url = dashboard_figure(page, key)
        assert number(shown) == expected, key
        assert linked_total(client, url) == expected, key


def test_the_link_of_a_districts_figure_includes_its_towns_records(records, login):
    client = login(records.city_leader)
    page = client.get(f"/reports/draft/?period=2023Q2&unit={records.district_a.pk}").content.decode()
    _shown, url = preview_row(page, "league_days")
    assert f"unit={records.district_a.pk}" in url
    count, _totals, listed = list_totals(client, url)
    assert count == 2
    assert rows_of(listed).count("甲区第一小学") == 2  # the school of the district's town
    assert "乙区第一中学" not in rows_of(listed)


def test_a_user_of_another_district_following_the_link_sees_none_of_its_records(records, login):
    page = login(records.leader_a).get(f"/reports/draft/?period=2023Q2&unit={records.district_a.pk}").content.decode()
    _shown, url = preview_row(page, "theme_day_participants")
    count, _totals, listed = list_totals(login(records.clerk_b), url)
    assert count == 0
    assert "甲区第一小学" not in rows_of(listed) and "乙区第一中学" not in rows_of(listed)
    assert "所选单位不存在,或不在您的管理范围内" in listed


def test_a_ytd_figures_link_runs_from_the_first_of_january(records, login):
    page = login(records.leader_a).get(f"/reports/draft/?period=2023Q2&unit={records.district_a.pk}").content.decode()
    _shown, url = preview_row(page, "funds_ytd")
    assert "date_from=2023-01-01" in url and "date_to=2023-06-30" in url


def test_a_distinct_count_says_its_list_is_where_it_comes_from_not_its_total(records, login):
    page = login(records.leader_a).get(f"/reports/draft/?period=2023Q2&unit={records.district_a.pk}").content.decode()
    row = re.search(r'<tr data-figure="students_aided_ytd">.*?</tr>', page, re.S).group(0)
    assert "去重或按文字条件计算" in row
    row = re.search(r'<tr data-figure="schools">.*?</tr>', page, re.S).group(0)
    assert "组织单位登记" in row and "figure-link" not in row


@pytest.mark.parametrize(
    ("period", "league_days", "participants", "date_to"),
    [("2023H1", "3", "107", "2023-06-30"), ("2023", "4", "112", "2023-12-31"), ("2023Q2", "2", "100", "2023-06-30")],
)
def test_the_dashboard_shows_half_years_and_years(records, login, period, league_days, participants, date_to):
    client = login(records.leader_a)
    page = client.get(f"/?period={period}").content.decode()
    assert dashboard_figure(page, "league_days")[0] == league_days
    shown, url = dashboard_figure(page, "theme_day_participants")
    assert shown == participants
    assert f"date_to={date_to}" in url
    assert linked_total(client, url) == Decimal(participants)
    assert f'<option value="{period}" selected>' in page


def test_every_declared_source_names_a_ledger_column_and_choices_the_list_accepts():
    for area in work_areas():
        for figure in area.metrics.FIGURES:
            if figure.source is None:
                continue
            ledger = get_ledger(figure.source.ledger)
            if figure.source.column:
                assert figure.source.column in ledger.sum_fields, figure.key
            for field, value in figure.source.where:
                assert field in ledger.choice_fields, figure.key
                assert value in ledger.column(field).choices, figure.key


def test_a_quarter_its_half_year_and_its_year_are_cached_apart(records, login):
    client = login(records.leader_a)
    for _round in range(2):  # the second round reads every period from the cache
        shown = {
            period: dashboard_figure(client.get(f"/?period={period}").content.decode(), "league_days")[0]
            for period in ("2023Q2", "2023H1", "2023", "2023Q1")
        }
        assert shown == {"2023Q2": "2", "2023H1": "3", "2023": "4", "2023Q1": "1"}

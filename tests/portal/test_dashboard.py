import datetime as dt
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import metrics as activity_metrics
from activities.models import OnlineLesson, ThemeDay
from assistance import metrics as assistance_metrics
from assistance.models import Donation
from tests.factories import make_record, make_user
from youthwork import formatting
from youthwork.periods import Period

Q2 = "/?period=2023Q2"


def figure(page: str, key: str) -> str:
    """The value shown for a key figure (data-figure=key) on the dashboard."""
    match = re.search(rf'data-figure="{key}">.*?<span class="figure-value">(.*?)</span>', page, re.S)
    assert match, key
    return match.group(1)


def before(page: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">.*?上季度 (.*?)</div>', page, re.S)
    assert match, key
    return match.group(1)


def area_records(page: str, app_label: str) -> str:
    return re.search(rf'data-area="{app_label}">.*?<strong class="records">(\d+)</strong>', page, re.S).group(1)


def test_the_dashboard_shows_the_current_quarter_by_default(login, cast):
    page = login(cast.clerk_a).get("/").content.decode()
    assert f"{Period.quarter_of(timezone.localdate()).label}工作概览" in page
    assert "甲区团委及下级单位" in page


def test_a_theme_day_added_through_the_form_is_counted_on_the_dashboard(login, cast):
    client = login(cast.clerk_a)
    assert figure(client.get(Q2).content.decode(), "league_days") == "0"
    client.post(
        "/ledgers/themeday/new/",
        {
            "unit": cast.school_a.pk,
            "date": "2023-05-04",
            "day_type": "主题团日",
            "theme": "青春心向党",
            "participants": "88",
        },
    )
    page = client.get(Q2).content.decode()
    assert figure(page, "league_days") == "1"
    assert figure(page, "theme_day_participants") == "88"
    assert area_records(page, "activities") == "1"


def test_figures_stand_beside_the_previous_quarters(login, cast):
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 3, 5), theme="三月", participants=40)
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4), theme="五四", participants=100)
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 6, 1), theme="六一", participants=120)
    page = login(cast.clerk_a).get(Q2).content.decode()
    assert figure(page, "league_days") == "2"
    assert before(page, "league_days") == "1"
    assert figure(page, "theme_day_participants") == "220"
    assert before(page, "theme_day_participants") == "40"
    assert "比上季度增加" in page


def test_the_dashboard_shows_the_reports_numbers(login, cast):
    for week in range(12):
        make_record(OnlineLesson, cast.school_a, date=dt.date(2023, 4, 3) + dt.timedelta(weeks=week), participants=1234)
    make_record(Donation, cast.district_a, date=dt.date(2023, 4, 10), donor="甲公司", amount=Decimal("123456.78"))
    page = login(cast.clerk_a).get(Q2).content.decode()
    period = Period.parse("2023Q2")
    activities = activity_metrics.compute(period, cast.district_a)[cast.district_a.path]
    assistance = assistance_metrics.compute(period, cast.district_a)[cast.district_a.path]
    assert figure(page, "lesson_participants") == formatting.count(activities["lesson_participants"]) == "1.48万"
    assert figure(page, "funds") == formatting.amount(assistance["funds"]) == "12.35万元"


def test_the_dashboard_counts_only_the_users_scope(login, cast):
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4), theme="甲区")
    make_record(ThemeDay, cast.school_b, date=dt.date(2023, 5, 4), theme="乙区")
    assert figure(login(cast.clerk_a).get(Q2).content.decode(), "league_days") == "1"
    city = login(cast.city_leader).get(Q2).content.decode()
    assert figure(city, "league_days") == "2"
    assert "团市委及下级单位" in city


def test_charts_are_inline_svg_from_the_monthly_figures(login, cast):
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4), participants=100)
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 1, 9), theme="一月", participants=30)
    make_record(Donation, cast.district_a, date=dt.date(2023, 4, 10), donor="乙公司", amount=Decimal("8650.40"))
    page = login(cast.clerk_a).get(Q2).content.decode()
    assert page.count("<svg") >= 5
    assert "<title>5月 思想引领:1</title>" in page
    assert "<title>5月 思想引领:100</title>" in page
    assert "<title>4月 募集资金:8650元</title>" in page
    assert "<title>甲街道团工委 思想引领:2</title>" not in page  # the January record is outside the quarter
    assert "<title>甲街道团工委 思想引领:1</title>" in page
    assert 'class="band"' in page  # the quarter's months are highlighted
    # No asset from another host: every src/href is local (the random CSRF token may contain "cdn").
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_an_empty_chart_says_so(login, cast):
    page = login(cast.clerk_a).get("/?period=2021Q1").content.decode()
    assert "本期没有记录" in page


def test_the_period_switcher_offers_the_quarters_that_have_records(login, cast):
    make_record(ThemeDay, cast.school_a, date=dt.date(2022, 11, 1))
    make_record(ThemeDay, cast.school_b, date=dt.date(2021, 2, 1))
    page = login(cast.clerk_a).get("/").content.decode()
    options = re.findall(r'<option value="(\d{4}Q\d)"', page)
    assert "2022Q4" in options
    assert "2021Q1" not in options  # only district B has a record then
    assert options[0] == Period.quarter_of(timezone.localdate()).code
    assert 'href="?period=' in page


def test_a_date_range_or_an_unreadable_period_is_explained_in_chinese(login, cast):
    client = login(cast.clerk_a)
    response = client.get("/?period=2023-04-01:2023-05-15")
    assert response.status_code == 200
    assert "概览按季度、半年或全年显示" in response.content.decode()
    for bad in ("last-year", "2023Q5", "1850", "2023H3"):
        response = client.get(f"/?period={bad}")
        assert response.status_code == 200, bad
        assert "已显示本季度" in response.content.decode(), bad


def test_latest_records_link_to_the_users_records_only(login, cast):
    own = make_record(ThemeDay, cast.school_a, theme="本区最新")
    make_record(ThemeDay, cast.school_b, theme="外区最新")
    page = login(cast.clerk_a).get("/").content.decode()
    assert f'href="/ledgers/themeday/{own.pk}/"' in page and "本区最新" in page
    assert "外区最新" not in page


def test_quick_add_lists_the_ledgers_the_user_may_add_to(login, cast):
    assert 'href="/ledgers/themeday/new/"' in login(cast.clerk_a).get("/").content.decode()
    assert "/new/" not in login(cast.city_leader).get("/").content.decode()


def test_the_dashboard_query_count_does_not_grow_with_the_data(login, cast):
    client = login(cast.city_leader)
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4))
    with CaptureQueriesContext(connection) as few:
        client.get(Q2)
    for day in range(1, 25):
        unit = (cast.school_a, cast.school_b, cast.town_a)[day % 3]
        make_record(ThemeDay, unit, date=dt.date(2023, 4, day), theme=f"团日{day}")
        make_record(Donation, unit, date=dt.date(2023, 5, day), donor=f"捐赠方{day}")
    with CaptureQueriesContext(connection) as many:
        client.get(Q2)
    assert len(many) == len(few)


def test_a_user_without_a_unit_is_told_so(login, db):
    page = login(make_user("nobody")).get("/").content.decode()
    assert "您的账号还没有所属单位" in page


def test_an_empty_quarter_points_to_the_latest_quarter_with_records(login, cast):
    make_record(ThemeDay, cast.school_a, date=dt.date(2023, 5, 4))
    make_record(ThemeDay, cast.school_a, date=dt.date(2022, 11, 1), theme="去年")
    page = login(cast.clerk_a).get("/?period=2021Q1").content.decode()
    assert "2021年第一季度还没有台账记录" in page
    assert 'href="?period=2023Q2"' in page
    assert "还没有台账记录" not in login(cast.clerk_a).get(Q2).content.decode()


def test_a_superuser_on_an_empty_database_is_asked_to_create_the_units(login, db):
    page = login(make_user("root", is_superuser=True)).get("/").content.decode()
    assert "还没有组织单位,请先在管理后台创建团市委" in page


def test_next_quarter_is_not_offered_past_the_current_quarter(login, cast):
    this = Period.quarter_of(timezone.localdate())
    client = login(cast.city_leader)
    assert "下一季度" not in client.get(f"/?period={this.code}").content.decode()
    page = client.get(f"/?period={this.previous().code}").content.decode()
    assert f'href="?period={this.code}"' in page and "下一季度" in page

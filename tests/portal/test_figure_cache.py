"""The dashboard's and the report's figures are computed once and read from the cache until a write changes them.

Every path that writes a record, a venue or a unit gives the units concerned a new data version in its own
transaction (youthwork.versions), so what the pages show right after a write is the write's result; a write
elsewhere leaves a scope's cached figures alone; a cache that fails only costs the computing.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ThemeDay
from assistance.models import StudentAid
from reports.figures import collect
from reports.models import WorkReport
from tests.factories import make_record, make_user, make_venue, theme_day_form
from tests.importing.workbooks import header, run_import, save, xlsx
from tests.portal.test_dashboard import figure
from youthwork import figure_cache
from youthwork.ledgers import all_ledgers
from youthwork.models import Unit, Venue
from youthwork.periods import Period
from youthwork.roles import ADMIN

Q2 = "/?period=2023Q2"
PERIOD = Period.parse("2023Q2")
LEDGER_TABLES = [ledger.model._meta.db_table for ledger in all_ledgers()]


def captured(action):
    with CaptureQueriesContext(connection) as queries:
        response = action()
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def reads_a_ledger(sqls: list[str]) -> bool:
    return any(table in sql for sql in sqls for table in LEDGER_TABLES)


def league_days(client) -> str:
    return figure(client.get(Q2).content.decode(), "league_days")


def reported_league_days(unit) -> int:
    return collect(PERIOD, Unit.objects.get(pk=unit.pk))["activities"]["league_days"]


# --- reading ---------------------------------------------------------------------------------------


def test_a_second_look_at_the_dashboard_reads_no_ledger_and_far_fewer_queries(login, cast):
    make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4))
    client = login(cast.city_leader)
    first, computing = captured(lambda: client.get(Q2))
    second, cached = captured(lambda: client.get(Q2))
    assert reads_a_ledger(computing) and not reads_a_ledger(cached)
    assert len(cached) * 4 < len(computing)
    for key in ("league_days", "theme_day_participants", "lesson_participants"):
        assert figure(first.content.decode(), key) == figure(second.content.decode(), key)


def test_a_write_in_another_district_leaves_this_districts_figures_cached(login, cast):
    client_a = login(cast.clerk_a)
    client_a.get(Q2)
    make_record(ThemeDay, cast.school_b, dt.date(2023, 5, 4))
    _page, sqls = captured(lambda: client_a.get(Q2))
    assert not reads_a_ledger(sqls)
    assert league_days(client_a) == "0"
    # The city's scope holds district B: its figures are computed again.
    assert league_days(login(cast.city_leader)) == "1"


# --- every path that writes ------------------------------------------------------------------------


@pytest.fixture
def warm(login, cast):
    """District A's dashboard and report figures for 2023Q2, read once so that they are cached."""
    client = login(cast.admin_a)
    assert league_days(client) == "0" and reported_league_days(cast.district_a) == 0
    return client


def shows(client, cast, days: int) -> bool:
    return league_days(client) == str(days) and reported_league_days(cast.district_a) == days


def test_a_record_added_changed_and_deleted_in_the_portal_shows_at_once(warm, cast):
    warm.post("/ledgers/themeday/new/", theme_day_form(cast.school_a))
    assert shows(warm, cast, 1)
    record = ThemeDay.objects.get()
    warm.post(f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, day_type="主题队日"))
    assert shows(warm, cast, 0)
    assert figure(warm.get(Q2).content.decode(), "pioneer_days") == "1"
    warm.post(f"/ledgers/themeday/{record.pk}/delete/")
    assert not ThemeDay.objects.exists()
    assert figure(warm.get(Q2).content.decode(), "pioneer_days") == "0"


def test_a_record_added_changed_and_deleted_in_the_admin_shows_at_once(warm, cast):
    url = "/admin/activities/themeday/"
    assert warm.post(f"{url}add/", theme_day_form(cast.school_a)).status_code == 302
    assert shows(warm, cast, 1)
    record = ThemeDay.objects.get()
    warm.post(f"{url}{record.pk}/change/", theme_day_form(cast.school_a, date="2023-07-04"))
    assert shows(warm, cast, 0)
    warm.post(f"{url}{record.pk}/change/", theme_day_form(cast.school_a))
    assert shows(warm, cast, 1)
    warm.post(f"{url}{record.pk}/delete/", {"post": "yes"})
    assert shows(warm, cast, 0)


def test_the_admins_bulk_delete_shows_at_once(warm, cast):
    records = [make_record(ThemeDay, cast.school_a, dt.date(2023, 5, day)) for day in (4, 5)]
    assert shows(warm, cast, 2)
    action = {"action": "delete_selected", "_selected_action": [r.pk for r in records], "post": "yes"}
    warm.post("/admin/activities/themeday/", action)
    assert shows(warm, cast, 0)


def test_an_imported_workbook_shows_at_once(warm, cast, tmp_path):
    sheet = str(ThemeDay._meta.verbose_name)
    columns = header(sheet)
    row = {"填报单位": "A1S", "日期": "2023-05-04", "类型": "主题团日", "主题": "导入的团日", "参与人数": 30}
    data = xlsx({sheet: [columns, [row.get(name, "") for name in columns]]})
    code, _out, err = run_import(save(tmp_path, data), "--user", cast.admin_a.username)
    assert code == 0, err
    assert shows(warm, cast, 1)


def test_a_unit_moved_to_another_district_takes_its_figures_along(login, cast):
    make_record(ThemeDay, cast.school_b, dt.date(2023, 5, 4))
    assert league_days(login(cast.clerk_b)) == "1"
    assert league_days(login(cast.clerk_a)) == "0"
    assert reported_league_days(cast.district_a) == 0 and reported_league_days(cast.district_b) == 1
    admin = login(cast.city_admin)
    moved = {"name": cast.school_b.name, "parent": cast.district_a.pk, "unit_type": Unit.Type.SCHOOL, "code": "BS"}
    assert admin.post(f"/admin/youthwork/unit/{cast.school_b.pk}/change/", moved).status_code == 302
    assert league_days(login(cast.clerk_a)) == "1"
    assert league_days(login(cast.clerk_b)) == "0"
    assert reported_league_days(cast.district_a) == 1 and reported_league_days(cast.district_b) == 0


def test_a_renamed_unit_is_named_anew_on_the_dashboard(login, cast):
    make_record(ThemeDay, cast.district_a, dt.date(2023, 5, 4))
    client = login(cast.city_leader)
    assert "甲区团委" in client.get(Q2).content.decode()
    admin = login(cast.city_admin)
    renamed = {"name": "甲县团委", "parent": cast.city.pk, "unit_type": Unit.Type.DISTRICT, "code": "A"}
    assert admin.post(f"/admin/youthwork/unit/{cast.district_a.pk}/change/", renamed).status_code == 302
    page = login(cast.city_leader).get(Q2).content.decode()
    assert "甲县团委" in page and "甲区团委" not in page


def hope_homes(unit) -> int:
    return collect(PERIOD, Unit.objects.get(pk=unit.pk))["venues"]["hope_homes"]


def test_venues_added_and_deleted_in_the_admin_show_at_once(login, cast):
    assert hope_homes(cast.district_a) == 0
    admin = login(cast.admin_a)
    venue = {
        "name": "甲街道希望家园",
        "unit": cast.town_a.pk,
        "venue_type": Venue.Type.HOPE_HOME,
        "opened_on": "2023-03-01",
        "note": "",
    }
    assert admin.post("/admin/youthwork/venue/add/", venue).status_code == 302
    assert hope_homes(cast.district_a) == 1
    added = Venue.objects.get()
    action = {"action": "delete_selected", "_selected_action": [added.pk], "post": "yes"}
    admin.post("/admin/youthwork/venue/", action)
    assert not Venue.objects.exists()
    assert hope_homes(cast.district_a) == 0


def test_a_record_naming_another_units_venue_changes_that_units_venue_figures(login, cast):
    venue = make_venue(cast.town_a, "甲街道青年之家", opened_on=dt.date(2023, 1, 1))
    used = collect(PERIOD, cast.town_a)["venues"]["venues_used"]
    login(cast.city_admin).post("/ledgers/themeday/new/", theme_day_form(cast.district_a, venue=venue.pk))
    assert ThemeDay.objects.get().venue == venue
    assert collect(PERIOD, Unit.objects.get(pk=cast.town_a.pk))["venues"]["venues_used"] == used + 1


# --- the ledger lists' count and totals ----------------------------------------------------------------

THEME_DAYS = "/ledgers/themeday/"


def listed(client, query: str = "", url: str = THEME_DAYS) -> tuple[int, str]:
    """(records counted, the 参与人数 total: none without rows) of a list with the query."""
    page = client.get(f"{url}{query}").content.decode()
    count = int(re.search(r'id="result-count" data-count="(\d+)"', page).group(1))
    total = re.search(r'data-total="participants">([^<]*)</td>', page)
    return count, total.group(1) if total else ""


def totals_a_ledger(sqls: list[str]) -> bool:
    return any("COUNT(" in sql and table in sql for sql in sqls for table in LEDGER_TABLES)


@pytest.mark.parametrize("query", ["", "?q=青春", "?unit={town}&date_from=2023-05-01&day_type=主题团日&page=1"])
def test_a_second_look_at_a_list_or_search_reads_its_totals_from_the_cache(login, cast, query):
    make_record(ThemeDay, cast.school_a, theme="青春心向党", participants=30)
    make_record(ThemeDay, cast.town_a, theme="青春之歌", participants=12)
    client = login(cast.clerk_a)
    url = THEME_DAYS + query.format(town=cast.town_a.pk)
    first, computing = captured(lambda: client.get(url))
    second, cached = captured(lambda: client.get(url))
    assert totals_a_ledger(computing) and not totals_a_ledger(cached)
    assert len(cached) < len(computing)
    for page in (first, second):
        assert (
            'data-count="2"' in page.content.decode() and 'data-total="participants">42</td>' in page.content.decode()
        )


def test_a_lists_totals_show_every_write_at_once(login, cast):
    client = login(cast.admin_a)
    assert listed(client) == (0, "") and listed(client, "?q=青春") == (0, "")
    client.post("/ledgers/themeday/new/", theme_day_form(cast.school_a, participants="120"))
    assert listed(client) == (1, "120") and listed(client, "?q=青春") == (1, "120")
    record = ThemeDay.objects.get()
    client.post(f"/ledgers/themeday/{record.pk}/edit/", theme_day_form(cast.school_a, theme="学雷锋", participants="7"))
    assert listed(client) == (1, "7") and listed(client, "?q=青春") == (0, "")
    record.refresh_from_db()
    record.unit = cast.school_b  # out of district A, written elsewhere than in the portal
    record.save()
    assert listed(client) == (0, "") and listed(login(cast.clerk_b)) == (1, "7")
    record.delete()
    assert listed(login(cast.clerk_b)) == (0, "")


def test_a_lists_search_by_unit_name_follows_a_renamed_unit(login, cast):
    make_record(ThemeDay, cast.school_a, participants=5)
    client = login(cast.clerk_a)
    assert listed(client, "?q=第一小学") == (1, "5") and listed(client, "?q=实验小学") == (0, "")
    admin = login(cast.city_admin)
    renamed = {"name": "甲区实验小学", "parent": cast.town_a.pk, "unit_type": Unit.Type.SCHOOL, "code": "A1S"}
    assert admin.post(f"/admin/youthwork/unit/{cast.school_a.pk}/change/", renamed).status_code == 302
    client = login(cast.clerk_a)
    assert listed(client, "?q=第一小学") == (0, "") and listed(client, "?q=实验小学") == (1, "5")


def test_a_unit_moved_to_another_district_takes_its_records_to_that_districts_lists(login, cast):
    make_record(ThemeDay, cast.school_b, participants=9)
    assert listed(login(cast.clerk_b)) == (1, "9") and listed(login(cast.clerk_a)) == (0, "")
    city = login(cast.city_leader)
    assert listed(city, f"?unit={cast.district_a.pk}") == (0, "") and listed(city) == (1, "9")
    admin = login(cast.city_admin)
    moved = {"name": cast.school_b.name, "parent": cast.district_a.pk, "unit_type": Unit.Type.SCHOOL, "code": "BS"}
    assert admin.post(f"/admin/youthwork/unit/{cast.school_b.pk}/change/", moved).status_code == 302
    assert listed(login(cast.clerk_b)) == (0, "") and listed(login(cast.clerk_a)) == (1, "9")
    city = login(cast.city_leader)
    assert listed(city, f"?unit={cast.district_a.pk}") == (1, "9") and listed(city) == (1, "9")


def test_the_same_list_is_totalled_apart_for_each_scope_and_for_who_may_search_names(login, cast):
    make_record(ThemeDay, cast.school_a, participants=1)
    make_record(ThemeDay, cast.school_b, participants=20)
    assert listed(login(cast.clerk_a)) == (1, "1")
    assert listed(login(cast.clerk_b)) == (1, "20")
    assert listed(login(cast.city_leader)) == (2, "21")
    assert listed(login(cast.clerk_a)) == (1, "1")
    make_record(StudentAid, cast.district_a, student_name="王小明", school="甲区第一小学", aid_type="助学金")
    # The clerk may read the names of minors and find one; the leader of the same district may not.
    assert listed(login(cast.clerk_a), "?q=王小明", "/ledgers/studentaid/")[0] == 1
    assert listed(login(cast.leader_a), "?q=王小明", "/ledgers/studentaid/")[0] == 0
    assert listed(login(cast.clerk_a), "?q=王小明", "/ledgers/studentaid/")[0] == 1


# --- the admin's change lists: their count -----------------------------------------------------------

ADMIN_THEME_DAYS = "/admin/activities/themeday/"


def admin_counted(client, query: str = "") -> int:
    """The records a change list says it found (Django's paginator line), checked against its rows."""
    page = client.get(f"{ADMIN_THEME_DAYS}{query}").content.decode()
    count = int(re.search(r'<p class="paginator">\s*(\d+)', page).group(1))
    assert page.count('class="action-select"') == count  # one page here
    return count


@pytest.mark.parametrize("query", ["", "?q=青春", "?unit__id__exact={town}&o=-2"])
def test_a_second_look_at_an_admin_change_list_reads_its_count_from_the_cache(login, cast, query):
    make_record(ThemeDay, cast.school_a, theme="青春心向党")
    make_record(ThemeDay, cast.town_a, theme="青春之歌")
    client = login(cast.admin_a)
    url = ADMIN_THEME_DAYS + query.format(town=cast.town_a.pk)
    first, computing = captured(lambda: client.get(url))
    second, cached = captured(lambda: client.get(url))
    assert totals_a_ledger(computing) and not totals_a_ledger(cached)
    for page in (first, second):
        assert page.content.decode().count('class="action-select"') == 2


def test_an_admin_change_lists_count_shows_every_write_at_once(login, cast):
    client = login(cast.admin_a)
    assert admin_counted(client) == 0 and admin_counted(client, "?q=青春") == 0
    login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.school_a))
    client = login(cast.admin_a)
    assert admin_counted(client) == 1 and admin_counted(client, "?q=青春") == 1
    record = ThemeDay.objects.get()
    record.unit = cast.school_b  # out of district A, written elsewhere than in the admin
    record.save()
    assert admin_counted(client) == 0 and admin_counted(login(cast.city_admin)) == 1
    record.delete()
    assert admin_counted(login(cast.city_admin)) == 0


def test_an_admin_change_lists_count_is_kept_apart_for_each_scope_and_filter(login, cast):
    make_record(ThemeDay, cast.school_a)
    make_record(ThemeDay, cast.school_b)
    assert admin_counted(login(cast.admin_a)) == 1
    assert admin_counted(login(cast.city_admin)) == 2
    assert admin_counted(login(cast.city_admin), f"?unit__id__exact={cast.district_b.pk}") == 1
    assert admin_counted(login(cast.admin_a)) == 1


# --- the filters of the admin's change lists and of the portal's lists, kept in the process -------------

SIDE_BAR = r'<nav id="changelist-filter".*?</nav>'  # the admin's
FILTER_FORM = r'<form method="get".*?</form>'  # the portal list's
FILTER_TEMPLATES = {SIDE_BAR: "admin/filter.html", FILTER_FORM: "django/forms/widgets/select.html"}


def piece(response, pattern: str) -> str:
    return re.search(pattern, response.content.decode(), re.S).group(0)


def side_bar(response) -> str:
    return piece(response, SIDE_BAR)


def filter_form(response) -> str:
    return piece(response, FILTER_FORM)


@pytest.mark.parametrize(
    ("url", "pattern", "town"),
    [
        (ADMIN_THEME_DAYS, SIDE_BAR, "甲街道团工委(A1)"),
        (ADMIN_THEME_DAYS + "?unit__id__exact={town}&o=-2", SIDE_BAR, "甲街道团工委(A1)"),
        (THEME_DAYS, FILTER_FORM, "\u3000\u3000甲街道团工委</option>"),
        (THEME_DAYS + "?q=青春&unit={town}&day_type=主题团日&page=2", FILTER_FORM, "\u3000\u3000甲街道团工委</option>"),
    ],
)
def test_a_second_look_at_a_list_draws_no_filter(login, cast, url, pattern, town):
    client = login(cast.admin_a)
    first, second = (client.get(url.format(town=cast.town_a.pk)) for _ in range(2))
    drew = [FILTER_TEMPLATES[pattern] in [template.name for template in page.templates] for page in (first, second)]
    assert drew == [True, False]
    assert piece(second, pattern) == piece(first, pattern) and town in piece(first, pattern)


def test_the_filter_side_bar_is_drawn_apart_for_each_scope_and_address(login, cast):
    assert "乙区团委(B)" in side_bar(login(cast.city_admin).get(ADMIN_THEME_DAYS))
    district_a = login(cast.admin_a)
    plain = side_bar(district_a.get(ADMIN_THEME_DAYS))
    assert "乙区团委" not in plain and "甲区团委(A)" in plain
    chosen = side_bar(district_a.get(f"{ADMIN_THEME_DAYS}?unit__id__exact={cast.town_a.pk}"))
    assert re.search(r'<li class="selected">\s*<a href="[^"]*">\u3000\u3000甲街道团工委', chosen)
    assert re.search(r'<li class="selected">\s*<a href="\?">全部', plain)
    assert side_bar(district_a.get(f"{ADMIN_THEME_DAYS}?o=-2")) != plain  # every link keeps the order


@pytest.mark.parametrize(
    ("url", "pattern", "entry"),
    [(ADMIN_THEME_DAYS, SIDE_BAR, "{name}({code})"), (THEME_DAYS, FILTER_FORM, "{name}</option>")],
)
def test_the_filters_follow_a_renamed_unit_and_a_move_above_the_users_unit(login, cast, url, pattern, entry):
    town_admin = make_user("admin_a1", cast.town_a, ADMIN)

    def shown() -> str:
        return piece(login(town_admin).get(url), pattern)

    def unit(depth: int, name: str, code: str) -> str:
        return "\u3000" * depth + entry.format(name=name, code=code)

    assert unit(2, "甲街道团工委", "A1") in shown()
    renamed = {"name": "甲镇团委", "parent": cast.district_a.pk, "unit_type": Unit.Type.TOWN, "code": "A1"}
    assert login(cast.city_admin).post(f"/admin/youthwork/unit/{cast.town_a.pk}/change/", renamed).status_code == 302
    now = shown()
    assert unit(2, "甲镇团委", "A1") in now and "甲街道团工委" not in now
    # District A moved under district B: the town's admin sees the same units (none of them saved), a level deeper.
    moved = {"name": "甲区团委", "parent": cast.district_b.pk, "unit_type": Unit.Type.DISTRICT, "code": "A"}
    assert login(cast.city_admin).post(f"/admin/youthwork/unit/{cast.district_a.pk}/change/", moved).status_code == 302
    now = shown()
    assert unit(3, "甲镇团委", "A1") in now and unit(4, "甲区第一小学", "A1S") in now


def test_the_filter_side_bars_quarters_follow_the_day(login, cast, monkeypatch):
    client = login(cast.admin_a)
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 12, 31))
    this_quarter = re.compile(r'<a href="\?date__gte=([\d-]+)&amp;date__lt=([\d-]+)">本季度</a>')
    assert this_quarter.search(side_bar(client.get(ADMIN_THEME_DAYS))).groups() == ("2026-10-01", "2027-01-01")
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2027, 1, 1))
    bar = side_bar(client.get(ADMIN_THEME_DAYS))
    assert this_quarter.search(bar).groups() == ("2027-01-01", "2027-04-01") and "2026年第三季度" in bar


def test_the_filter_form_is_drawn_apart_for_each_scope_address_and_who_may_search_names(login, cast):
    assert "乙区团委" in filter_form(login(cast.city_leader).get(THEME_DAYS))
    client = login(cast.clerk_a)
    plain = filter_form(client.get(THEME_DAYS))
    assert "乙区团委" not in plain and "甲区团委" in plain and not re.search(r'<option value="\d+" selected>', plain)
    chosen = filter_form(client.get(f"{THEME_DAYS}?unit={cast.town_a.pk}&q=<b>青春</b>"))
    assert f'<option value="{cast.town_a.pk}" selected>' in chosen and 'value="&lt;b&gt;青春&lt;/b&gt;"' in chosen
    wrong = filter_form(client.get(f"{THEME_DAYS}?date_from=2023-13-01"))
    assert "开始日期不是有效的日期" in wrong and "is-invalid" in wrong
    assert "is-invalid" not in filter_form(client.get(f"{THEME_DAYS}?date_from=2023-12-01"))
    # Who may read minors' names also searches them: the search box says which columns it searches.
    make_record(StudentAid, cast.district_a, student_name="王小明", school="甲区第一小学", aid_type="助学金")
    assert "学生姓名" in filter_form(login(cast.clerk_a).get("/ledgers/studentaid/"))
    assert "学生姓名" not in filter_form(login(cast.leader_a).get("/ledgers/studentaid/"))


# --- when the cache fails --------------------------------------------------------------------------


class BrokenCache(BaseCache):
    """A cache server that cannot be reached."""

    def __init__(self, location, params):
        super().__init__(params)

    def get_many(self, keys, version=None):
        raise ConnectionError("cache server down")

    def set_many(self, data, timeout=None, version=None):
        raise ConnectionError("cache server down")


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "tests.portal.test_figure_cache.BrokenCache"},
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_cache_table"},
    ],
    ids=["server-down", "table-missing"],
)
def test_a_failing_cache_only_costs_the_computing(login, cast, settings, backend):
    settings.CACHES = {"default": backend}
    make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4))
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    client = login(cast.admin_a)
    assert league_days(client) == "1"
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(f"/reports/{report.pk}/download/xlsx/").status_code == 200
    client.post("/ledgers/themeday/new/", theme_day_form(cast.school_a, date="2023-05-05"))
    assert league_days(client) == "2"


def test_the_cache_table_exists_after_migrate(db, settings):
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


# --- the charts, cached as drawn ----------------------------------------------------------------------


def test_the_charts_are_drawn_anew_after_a_write(warm, cast):
    make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4))
    assert "<title>5月 思想引领:1</title>" in warm.get(Q2).content.decode()
    warm.post("/ledgers/themeday/new/", theme_day_form(cast.school_a))
    page = warm.get(Q2).content.decode()
    assert "<title>5月 思想引领:2</title>" in page and "<title>5月 思想引领:1</title>" not in page


def test_an_upgrade_that_changes_the_chart_template_draws_the_charts_afresh(login, cast, settings, tmp_path):
    make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4))
    client = login(cast.admin_a)
    assert "upgraded-chart" not in client.get(Q2).content.decode()  # drawn and cached
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "_chart.html").write_text('<figure class="upgraded-chart">{{ chart.title }}</figure>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    figure_cache.code_version.cache_clear()  # a new process after the upgrade
    try:
        assert client.get(Q2).content.decode().count('<figure class="upgraded-chart">') >= 4
    finally:
        figure_cache.code_version.cache_clear()


def test_the_area_cards_are_cached_for_each_set_of_ledgers_a_user_may_view(login, cast):
    make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4))
    full = login(cast.admin_a).get(Q2).content.decode()  # cached with every ledger's links
    assert 'href="/ledgers/themeday/?' in full and figure(full, "league_days") == "1"
    # A user of the same district whose role may not view 主题团日: the same figures, none of its links.
    role = Group.objects.create(name="不看主题团日")
    role.permissions.set(Group.objects.get(name=ADMIN).permissions.exclude(codename="view_themeday"))
    narrow = make_user("narrow_a", cast.district_a, role="不看主题团日")
    page = login(narrow).get(Q2).content.decode()
    assert figure(page, "league_days") == "1"
    assert 'href="/ledgers/themeday/?' not in page  # neither the figure's link nor the card's footer
    assert 'href="/ledgers/themeday/?' in login(cast.admin_a).get(Q2).content.decode()

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from activities.models import Ceremony
from youthwork.areas import work_areas
from youthwork.ledgers import all_ledgers
from youthwork.models import PeriodLock, Unit, User, Venue

pytestmark = pytest.mark.django_db


def counts():
    return {
        "units": Unit.objects.count(),
        "venues": Venue.objects.count(),
        "users": User.objects.count(),
        **{ledger.name: ledger.model.objects.count() for ledger in all_ledgers()},
    }


def test_load_demo_twice_gives_the_same_counts():
    first_output = io.StringIO()
    call_command("load_demo", stdout=first_output)
    first = counts()
    second_output = io.StringIO()
    call_command("load_demo", stdout=second_output)
    assert counts() == first
    assert "网上团队课: 新增 0" in second_output.getvalue()
    # Every work area's ledger has demo rows (tests/extra_ledger, a ledger of the tests only, has none).
    areas = {area.label for area in work_areas()}
    assert all(first[ledger.name] > 0 for ledger in all_ledgers() if ledger.app_label in areas), first
    assert len(areas) == 3
    assert first["units"] == 25 and first["users"] == 3
    assert Venue.objects.filter(venue_type="希望家园").count() == 4


def test_demo_records_loaded_on_new_years_eve_span_the_whole_year_in_every_district():
    call_command("load_demo", "--today", "2023-12-31", stdout=io.StringIO())
    from activities.models import OnlineLesson

    months = {d.month for d in OnlineLesson.objects.dates("date", "month")}
    assert months == set(range(1, 13))
    for district in Unit.objects.filter(unit_type=Unit.Type.DISTRICT):
        assert OnlineLesson.objects.within(district).exists()


@pytest.mark.parametrize("username", ["admin", "staff", "leader"])
def test_demo_users_can_log_into_the_admin(client, username):
    call_command("load_demo", stdout=io.StringIO())
    assert client.login(username=username, password="youthwork-demo")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "思想引领" in response.content.decode()


def test_demo_staff_sees_only_their_district(client):
    call_command("load_demo", stdout=io.StringIO())
    client.login(username="staff", password="youthwork-demo")
    response = client.get("/admin/activities/onlinelesson/?all=")
    staff_unit = User.objects.get(username="staff").unit
    units = {record.unit for record in response.context["cl"].queryset}
    assert units and all(unit.path.startswith(staff_unit.path) for unit in units)


def test_the_admin_index_shows_every_ledger_under_its_work_area(client):
    call_command("load_demo", stdout=io.StringIO())
    client.login(username="admin", password="youthwork-demo")
    apps = {app["name"]: [m["name"] for m in app["models"]] for app in client.get("/admin/").context["app_list"]}
    for ledger in all_ledgers():
        assert ledger.name in apps[ledger.area]
    areas = ("思想引领", "关心关爱", "权益维护")  # all_ledgers() also has tests/extra_ledger's, under 测试台账
    assert sum(len(apps[area]) for area in areas) == sum(ledger.area in areas for ledger in all_ledgers()) == 15


def test_the_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_the_admin_lists_work_areas_and_ledgers_in_the_dictionarys_order(client):
    call_command("load_demo", stdout=io.StringIO())
    client.login(username="admin", password="youthwork-demo")
    app_list = client.get("/admin/").context["app_list"]
    names = [app["name"] for app in app_list]
    assert names[:5] == ["数据导入", "思想引领", "关心关爱", "权益维护", "工作报告"] and "组织与用户" in names
    assert [m["name"] for m in app_list[1]["models"]] == ["网上团队课", "主题团队日", "入团入队仪式", "辅导员技能竞赛"]


# --- load_demo --records: a city's year in bulk ----------------------------------------------------------


def bulk_counts() -> dict[str, int]:
    return {ledger.name: ledger.model.objects.count() for ledger in all_ledgers()}


def test_load_demo_records_adds_about_that_many_over_every_ledger_unit_and_month_of_the_year():
    call_command("load_demo", stdout=io.StringIO())
    before = bulk_counts()
    output = io.StringIO()
    call_command("load_demo", "--records", "500", "--year", "2024", stdout=output)
    after = bulk_counts()
    added = {sheet: after[sheet] - before[sheet] for sheet in after}
    assert 475 <= sum(added.values()) <= 500, added
    assert all(count > 0 for count in added.values()), added  # every ledger, the test-only one too
    assert "批量新增共" in output.getvalue()
    units_with_rows, months = set(), set()
    for ledger in all_ledgers():
        fresh = ledger.model.objects.filter(date__year=2024)
        units_with_rows |= set(fresh.values_list("unit_id", flat=True))
        months |= {day.month for day in fresh.dates("date", "month")}
    assert units_with_rows == set(Unit.objects.values_list("pk", flat=True))
    assert months == set(range(1, 13))
    # What a form checks: dates, counts, amounts, lengths, and each model's clean() (入团入队仪式 only for schools)
    for ledger in all_ledgers():
        for record in ledger.model.objects.filter(date__year=2024)[:40]:
            record._lock_check = lambda unit, date: None
            record.full_clean(validate_unique=False)
    assert not Ceremony.objects.exclude(unit__unit_type=Unit.Type.SCHOOL).exists()


def test_load_demo_records_twice_adds_more_without_a_key_collision():
    call_command("load_demo", "--records", "400", stdout=io.StringIO())
    first = sum(bulk_counts().values())
    call_command("load_demo", "--records", "400", stdout=io.StringIO())
    second = sum(bulk_counts().values())
    assert 380 <= second - first <= 400
    today = timezone.localdate()
    for ledger in all_ledgers():
        fresh = ledger.model.objects.filter(date__year=today.year)
        assert not fresh.filter(date__gt=today).exists()  # the current year only up to today
        key = ledger.key
        assert fresh.values(*key).distinct().count() == fresh.count()


def test_load_demo_records_refuses_a_year_after_this_one_in_chinese():
    with pytest.raises(CommandError, match="不能晚于今天"):
        call_command("load_demo", "--records", "10", "--year", str(timezone.localdate().year + 1), stdout=io.StringIO())


def test_load_demo_records_writes_nothing_into_a_locked_period():
    call_command("load_demo", stdout=io.StringIO())
    city = Unit.objects.get(parent__isnull=True)
    PeriodLock.objects.create(
        unit=city, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30), reason="已定稿", source=city
    )
    call_command("load_demo", "--records", "200", "--year", "2024", stdout=io.StringIO())
    for ledger in all_ledgers():
        assert not ledger.model.objects.filter(date__year=2024, date__month__lte=6).exists()
        assert ledger.model.objects.filter(date__year=2024, date__month__gt=6).exists()

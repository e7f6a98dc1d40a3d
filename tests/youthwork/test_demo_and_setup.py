import io

import pytest
from django.core.management import call_command

from youthwork.areas import work_areas
from youthwork.ledgers import all_ledgers
from youthwork.models import Unit, User, Venue

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


def test_demo_records_span_the_whole_year_in_every_district():
    call_command("load_demo", stdout=io.StringIO())
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
    assert sum(len(apps[area]) for area in areas) == sum(ledger.area in areas for ledger in all_ledgers()) == 14


def test_the_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_the_admin_lists_work_areas_and_ledgers_in_the_dictionarys_order(client):
    call_command("load_demo", stdout=io.StringIO())
    client.login(username="admin", password="youthwork-demo")
    app_list = client.get("/admin/").context["app_list"]
    assert [app["name"] for app in app_list][:5] == ["思想引领", "关心关爱", "权益维护", "工作报告", "组织与用户"]
    assert [m["name"] for m in app_list[0]["models"]] == ["网上团队课", "主题团队日", "入团入队仪式", "辅导员技能竞赛"]

"""Everyone sees and changes only their own unit and its descendants, in every admin page."""

import re

import pytest

from tests.factories import make_record, make_user, make_venue
from youthwork.ledgers import all_ledgers
from youthwork.models import User
from youthwork.roles import ADMIN, CLERK, LEADER

LEDGERS = all_ledgers()
ids = [ledger.name for ledger in LEDGERS]


def admin_url(ledger, suffix=""):
    return f"/admin/{ledger.app_label}/{ledger.slug}/{suffix}"


def unit_for(ledger, cast, side):
    """A unit of district A or B that may report this ledger (ceremonies need a school)."""
    return {"a": cast.school_a, "b": cast.school_b}[side]


def records_for(ledger, cast):
    mine = make_record(ledger.model, unit_for(ledger, cast, "a"))
    theirs = make_record(ledger.model, unit_for(ledger, cast, "b"))
    return mine, theirs


@pytest.mark.parametrize("ledger", LEDGERS, ids=ids)
def test_staff_sees_only_their_subtree_in_every_ledger_list(cast, login, ledger):
    mine, theirs = records_for(ledger, cast)
    response = login(cast.clerk_a).get(admin_url(ledger))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {mine}
    assert theirs not in shown


@pytest.mark.parametrize("ledger", LEDGERS, ids=ids)
def test_city_users_see_every_district(cast, login, ledger):
    mine, theirs = records_for(ledger, cast)
    response = login(cast.city_leader).get(admin_url(ledger))
    assert set(response.context["cl"].result_list) == {mine, theirs}


@pytest.mark.parametrize("ledger", LEDGERS, ids=ids)
def test_another_districts_record_is_a_404_to_open_change_or_delete(cast, login, ledger):
    _mine, theirs = records_for(ledger, cast)
    client = login(cast.admin_a)
    assert client.get(admin_url(ledger, f"{theirs.pk}/change/")).status_code == 404
    assert client.post(admin_url(ledger, f"{theirs.pk}/change/"), {}).status_code == 404
    assert client.get(admin_url(ledger, f"{theirs.pk}/delete/")).status_code == 404
    assert client.post(admin_url(ledger, f"{theirs.pk}/delete/"), {"post": "yes"}).status_code == 404
    assert client.get(admin_url(ledger, f"{theirs.pk}/history/")).status_code == 404
    assert ledger.model.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("ledger", LEDGERS, ids=ids)
def test_bulk_delete_action_cannot_reach_another_district(cast, login, ledger):
    mine, theirs = records_for(ledger, cast)
    client = login(cast.admin_a)
    client.post(
        admin_url(ledger),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert not ledger.model.objects.filter(pk=mine.pk).exists()
    assert ledger.model.objects.filter(pk=theirs.pk).exists()


def unit_options(html: str, field: str) -> set[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {field}"
    return {label.strip() for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select[1])}


def test_unit_and_venue_choices_offer_only_the_subtree(cast, login):
    make_venue(cast.town_a, "甲区希望家园")
    make_venue(cast.district_b, "乙区青年之家")
    client = login(cast.clerk_a)
    query = {"app_label": "activities", "model_name": "themeday", "field_name": "unit", "term": ""}
    found = {result["text"] for result in client.get("/admin/autocomplete/", query).json()["results"]}
    assert found == {"团市委 › 甲区团委(A)", "甲区团委 › 甲街道团工委(A1)", "甲街道团工委 › 甲区第一小学(A1S)"}
    html = client.get("/admin/activities/themeday/add/").content.decode()
    assert unit_options(html, "venue") == {"甲区希望家园"}


def test_a_forged_unit_outside_the_subtree_is_refused(cast, login):
    response = login(cast.clerk_a).post(
        "/admin/activities/onlinelesson/add/",
        {"unit": cast.school_b.pk, "date": "2023-05-04", "column": "青年大学习", "issue": "第1期", "participants": "5"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not response.context["adminform"].form.is_valid()


def test_saving_in_the_admin_records_who_created_and_changed_it(cast, login):
    client = login(cast.clerk_a)
    response = client.post(
        "/admin/activities/onlinelesson/add/",
        {"unit": cast.school_a.pk, "date": "2023-05-04", "column": "青年大学习", "issue": "第1期", "participants": "5"},
    )
    assert response.status_code == 302
    lesson = LEDGERS[0].model.objects.get()
    assert lesson.created_by == cast.clerk_a and lesson.updated_by == cast.clerk_a
    login(cast.admin_a).post(
        f"/admin/activities/onlinelesson/{lesson.pk}/change/",
        {"unit": cast.school_a.pk, "date": "2023-05-04", "column": "青年大学习", "issue": "第1期", "participants": "7"},
    )
    lesson.refresh_from_db()
    assert (lesson.participants, lesson.created_by, lesson.updated_by) == (7, cast.clerk_a, cast.admin_a)


def test_leaders_can_view_but_not_change_records(cast, login):
    record = make_record(LEDGERS[0].model, cast.school_a)
    client = login(cast.leader_a)
    assert client.get(admin_url(LEDGERS[0])).status_code == 200
    page = client.get(admin_url(LEDGERS[0], f"{record.pk}/change/"))
    assert page.status_code == 200 and 'name="participants"' not in page.content.decode()
    assert client.get(admin_url(LEDGERS[0], "add/")).status_code == 403


def test_student_names_are_masked_for_users_without_the_permission(cast, login):
    from assistance.models import StudentAid

    make_record(StudentAid, cast.district_a, student_name="王小明", school="甲区第一小学")
    leader_page = login(cast.leader_a).get("/admin/assistance/studentaid/").content.decode()
    assert "王**" in leader_page and "王小明" not in leader_page
    clerk_page = login(cast.clerk_a).get("/admin/assistance/studentaid/").content.decode()
    assert "王小明" in clerk_page


def test_unit_admin_lists_only_the_subtree_and_hides_other_units(cast, login):
    client = login(cast.admin_a)
    response = client.get("/admin/youthwork/unit/")
    assert {u.name for u in response.context["cl"].result_list} == {"甲区团委", "甲街道团工委", "甲区第一小学"}
    assert client.get(f"/admin/youthwork/unit/{cast.district_b.pk}/change/").status_code == 404


def test_a_district_admin_can_edit_its_own_unit_without_moving_it(cast, login):
    client = login(cast.admin_a)
    response = client.post(
        f"/admin/youthwork/unit/{cast.district_a.pk}/change/",
        {"name": "甲区团委(新)", "unit_type": "区县团委", "code": "A"},
    )
    assert response.status_code == 302
    cast.district_a.refresh_from_db()
    assert (cast.district_a.name, cast.district_a.parent) == ("甲区团委(新)", cast.city)


def test_a_district_admin_cannot_create_a_unit_outside_its_subtree(cast, login):
    response = login(cast.admin_a).post(
        "/admin/youthwork/unit/add/", {"name": "新单位", "unit_type": "社区", "parent": cast.district_b.pk}
    )
    assert response.status_code == 200
    assert not response.context["adminform"].form.is_valid()
    response = login(cast.admin_a).post("/admin/youthwork/unit/add/", {"name": "新根", "unit_type": "其他"})
    assert not response.context["adminform"].form.is_valid()


def test_a_district_admin_manages_only_users_of_its_district(cast, login):
    client = login(cast.admin_a)
    listed = {u.username for u in client.get("/admin/youthwork/user/").context["cl"].result_list}
    assert listed == {"admin_a", "clerk_a", "leader_a"}
    assert client.get(f"/admin/youthwork/user/{cast.clerk_b.pk}/change/").status_code == 404


def test_a_district_admin_cannot_create_a_user_in_another_district(cast, login):
    from django.contrib.auth.models import Group

    response = login(cast.admin_a).post(
        "/admin/youthwork/user/add/",
        {
            "username": "intruder",
            "unit": cast.district_b.pk,
            "groups": [Group.objects.get(name=CLERK).pk],
            "password1": "Secret-pass-123",
            "password2": "Secret-pass-123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="intruder").exists()


def test_a_district_admin_cannot_make_a_superuser_nor_grant_a_role_it_lacks(cast, login):
    from django.contrib.auth.models import Group

    client = login(cast.admin_a)
    page = client.get("/admin/youthwork/user/add/").content.decode()
    assert "is_superuser" not in page
    response = client.post(
        "/admin/youthwork/user/add/",
        {
            "username": "newclerk",
            "unit": cast.town_a.pk,
            "groups": [Group.objects.get(name=LEADER).pk],
            "password1": "Secret-pass-123",
            "password2": "Secret-pass-123",
            "usable_password": "true",
        },
    )
    assert not User.objects.filter(username="newclerk").exists()
    assert response.status_code == 200
    response = client.post(
        "/admin/youthwork/user/add/",
        {
            "username": "newadmin",
            "unit": cast.town_a.pk,
            "groups": [Group.objects.get(name=ADMIN).pk],
            "password1": "Secret-pass-123",
            "password2": "Secret-pass-123",
            "usable_password": "true",
            "is_superuser": "on",
        },
    )
    created = User.objects.get(username="newadmin")
    assert not created.is_superuser and created.unit == cast.town_a
    change = client.post(
        f"/admin/youthwork/user/{created.pk}/change/",
        {
            "username": "newadmin",
            "unit": cast.town_a.pk,
            "groups": [Group.objects.get(name=ADMIN).pk],
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2023-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert change.status_code == 302
    created.refresh_from_db()
    assert not created.is_superuser


def test_clerks_cannot_manage_users_or_units(cast, login):
    client = login(cast.clerk_a)
    assert client.get("/admin/youthwork/user/").status_code == 403
    assert client.get("/admin/youthwork/unit/add/").status_code == 403
    assert client.get("/admin/youthwork/unit/").status_code == 200


def test_a_user_of_no_unit_sees_nothing(cast, login):
    record = make_record(LEDGERS[0].model, cast.school_a)
    drifter = make_user("drifter", None, CLERK)
    response = login(drifter).get(admin_url(LEDGERS[0]))
    assert list(response.context["cl"].result_list) == []
    assert login(drifter).get(admin_url(LEDGERS[0], f"{record.pk}/change/")).status_code == 404


def test_multi_choice_columns_are_checkboxes_in_the_admin_and_save(cast, login):
    from activities.models import CounsellorContest

    contest = make_record(CounsellorContest, cast.school_a, formats=["现场答题"])
    client = login(cast.admin_a)
    url = admin_url(CounsellorContest.ledger, f"{contest.pk}/change/")
    assert 'type="checkbox" name="formats" value="现场答题"' in client.get(url).content.decode()
    data = {"unit": cast.school_a.pk, "date": "2023-05-04", "name": contest.name, "contestants": "8"}
    response = client.post(url, {**data, "formats": ["情景答辩", "现场答题"]})
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.formats == ["现场答题", "情景答辩"]

"""Who may delete a ledger record: one rule (youthwork.access.delete_refusal) in the portal and the admin.

A 录入员 takes back a record they entered for their own unit while its period is open; anything else
is for the 管理员 above, and the refusal says so.
"""

import datetime as dt
import re

import pytest

from activities.models import ThemeDay
from reports.models import WorkReport
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def entered_by(user, unit, **fields):
    """A record the user entered (created_by), as the portal and the admin record it."""
    return make_record(ThemeDay, unit, created_by=user, **fields)


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_a_clerk_deletes_a_record_they_entered_for_their_own_unit(login, cast):
    record = entered_by(cast.clerk_a, cast.district_a)
    client = login(cast.clerk_a)
    assert f"/ledgers/themeday/{record.pk}/delete/" in client.get(f"/ledgers/themeday/{record.pk}/").content.decode()
    response = client.post(f"/ledgers/themeday/{record.pk}/delete/", follow=True)
    assert "已删除“主题团队日”记录" in text_of(response)
    assert not ThemeDay.objects.exists()


@pytest.mark.parametrize(
    ("who", "unit", "reason"),
    [
        ("admin_a", "district_a", "录入员只能删除自己录入的记录"),
        ("clerk_a", "school_a", "录入员只能删除本单位(甲区团委)的记录"),
    ],
    ids=["entered-by-someone-else", "entered-for-a-lower-unit"],
)
def test_a_clerk_is_told_that_only_a_higher_admin_may_delete_other_records(login, cast, who, unit, reason):
    record = entered_by(getattr(cast, who), getattr(cast, unit))
    client = login(cast.clerk_a)
    assert "/delete/" not in client.get(f"/ledgers/themeday/{record.pk}/").content.decode()
    response = client.post(f"/ledgers/themeday/{record.pk}/delete/")
    assert response.status_code == 403
    assert f"只有上级管理员可以删除这条记录:{reason}" in text_of(response)
    assert ThemeDay.objects.filter(pk=record.pk).exists()


def test_a_clerk_cannot_delete_their_own_record_once_its_period_is_final(login, cast):
    record = entered_by(cast.clerk_a, cast.district_a, date=dt.date(2023, 5, 4))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    response = login(cast.clerk_a).post(f"/ledgers/themeday/{record.pk}/delete/")
    assert "已定稿" in text_of(response)
    assert ThemeDay.objects.filter(pk=record.pk).exists()


def test_a_leader_still_may_not_delete(login, cast):
    record = entered_by(cast.leader_a, cast.district_a)
    response = login(cast.leader_a).post(f"/ledgers/themeday/{record.pk}/delete/")
    assert response.status_code == 403
    assert "您没有删除“主题团队日”记录的权限" in text_of(response)
    assert ThemeDay.objects.exists()


def test_the_admin_applies_the_same_rule_to_a_clerk(login, cast):
    own = entered_by(cast.clerk_a, cast.district_a)
    other = entered_by(cast.admin_a, cast.district_a)
    client = login(cast.clerk_a)
    assert client.post(f"/admin/activities/themeday/{other.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/activities/themeday/{own.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(ThemeDay.objects.all()) == [other]


def test_the_admins_bulk_delete_does_not_let_a_clerk_take_others_records_along(login, cast):
    own = entered_by(cast.clerk_a, cast.district_a)
    other = entered_by(cast.admin_a, cast.district_a)
    login(cast.clerk_a).post(
        "/admin/activities/themeday/",
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert ThemeDay.objects.filter(pk=other.pk).exists()


def test_a_district_admin_deletes_any_open_record_of_the_district(login, cast):
    record = entered_by(cast.clerk_a, cast.school_a)
    assert (
        login(cast.admin_a).post(f"/admin/activities/themeday/{record.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    assert not ThemeDay.objects.exists()

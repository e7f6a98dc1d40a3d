"""Who changed a record stays known: a user whom records name is deactivated, never deleted (issue 8 §4)."""

import datetime as dt

from activities.models import OnlineLesson
from tests.factories import make_user
from youthwork.models import User

LESSON = {"date": "2023-05-04", "column": "青年大学习", "issue": "第1期", "participants": "5", "note": ""}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_deleting_a_clerk_who_entered_a_record_deactivates_them_and_the_history_still_names_them(cast, login):
    login(cast.clerk_a).post("/ledgers/onlinelesson/new/", {**LESSON, "unit": cast.district_a.pk})
    record = OnlineLesson.objects.get()
    response = login(cast.admin_a).post(
        f"/admin/youthwork/user/{cast.clerk_a.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert any("已停用而没有删除" in text and "clerk_a" in text for text in messages_of(response))
    clerk = User.objects.get(pk=cast.clerk_a.pk)
    assert not clerk.is_active
    assert record.history.get().history_user == clerk
    record.refresh_from_db()
    assert record.created_by == clerk and record.updated_by == clerk


def test_a_user_who_changed_a_unit_is_kept_too(cast, login):
    client = login(cast.admin_a)
    client.post(
        f"/admin/youthwork/unit/{cast.school_a.pk}/change/",
        {"name": "甲区第一小学(新校区)", "parent": cast.town_a.pk, "unit_type": "学校", "code": "A1S"},
    )
    login(cast.superuser).post(f"/admin/youthwork/user/{cast.admin_a.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=cast.admin_a.pk, is_active=False).exists()


def test_an_account_no_record_names_may_still_be_deleted(cast, login):
    mistake = make_user("typo_account", cast.district_a)
    response = login(cast.admin_a).post(f"/admin/youthwork/user/{mistake.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_the_bulk_delete_action_deactivates_authors_and_deletes_the_rest_saying_which(cast, login):
    login(cast.clerk_a).post("/ledgers/onlinelesson/new/", {**LESSON, "unit": cast.district_a.pk})
    mistake = make_user("typo_account", cast.district_a)
    client = login(cast.admin_a)
    confirm = client.post(
        "/admin/youthwork/user/", {"action": "delete_selected", "_selected_action": [cast.clerk_a.pk, mistake.pk]}
    )
    assert confirm.status_code == 200 and "typo_account" in confirm.content.decode()  # asks first
    assert User.objects.filter(pk=mistake.pk).exists()
    response = client.post(
        "/admin/youthwork/user/",
        {"action": "delete_selected", "_selected_action": [cast.clerk_a.pk, mistake.pk], "post": "yes"},
        follow=True,
    )
    texts = messages_of(response)
    assert any("clerk_a" in text and "已停用" in text for text in texts)
    assert any("typo_account" in text and "已删除" in text for text in texts)
    assert User.objects.filter(pk=cast.clerk_a.pk, is_active=False).exists()
    assert not User.objects.filter(pk=mistake.pk).exists()
    assert OnlineLesson.objects.get().created_by_id == cast.clerk_a.pk


def test_a_deactivated_clerk_can_no_longer_log_in(cast, client, login):
    login(cast.clerk_a).post("/ledgers/onlinelesson/new/", {**LESSON, "unit": cast.district_a.pk})
    login(cast.admin_a).post(f"/admin/youthwork/user/{cast.clerk_a.pk}/delete/", {"post": "yes"})
    client.logout()
    assert not client.login(username="clerk_a", password="pw-for-tests-1")
    assert dt.date(2023, 5, 4) == OnlineLesson.objects.get().date

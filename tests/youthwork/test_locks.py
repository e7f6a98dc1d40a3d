"""A final report locks its period and scope against changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities.models import OnlineLesson
from reports.models import WorkReport
from tests.factories import build_record, make_record


@pytest.fixture
def final_report(cast):
    return WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)


def test_a_record_in_a_final_reports_period_and_scope_cannot_be_added(cast, final_report):
    record = build_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert "已定稿" in caught.value.messages[0] and "甲区团委2023年第二季度" in caught.value.messages[0]


def test_records_outside_the_period_or_the_scope_stay_open(cast, final_report):
    build_record(OnlineLesson, cast.school_a, dt.date(2023, 7, 1)).full_clean()
    build_record(OnlineLesson, cast.school_b, dt.date(2023, 5, 4)).full_clean()


def test_a_record_cannot_be_moved_out_of_a_locked_period(cast):
    record = make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    record.date = dt.date(2023, 7, 1)
    with pytest.raises(ValidationError):
        record.full_clean()


def test_the_admin_shows_locked_records_read_only_and_refuses_to_delete_them(cast, login):
    record = make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    client = login(cast.admin_a)
    page = client.get(f"/admin/activities/onlinelesson/{record.pk}/change/")
    assert page.status_code == 200 and 'name="participants"' not in page.content.decode()
    assert client.get(f"/admin/activities/onlinelesson/{record.pk}/delete/").status_code == 403
    client.post(
        "/admin/activities/onlinelesson/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
        follow=True,
    )
    assert OnlineLesson.objects.filter(pk=record.pk).exists()


def test_a_draft_report_locks_nothing(cast):
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    build_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4)).full_clean()

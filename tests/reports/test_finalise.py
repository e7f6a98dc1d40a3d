"""定稿 freezes the figures and the files and locks the period's records; 退回 by the city undoes it."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from activities.models import OnlineLesson
from reports.models import WorkReport
from tests.factories import make_record


def download(client, report, fmt):
    response = client.get(f"/reports/{report.pk}/download/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def final(town):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    report.finalise(town.city_leader)
    return report


def test_finalising_stores_figures_document_and_files(town, final):
    stored = WorkReport.objects.get(pk=final.pk)
    assert stored.status == "定稿" and stored.finalised_by == town.city_leader and stored.finalised_at
    assert stored.frozen_figures["activities"]["lesson_participants_ytd"] == 3500
    assert stored.frozen_figures["assistance"]["funds_ytd"] == "352380.50"
    assert json.dumps(stored.frozen_document) and bytes(stored.frozen_docx)[:2] == b"PK"
    assert bytes(stored.frozen_xlsx)[:2] == b"PK"


def test_downloads_stay_the_same_bytes_after_the_data_changes(town, login, final):
    client = login(town.city_leader)
    word, annex = download(client, final, "docx"), download(client, final, "xlsx")
    # 今年以来 figures of a Q2 report read Q1 records too, which the Q2 lock leaves open
    make_record(OnlineLesson, town.school_b, dt.date(2023, 2, 1), issue="补录", participants=7777)
    assert download(client, final, "docx") == word and download(client, final, "xlsx") == annex
    page = client.get(f"/reports/{final.pk}/").content.decode()
    assert "3500人次" in page and "11277人次" not in page  # the preview shows the frozen text


def test_a_draft_follows_the_data(town, login):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    client = login(town.city_leader)
    assert "3500人次" in client.get(f"/reports/{report.pk}/").content.decode()
    make_record(OnlineLesson, town.school_b, dt.date(2023, 2, 1), issue="补录", participants=7777)
    assert "1.13万人次" in client.get(f"/reports/{report.pk}/").content.decode()


def test_records_of_the_period_and_scope_are_locked_with_a_message_naming_the_report(town, final):
    record = OnlineLesson(unit=town.school_a, date=dt.date(2023, 5, 5), column="青年大学习", issue="新", participants=1)
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert "团市委2023年第二季度" in caught.value.messages[0] and "已定稿" in caught.value.messages[0]
    OnlineLesson(
        unit=town.school_a, date=dt.date(2023, 7, 5), column="青年大学习", issue="新", participants=1
    ).full_clean()


def test_the_admin_refuses_to_change_add_or_delete_locked_records(town, login, final):
    record = OnlineLesson.objects.get(unit=town.town_a, date=dt.date(2023, 4, 1))
    client = login(town.city_admin)
    change = f"/admin/activities/onlinelesson/{record.pk}/change/"
    assert 'name="participants"' not in client.get(change).content.decode()  # read-only
    assert client.post(change, {"participants": 1}).status_code == 403
    assert client.get(f"/admin/activities/onlinelesson/{record.pk}/delete/").status_code == 403
    added = client.post(
        "/admin/activities/onlinelesson/add/",
        {"unit": town.school_a.pk, "date": "2023-06-01", "column": "青年大学习", "issue": "新", "participants": 5},
    )
    assert added.status_code == 200 and "团市委2023年第二季度" in added.content.decode()
    assert not OnlineLesson.objects.filter(issue="新").exists()


def test_a_district_report_locks_that_district_only(town, login):
    WorkReport.objects.create(unit=town.district_a, period_code="2023Q2").finalise(town.leader_a)
    locked = OnlineLesson(unit=town.school_a, date=dt.date(2023, 5, 5), column="其他", issue="甲", participants=1)
    with pytest.raises(ValidationError):
        locked.full_clean()
    OnlineLesson(unit=town.school_b, date=dt.date(2023, 5, 5), column="其他", issue="乙", participants=1).full_clean()


def test_reopening_unlocks_the_records(town, login, final):
    response = login(town.city_admin).post(f"/reports/{final.pk}/reopen/")
    assert response.status_code == 302
    OnlineLesson(unit=town.school_a, date=dt.date(2023, 5, 5), column="其他", issue="新", participants=1).full_clean()
    final.refresh_from_db()
    assert final.status == "草稿" and final.frozen_docx is None and final.finalised_by is None


def test_a_final_report_cannot_be_edited(town, login, final):
    client = login(town.city_leader)
    response = client.post(f"/reports/{final.pk}/edit/", {"title": "改标题"}, follow=True)
    assert "已定稿,不能修改" in response.content.decode()
    final.refresh_from_db()
    assert final.title == WorkReport.DEFAULT_TITLE


def test_a_locked_record_links_to_the_report_that_locks_it_for_those_who_may_open_it(town, login, final):
    record = OnlineLesson.objects.get(unit=town.town_a, date=dt.date(2023, 4, 1))
    link = f'href="/reports/{final.pk}/"'
    for path in (f"/ledgers/onlinelesson/{record.pk}/", f"/ledgers/onlinelesson/{record.pk}/edit/"):
        page = login(town.city_admin).get(path).content.decode()
        assert "已定稿" in page and link in page and "查看该工作报告" in page
    # The district's users read the message but may not open the city's report; clerks have no reports.
    for user in (town.admin_a, town.clerk_a):
        page = login(user).get(f"/ledgers/onlinelesson/{record.pk}/").content.decode()
        assert "已定稿" in page and link not in page

"""Period locks belong to their owners: a final report holds one, another owner (a submission) its own.

The core (youthwork) checks the locks and writes every ledger record through youthwork.actions; it never
reads a report, so anything that freezes a period locks the portal, the admin and the import alike.
"""

import datetime as dt
import html
import importlib

import pytest
from django.apps import apps

from activities.models import OnlineLesson, ThemeDay
from reports.models import WorkReport
from tests.factories import make_record, theme_day_form
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import PeriodLock

# A submission's refusal, as issue 11 will word it; its owner here is a stand-in (the district unit itself).
SUBMITTED = (
    "“甲区团委2023年第二季度团员数据”已报送,2023-04-01至2023-06-30的记录不能再修改;如需修改请联系市级管理员退回报送"
)


@pytest.fixture
def lesson(cast):
    """A record of the quarter, entered before the quarter was locked."""
    return make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4), column="其他", issue="甲", participants=1)


@pytest.fixture
def submitted(cast, lesson):
    return PeriodLock.objects.create(
        unit=cast.district_a,
        start=dt.date(2023, 4, 1),
        end=dt.date(2023, 6, 30),
        reason=SUBMITTED,
        source=cast.district_a,
    )


# The district's towns have not had their quarter approved (issue 11): 定稿 is confirmed.
CONFIRMED = {"confirm_unapproved": "1"}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_finalising_a_report_creates_exactly_one_period_lock_and_reopening_removes_it(cast, login):
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    client = login(cast.city_admin)
    assert client.post(f"/reports/{report.pk}/finalise/", CONFIRMED).status_code == 302
    client.post(f"/reports/{report.pk}/finalise/", CONFIRMED)  # a second click finalises nothing twice
    lock = PeriodLock.objects.get()
    assert (lock.source, lock.unit, lock.start, lock.end) == (
        report,
        cast.district_a,
        dt.date(2023, 4, 1),
        dt.date(2023, 6, 30),
    )
    assert lock.reason.startswith(f"“{report}”已定稿,2023-04-01至2023-06-30的记录不能再修改")
    assert client.post(f"/reports/{report.pk}/reopen/").status_code == 302
    assert not PeriodLock.objects.exists()
    assert client.post("/ledgers/themeday/new/", theme_day_form(cast.school_a)).status_code == 302


def test_a_draft_report_and_a_report_of_another_period_hold_no_lock_over_the_record(cast, login):
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q3", status=WorkReport.Status.FINAL)
    assert PeriodLock.objects.count() == 1
    response = login(cast.clerk_a).post("/ledgers/themeday/new/", theme_day_form(cast.school_a))
    assert response.status_code == 302 and ThemeDay.objects.count() == 1


def test_a_report_final_before_the_upgrade_gets_its_lock_from_the_migration_and_loses_it_on_reversal(cast):
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    PeriodLock.objects.all().delete()  # as on a database finalised before PeriodLock existed
    migration = importlib.import_module("reports.migrations.0004_period_locks_of_final_reports")
    migration.lock_final_reports(apps, None)
    migration.lock_final_reports(apps, None)  # run twice (a migration retried): still one lock
    lock = PeriodLock.objects.get()
    assert lock.source == report and lock.reason == report.lock_reason
    migration.unlock_reports(apps, None)
    assert not PeriodLock.objects.exists()


def test_a_record_locked_by_another_owner_is_read_only_in_the_portal_with_that_owners_reason(
    cast, login, lesson, submitted
):
    record = lesson
    client = login(cast.admin_a)
    page = page_text(client.get(f"/ledgers/onlinelesson/{record.pk}/edit/"))
    assert SUBMITTED in page and "查看该" not in page  # the owner has no page to link to
    client.post(
        f"/ledgers/onlinelesson/{record.pk}/edit/",
        {"unit": cast.school_a.pk, "date": "2023-05-04", "column": "其他", "issue": "乙", "participants": 2},
    )
    client.post(f"/ledgers/onlinelesson/{record.pk}/delete/")
    record.refresh_from_db()
    assert (record.issue, record.participants) == ("甲", 1)
    response = client.post("/ledgers/themeday/new/", theme_day_form(cast.school_a))
    assert SUBMITTED in page_text(response) and not ThemeDay.objects.exists()


def test_a_record_locked_by_another_owner_cannot_be_changed_added_or_deleted_in_the_admin(
    cast, login, lesson, submitted
):
    record = lesson
    client = login(cast.admin_a)
    page = client.get(f"/admin/activities/onlinelesson/{record.pk}/change/")
    assert page.status_code == 200 and 'name="participants"' not in page.content.decode()
    assert client.get(f"/admin/activities/onlinelesson/{record.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/activities/onlinelesson/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert response.status_code == 403 and OnlineLesson.objects.filter(pk=record.pk).exists()
    added = client.post(
        "/admin/activities/onlinelesson/add/",
        {
            "unit": cast.school_a.pk,
            "date": "2023-05-05",
            "column": "其他",
            "issue": "新",
            "participants": 3,
            "note": "",
        },
    )
    assert SUBMITTED in page_text(added) and OnlineLesson.objects.count() == 1


def test_a_row_in_a_period_locked_by_another_owner_is_an_import_error_with_that_owners_reason(
    cast, tmp_path, submitted
):
    row = ["A1S", "2023-05-04", "其他", "乙", 1, ""]
    code, out, err = run_import(save(tmp_path, xlsx({"网上团队课": [header("网上团队课"), row]})))
    assert code == 1 and "没有写入任何数据" in err
    assert f"工作表 网上团队课 第2行 日期: {SUBMITTED}" in out and OnlineLesson.objects.count() == 1


def test_who_wrote_a_record_is_kept_in_its_fields_and_history_whichever_way_it_was_written(cast, login):
    client = login(cast.admin_a)
    assert client.post("/ledgers/themeday/new/", theme_day_form(cast.school_a)).status_code == 302
    record = ThemeDay.objects.get()
    assert record.created_by == record.updated_by == cast.admin_a
    assert record.history.get().history_user == cast.admin_a
    city = login(cast.city_admin)
    city.post(
        "/admin/activities/themeday/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert not ThemeDay.objects.exists()
    deleted = ThemeDay.history.get(history_type="-")
    assert deleted.history_user == cast.city_admin

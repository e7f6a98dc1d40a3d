"""报送情况, the dashboard's box, the report's note before 定稿, and the reminders."""

import datetime as dt
import re

from django.core.management import call_command
from django.utils import timezone

from reports.models import WorkReport
from submissions.models import Submission
from tests.factories import make_user
from tests.submissions.conftest import QUARTER, move, page_text
from youthwork.periods import Period
from youthwork.roles import ADMIN


def rows(page: str) -> dict[str, str]:
    """{unit name: state} of the 报送情况 table."""
    found = re.findall(r'<tr data-unit="\d+" data-state="([^"]+)">\s*<th scope="row"><a [^>]*>([^<]+)</a>', page)
    return {name: state for state, name in found}


def test_the_page_lists_the_child_units_with_their_states_and_filters_by_state(town, login):
    move(login(town.admin_a), town.district_a, "submit")
    move(login(town.clerk_b), town.district_b, "submit", no_records="1")
    move(login(town.city_admin), town.district_b, "approve")
    client = login(town.city_admin)
    page = page_text(client.get(f"/submissions/?period={QUARTER}"))
    assert rows(page) == {"甲区团委": "已报送", "乙区团委": "已通过"}
    assert "本季度无台账记录" in page
    assert rows(page_text(client.get(f"/submissions/?period={QUARTER}&state=已通过"))) == {"乙区团委": "已通过"}
    # Submitted years after the deadline: both are 逾期.
    assert rows(page_text(client.get(f"/submissions/?period={QUARTER}&state=逾期"))) == {
        "甲区团委": "已报送",
        "乙区团委": "已通过",
    }


def test_a_district_sees_its_own_row_and_its_towns_and_a_unit_row_opens_its_quarter(town, login):
    client = login(town.admin_a)
    page = page_text(client.get(f"/submissions/?period={QUARTER}"))
    assert rows(page) == {"甲区团委": "未报送", "甲街道团工委": "未报送"}
    detail = page_text(client.get(f"/submissions/{town.town_a.pk}/{QUARTER}/"))
    assert "甲街道团工委2023年第二季度" in detail
    assert f"/ledgers/onlinelesson/?unit={town.town_a.pk}&date_from=2023-04-01&date_to=2023-06-30" in detail


def test_a_submission_on_time_is_not_late_and_an_unsubmitted_quarter_past_its_deadline_is(town, login, settings):
    settings.SUBMISSION_DEADLINE_DAYS = 365 * 100
    move(login(town.admin_a), town.district_a, "submit")
    client = login(town.city_admin)
    assert rows(page_text(client.get(f"/submissions/?period={QUARTER}&state=逾期"))) == {}
    settings.SUBMISSION_DEADLINE_DAYS = 10
    assert rows(page_text(client.get(f"/submissions/?period={QUARTER}&state=逾期"))) == {
        "甲区团委": "已报送",
        "乙区团委": "未报送",
    }


def test_the_page_defaults_to_the_last_finished_quarter_and_explains_a_wrong_period(town, login):
    client = login(town.city_admin)
    last = Period.last_finished_quarter(timezone.localdate())
    assert f"{last.label}报送情况" in page_text(client.get("/submissions/"))
    page = page_text(client.get("/submissions/?period=2023H1"))
    assert "报送按季度进行" in page and f"{last.label}报送情况" in page


def test_the_dashboard_shows_the_shares_submitted_on_time_and_approved(town, login, settings):
    settings.SUBMISSION_DEADLINE_DAYS = 365 * 100
    move(login(town.admin_a), town.district_a, "submit")
    move(login(town.clerk_b), town.district_b, "submit", no_records="1")
    move(login(town.city_admin), town.district_b, "approve")
    Submission.objects.filter(unit=town.district_b).update(first_submitted_at=timezone.now().replace(year=2150))
    page = page_text(login(town.city_leader).get(f"/?period={QUARTER}"))
    box = page[page.index('id="submission-box"') :]
    assert "待报送" not in page
    shares = dict(re.findall(r'data-share="(\w+)">.*?<strong>(\d+)%</strong>', box, re.S))
    assert shares == {"submitted": "100", "on_time": "50", "approved": "50"}


def test_the_dashboard_reminds_a_clerk_of_the_unsubmitted_quarter_and_an_admin_of_waiting_reviews(
    town, login, settings
):
    settings.SUBMISSION_DEADLINE_DAYS = 0  # reminders run from 5 days before: always, for the last finished quarter
    last = Period.last_finished_quarter(timezone.localdate())
    page = page_text(login(town.town_clerk).get("/"))
    assert f"甲街道团工委{last.label}的数据尚未报送,已逾期" in page
    move(login(town.town_clerk), town.town_a, "submit", code=last.code, no_records="1")
    page = page_text(login(town.admin_a).get("/"))
    assert f"{last.label}有1个下级单位的报送等待审核:甲街道团工委" in page


def test_send_reminders_mails_unsubmitted_units_users_and_the_reviewers_of_waiting_ones(
    town, login, settings, mailoutbox, capsys
):
    settings.SUBMISSION_DEADLINE_DAYS = 0
    last = Period.last_finished_quarter(timezone.localdate())
    for user, email in (
        (town.town_clerk, "town@example.cn"),
        (town.admin_a, "a@example.cn"),
        (town.clerk_b, "b@example.cn"),
    ):
        user.email = email
        user.save()
    make_user("other_admin", town.district_b, ADMIN, email="")  # no address: not mailed
    move(login(town.town_clerk), town.town_a, "submit", code=last.code, no_records="1")

    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "共2封提醒邮件(未发送)" in out and not mailoutbox
    call_command("send_reminders")
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {"a@example.cn", "b@example.cn"}  # the town submitted: its clerk is not reminded
    assert "甲区团委" in mails["a@example.cn"].body and "等待审核:甲街道团工委" in mails["a@example.cn"].body
    assert f"乙区团委{last.label}的数据尚未报送" in mails["b@example.cn"].body
    assert mails["b@example.cn"].subject == "报送审核提醒:请按时报送季度数据"


def test_reminders_to_submit_start_five_days_before_the_deadline(town, settings, mailoutbox):
    town.clerk_b.email = "b@example.cn"
    town.clerk_b.save()
    today = timezone.localdate()
    last = Period.last_finished_quarter(today)
    settings.SUBMISSION_DEADLINE_DAYS = (today - last.end).days + 6  # the deadline is 6 days away
    call_command("send_reminders")
    assert not mailoutbox
    settings.SUBMISSION_DEADLINE_DAYS -= 1  # 5 days away
    call_command("send_reminders")
    assert [mail.to for mail in mailoutbox] == [["b@example.cn"]]


def test_the_report_says_which_units_are_not_approved_and_finalising_asks_to_confirm(town, login):
    move(login(town.clerk_b), town.district_b, "submit", no_records="1")
    move(login(town.city_admin), town.district_b, "approve")
    client = login(town.city_admin)
    draft = page_text(client.get(f"/reports/draft/?period={QUARTER}&unit={town.city.pk}"))
    note = draft[draft.index('id="unapproved-units"') :]
    assert "以下单位数据尚未审核通过" in note and "甲区团委" in note[: note.index("</div>")]
    assert "乙区团委" not in note[: note.index("</div>")]
    report = WorkReport.objects.create(unit=town.city, period_code=QUARTER)
    refused = page_text(client.post(f"/reports/{report.pk}/finalise/", follow=True))
    assert "以下单位数据尚未审核通过:甲区团委。如仍要定稿" in refused and "仍然定稿" in refused
    report.refresh_from_db()
    assert not report.is_final
    client.post(f"/reports/{report.pk}/finalise/", {"confirm_unapproved": "1"})
    report.refresh_from_db()
    assert report.is_final


def test_a_report_whose_units_are_all_approved_is_finalised_without_a_question(town, login):
    for unit, clerk in ((town.district_a, town.admin_a), (town.district_b, town.clerk_b)):
        move(login(clerk), unit, "submit", no_records="1")
        move(login(town.city_admin), unit, "approve")
    report = WorkReport.objects.create(unit=town.city, period_code=QUARTER)
    page = page_text(login(town.city_admin).get(f"/reports/{report.pk}/"))
    assert "以下单位数据尚未审核通过" not in page
    login(town.city_admin).post(f"/reports/{report.pk}/finalise/")
    report.refresh_from_db()
    assert report.is_final and dt.date(2023, 6, 30) == report.period_end

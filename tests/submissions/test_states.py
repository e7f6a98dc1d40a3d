"""The states of a unit's quarter: who may submit, withdraw, approve and return, and what each move locks."""

import datetime as dt

from activities.models import OnlineLesson, ThemeDay
from submissions.models import Submission, SubmissionEvent
from tests.factories import theme_day_form
from tests.importing.workbooks import header, run_import, save, xlsx
from tests.submissions.conftest import QUARTER, move, page_text
from youthwork.models import PeriodLock


def state(unit):
    found = Submission.objects.filter(unit=unit, period_code=QUARTER).first()
    return found.state if found else "未报送"


def test_a_clerk_submits_the_towns_quarter_and_the_district_admin_approves_it(town, login):
    response = move(login(town.town_clerk), town.town_a, "submit")
    assert "报送成功,当前状态为已报送" in page_text(response)
    assert state(town.town_a) == "已报送"
    response = move(login(town.admin_a), town.town_a, "approve")
    assert "审核通过成功,当前状态为已通过" in page_text(response)
    submission = Submission.objects.get()
    assert (submission.state, submission.submitted_by, submission.reviewed_by) == (
        "已通过",
        town.town_clerk,
        town.admin_a,
    )


def test_a_town_clerk_cannot_approve_and_a_district_admin_cannot_approve_its_own_district(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    refused = page_text(move(login(town.town_clerk), town.town_a, "approve"))
    assert "不能审核本单位的报送" in refused and state(town.town_a) == "已报送"
    refused = page_text(move(login(town.town_admin), town.town_a, "approve"))
    assert "不能审核本单位的报送" in refused and state(town.town_a) == "已报送"
    move(login(town.admin_a), town.district_a, "submit")
    refused = page_text(move(login(town.admin_a), town.district_a, "approve"))
    assert "不能审核本单位的报送:“甲区团委”2023年第二季度的数据由上级单位的管理员审核" in refused
    assert state(town.district_a) == "已报送"
    move(login(town.city_admin), town.district_a, "approve")
    assert state(town.district_a) == "已通过"


def test_only_the_units_own_users_submit_and_a_leader_or_clerk_of_the_district_cannot_review(town, login):
    refused = page_text(move(login(town.clerk_a), town.town_a, "submit"))
    assert "只有甲街道团工委的录入员或管理员可以报送" in refused and state(town.town_a) == "未报送"
    move(login(town.town_clerk), town.town_a, "submit")
    refused = page_text(move(login(town.clerk_a), town.town_a, "approve"))
    assert "只有甲街道团工委上级单位的管理员可以审核通过" in refused
    assert move(login(town.leader_a), town.town_a, "return", reason="x").status_code == 200
    assert state(town.town_a) == "已报送"


def test_a_district_admin_cannot_see_or_review_another_districts_units(town, login):
    move(login(town.clerk_b), town.district_b, "submit", no_records="1")
    assert login(town.admin_a).post(f"/submissions/{town.district_b.pk}/{QUARTER}/approve/").status_code == 404
    assert login(town.admin_a).get(f"/submissions/{town.district_b.pk}/{QUARTER}/").status_code == 404
    assert state(town.district_b) == "已报送"


def test_a_return_needs_a_reason_and_a_returned_quarter_is_submitted_again(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    refused = page_text(move(login(town.admin_a), town.town_a, "return"))
    assert "请填写退回原因" in refused and state(town.town_a) == "已报送"
    move(login(town.admin_a), town.town_a, "return", reason="五月的网上团课人数请核对")
    assert state(town.town_a) == "已退回"
    page = page_text(login(town.town_clerk).get(f"/submissions/{town.town_a.pk}/{QUARTER}/"))
    assert "五月的网上团课人数请核对" in page
    move(login(town.town_clerk), town.town_a, "submit")
    assert state(town.town_a) == "已报送"


def test_withdrawing_works_until_reviewed_and_an_approved_quarter_reopens_only_by_a_return(town, login):
    clerk = login(town.town_clerk)
    move(clerk, town.town_a, "submit")
    move(clerk, town.town_a, "withdraw")
    assert state(town.town_a) == "未报送" and not PeriodLock.objects.exists()
    move(clerk, town.town_a, "submit")
    move(login(town.admin_a), town.town_a, "approve")
    refused = page_text(move(login(town.town_clerk), town.town_a, "withdraw"))
    assert "已审核通过,不能撤回;如需修改请联系审核单位退回" in refused
    refused = page_text(move(login(town.town_clerk), town.town_a, "submit"))
    assert "已审核通过,不能再报送" in refused and state(town.town_a) == "已通过"
    move(login(town.admin_a), town.town_a, "return", reason="补录六月活动")
    assert state(town.town_a) == "已退回" and not PeriodLock.objects.exists()


def test_a_quarter_without_records_is_submitted_only_with_the_box_ticked(town, login):
    client = login(town.clerk_b)
    refused = page_text(move(client, town.district_b, "submit"))
    assert "没有台账记录;如确实没有,请勾选“本季度无台账记录”后再报送" in refused
    assert state(town.district_b) == "未报送"
    move(client, town.district_b, "submit", no_records="1")
    assert Submission.objects.get(unit=town.district_b).no_records


def test_two_submits_at_once_make_one_state_change(town, login):
    client = login(town.town_clerk)
    move(client, town.town_a, "submit")
    second = page_text(move(client, town.town_a, "submit"))
    assert "已报送,正在等待审核" in second
    assert SubmissionEvent.objects.count() == 1 and PeriodLock.objects.count() == 1


def test_every_change_of_state_is_kept_with_who_when_and_why(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    move(login(town.admin_a), town.town_a, "return", reason="缺少六月数据")
    move(login(town.town_clerk), town.town_a, "submit")
    move(login(town.admin_a), town.town_a, "approve")
    events = list(SubmissionEvent.objects.values_list("action", "state", "user__username", "note"))
    assert events == [
        ("报送", "已报送", "town_clerk", ""),
        ("退回", "已退回", "admin_a", "缺少六月数据"),
        ("报送", "已报送", "town_clerk", ""),
        ("审核通过", "已通过", "admin_a", ""),
    ]
    page = page_text(login(town.town_clerk).get(f"/submissions/{town.town_a.pk}/{QUARTER}/"))
    assert "<strong>退回</strong> → 已退回:缺少六月数据" in page


def test_a_submitted_quarter_is_read_only_in_the_portal_with_the_quarter_and_state(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    client = login(town.town_clerk)
    response = client.post("/ledgers/themeday/new/", theme_day_form(town.school_a))
    assert "“甲街道团工委”2023年第二季度的数据已报送" in page_text(response) and not ThemeDay.objects.exists()
    client.post(f"/ledgers/onlinelesson/{town.lesson.pk}/delete/")
    assert OnlineLesson.objects.filter(pk=town.lesson.pk).exists()
    # Another quarter and another town stay open.
    other = theme_day_form(town.school_b)
    assert login(town.clerk_b).post("/ledgers/themeday/new/", other).status_code == 302


def test_an_approved_quarter_is_read_only_in_the_admin_until_returned(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    move(login(town.admin_a), town.town_a, "approve")
    client = login(town.admin_a)
    data = {"unit": town.school_a.pk, "date": "2023-05-05", "column": "其他", "issue": "新", "participants": 3}
    added = client.post("/admin/activities/onlinelesson/add/", {**data, "note": ""})
    assert "“甲街道团工委”2023年第二季度的数据已通过" in page_text(added)
    assert OnlineLesson.objects.count() == 1
    assert client.get(f"/admin/activities/onlinelesson/{town.lesson.pk}/delete/").status_code == 403
    move(client, town.town_a, "return", reason="请补充")
    assert client.post("/admin/activities/onlinelesson/add/", {**data, "note": ""}).status_code == 302
    assert OnlineLesson.objects.count() == 2


def test_a_submitted_quarter_refuses_an_import_row_naming_the_quarter_and_state(town, tmp_path, login):
    move(login(town.town_clerk), town.town_a, "submit")
    row = ["A1S", "2023-05-06", "其他", "乙", 1, ""]
    code, out, err = run_import(save(tmp_path, xlsx({"网上团队课": [header("网上团队课"), row]})))
    assert code == 1 and "没有写入任何数据" in err
    assert any("“甲街道团工委”2023年第二季度的数据已报送" in line for line in out)
    assert OnlineLesson.objects.count() == 1


def test_the_lock_covers_the_units_subtree_and_the_quarter_only(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    lock = PeriodLock.objects.get()
    assert (lock.unit, lock.start, lock.end) == (town.town_a, dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    july = theme_day_form(town.school_a, date="2023-07-03")
    assert login(town.town_clerk).post("/ledgers/themeday/new/", july).status_code == 302


def test_a_town_is_not_returned_while_its_districts_submission_still_locks_it(town, login):
    move(login(town.town_clerk), town.town_a, "submit")
    move(login(town.clerk_a), town.district_a, "submit")
    refused = page_text(move(login(town.superuser), town.town_a, "return", reason="请核对"))
    assert "上级单位“甲区团委”已已报送" not in refused
    assert "上级单位“甲区团委”已报送2023年第二季度的数据(含“甲街道团工委”)" in refused
    assert state(town.town_a) == "已报送"
    move(login(town.clerk_a), town.district_a, "withdraw")
    move(login(town.superuser), town.town_a, "return", reason="请核对")
    assert state(town.town_a) == "已退回"

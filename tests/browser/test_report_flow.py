"""The quarterly report from a leader's browser, on the demo city: write, preview, finalise, download;
the files stay the same bytes after the data changes; the quarter's records stay read-only until a
city 管理员 reopens the report."""

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from activities.models import OnlineLesson
from reports.models import PlanItem, WorkReport
from tests.factories import build_record, make_unit, make_venue
from youthwork import formatting
from youthwork.models import Unit, User
from youthwork.periods import Period

QUARTER = Period.parse("2023Q2")
WORD_NAME = "团市委2023年第二季度工作情况报告.docx"
EXCEL_NAME = "团市委2023年第二季度工作情况报告附表.xlsx"


def lesson_participants_so_far(city: Unit) -> int:
    """累计参学量 of the report (今年以来: 1 January to the end of the quarter), straight from the ledger."""
    lessons = OnlineLesson.objects.within(city).in_period(QUARTER.year_to_date())
    return lessons.aggregate(total=Sum("participants"))["total"]


def row_of(page, prefix: str, heading: str) -> int:
    """The index of the problem or plan row whose 小标题 reads `heading`."""
    total = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    headings = [page.locator(f"#id_{prefix}-{index}-heading").input_value() for index in range(total)]
    return headings.index(heading)


def download(page, link: str) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.get_by_role("link", name=link, exact=True).click()
    file = started.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def word_text(content: bytes) -> tuple[str, str]:
    """The title (its line break removed) and the whole text of a .docx."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    return paragraphs[0].replace("\n", ""), "\n".join(paragraphs)


def annex_total(content: bytes, sheet: str, header: str):
    """The 合计 row's value in the column `header` of an annex sheet."""
    rows = list(openpyxl.load_workbook(io.BytesIO(content), read_only=True)[sheet].iter_rows(values_only=True))
    headers = next(row for row in rows if row[0] == "单位")
    total = next(row for row in rows if row[0] == "合计")
    return total[headers.index(header)]


def test_a_leader_writes_finalises_and_downloads_the_quarterly_report_and_it_stays_the_same_when_data_changes(
    browser, tmp_path
):
    city = Unit.objects.get(code="C00")
    leader = User.objects.get(username="leader")
    # Last quarter's report, whose plans the new one offers to carry over, and a new school that has
    # held no ceremony yet, so that the data proposes a second problem.
    last_quarter = WorkReport.objects.create(unit=city, period_code="2023Q1", created_by=leader)
    PlanItem.objects.create(report=last_quarter, order=1, heading="持续深化青年大学习", text="上季度的打算一。")
    PlanItem.objects.create(report=last_quarter, order=2, heading="筹备暑期支教", text="上季度的打算二。")
    make_unit("新华第二小学", Unit.objects.get(code="T0102"), Unit.Type.SCHOOL, code="S0104")
    # Venues nobody used, so that under half of the city's venues are used and the data proposes that problem.
    for index in range(12):
        make_venue(city, f"未启用活动室{index}", opened_on=dt.date(2022, 1, 1))
    participants = lesson_participants_so_far(city)
    studied = f"累计参学量达{formatting.count(participants)}人次"

    page = browser.login("leader")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作报告").click()
    page.get_by_role("link", name="新建报告").click()
    page.get_by_label("期间").select_option("2023Q2")  # chosen from the list, not typed
    assert page.get_by_label("报告单位").input_value() == str(city.pk)
    page.get_by_role("button", name="下一步").click()

    # Step 2: the data's problems and last quarter's plans are offered; keep, edit or drop each.
    assert page.get_by_role("heading", level=1).inner_text() == "新建:团市委2023年第二季度"
    assert page.get_by_text("已带入“团市委2023年第一季度").is_visible()
    venues = row_of(page, "problems", "阵地利用不够")
    page.locator(f"#id_problems-{venues}-heading").fill("团青阵地利用还不充分")
    page.locator(f"#id_problems-{row_of(page, 'problems', '仪式教育尚未全覆盖')}-DELETE").check()
    blank = row_of(page, "problems", "")
    page.locator(f"#id_problems-{blank}-heading").fill("基层台账报送不够及时")
    page.locator(f"#id_problems-{blank}-text").fill("个别基层团组织台账在季度末集中补录。")
    page.locator(f"#id_plans-{row_of(page, 'plans', '筹备暑期支教')}-DELETE").check()
    page.locator(f"#id_plans-{row_of(page, 'plans', '推动仪式教育全覆盖')}-DELETE").check()
    page.locator(f"#id_plans-{row_of(page, 'plans', '加强阵地利用，夯实工作基础')}-text").fill(
        "用好市少先队校外实践教育基地，每月开展一次主题活动。"
    )
    page.get_by_role("button", name="保存", exact=True).click()

    # The preview: the real figures, the problems and plans as edited, in order, and no XX.
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = WorkReport.objects.get(unit=city, period_code="2023Q2")
    assert page.get_by_role("heading", name="团市委2023年第二季度 草稿").is_visible()
    preview = page.locator("article.report-document").inner_text()
    assert studied in preview and "XX" not in preview
    assert "覆盖率" in preview  # the new school: 仪式 no longer 全覆盖
    order = ["团青阵地利用还不充分", "基层台账报送不够及时", "持续深化青年大学习", "每月开展一次主题活动"]
    assert [preview.index(text) for text in order] == sorted(preview.index(text) for text in order)
    for dropped in ("仪式教育尚未全覆盖", "推动仪式教育全覆盖", "筹备暑期支教"):
        assert dropped not in preview
    assert page.get_by_role("heading", name="数据缺口").is_visible()

    # 定稿, after confirming what it does.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="定稿", exact=True).click()
    # The districts' quarters are not approved (报送与审核): 定稿 asks once more.
    page.get_by_text("以下单位数据尚未审核通过").first.wait_for()
    page.get_by_role("button", name="仍然定稿").click()
    page.get_by_text("已定稿:数据和文件已保存").wait_for()
    assert "锁定" in dialogs[0]
    assert page.get_by_role("heading", name="团市委2023年第二季度 定稿").is_visible()
    assert page.get_by_role("button", name="退回定稿").count() == 0  # a 领导 cannot reopen

    word_name, word = download(page, "下载Word")
    excel_name, excel = download(page, "下载Excel附表")
    assert (word_name, excel_name) == (WORD_NAME, EXCEL_NAME)
    title, text = word_text(word)
    assert title == WorkReport.DEFAULT_TITLE
    assert studied in text and "团青阵地利用还不充分" in text and "XX" not in text
    assert annex_total(excel, "思想引领", "网上团队课参学人次(今年以来)") == participants

    # A record of the first quarter arrives after the report was finalised (the report's 今年以来 figures
    # read it, and the Q2 lock leaves Q1 open; a Q2 record is refused now): the data has changed...
    school = Unit.objects.get(code="S0103")
    build_record(
        OnlineLesson, school, dt.date(2023, 3, 28), column="青年大学习", issue="定稿后补录", participants=10000
    ).save()
    assert lesson_participants_so_far(city) == participants + 10000
    call_command("build_report", period="2023Q2", format="docx", output=str(tmp_path / "now.docx"))
    now = word_text((tmp_path / "now.docx").read_bytes())[1]
    assert f"累计参学量达{formatting.count(participants + 10000)}人次" in now and studied not in now

    # ...but the final report downloads exactly as it was, and its preview shows the frozen text.
    page.reload()
    assert studied in page.locator("article.report-document").inner_text()
    assert [sha256(download(page, link)[1]) for link in ("下载Word", "下载Excel附表")] == [sha256(word), sha256(excel)]
    page.get_by_role("link", name="工作报告", exact=True).first.click()
    page.wait_for_url(re.compile(r"/reports/$"))
    row = page.get_by_role("row").filter(has_text="2023年第二季度")
    assert row.get_by_text("定稿").is_visible()
    with page.expect_download() as again:
        row.get_by_role("link", name="Word").click()
    assert sha256(Path(again.value.path()).read_bytes()) == sha256(word)
    report.refresh_from_db()
    assert report.is_final and report.finalised_by == leader


def test_a_final_report_keeps_its_quarter_read_only_until_a_city_admin_reopens_it(browser):
    city = Unit.objects.get(code="C00")
    report = WorkReport.objects.create(unit=city, period_code="2023Q2")
    report.finalise(User.objects.get(username="leader"))
    record = OnlineLesson.objects.within(city).in_period(QUARTER).order_by("pk").first()
    record_page = f"/ledgers/onlinelesson/{record.pk}/"
    locked = f"“{report}”已定稿"

    page = browser.login("admin")
    browser.goto("/ledgers/onlinelesson/?date_from=2023-06-01&date_to=2023-06-30")
    assert page.locator("tbody tr").filter(has_text="已锁定").count() > 0
    for path in (record_page, record_page + "edit/"):
        browser.goto(path)
        assert page.get_by_role("alert").filter(has_text=locked).is_visible()
        assert page.get_by_role("link", name="修改", exact=True).count() == 0
        assert page.locator("form input[name=participants]").count() == 0
    # A new record dated in the quarter is refused too, with the same message.
    browser.goto("/ledgers/onlinelesson/new/")
    page.get_by_label("日期").fill("2023-05-06")
    page.get_by_label("栏目").select_option("青年大学习")
    page.get_by_label("期次主题").fill("锁定期间补录")
    page.get_by_label("参学人次").fill("12")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("没有保存:请按提示修改标红的内容。").wait_for()
    assert page.get_by_text(locked).is_visible()
    assert not OnlineLesson.objects.filter(issue="锁定期间补录").exists()

    # A 领导 sees no 退回定稿 and is refused if the request is sent anyway.
    page = browser.login("leader")
    browser.goto(f"/reports/{report.pk}/")
    assert page.get_by_role("button", name="退回定稿").count() == 0
    status, text = page.evaluate(
        """async (url) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token});
            const response = await fetch(url, {method: "POST", body});
            return [response.status, await response.text()];
        }""",
        f"/reports/{report.pk}/reopen/",
    )
    assert status == 403 and "只有市级管理员可以退回定稿" in text
    report.refresh_from_db()
    assert report.is_final

    # The city 管理员 follows the locked record to its report and reopens it; the record can change again.
    page = browser.login("admin")
    browser.goto(record_page)
    page.get_by_role("alert").get_by_role("link", name="查看该工作报告").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="退回定稿").click()
    page.get_by_text("已退回为草稿,相关台账记录可以修改").wait_for()
    assert page.get_by_role("heading", name="团市委2023年第二季度 草稿").is_visible()
    browser.goto(record_page + "edit/")
    page.get_by_label("参学人次").fill(str(record.participants + 1))
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("已修改“网上团队课”记录").wait_for()
    assert OnlineLesson.objects.get(pk=record.pk).participants == record.participants + 1


@pytest.mark.demo_today(None)
def test_a_leader_holds_the_last_finished_quarters_word_file_two_clicks_from_the_dashboard(browser):
    quarter = Period.last_finished_quarter(timezone.localdate())
    page = browser.login("leader")
    clicks = 0

    page.get_by_role("link", name=f"{quarter.label}工作报告").click()
    clicks += 1
    page.wait_for_url(re.compile(r"/reports/draft/"))
    # Anything a leader must know (an empty or unfinished quarter) stands above the download button.
    notes = page.locator(".report-note")
    if notes.count():
        assert notes.first.bounding_box()["y"] < page.get_by_role("link", name="下载Word草稿").bounding_box()["y"]
    with page.expect_download() as started:
        page.get_by_role("link", name="下载Word草稿").click()
    clicks += 1

    assert clicks <= 3
    file = started.value
    assert file.suggested_filename == f"团市委{quarter.label}工作情况报告(草稿).docx"
    title, text = word_text(Path(file.path()).read_bytes())
    assert title == WorkReport.DEFAULT_TITLE and f"现将{quarter.name}工作情况汇报如下" in text
    assert "XX" not in text and not WorkReport.objects.exists()
    assert "本期未填报台账记录" not in text  # the demo loaded today has records in the last finished quarter

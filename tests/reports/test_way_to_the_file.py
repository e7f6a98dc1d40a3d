"""The way to the Word file (issue 10, §1): the period is chosen, not typed; the dashboard leads to the
last finished quarter's report; a draft downloads without saving and says 草稿; banners come first."""

import datetime as dt
import io
from urllib.parse import quote

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import OnlineLesson
from reports.models import WorkReport
from tests.factories import make_record
from youthwork.periods import Period


@pytest.mark.parametrize("text", ["2026年第三季度", "2026 Q3", "2026-Q3", "2026Q3", "2026q3", "２０２６Ｑ３"])
def test_the_apps_own_label_and_common_spellings_are_refused(text):
    assert Period.parse(text) == Period.parse("2026Q3")


def test_half_years_years_and_ranges_are_read_as_written():
    assert Period.parse("2023年上半年") == Period.parse("2023 H1") == Period.parse("2023H1")
    assert Period.parse("2023年全年") == Period.parse("2023年") == Period.parse("2023")
    assert Period.parse("2023年4月1日至6月30日") == Period.parse("2023-04-01:2023-06-30")


def test_the_chooser_makes_the_leader_type_the_period(town, login):
    page = login(town.city_leader).get("/reports/new/")
    html = page.content.decode()
    last = Period.last_finished_quarter(timezone.localdate())
    assert f'<option value="{last.code}" selected>' in html
    options = html[html.index('name="period"') :]
    assert options.index(">2023年第二季度<") < options.index(">2023年第一季度<")  # newest first
    for group in ('label="季度"', 'label="半年"', 'label="全年"'):
        assert group in html
    assert ">2023年上半年<" in html and ">2023年全年<" in html and 'value="custom"' in html


def test_a_custom_range_without_its_dates_is_accepted_silently(town, login):
    client = login(town.city_leader)
    page = client.get("/reports/draft/", {"period": "custom", "unit": town.city.pk}).content.decode()
    assert "请填写开始日期和结束日期" in page
    chosen = {"period": "custom", "start": "2023-11-01", "end": "2024-02-29", "unit": town.city.pk}
    assert "2023年11月1日至2024年2月29日" in client.get("/reports/draft/", chosen).content.decode()


def test_the_dashboard_has_no_way_to_the_last_finished_quarters_report(town, login):
    page = login(town.leader_a).get("/").content.decode()
    last = Period.last_finished_quarter(timezone.localdate())
    assert f"/reports/draft/?period={last.code}&amp;unit={town.district_a.pk}" in page
    assert f"{last.label}工作报告" in page
    assert "/reports/draft/" not in login(town.clerk_a).get("/").content.decode()  # clerks have no reports


def test_a_draft_cannot_be_downloaded_without_saving_or_its_name_hides_that_it_is_a_draft(town, login):
    client = login(town.city_leader)
    page = client.get("/reports/draft/", {"period": "2023Q2", "unit": town.city.pk})
    assert page.status_code == 200 and "35.24万元" in page.content.decode()
    response = client.get("/reports/draft/download/docx/", {"period": "2023年第二季度", "unit": town.city.pk})
    name = "团市委2023年第二季度工作情况报告(草稿).docx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "2023年第二季度" in text and "XX" not in text
    assert WorkReport.objects.count() == 0  # nothing saved


def test_a_saved_report_is_built_twice_as_a_draft(town, login):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    response = login(town.city_leader).get("/reports/draft/", {"period": "2023Q2", "unit": town.city.pk})
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"


def test_an_unfinished_or_empty_period_gives_no_warning_before_the_download(town, login):
    client = login(town.city_leader)
    today = Period.quarter_of(timezone.localdate())
    page = client.get("/reports/draft/", {"period": today.code, "unit": town.city.pk}).content.decode()
    assert "尚未结束" in page and "没有任何台账记录" in page
    assert page.index("尚未结束") < page.index("下载Word草稿")
    empty = client.get("/reports/draft/", {"period": "2021Q1", "unit": town.city.pk}).content.decode()
    assert "没有任何台账记录" in empty and "尚未结束" not in empty
    full = client.get("/reports/draft/", {"period": "2023Q2", "unit": town.city.pk}).content.decode()
    assert "report-note" not in full


def test_another_units_draft_is_shown_to_a_district_leader(town, login):
    page = login(town.leader_a).get("/reports/draft/", {"period": "2023Q2", "unit": town.district_b.pk})
    assert page.status_code == 200 and "35.24万元" not in page.content.decode()
    assert page.context["chooser"].errors["unit"]
    download = login(town.leader_a).get(
        "/reports/draft/download/docx/", {"period": "2023Q2", "unit": town.district_b.pk}
    )
    assert download.status_code == 400


def test_the_signing_date_is_hidden_until_the_file_prints_it(town, login):
    client = login(town.city_leader)
    page = client.get("/reports/new/", {"period": "2023Q2", "unit": town.city.pk})
    today = timezone.localdate()
    assert page.context["form"]["signing_date"].value() == today
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    detail = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"成文日期:{today.year}年{today.month}月{today.day}日" in detail.replace("：", ":")
    edit = client.get(f"/reports/{report.pk}/edit/")
    assert edit.context["form"]["signing_date"].value() == today


def test_build_report_keeps_the_data_gaps_to_itself(town, tmp_path):
    stderr = io.StringIO()
    output = tmp_path / "q3.docx"
    call_command(
        "build_report",
        "--period",
        "2023年第三季度",
        "--format",
        "docx",
        "--output",
        str(output),
        "--gaps-appendix",
        stdout=io.StringIO(),
        stderr=stderr,
    )
    assert "数据缺口:主题团队日" in stderr.getvalue().replace("：", ":")
    assert any("数据缺口" in p.text for p in docx.Document(output).paragraphs)


def test_a_record_of_the_quarter_is_offered_with_its_half_and_year(town, login):
    make_record(OnlineLesson, town.school_a, dt.date(2024, 2, 1), column="青年大学习", issue="x", participants=1)
    html = login(town.city_leader).get("/reports/new/").content.decode()
    assert ">2024年第一季度<" in html and ">2024年上半年<" in html and ">2024年全年<" in html

"""The Excel annex's 明细 sheets (issue 10, §4): per ledger, exactly the records behind the report's figures,
with the record id and the unit path; names of minors masked for a reader without the permission."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from activities.models import ThemeDay
from assistance.models import StudentAid
from reports.builder import build_outputs
from tests.factories import make_record
from youthwork.periods import Period

PATH_A = "团市委/甲区团委/甲街道团工委/甲区第一小学"


@pytest.fixture
def records(cast):
    school, other = cast.school_a, cast.school_b
    aid = {
        "period": make_record(StudentAid, school, dt.date(2023, 5, 1), student_name="王小明", amount=Decimal("500")),
        "ytd": make_record(StudentAid, school, dt.date(2023, 2, 1), student_name="李小红", amount=Decimal("300")),
    }
    make_record(StudentAid, school, dt.date(2022, 12, 1), student_name="去年生")
    make_record(StudentAid, other, dt.date(2023, 5, 1), student_name="外区生")
    days = [
        make_record(ThemeDay, school, dt.date(2023, 4, 10), day_type="主题团日", theme="=HYPERLINK(1)"),
        make_record(ThemeDay, school, dt.date(2023, 6, 1), day_type="主题团日", theme="二"),
        make_record(ThemeDay, cast.town_a, dt.date(2023, 1, 9), day_type="主题队日", theme="三"),
    ]
    make_record(ThemeDay, school, dt.date(2023, 7, 10), theme="七月")
    make_record(ThemeDay, other, dt.date(2023, 5, 4), theme="外区")
    cast.aid, cast.days = aid, days
    return cast


def download(client, unit) -> openpyxl.Workbook:
    response = client.get(f"/reports/draft/download/xlsx/?period=2023Q2&unit={unit.pk}")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def detail(book, name: str) -> list[dict]:
    """The rows of a 明细 sheet as {header: value} (row 1 is its title, row 2 its headers)."""
    rows = list(book[f"明细-{name}"].iter_rows(min_row=2, values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:] if row[0] is not None]


def test_the_detail_sheet_lists_exactly_the_records_the_figures_read(records, login):
    book = download(login(records.leader_a), records.district_a)
    rows = detail(book, "主题团队日")
    assert sorted(row["记录编号"] for row in rows) == sorted(day.pk for day in records.days)
    by_id = {row["记录编号"]: row for row in rows}
    first, town_day = by_id[records.days[0].pk], by_id[records.days[2].pk]
    assert first["单位路径"] == PATH_A
    assert town_day["单位路径"] == "团市委/甲区团委/甲街道团工委"
    assert (first["计入期间"], town_day["计入期间"]) == ("本期", "今年以来")
    assert first["主题"] == "=HYPERLINK(1)"  # text, never a formula
    assert first["日期"] == dt.datetime(2023, 4, 10)
    # The 本期 主题团日 rows are the report's league_days figure (2).
    assert sum(1 for row in rows if row["计入期间"] == "本期" and row["类型"] == "主题团日") == 2


def test_names_of_minors_are_masked_for_a_reader_without_the_permission(records, login):
    rows = detail(download(login(records.leader_a), records.district_a), "资助学生")
    assert sorted(row["记录编号"] for row in rows) == sorted(record.pk for record in records.aid.values())
    assert sorted(row["学生姓名"] for row in rows) == ["李**", "王**"]
    assert {row["金额(元)"] for row in rows} == {500, 300}


def test_a_reader_with_the_permission_reads_the_names(records, login):
    client = login(records.admin_a)
    response = client.get(f"/reports/draft/download/xlsx/?period=2023Q2&unit={records.district_a.pk}")
    assert "no-store" in response["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(row["学生姓名"] for row in detail(book, "资助学生")) == ["李小红", "王小明"]


def test_the_file_stored_at_finalising_masks_the_names(records):
    book = openpyxl.load_workbook(io.BytesIO(build_outputs(Period.parse("2023Q2"), records.district_a).xlsx))
    assert sorted(row["学生姓名"] for row in detail(book, "资助学生")) == ["李**", "王**"]


def test_a_ledger_without_records_says_so_and_the_summary_sheets_keep_their_titles(records, login):
    book = download(login(records.leader_a), records.district_a)
    assert book["明细-支教点"]["A3"].value == "本期和今年以来没有记录"
    assert "A1:" in str(book["思想引领"].merged_cells)


def test_a_large_drafts_annex_is_built_by_a_job_with_the_readers_masking(records, login, settings):
    from youthwork.models import FileJob

    settings.JOB_ROWS_THRESHOLD = 0  # every draft with a record counts as large
    client = login(records.leader_a)
    response = client.get(f"/reports/draft/download/xlsx/?period=2023Q2&unit={records.district_a.pk}")
    job = FileJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "done"
    download = client.get(f"/jobs/{job.pk}/file/")
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert sorted(row["学生姓名"] for row in detail(book, "资助学生")) == ["李**", "王**"]
    assert login(records.clerk_b).get(f"/jobs/{job.pk}/file/").status_code == 404

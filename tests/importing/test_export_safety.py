"""Exported workbooks never turn text into formulas, drop control characters, and keep numbers numbers."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from activities.models import OnlineLesson
from tests.factories import make_record
from tests.importing.workbooks import export, run_import, save
from youthwork.resources import resource_for

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)
FORMULA_LIKE = [
    "=1+1",
    '=HYPERLINK("http://example.com","点击")',
    "+8613800000000",
    "-5",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def exported_lessons(cast, login, notes):
    for number, note in enumerate(notes, 1):
        make_record(
            OnlineLesson, cast.school_a, MAY_4, column="其他", issue=f"第{number}期", participants=number, note=note
        )
    return export(login(cast.city_admin), "/admin/activities/onlinelesson/", resource_for(OnlineLesson))


def test_text_that_excel_could_take_for_a_formula_is_written_as_text(cast, login):
    content = exported_lessons(cast, login, FORMULA_LIKE)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(content))["网上团队课"]
    notes = {row[3].value: row[5] for row in sheet.iter_rows(min_row=2)}
    for number, text in enumerate(FORMULA_LIKE, 1):
        cell = notes[f"第{number}期"]
        assert cell.data_type == "s"
        assert cell.value == text
        assert cell.quotePrefix is True  # what Excel stores for '=...: shown as text, kept as text when edited


def test_plain_text_gets_no_quote_prefix(cast, login):
    content = exported_lessons(cast, login, ["活动顺利, 参与踊跃 = 好"])
    cell = load_workbook(io.BytesIO(content))["网上团队课"]["F2"]
    assert (cell.value, cell.quotePrefix) == ("活动顺利, 参与踊跃 = 好", False)


def test_control_characters_are_stripped(cast, login):
    content = exported_lessons(cast, login, ["第一行\x07\x1b\x08\n第二行\x7f"])
    assert load_workbook(io.BytesIO(content))["网上团队课"]["F2"].value == "第一行\n第二行"


def test_numbers_stay_numbers_and_dates_stay_dates(cast, login):
    content = exported_lessons(cast, login, [""])
    sheet = load_workbook(io.BytesIO(content))["网上团队课"]
    date, participants = sheet["B2"], sheet["E2"]
    assert (date.value, date.number_format, date.is_date) == (dt.datetime(2023, 5, 4), "yyyy-mm-dd", True)
    assert (participants.value, participants.data_type) == (1, "n")


def test_formula_like_text_exported_imports_back_as_the_same_text(cast, login, tmp_path):
    content = exported_lessons(cast, login, FORMULA_LIKE[:5])
    code, out, _err = run_import(save(tmp_path, content))
    assert (code, out) == (0, ["网上团队课: 新增 0, 更新 0, 未变 5, 错误 0"])


def test_the_blank_template_guards_its_own_text_too(db, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "模板.xlsx"
    call_command("export_template", str(path), stdout=io.StringIO())
    sheet_xml = b"".join(
        zipfile.ZipFile(path).read(name) for name in zipfile.ZipFile(path).namelist() if "worksheets/sheet" in name
    )
    assert b"<f>" not in sheet_xml

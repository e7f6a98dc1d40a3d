"""Exported workbooks never turn text into formulas, drop control characters, and keep numbers numbers."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from activities.models import OnlineLesson
from tests.factories import make_record, make_venue
from tests.importing.workbooks import export, run_import, save
from youthwork.admin.resources import resource_for
from youthwork.ledgers import all_sheets

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


# --- every workbook the project writes ------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","点击")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1"]
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _hostile_city(cast):
    """The cast with hostile names on units and a venue, and a 2023Q2 record in every ledger whose every
    text column starts with = + - or @."""
    from youthwork.ledgers import ColumnKind, all_ledgers

    for unit, text in [(cast.district_a, HOSTILE[0]), (cast.district_b, HOSTILE[1]), (cast.town_a, HOSTILE[3])]:
        unit.name = text
        unit.save()
    venue = make_venue(cast.district_a, HOSTILE[2])
    for number, ledger in enumerate(all_ledgers()):
        for school in (cast.school_a, cast.school_b):
            fields = {}
            for index, column in enumerate(ledger.columns):
                if column.kind == ColumnKind.TEXT:
                    text = HOSTILE[(number + index) % len(HOSTILE)] + school.code
                    fields[column.name] = text if len(text) <= (column.max_length or 200) else text[0] + school.code
            fields.update({column.name: venue for column in ledger.columns if column.kind == ColumnKind.VENUE})
            make_record(ledger.model, school, MAY_4, **fields)


def _text_cells(content: bytes) -> tuple[int, list[str], list[str]]:
    """(formula elements, texts starting like a formula whose cell is NOT marked quotePrefix), read from
    the raw XML of every sheet of an .xlsx, not through the library that wrote it."""
    from xml.etree import ElementTree

    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        for item in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).iter(f"{_SHEET_NS}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{_SHEET_NS}t")))
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    cell_xfs = styles.find(f"{_SHEET_NS}cellXfs")
    quoted = [xf.get("quotePrefix") in ("1", "true") for xf in cell_xfs] if cell_xfs is not None else []
    formulas, unmarked, seen = 0, [], []
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        root = ElementTree.fromstring(archive.read(name))
        formulas += sum(1 for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "f")
        for cell in root.iter(f"{_SHEET_NS}c"):
            kind, value = cell.get("t", "n"), cell.find(f"{_SHEET_NS}v")
            if kind == "s":
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{_SHEET_NS}t"))
            elif kind == "str":
                text = value.text or "" if value is not None else ""
            else:
                continue
            if text.startswith(("=", "+", "-", "@")):
                seen.append(text)
                if not (kind in ("s", "inlineStr") and quoted and quoted[int(cell.get("s", "0"))]):
                    unmarked.append(f"{name} {cell.get('r')}: {text}")
    return formulas, unmarked, seen


def test_no_workbook_the_project_writes_turns_a_hostile_name_into_a_formula(cast, login, tmp_path):
    from django.core.management import call_command

    from reports.models import WorkReport

    _hostile_city(cast)
    workbooks = {}
    admin = login(cast.superuser)
    for sheet in all_sheets():
        opts = sheet.model._meta
        workbooks[f"导出 {sheet.name}"] = export(
            admin, f"/admin/{opts.app_label}/{opts.model_name}/", resource_for(sheet)
        )
    workbooks["导入模板"] = admin.get("/admin/youthwork/importupload/template/").content
    report = WorkReport.objects.create(unit=cast.city, period_code="2023Q2")
    leader = login(cast.city_leader)
    workbooks["附表 草稿"] = b"".join(leader.get(f"/reports/{report.pk}/download/xlsx/").streaming_content)
    assert leader.post(f"/reports/{report.pk}/finalise/", {"confirm_unapproved": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.is_final
    workbooks["附表 定稿"] = b"".join(leader.get(f"/reports/{report.pk}/download/xlsx/").streaming_content)
    call_command("build_report", period="2023Q2", format="xlsx", output=str(tmp_path / "附表.xlsx"))
    workbooks["附表 build_report"] = (tmp_path / "附表.xlsx").read_bytes()

    for name, content in workbooks.items():
        formulas, unmarked, seen = _text_cells(content)
        assert (formulas, unmarked) == (0, []), name
        if name != "导入模板":  # the template holds no data
            assert seen, f"{name}: the hostile text did not reach this workbook"
    annex_texts = _text_cells(workbooks["附表 定稿"])[2]
    assert HOSTILE[0] in annex_texts and HOSTILE[1] in annex_texts  # the districts' rows

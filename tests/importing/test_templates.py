"""The blank template (`export_template` and the admin download) and the export → edit → import round trip."""

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from activities.models import OnlineLesson
from tests.factories import make_record, make_venue
from tests.importing.workbooks import export, run_import, save
from youthwork.admin.resources import resource_for
from youthwork.ledgers import ColumnKind, all_ledgers, all_sheets
from youthwork.models import Unit, Venue

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)
SHEET_NAMES = ["组织单位", "阵地", *(ledger.name for ledger in all_ledgers())]

# The header rows as /work/shared/DATA_DICTIONARY.md writes them (without its * and † marks), in its order;
# written out here so that a column renamed or moved in a model is caught, not copied into the expectation.
DICTIONARY = {
    "组织单位": ["单位名称", "上级单位", "单位类型", "单位编码"],
    "阵地": ["阵地名称", "所在单位", "阵地类型", "启用日期", "提供食宿", "备注"],
    "网上团队课": ["填报单位", "日期", "栏目", "期次主题", "参学人次", "备注"],
    "主题团队日": ["填报单位", "日期", "类型", "主题", "节点", "参与人数", "活动阵地", "备注"],
    "入团入队仪式": ["填报单位", "日期", "仪式类型", "新成员人数", "备注"],
    "辅导员技能竞赛": ["填报单位", "日期", "名称", "参赛人数", "比赛形式", "联合主办单位", "备注"],
    "希望工程募捐": ["填报单位", "日期", "捐赠方", "捐赠方类型", "金额(元)", "用途", "备注"],
    "资助学生": ["填报单位", "日期", "学生姓名", "就读学校", "年级", "资助类型", "金额(元)", "备注"],
    "关爱活动": ["填报单位", "日期", "活动名称", "关爱对象", "惠及人次", "物资价值(元)", "活动阵地", "备注"],
    "支教点": [
        "所在单位",
        "支教点名称",
        "开班日期",
        "结班日期",
        "志愿服务队",
        "志愿者人数",
        "入班儿童数",
        "服务内容",
        "活动阵地",
        "备注",
    ],
    "返家乡实践": ["填报单位", "日期", "岗位类型", "发布岗位数", "到岗学生数", "工作内容", "备注"],
    "领导关心": ["填报单位", "日期", "领导姓名", "领导职务", "走访地点(单位)", "内容", "备注"],  # issue 10 §3
    "法治宣教": ["填报单位", "日期", "形式", "合作部门", "参与人数", "活动阵地", "备注"],
    "安全防护": ["填报单位", "日期", "类型", "数量", "志愿者人次", "地点", "备注"],
    "心理健康服务": [
        "填报单位",
        "日期",
        "服务类型",
        "主题",
        "服务人次",
        "服务机构",
        "活动阵地",
        "主讲/服务人员",
        "备注",
    ],
    "权益宣传": ["填报单位", "日期", "类型", "数量", "覆盖人次", "宣传主题", "宣传渠道", "备注"],
    "联合发文": ["填报单位", "日期", "文件名称", "联合发文单位", "文号", "工作领域", "备注"],
}
TEST_LEDGER = "志愿者培训"  # tests/extra_ledger, installed by tests/settings.py only (test_adding_a_ledger.py)


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "模板.xlsx"
    out = StringIO()
    call_command("export_template", str(path), stdout=out)
    assert str(path) in out.getvalue()
    return path


def test_the_template_has_every_sheet_in_dictionary_order_with_its_header_row(db, template):
    book = load_workbook(template)
    assert book.sheetnames == ["填表说明", *DICTIONARY, TEST_LEDGER]
    for name, headers in DICTIONARY.items():
        assert [cell.value for cell in book[name][1]] == headers, name
        assert book[name].freeze_panes == "A2"


def test_choice_columns_carry_a_dropdown_and_date_columns_a_date_format(db, template):
    book = load_workbook(template)
    checked = 0
    for sheet in all_sheets():
        worksheet = book[sheet.name]
        validations = {str(dv.sqref): dv for dv in worksheet.data_validations.dataValidation}
        for index, column in enumerate(sheet.columns, 1):
            letter = get_column_letter(index)
            if column.kind == ColumnKind.CHOICE:
                dropdown = validations[f"{letter}2:{letter}1001"]
                assert dropdown.type == "list"
                assert dropdown.formula1 == '"' + ",".join(column.choices) + '"'
                checked += 1
            if column.kind == ColumnKind.DATE:
                assert worksheet.column_dimensions[letter].number_format == "yyyy-mm-dd"
    assert checked == sum(1 for s in all_sheets() for c in s.columns if c.kind == ColumnKind.CHOICE) > 15


def test_the_instructions_sheet_explains_the_rules_and_every_column(db, template):
    text = "\n".join(
        str(cell.value) for row in load_workbook(template)["填表说明"].iter_rows() for cell in row if cell.value
    )
    for rule in ("序号", "合计", "2023年5月4日", "20230504", "1,234", "单位编码", "全部", "†", "公式"):
        assert rule in text
    assert "可选:青年大学习、红领巾爱学习、其他" in text


def _value(column, venue_name):
    if column.kind == ColumnKind.DATE:
        return MAY_4
    if column.kind in (ColumnKind.COUNT, ColumnKind.AMOUNT):
        return 10
    if column.kind in (ColumnKind.CHOICE, ColumnKind.MULTICHOICE):
        return column.choices[0]
    if column.kind == ColumnKind.UNIT:
        return "A1S"
    if column.kind == ColumnKind.VENUE:
        return venue_name
    return f"{column.header}甲"


def test_a_filled_template_imports_without_edits(cast, template, tmp_path):
    book = load_workbook(template)
    book["组织单位"].append(["甲区第二小学", "甲区团委", "学校", "A2S"])
    book["阵地"].append(["甲区第二小学少先队活动室", "A2S", "其他", MAY_4, "否", ""])
    for sheet in all_sheets()[2:]:
        book[sheet.name].append([_value(column, "甲区第二小学少先队活动室") for column in sheet.columns])
    path = tmp_path / "填好的模板.xlsx"
    book.save(path)
    code, out, _err = run_import(path)
    assert code == 0, out
    assert out == [f"{name}: 新增 1, 更新 0, 未变 0, 错误 0" for name in SHEET_NAMES]
    for ledger in all_ledgers():
        assert ledger.model.objects.get().unit == cast.school_a


def test_the_admin_downloads_the_same_template(cast, login, template):
    response = login(cast.city_admin).get("/admin/youthwork/importupload/template/")
    downloaded = load_workbook(io.BytesIO(response.content)).sheetnames
    assert downloaded == [*load_workbook(template).sheetnames[:1], "单位编码", *load_workbook(template).sheetnames[1:]]


def test_an_export_edited_and_imported_again_updates_the_same_records(cast, login, tmp_path):
    records = [
        make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue=f"第{n}期", participants=n)
        for n in range(1, 4)
    ]
    content = export(login(cast.admin_a), "/admin/activities/onlinelesson/", resource_for(OnlineLesson))
    book = load_workbook(io.BytesIO(content))
    sheet = book["网上团队课"]
    assert sheet.cell(1, 5).value == "参学人次"
    edited = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "第2期")
    edited[4].value = 2000
    edited[5].value = "补录"
    out = io.BytesIO()
    book.save(out)
    code, lines, _err = run_import(save(tmp_path, out.getvalue()), "--user", "admin_a")
    assert (code, lines) == (0, ["网上团队课: 新增 0, 更新 1, 未变 2, 错误 0"])
    assert sorted(OnlineLesson.objects.values_list("pk", flat=True)) == sorted(record.pk for record in records)
    second = OnlineLesson.objects.get(issue="第2期")
    assert (second.participants, second.note) == (2000, "补录")


@pytest.mark.parametrize("ledger", all_ledgers(), ids=lambda ledger: ledger.name)
def test_every_ledgers_export_imports_back_unchanged(cast, login, tmp_path, ledger):
    venue = make_venue(cast.town_a, "甲街道青年之家")
    fields = {"venue": venue} if "venue" in ledger.field_names else {}
    make_record(ledger.model, cast.school_a, MAY_4, **fields)
    model_url = f"/admin/{ledger.app_label}/{ledger.slug}/"
    content = export(login(cast.admin_a), model_url, resource_for(ledger))
    code, lines, _err = run_import(save(tmp_path, content), "--user", "admin_a")
    assert (code, lines) == (0, [f"{ledger.name}: 新增 0, 更新 0, 未变 1, 错误 0"])


def test_a_district_exports_its_units_and_venues_and_imports_them_back_unchanged(cast, login, tmp_path):
    make_venue(cast.town_a, "甲街道青年之家", provides_lodging=True, note="可住宿")
    client = login(cast.admin_a)
    units = export(client, "/admin/youthwork/unit/", resource_for(Unit))
    venues = export(client, "/admin/youthwork/venue/", resource_for(Venue))
    assert load_workbook(io.BytesIO(units)).worksheets[0].title == "组织单位"
    code, lines, _err = run_import(save(tmp_path, units, "units.xlsx"), "--user", "admin_a")
    assert (code, lines) == (0, ["组织单位: 新增 0, 更新 0, 未变 3, 错误 0"])
    code, lines, _err = run_import(save(tmp_path, venues, "venues.xlsx"), "--user", "admin_a")
    assert (code, lines) == (0, ["阵地: 新增 0, 更新 0, 未变 1, 错误 0"])

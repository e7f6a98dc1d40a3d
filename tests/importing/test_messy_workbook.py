"""The issue's "done when": a unit's messy workbook imports in one step, from the command line and the admin."""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook

from activities.models import Ceremony, OnlineLesson
from assistance.models import Donation
from tests.importing.workbooks import header, run_import, save
from youthwork.models import ImportUpload, Unit

pytestmark = pytest.mark.django_db


def messy_workbook(bad: bool = False) -> bytes:
    """What a district sends in: title rows, 填报单位 lines, 序号, a 合计 row with an uncalculated SUM,
    dates typed five ways, full-width digits, and two schools called 第三小学 told apart by 编码."""
    book = Workbook()
    units = book.active
    units.title = "组织单位"
    units.append(["甲区新建学校登记表"])
    units.append(["序号", *header("组织单位")])
    units.append([1, "第三小学", "甲街道团工委", "学校", "A3S"])
    units.append([2, "第三小学", "乙区团委", "学校", "B3S"])

    lessons = book.create_sheet("网上团队课")
    lessons.append(["2023年第二季度青年大学习参学情况统计表"])
    lessons.append(["填报单位:团市委", None, None, "填报日期:2023年7月3日"])
    lessons.append([])
    lessons.append(["序号", *header("网上团队课")])
    rows = [
        ["A3S", dt.date(2023, 4, 3), "红领巾爱学习", "2023年第5期", 320],
        ["B3S", "2023/4/10", "红领巾爱学习", "2023年第6期", "１，２０５"],
        ["A3S", "2023.4.17", "红领巾爱学习", "2023年第7期", "1,180"],
        ["甲区第一小学", "2023年4月24日", "青年大学习", "２０２３年第８期", "８８"],
        ["B3S", "20230501", "红领巾爱学习", "2023年第9期", 1190],
        ["乙区第一中学", 45054, "青年大学习", "2023年第10期", 640],
    ]
    if bad:
        rows[2][1] = "2023-04-31"
        rows[4][0] = "第三小学"
        rows[5][4] = -640
    for number, row in enumerate(rows, 1):
        lessons.append([number, *row, ""])
    lessons.append([])
    lessons.append(["合计", None, None, None, None, "=SUM(F5:F10)"])

    ceremonies = book.create_sheet("入团入队仪式")
    ceremonies.append(header("入团入队仪式"))
    ceremonies.append(["A3S", "2023年6月1日", "入队仪式", "４５", " 一年级新生 "])
    ceremonies.append(["B3S", "2023/6/1", "入队仪式", 38, ""])

    donations = book.create_sheet("希望工程募捐")
    donations.append(["序号", *header("希望工程募捐")])
    donations.append([1, "甲区团委", "2023-05-20", "爱心企业甲\u200b", "爱心企业", "12,345.50", "助学金", ""])
    donations.append(["小计", None, None, None, None, 12345.5])

    book.create_sheet("封面")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def assert_imported(cast):
    a3, b3 = Unit.objects.get(code="A3S"), Unit.objects.get(code="B3S")
    assert (a3.name, a3.parent, b3.name, b3.parent) == ("第三小学", cast.town_a, "第三小学", cast.district_b)
    lessons = {lesson.issue: lesson for lesson in OnlineLesson.objects.select_related("unit")}
    assert set(lessons) == {f"2023年第{n}期" for n in range(5, 11)}
    assert [lessons[f"2023年第{n}期"].date for n in range(5, 11)] == [
        dt.date(2023, 4, 3),
        dt.date(2023, 4, 10),
        dt.date(2023, 4, 17),
        dt.date(2023, 4, 24),
        dt.date(2023, 5, 1),
        dt.date(2023, 5, 8),
    ]
    assert [lessons[f"2023年第{n}期"].participants for n in range(5, 11)] == [320, 1205, 1180, 88, 1190, 640]
    assert [lessons[f"2023年第{n}期"].unit for n in (5, 6, 7, 9)] == [a3, b3, a3, b3]
    assert sorted(Ceremony.objects.values_list("unit__code", "new_members")) == [("A3S", 45), ("B3S", 38)]
    assert Donation.objects.get().donor == "爱心企业甲"
    assert str(Donation.objects.get().amount) == "12345.50"


EXPECTED = [
    "组织单位: 新增 2, 更新 0, 未变 0, 错误 0",
    "网上团队课: 新增 6, 更新 0, 未变 0, 错误 0",
    "入团入队仪式: 新增 2, 更新 0, 未变 0, 错误 0",
    "希望工程募捐: 新增 1, 更新 0, 未变 0, 错误 0",
    "未识别的工作表: 封面",
]


def test_the_messy_workbook_imports_with_the_command(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, messy_workbook()))
    assert (code, out) == (0, EXPECTED)
    assert_imported(cast)
    code, out, _err = run_import(save(tmp_path, messy_workbook()))
    assert code == 0
    assert [line.split(":")[1].strip() for line in out[:4]] == ["新增 0, 更新 0, 未变 2, 错误 0"] + [
        f"新增 0, 更新 0, 未变 {n}, 错误 0" for n in (6, 2, 1)
    ]


def test_the_messy_workbook_imports_through_the_admin_in_one_step(cast, login):
    client = login(cast.city_admin)
    file = io.BytesIO(messy_workbook())
    file.name = "甲区2023Q2.xlsx"
    preview = client.post("/admin/youthwork/importupload/", {"workbook": file}, follow=True).content.decode()
    for line in EXPECTED[:4]:
        name, counts = line.split(": ")
        created = re.search(r"新增 (\d+)", counts).group(1)
        assert f"<td>{name}</td><td>{created}</td>" in preview
    confirm = re.search(r'action="(/admin/youthwork/importrecord/\d+/confirm/)"', preview).group(1)
    client.post(confirm)
    done = client.get("/admin/youthwork/importrecord/").content.decode()  # 导入记录 lists the counts
    for line in EXPECTED[:4]:
        assert line in done
    assert_imported(cast)
    assert ImportUpload.objects.get().result["written"]


def test_a_messy_workbook_with_errors_writes_nothing_and_names_every_bad_cell(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, messy_workbook(bad=True)))
    assert code == 1
    assert out[-3:] == [
        "工作表 网上团队课 第7行 日期: 日期无法识别:2023-04-31",
        "工作表 网上团队课 第9行 填报单位: 单位“第三小学”有多个,请填写单位编码",
        "工作表 网上团队课 第10行 参学人次: 参学人次不能为负数",
    ]
    assert not Unit.objects.filter(name="第三小学").exists()
    assert not OnlineLesson.objects.exists()
    assert not Ceremony.objects.exists()
    assert not Donation.objects.exists()

"""An import runs as a user: rows for units outside the user's units are errors, other units' records stay."""

import datetime as dt

import pytest

from activities.models import OnlineLesson
from legal_education.models import JointDocument
from tests.factories import make_record, make_unit, make_venue
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Unit, Venue

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)


def workbook(**sheets):
    return xlsx({name: [header(name), *rows] for name, rows in sheets.items()})


def lesson(unit, issue="第1期"):
    return [unit, MAY_4, "青年大学习", issue, 100, ""]


def test_a_row_for_a_unit_outside_the_users_units_is_an_error(cast, tmp_path):
    path = save(tmp_path, workbook(网上团队课=[lesson("A1S"), lesson("B"), lesson("乙区第一中学", "第2期")]))
    code, out, _err = run_import(path, "--user", "admin_a")
    assert code == 1
    assert out[1:] == [
        "工作表 网上团队课 第3行 填报单位: 单位“B”不存在,或不在您的管理范围内",
        "工作表 网上团队课 第4行 填报单位: 单位“乙区第一中学”不存在,或不在您的管理范围内",
    ]
    assert not OnlineLesson.objects.exists()


def test_without_a_user_the_import_has_full_scope(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=[lesson("A1S"), lesson("B")])))
    assert (code, out) == (0, ["网上团队课: 新增 2, 更新 0, 未变 0, 错误 0"])


def test_a_name_shared_with_a_unit_outside_the_scope_is_not_ambiguous_for_the_user(cast, tmp_path):
    own = make_unit("第三小学", cast.district_a, Unit.Type.SCHOOL, code="A3")
    make_unit("第三小学", cast.district_b, Unit.Type.SCHOOL, code="B3")
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=[lesson("第三小学")])), "--user", "admin_a")
    assert code == 0, out
    assert OnlineLesson.objects.get().unit == own


def test_a_natural_key_owned_by_another_units_record_is_never_updated(cast, tmp_path):
    theirs = make_record(
        JointDocument, cast.district_b, MAY_4, title="《关于开展法治进校园的通知》", partners="乙区公安分局"
    )
    row = ["A", MAY_4, "《关于开展法治进校园的通知》", "甲区公安分局", "", "", ""]
    code, out, _err = run_import(save(tmp_path, workbook(联合发文=[row])), "--user", "admin_a")
    assert code == 1
    assert out[-1] == "工作表 联合发文 第2行 日期、文件名称: 这条记录已由您管理范围以外的单位登记,不能修改"
    theirs.refresh_from_db()
    assert (theirs.unit, theirs.partners) == (cast.district_b, "乙区公安分局")


def test_a_user_without_the_import_permission_imports_nothing(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=[lesson("A")])), "--user", "clerk_a")
    assert code == 1
    assert out == [
        "网上团队课: 新增 0, 更新 0, 未变 0, 错误 0",
        "工作表 网上团队课 第1行 表头: 您没有导入“网上团队课”的权限",
    ]
    assert not OnlineLesson.objects.exists()


def test_a_district_admin_cannot_add_units_under_another_district(cast, tmp_path):
    code, out, _err = run_import(
        save(tmp_path, workbook(组织单位=[["乙区第二中学", "B", "学校", "B2"]])), "--user", "admin_a"
    )
    assert code == 1
    assert out[-1] == "工作表 组织单位 第2行 上级单位: 上级单位“B”不存在,或不在您的管理范围内"
    assert not Unit.objects.filter(code="B2").exists()


def test_a_district_admin_cannot_take_over_another_districts_unit_by_its_code(cast, tmp_path):
    code, out, _err = run_import(
        save(tmp_path, workbook(组织单位=[["我的学校", "A", "学校", "BS"]])), "--user", "admin_a"
    )
    assert code == 1
    assert out[-1] == "工作表 组织单位 第2行 单位编码: 单位编码“BS”已被您管理范围以外的单位使用"
    cast.school_b.refresh_from_db()
    assert (cast.school_b.name, cast.school_b.parent) == ("乙区第一中学", cast.district_b)


def test_a_district_admin_may_reimport_its_own_unit_under_the_city_but_not_move_it(cast, tmp_path):
    path = save(
        tmp_path, workbook(组织单位=[["甲区团委", "团市委", "区县团委", "A"], ["甲区第二小学", "A", "学校", "A2S"]])
    )
    code, out, _err = run_import(path, "--user", "admin_a")
    assert (code, out) == (0, ["组织单位: 新增 1, 更新 0, 未变 1, 错误 0"])
    path = save(tmp_path, workbook(组织单位=[["甲区团委", "乙区团委", "区县团委", "A"]]))
    code, out, _err = run_import(path, "--user", "admin_a")
    assert code == 1
    assert out[-1] == "工作表 组织单位 第2行 上级单位: 上级单位“乙区团委”不存在,或不在您的管理范围内"


def test_venues_of_units_outside_the_scope_can_be_neither_registered_nor_used(cast, tmp_path):
    make_venue(cast.district_b, "乙区青年之家")
    data = workbook(
        阵地=[["乙区少年宫", "B", "其他", "2022-01-01", "否", ""]],
        主题团队日=[["A", MAY_4, "主题团日", "青春心向党", "五四", 80, "乙区青年之家", ""]],
    )
    code, out, _err = run_import(save(tmp_path, data), "--user", "admin_a")
    assert code == 1
    assert out[2:] == [
        "工作表 阵地 第2行 所在单位: 单位“B”不存在,或不在您的管理范围内",
        "工作表 主题团队日 第2行 活动阵地: 阵地“乙区青年之家”不存在或不在您的管理范围内,请先在阵地表中登记",
    ]
    assert Venue.objects.count() == 1

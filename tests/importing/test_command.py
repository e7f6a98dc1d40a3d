"""`manage.py import_workbook PATH [--dry-run] [--user USERNAME]`: output lines, exit status, all-or-nothing."""

import datetime as dt
import io
import zipfile

import pytest

from activities.models import Ceremony, OnlineLesson
from legal_education.models import RightsPublicity
from tests.factories import make_record
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import ImportUpload, Unit, Venue

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)


def lesson(unit="A", issue="第1期", participants=100, date=MAY_4):
    return [unit, date, "青年大学习", issue, participants, ""]


def workbook(**sheets):
    return xlsx({name: [header(name), *rows] for name, rows in sheets.items()})


def test_it_prints_a_line_per_sheet_then_skipped_sheets_and_exits_0(cast, tmp_path):
    data = xlsx(
        {
            "说明": [["本表由甲区团委填报"]],
            "权益宣传": [header("权益宣传"), ["A", MAY_4, "海报张贴", 200, 3000, ""]],
            "网上团队课": [header("网上团队课"), lesson(), lesson(issue="第2期")],
            "Sheet3": [],
        }
    )
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 0
    assert out == [
        "网上团队课: 新增 2, 更新 0, 未变 0, 错误 0",
        "权益宣传: 新增 1, 更新 0, 未变 0, 错误 0",
        "未识别的工作表: 说明",
        "未识别的工作表: Sheet3",
    ]
    assert OnlineLesson.objects.count() == 2
    assert RightsPublicity.objects.get().quantity == 200


def test_a_dry_run_checks_everything_and_writes_nothing(cast, tmp_path):
    path = save(tmp_path, workbook(网上团队课=[lesson()]))
    code, out, err = run_import(path, "--dry-run")
    assert (code, out) == (0, ["网上团队课: 新增 1, 更新 0, 未变 0, 错误 0"])
    assert "没有写入" in err
    assert not OnlineLesson.objects.exists()


def test_a_dry_run_with_errors_exits_1(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=[lesson(participants=-1)])), "--dry-run")
    assert code == 1
    assert out[-1] == "工作表 网上团队课 第2行 参学人次: 参学人次不能为负数"


def test_a_bad_row_in_the_last_sheet_leaves_the_first_sheet_unwritten(cast, tmp_path):
    data = workbook(
        组织单位=[["甲区第二小学", "A", "学校", "A2S"]],
        阵地=[["甲区希望家园", "A", "希望家园", "2022-06-01", "是", ""]],
        网上团队课=[lesson(), lesson(issue="第2期")],
        联合发文=[
            ["A", MAY_4, "《通知》", "市公安局", "", "思想引领", ""],
            ["A", "不是日期", "《通知二》", "市公安局", "", "", ""],
        ],
    )
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 1
    assert out == [
        "组织单位: 新增 1, 更新 0, 未变 0, 错误 0",
        "阵地: 新增 1, 更新 0, 未变 0, 错误 0",
        "网上团队课: 新增 2, 更新 0, 未变 0, 错误 0",
        "联合发文: 新增 1, 更新 0, 未变 0, 错误 1",
        "工作表 联合发文 第3行 日期: 日期无法识别:不是日期",
    ]
    assert not Unit.objects.filter(code="A2S").exists()
    assert not Venue.objects.exists()
    assert not OnlineLesson.objects.exists()


def test_importing_the_same_workbook_twice_creates_nothing_the_second_time(cast, tmp_path):
    data = workbook(
        组织单位=[["甲区第二小学", "甲区团委", "学校", "A2S"], ["甲区第三小学", "A", "学校", ""]],
        阵地=[["甲区希望家园", "A", "希望家园", "2022-06-01", "是", "有食堂"]],
        网上团队课=[lesson(), lesson(unit="A2S", issue="第2期")],
        入团入队仪式=[["甲区第三小学", "2023/6/1", "入队仪式", 45, ""]],
    )
    path = save(tmp_path, data)
    assert run_import(path)[0] == 0
    code, out, _err = run_import(path)
    assert code == 0
    assert out == [
        "组织单位: 新增 0, 更新 0, 未变 2, 错误 0",
        "阵地: 新增 0, 更新 0, 未变 1, 错误 0",
        "网上团队课: 新增 0, 更新 0, 未变 2, 错误 0",
        "入团入队仪式: 新增 0, 更新 0, 未变 1, 错误 0",
    ]
    assert Unit.objects.filter(name__in=["甲区第二小学", "甲区第三小学"]).count() == 2
    assert OnlineLesson.objects.count() == 2
    assert Ceremony.objects.get().unit.name == "甲区第三小学"


def test_a_row_whose_natural_key_exists_updates_that_record(cast, tmp_path):
    record = make_record(OnlineLesson, cast.district_a, MAY_4, column="青年大学习", issue="第1期", participants=1)
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=[lesson(participants=321)])), "--user", "admin_a")
    assert (code, out) == (0, ["网上团队课: 新增 0, 更新 1, 未变 0, 错误 0"])
    record.refresh_from_db()
    assert record.participants == 321
    assert record.updated_by == cast.admin_a
    assert OnlineLesson.objects.count() == 1


def test_records_created_by_an_import_name_the_importing_user(cast, tmp_path):
    run_import(save(tmp_path, workbook(网上团队课=[lesson()])), "--user", "admin_a")
    record = OnlineLesson.objects.get()
    assert (record.created_by, record.updated_by) == (cast.admin_a, cast.admin_a)


def test_units_and_venues_are_imported_before_the_ledgers_whatever_the_sheet_order(cast, tmp_path):
    data = xlsx(
        {
            "主题团队日": [
                header("主题团队日"),
                ["新华小学", MAY_4, "主题队日", "红领巾心向党", "六一", 60, "新华小学少先队活动室", ""],
            ],
            "阵地": [header("阵地"), ["新华小学少先队活动室", "新华小学", "其他", "2023-01-01", "否", ""]],
            "组织单位": [header("组织单位"), ["新华小学", "甲街道团工委", "学校", ""]],
        }
    )
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 0, out
    assert out[:3] == [
        "组织单位: 新增 1, 更新 0, 未变 0, 错误 0",
        "阵地: 新增 1, 更新 0, 未变 0, 错误 0",
        "主题团队日: 新增 1, 更新 0, 未变 0, 错误 0",
    ]
    school = Unit.objects.get(name="新华小学")
    assert school.parent == cast.town_a
    assert school.path.startswith(cast.town_a.path)


def test_a_dry_run_checks_ledger_rows_against_the_units_and_venues_of_the_same_workbook(cast, tmp_path):
    data = workbook(
        组织单位=[["新华小学", "甲街道团工委", "学校", "XH"]],
        阵地=[["新华小学少先队活动室", "XH", "其他", "2023-01-01", "否", ""]],
        主题团队日=[["XH", MAY_4, "主题队日", "红领巾心向党", "六一", 60, "新华小学少先队活动室", ""]],
    )
    code, out, _err = run_import(save(tmp_path, data), "--dry-run")
    assert (code, out[-1]) == (0, "主题团队日: 新增 1, 更新 0, 未变 0, 错误 0")
    assert not Unit.objects.filter(code="XH").exists()
    assert not Venue.objects.exists()


def test_a_unit_whose_parent_comes_later_in_the_sheet_is_still_placed_under_it(cast, tmp_path):
    rows = [["丙街道第一小学", "丙街道团工委", "学校", "C1S"], ["丙街道团工委", "B", "镇街团(工)委", "C1"]]
    code, out, _err = run_import(save(tmp_path, workbook(组织单位=rows)))
    assert (code, out) == (0, ["组织单位: 新增 2, 更新 0, 未变 0, 错误 0"])
    assert Unit.objects.get(code="C1S").parent == Unit.objects.get(code="C1")
    assert Unit.objects.get(code="C1").parent == cast.district_b


def test_a_unit_row_with_its_code_updates_that_unit(cast, tmp_path):
    code, out, _err = run_import(
        save(tmp_path, workbook(组织单位=[["甲区第一小学(本部)", "甲街道团工委", "学校", "A1S"]]))
    )
    assert (code, out) == (0, ["组织单位: 新增 0, 更新 1, 未变 0, 错误 0"])
    cast.school_a.refresh_from_db()
    assert cast.school_a.name == "甲区第一小学(本部)"


def test_a_unit_moved_under_another_parent_takes_its_subtree_along(cast, tmp_path):
    code, out, _err = run_import(
        save(tmp_path, workbook(组织单位=[["甲街道团工委", "乙区团委", "镇街团(工)委", "A1"]]))
    )
    assert code == 0, out
    cast.school_a.refresh_from_db()
    assert cast.school_a.path.startswith(cast.district_b.path)


def test_unit_rows_are_renamed_and_their_errors_reported_in_row_order(cast, tmp_path):
    rows = [
        ["丙小学", "丙街道", "学校", ""],
        ["甲区第一小学(新校区)", "A1", "学校", "A1S"],
        ["丙街道", "不存在的区", "镇街团(工)委", ""],
        ["丁小学", "甲街道团工委", "幼儿园", ""],
    ]
    code, out, _err = run_import(save(tmp_path, workbook(组织单位=rows)))
    assert code == 1
    assert out[1:] == [
        "工作表 组织单位 第2行 上级单位: 上级单位“丙街道”不存在",
        "工作表 组织单位 第4行 上级单位: 上级单位“不存在的区”不存在",
        "工作表 组织单位 第5行 单位类型: 单位类型只能填写:"
        "市级团委、区县团委、镇街团(工)委、学校、社区、机关企事业单位、其他;“幼儿园”不在其中",
    ]
    assert out[0] == "组织单位: 新增 0, 更新 1, 未变 0, 错误 3"


def test_an_unknown_parent_is_a_row_error(cast, tmp_path):
    code, out, _err = run_import(save(tmp_path, workbook(组织单位=[["某小学", "不存在的街道", "学校", ""]])))
    assert code == 1
    assert out[-1] == "工作表 组织单位 第2行 上级单位: 上级单位“不存在的街道”不存在"


def test_a_venue_row_with_the_same_name_and_unit_updates_the_venue(cast, tmp_path):
    path = save(tmp_path, workbook(阵地=[["甲区希望家园", "A", "希望家园", "2022-06-01", "否", ""]]))
    run_import(path)
    path = save(tmp_path, workbook(阵地=[["甲区希望家园", "A", "希望家园", "2022-06-01", "是", "可住宿"]]))
    code, out, _err = run_import(path)
    assert (code, out) == (0, ["阵地: 新增 0, 更新 1, 未变 0, 错误 0"])
    venue = Venue.objects.get()
    assert (venue.provides_lodging, venue.note) == (True, "可住宿")


def test_a_workbook_without_any_known_sheet_exits_1(cast, tmp_path):
    code, out, err = run_import(save(tmp_path, xlsx({"Sheet1": [["随便"]]})))
    assert code == 1
    assert out == ["未识别的工作表: Sheet1"]
    assert "没有可以导入的工作表" in err


def _zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xe5\xa1\xab\xe6\x8a\xa5\xe5\x8d\x95\xe4\xbd\x8d,\xe6\x97\xa5\xe6\x9c\x9f\n", "文件不是Excel工作簿"),
        (b"PK\x03\x04 broken zip" + b"\x00" * 64, "工作簿已损坏"),
        (_zip_of({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "文件不是Excel工作簿"),
        (_zip_of({"xl/workbook.xml": b"<not-xml", "[Content_Types].xml": b"<Types/>"}), "工作簿已损坏"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"),
            "设置了打开密码",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "Workbook".encode("utf-16-le"), "旧版Excel(.xls)"),
    ],
    ids=["csv", "damaged", "docx-like", "broken-xml", "encrypted", "xls"],
)
def test_a_file_that_is_not_a_readable_xlsx_exits_2(cast, tmp_path, content, reason):
    code, out, err = run_import(save(tmp_path, content))
    assert code == 2
    assert out == []
    assert reason in err


def test_a_truncated_workbook_exits_2(cast, tmp_path):
    data = workbook(网上团队课=[lesson()])
    code, _out, err = run_import(save(tmp_path, data[: len(data) // 2]))
    assert code == 2
    assert "无法读取工作簿" in err


def test_a_file_over_the_size_limit_exits_2(cast, tmp_path, settings):
    settings.IMPORT_MAX_MEGABYTES = 0
    code, _out, err = run_import(save(tmp_path, workbook(网上团队课=[lesson()])))
    assert code == 2
    assert "超过0MB的上限" in err


def test_a_missing_file_exits_2(cast, tmp_path):
    code, _out, err = run_import(tmp_path / "没有这个文件.xlsx")
    assert code == 2
    assert "无法读取工作簿" in err


def test_an_unknown_user_is_refused(cast, tmp_path):
    code, _out, err = run_import(save(tmp_path, workbook(网上团队课=[lesson()])), "--user", "nobody")
    assert code == 1
    assert "用户“nobody”不存在" in err
    assert not ImportUpload.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rows(cast, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(rows: int, unit: str) -> tuple[int, int]:
        data = workbook(网上团队课=[lesson(unit=unit, issue=f"第{n}期") for n in range(rows)])
        with CaptureQueriesContext(connection) as captured:
            code, _out, _err = run_import(save(tmp_path, data))
        assert code == 0
        inserts = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("INSERT")]
        history = sum("historical" in sql.split("(")[0] for sql in inserts)
        return len(captured.captured_queries) - len(inserts), len(inserts) - history, history

    few, many = queries_for(20, "A"), queries_for(400, "B")
    assert few[0] == many[0]  # lookups: the same whatever the rows
    assert many[1] <= 5  # inserts: bulk, in batches (SQLite takes at most 999 parameters a statement)
    assert 0 < many[2] <= 5  # the records' history rows, in bulk too
    assert OnlineLesson.objects.count() == 420


def test_a_sheet_is_checked_in_batches_yet_a_duplicate_and_a_stored_record_far_down_are_still_found(cast, tmp_path):
    from youthwork.importing.engine import BATCH_SIZE

    stored = make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第2005期", participants=1)
    rows = [lesson(unit="A1S", issue=f"第{n}期") for n in range(BATCH_SIZE + 10)]
    rows.append(lesson(unit="A1S", issue="第1期"))  # the same key as the sheet's second row, in the second batch
    code, out, _err = run_import(save(tmp_path, workbook(网上团队课=rows)), "--dry-run")
    assert code == 1
    assert out[0] == f"网上团队课: 新增 {BATCH_SIZE + 9}, 更新 1, 未变 0, 错误 1"
    assert out[1].startswith(f"工作表 网上团队课 第{BATCH_SIZE + 12}行 ") and "与第3行重复" in out[1]
    stored.refresh_from_db()
    assert stored.participants == 1  # a dry run, and a workbook with an error: nothing written

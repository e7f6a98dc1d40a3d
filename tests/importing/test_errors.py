"""Each kind of row error: its message, its sheet, the Excel row number the user sees, its column."""

import datetime as dt

import pytest

from activities.models import OnlineLesson
from reports.models import WorkReport
from tests.factories import make_record, make_unit
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Unit

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)


def errors_of(tmp_path, sheets, formulas=None):
    code, out, err = run_import(save(tmp_path, xlsx(sheets, formulas=formulas)))
    assert code == 1, out
    assert "没有写入任何数据" in err
    return [line for line in out if line.startswith("工作表 ")]


def lesson(**overrides):
    row = {"unit": "A", "date": MAY_4, "column": "青年大学习", "issue": "第1期", "participants": 100, "note": ""}
    row.update(overrides)
    return list(row.values())


# Row 1 is a title, row 2 the header: the data starts on Excel row 3.
TITLE = ["2023年第二季度统计表"]


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        ("网上团队课", lesson(participants=-5), "参学人次: 参学人次不能为负数"),
        ("网上团队课", lesson(participants=12.5), "参学人次: 参学人次应为整数:12.5"),
        ("网上团队课", lesson(participants="十二"), "参学人次: 参学人次应为整数:十二"),
        ("网上团队课", lesson(participants=True), "参学人次: 参学人次应为整数:True"),
        ("网上团队课", lesson(participants=99999999999), "参学人次: 参学人次不能超过1000000"),
        ("网上团队课", lesson(participants=""), "参学人次: 请填写参学人次"),
        (
            "网上团队课",
            lesson(column="青年大学习课"),
            "栏目: 栏目只能填写:青年大学习、红领巾爱学习、其他;“青年大学习课”不在其中",
        ),
        ("网上团队课", lesson(date="2023-13-45"), "日期: 日期无法识别:2023-13-45"),
        ("网上团队课", lesson(unit="不存在的单位"), "填报单位: 单位“不存在的单位”不存在"),
        ("网上团队课", lesson(issue="期" * 201), "期次主题: 期次主题不能超过200个字(现有201个字)"),
        (
            "希望工程募捐",
            ["A", MAY_4, "爱心企业甲", "爱心企业", 12.345, "助学金", ""],
            "金额(元): 金额(元)最多保留两位小数",
        ),
        (
            "辅导员技能竞赛",
            ["A", MAY_4, "技能大赛", 30, "现场答题、唱歌", "", ""],
            "比赛形式: 比赛形式只能填写:现场答题、情景答辩、活动展示、其他;“唱歌”不在其中",
        ),
        ("入团入队仪式", ["A", MAY_4, "入团仪式", 30, ""], "填报单位: 入团入队仪式只能由学校填报,“甲区团委”不是学校"),
        (
            "支教点",
            ["A1", "甲街道支教点", "2023-07-10", "2023-07-01", "师范学院志愿服务队", 10, 40, "", "", ""],
            "结班日期: 结班日期不能早于开班日期",
        ),
        (
            "主题团队日",
            ["A", MAY_4, "主题团日", "青春心向党", "五四", 80, "没有的阵地", ""],
            "活动阵地: 阵地“没有的阵地”不存在,请先在阵地表中登记",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and ":" in value else None,
)
def test_a_bad_cell_is_named_by_sheet_excel_row_and_column(cast, tmp_path, sheet, row, expected):
    lines = errors_of(tmp_path, {sheet: [TITLE, header(sheet), row]})
    assert lines == [f"工作表 {sheet} 第3行 {expected}"]


def test_a_unit_name_shared_by_two_units_asks_for_the_code(cast, tmp_path):
    make_unit("第三小学", cast.district_a, Unit.Type.SCHOOL, code="A3")
    make_unit("第三小学", cast.district_b, Unit.Type.SCHOOL, code="B3")
    lines = errors_of(tmp_path, {"网上团队课": [header("网上团队课"), lesson(unit="第三小学")]})
    assert lines == ["工作表 网上团队课 第2行 填报单位: 单位“第三小学”有多个,请填写单位编码"]


def test_a_formula_without_a_cached_value_is_an_error_never_an_empty_or_the_formula_text(cast, tmp_path):
    sheet = [header("网上团队课"), lesson(), lesson(issue="第2期")]
    lines = errors_of(
        tmp_path, {"网上团队课": sheet}, formulas={"网上团队课": {"E3": "=SUM(E2:E2)", "D2": '="第"&1&"期"'}}
    )
    assert lines == [
        "工作表 网上团队课 第2行 期次主题: 公式没有计算结果,请在Excel中保存后重新上传",
        "工作表 网上团队课 第3行 参学人次: 公式没有计算结果,请在Excel中保存后重新上传",
    ]


def test_a_formula_with_its_cached_value_is_read_as_the_value(cast, tmp_path):
    data = xlsx({"网上团队课": [header("网上团队课"), lesson(participants=0)]})
    # What Excel saves: the formula and its result.
    data = _with_cached_formula(data, "E2", "SUM(100,23)", "123")
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 0, out
    assert OnlineLesson.objects.get().participants == 123


def test_an_error_value_in_a_cell_is_an_error(cast, tmp_path):
    lines = errors_of(tmp_path, {"网上团队课": [header("网上团队课"), lesson(participants="#DIV/0!")]})
    assert lines == ["工作表 网上团队课 第2行 参学人次: 单元格是错误值#DIV/0!,请在Excel中修正后重新上传"]


def test_a_row_repeating_an_earlier_rows_natural_key_is_an_error(cast, tmp_path):
    lines = errors_of(tmp_path, {"网上团队课": [header("网上团队课"), lesson(), lesson(participants=5)]})
    key = "填报单位、日期、栏目、期次主题"
    assert lines == [f"工作表 网上团队课 第3行 {key}: 与第2行重复({key}都相同)"]


def test_a_row_in_a_period_locked_by_a_final_report_is_an_error(cast, tmp_path):
    report = WorkReport.objects.create(unit=cast.city, period_code="2023Q2", status=WorkReport.Status.FINAL)
    lines = errors_of(tmp_path, {"网上团队课": [header("网上团队课"), lesson(), lesson(date="2023-07-01")]})
    assert len(lines) == 1
    assert lines[0].startswith(f"工作表 网上团队课 第2行 日期: “{report}”已定稿")


def test_changing_a_locked_record_by_moving_it_out_of_the_locked_period_is_an_error(cast, tmp_path):
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    make_record(OnlineLesson, cast.town_a, dt.date(2023, 7, 1), column="其他", issue="x", participants=1)
    row = ["A1", "2023-07-01", "其他", "x", 2, ""]
    code, out, _err = run_import(save(tmp_path, xlsx({"网上团队课": [header("网上团队课"), row]})))
    assert code == 0, out  # July is not locked: the change is allowed
    WorkReport.objects.create(unit=cast.city, period_code="2023Q3", status=WorkReport.Status.FINAL)
    lines = errors_of(tmp_path, {"网上团队课": [header("网上团队课"), ["A1", "2023-07-01", "其他", "x", 3, ""]]})
    assert len(lines) == 1
    assert "已定稿" in lines[0]


def test_an_unchanged_row_in_a_locked_period_is_not_an_error(cast, tmp_path):
    make_record(OnlineLesson, cast.district_a, MAY_4, column="青年大学习", issue="第1期", participants=100)
    WorkReport.objects.create(unit=cast.city, period_code="2023Q2", status=WorkReport.Status.FINAL)
    code, out, _err = run_import(save(tmp_path, xlsx({"网上团队课": [header("网上团队课"), lesson()]})))
    assert (code, out) == (0, ["网上团队课: 新增 0, 更新 0, 未变 1, 错误 0"])


def test_a_sheet_without_its_header_row_is_an_error(cast, tmp_path):
    lines = errors_of(tmp_path, {"网上团队课": [["单位", "日期", "人次"], ["A", MAY_4, 3]]})
    assert lines == ["工作表 网上团队课 第1行 表头: 没有找到表头行:表头应包含填报单位、日期、栏目、参学人次"]


def test_a_header_repeated_in_the_header_row_is_an_error(cast, tmp_path):
    lines = errors_of(tmp_path, {"网上团队课": [[*header("网上团队课"), "参学人次"], [*lesson(), 5]]})
    assert lines == ["工作表 网上团队课 第1行 参学人次: 表头中“参学人次”出现了两次,请删除多余的一列"]


def test_every_bad_cell_of_every_sheet_is_reported(cast, tmp_path):
    sheets = {
        "网上团队课": [header("网上团队课"), lesson(), lesson(issue="第2期", participants=-1, date="昨天")],
        "权益宣传": [header("权益宣传"), ["A", MAY_4, "海报张贴", 10, 100, ""], ["B9", MAY_4, "传单", 1, 1, ""]],
    }
    lines = errors_of(tmp_path, sheets)
    assert lines == [
        "工作表 网上团队课 第3行 日期: 日期无法识别:昨天",
        "工作表 网上团队课 第3行 参学人次: 参学人次不能为负数",
        "工作表 权益宣传 第3行 填报单位: 单位“B9”不存在",
        "工作表 权益宣传 第3行 类型: 类型只能填写:海报张贴、线上推文、志愿观察员招募、其他;“传单”不在其中",
    ]


def _with_cached_formula(data: bytes, ref: str, formula: str, value: str) -> bytes:
    """Rewrite a cell of sheet1 as Excel saves a formula: <f> with its cached <v>."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(),
                    f'<c r="{ref}"><f>{formula}</f><v>{value}</v></c>'.encode(),
                    content,
                )
            target.writestr(item, content)
    return out.getvalue()

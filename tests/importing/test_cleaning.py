"""Every cleaning rule of the dictionary's "Common rules for every sheet", through real .xlsx files."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import CounsellorContest, OnlineLesson, ThemeDay
from assistance.models import CareEvent, Donation
from legal_education.models import JointDocument
from tests.factories import make_unit, make_venue
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Unit, Venue

pytestmark = pytest.mark.django_db

MAY_4 = dt.date(2023, 5, 4)


def import_sheet(tmp_path, sheet, rows, *args, above=(), head=None):
    path = save(tmp_path, xlsx({sheet: [*above, head or header(sheet), *rows]}))
    return run_import(path, *args)


def lesson(unit="A", date=MAY_4, column="青年大学习", issue="2023年第12期", participants=100, note=""):
    return [unit, date, column, issue, participants, note]


def test_title_rows_above_the_header_and_the_serial_number_column_are_ignored(cast, tmp_path):
    above = [["2023年第二季度青年大学习参学情况统计表"], ["填报单位:甲区团委", None, "填报日期:2023年7月1日"], []]
    head = ["序号", *header("网上团队课")]
    code, out, _err = import_sheet(tmp_path, "网上团队课", [[1, *lesson()]], above=above, head=head)
    assert (code, out) == (0, ["网上团队课: 新增 1, 更新 0, 未变 0, 错误 0"])
    record = OnlineLesson.objects.get()
    assert (record.unit, record.date, record.issue, record.participants) == (
        cast.district_a,
        MAY_4,
        "2023年第12期",
        100,
    )


def test_header_cells_are_matched_after_trimming_full_width_forms_and_a_required_mark(cast, tmp_path):
    head = [" 填报单位* ", "日　期", "用途", "捐赠方", "捐赠方类型", "金额（元）*", "备注"]
    rows = [["A", MAY_4, "助学金", "爱心企业甲", "爱心企业", 1000, ""]]
    code, out, _err = import_sheet(tmp_path, "希望工程募捐", rows, head=head)
    assert code == 0, out
    assert Donation.objects.get().amount == Decimal("1000")


def test_blank_rows_and_totals_rows_are_skipped(cast, tmp_path):
    rows = [
        lesson(issue="第1期", participants=10),
        [],
        [None, "  ", None],
        lesson(issue="第2期", participants=20),
        ["合计", None, None, None, 30],
        ["", "小 计", "", "", 30],
        ["总计", "", "", "", 30],
    ]
    code, out, _err = import_sheet(tmp_path, "网上团队课", rows)
    assert (code, out) == (0, ["网上团队课: 新增 2, 更新 0, 未变 0, 错误 0"])
    assert sorted(OnlineLesson.objects.values_list("participants", flat=True)) == [10, 20]


def test_rows_holding_only_a_serial_number_are_blank_rows(cast, tmp_path):
    rows = [[1, *lesson()], [2], [3, None, None, None, None, None, None], [4, "", " "]]
    code, out, _err = import_sheet(tmp_path, "网上团队课", rows, head=["序号", *header("网上团队课")])
    assert (code, out) == (0, ["网上团队课: 新增 1, 更新 0, 未变 0, 错误 0"])


@pytest.mark.parametrize(
    "typed",
    [
        MAY_4,
        dt.datetime(2023, 5, 4, 0, 0),
        45050,
        45050.0,
        "45050",
        "2023-05-04",
        "2023-5-4",
        "2023/5/4",
        "2023.5.4",
        "2023年5月4日",
        "20230504",
        "２０２３年５月４日",
        " 2023/05/04 ",
    ],
    ids=repr,
)
def test_dates_read_from_date_cells_serial_numbers_and_the_five_text_forms(cast, tmp_path, typed):
    code, out, _err = import_sheet(tmp_path, "网上团队课", [lesson(date=typed)])
    assert code == 0, out
    assert OnlineLesson.objects.get().date == MAY_4


@pytest.mark.parametrize("typed", ["2023-13-45", "04/05/2023", "5/4/2023", "5月4日", "2023-02-30", "明天"])
def test_a_date_that_cannot_be_read_is_a_row_error_never_a_guess(cast, tmp_path, typed):
    code, out, _err = import_sheet(tmp_path, "网上团队课", [lesson(date=typed)])
    assert code == 1
    assert out[-1] == f"工作表 网上团队课 第2行 日期: 日期无法识别:{typed}"
    assert not OnlineLesson.objects.exists()


def test_cells_are_trimmed_and_full_width_and_zero_width_characters_are_normalised(cast, tmp_path):
    row = [" Ａ１Ｓ\u200b ", MAY_4, "\u3000红领巾爱学习 ", "２０２３年第１２期\u200b", "１２３４", " 很好，继续\u200d "]
    code, out, _err = import_sheet(tmp_path, "网上团队课", [row])
    assert code == 0, out
    record = OnlineLesson.objects.get()
    assert record.unit == cast.school_a
    assert record.column == "红领巾爱学习"
    assert record.issue == "2023年第12期"
    assert record.participants == 1234
    assert record.note == "很好，继续"  # Chinese punctuation in free text is kept as typed


@pytest.mark.parametrize(
    ("typed", "expected"), [("1,234", 1234), ("1,000,000", 1000000), ("１，２３４", 1234), (1234.0, 1234)]
)
def test_counts_accept_thousands_separators_and_full_width_digits(cast, tmp_path, typed, expected):
    code, out, _err = import_sheet(tmp_path, "网上团队课", [lesson(participants=typed)])
    assert code == 0, out
    assert OnlineLesson.objects.get().participants == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234.50", Decimal("1234.5")),
        ("352380.50", Decimal("352380.5")),
        (0.1 + 0.2, Decimal("0.3")),
        (8650, Decimal(8650)),
    ],
)
def test_amounts_accept_separators_and_binary_float_noise(cast, tmp_path, typed, expected):
    rows = [["A", MAY_4, "爱心企业甲", "爱心企业", typed, "助学金", ""]]
    code, out, _err = import_sheet(tmp_path, "希望工程募捐", rows)
    assert code == 0, out
    assert Donation.objects.get().amount == expected


@pytest.mark.parametrize("separator", ["、", ",", "，", ";", "；", "/", " / "])
def test_multi_choice_labels_may_be_separated_by_any_listed_separator(cast, tmp_path, separator):
    rows = [["A", MAY_4, "辅导员技能大赛", 30, f"情景答辩{separator}现场答题", "", ""]]
    code, out, _err = import_sheet(tmp_path, "辅导员技能竞赛", rows)
    assert code == 0, out
    assert CounsellorContest.objects.get().formats == ["现场答题", "情景答辩"]


def test_units_are_found_by_code_or_by_a_unique_name(cast, tmp_path):
    rows = [lesson(unit="A1S", issue="按编码"), lesson(unit="甲区第一小学", issue="按名称")]
    code, out, _err = import_sheet(tmp_path, "网上团队课", rows)
    assert code == 0, out
    assert set(OnlineLesson.objects.values_list("unit", flat=True)) == {cast.school_a.pk}


def test_two_schools_of_the_same_name_are_told_apart_by_code(cast, tmp_path):
    make_unit("第三小学", cast.district_a, Unit.Type.SCHOOL, code="A3")
    make_unit("第三小学", cast.district_b, Unit.Type.SCHOOL, code="B3")
    code, out, _err = import_sheet(tmp_path, "网上团队课", [lesson(unit="A3"), lesson(unit="B3")])
    assert code == 0, out
    assert sorted(OnlineLesson.objects.values_list("unit__code", flat=True)) == ["A3", "B3"]


def test_venues_are_found_by_name(cast, tmp_path):
    venue = make_venue(cast.town_a, "甲街道青年之家")
    rows = [["A1S", MAY_4, "主题队日", "红领巾心向党", "六一", 120, " 甲街道青年之家 ", ""]]
    code, out, _err = import_sheet(tmp_path, "主题团队日", rows)
    assert code == 0, out
    assert ThemeDay.objects.get().venue == venue


def test_a_venue_name_shared_by_two_units_means_the_one_of_the_rows_unit_or_its_nearest_ancestor(cast, tmp_path):
    make_venue(cast.district_b, "青少年宫")
    own = make_venue(cast.district_a, "青少年宫")
    rows = [["A1S", MAY_4, "主题队日", "红领巾心向党", "六一", 120, "青少年宫", ""]]
    code, out, _err = import_sheet(tmp_path, "主题团队日", rows)
    assert code == 0, out
    assert ThemeDay.objects.get().venue == own


def test_an_empty_optional_choice_takes_the_dictionarys_default(cast, tmp_path):
    code, out, _err = import_sheet(tmp_path, "关爱活动", [["A", MAY_4, "情暖六一", "", 50, "", "", ""]])
    assert code == 0, out
    assert CareEvent.objects.get().target == "留守儿童"
    code, out, _err = import_sheet(
        tmp_path, "联合发文", [["A", MAY_4, "《关于开展法治进校园的通知》", "市公安局", "", "", ""]]
    )
    assert code == 0, out
    assert JointDocument.objects.get().area == "权益维护"
    code, out, _err = import_sheet(tmp_path, "阵地", [["甲区希望家园", "A", "希望家园", "2022-06-01", "", ""]])
    assert code == 0, out
    assert Venue.objects.get(name="甲区希望家园").provides_lodging is False


def test_numbers_in_text_columns_keep_their_digits(cast, tmp_path):
    code, out, _err = import_sheet(tmp_path, "网上团队课", [lesson(issue=12)])
    assert code == 0, out
    assert OnlineLesson.objects.get().issue == "12"


def test_optional_columns_may_be_left_out_of_the_sheet(cast, tmp_path):
    head = ["填报单位", "日期", "栏目", "参学人次"]
    code, out, _err = import_sheet(tmp_path, "网上团队课", [["A", MAY_4, "青年大学习", 5]], head=head)
    assert code == 0, out
    record = OnlineLesson.objects.get()
    assert (record.issue, record.note, record.participants) == ("", "", 5)

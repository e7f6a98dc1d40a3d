"""The Excel annex: one sheet per work area, one row per direct child unit, totals equal the report's figures."""

import io
from decimal import Decimal

import openpyxl
import pytest

from reports.builder import build_outputs
from reports.figures import VENUES, area_figures, areas, collect
from youthwork.ledgers import all_ledgers
from youthwork.periods import Period

Q2 = Period.parse("2023Q2")
HEADER_ROW = 3


@pytest.fixture
def annex(town):
    return openpyxl.load_workbook(io.BytesIO(build_outputs(Q2, town.city).xlsx))


def table(sheet):
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    rows = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = dict(zip(headers, row, strict=True))
    return rows


def test_one_sheet_per_work_area_then_venues_and_reporting(annex):
    details = [f"明细-{ledger.name}" for ledger in all_ledgers()]
    assert annex.sheetnames == ["思想引领", "关心关爱", "权益维护", "阵地", "报送情况", *details]
    assert annex["思想引领"]["A1"].value == "团市委2023年第二季度思想引领工作数据"


def test_rows_are_the_direct_child_units_the_unit_itself_and_a_total(annex):
    assert list(table(annex["关心关爱"])) == ["团市委(本级)", "甲区团委", "乙区团委", "合计"]
    assert list(table(annex["阵地"])) == ["甲区团委", "乙区团委", "合计"]  # the city has no venue of its own


def test_totals_equal_the_reports_figures(town, annex):
    figures = collect(Q2, town.city)
    for key in [*areas(), VENUES]:
        sheet = annex["阵地" if key == VENUES else _sheet_name(key)]
        total = table(sheet)["合计"]
        for figure in area_figures(key):
            value = total[figure.label]
            if figure.kind == "count":
                assert value == figures[key][figure.key], figure.label
            elif figure.kind == "amount":
                assert Decimal(str(value)) == figures[key][figure.key], figure.label
            elif figure.kind == "rate":
                numerator, denominator = figures[key][figure.key]
                assert value == pytest.approx(numerator / denominator, abs=0.001), figure.label


def _sheet_name(key):
    from django.apps import apps

    return str(apps.get_app_config(key).verbose_name)


def test_rows_add_up_to_the_total_except_distinct_counts(annex):
    rows = table(annex["关心关爱"])
    total = rows.pop("合计")
    assert sum(Decimal(str(row["募集资金(元,今年以来)"])) for row in rows.values()) == Decimal("352380.50")
    assert total["募集资金(元,今年以来)"] == pytest.approx(352380.50)
    # 王五 is aided by the city and by district B: a row each, once in the total
    assert [row["资助学生(人,今年以来)"] for row in rows.values()] == [1, 1, 1]
    assert total["资助学生(人,今年以来)"] == 2
    notes = [cell.value for cell in annex["关心关爱"]["A"] if cell.value and "去重" in str(cell.value)]
    assert notes and "资助学生" in notes[0]


def test_numbers_are_numbers_with_formats(annex):
    sheet = annex["思想引领"]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    coverage = headers.index("仪式覆盖率(今年以来)") + 1
    total_row = HEADER_ROW + 4
    assert sheet.cell(total_row, 1).value == "合计"
    assert sheet.cell(total_row, coverage).value == pytest.approx(0.667)
    assert sheet.cell(total_row, coverage).number_format == "0.0%"
    assert isinstance(sheet.cell(total_row, 2).value, int)


def test_the_reporting_sheet_counts_records_by_area(annex):
    rows = table(annex["报送情况"])
    assert rows["乙区团委"]["思想引领(条)"] == 3
    assert rows["合计"]["合计(条)"] == sum(row["合计(条)"] for name, row in rows.items() if name != "合计")


def test_a_districts_annex_has_its_own_towns_only(town):
    book = openpyxl.load_workbook(io.BytesIO(build_outputs(Q2, town.district_a).xlsx))
    assert list(table(book["权益维护"])) == ["甲区团委(本级)", "甲街道团工委", "合计"]
    assert "乙区" not in str([cell.value for row in book["权益维护"].iter_rows() for cell in row])

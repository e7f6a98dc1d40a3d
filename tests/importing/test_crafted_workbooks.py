"""Crafted workbooks are refused from their zip and XML alone, before a reader parses them (issue 8 §2):
through the command (exit 2, the reason on stderr), the `导入工作簿` page and a ledger's 导入 button, in a
fresh process within 10 s and 300 MB, nothing written."""

import pytest

from activities.models import OnlineLesson
from tests.importing.workbooks import WORKBOOK_RELS, Long, handmade_xlsx, header, run_import, run_measured, save
from youthwork.models import ImportUpload

pytestmark = pytest.mark.django_db

PAGE = "/admin/youthwork/importupload/"
SHEET = "网上团队课"


def header_cells() -> dict[str, object]:
    return {f"{chr(65 + index)}1": text for index, text in enumerate(header(SHEET))}


def lesson_with_note(note) -> dict[str, object]:
    # 填报单位, 日期, 栏目, 期次主题, 参学人次, 备注
    return {**header_cells(), "A2": "A", "B2": "2023-05-04", "C2": "青年大学习", "D2": "第1期", "E2": 100, "F2": note}


CRAFTED = {
    "two_cells_a1_and_xfd1048576": (
        lambda: handmade_xlsx({"A1": 1, "XFD1048576": 2}),
        "工作表“网上团队课”的单元格XFD1048576用到了第1,048,576行",
    ),
    "a_190_mb_shared_string": (
        lambda: handmade_xlsx(lesson_with_note(Long(190_000_000)), shared=True),
        "工作表“网上团队课”单元格F2的文字超过32,767个字的上限",
    ),
    "a_190_mb_inline_string": (
        lambda: handmade_xlsx(lesson_with_note(Long(190_000_000))),
        "工作表“网上团队课”单元格F2的文字超过32,767个字的上限",
    ),
    "a_used_range_of_millions_of_cells_with_few_values": (
        lambda: handmade_xlsx({**header_cells(), "A2": "A", "AZ250000": 1}),
        "工作表“网上团队课”的单元格AZ250000使范围A1:AZ250000达到13,000,000个单元格",
    ),
    "a_declared_range_of_millions_of_cells": (
        lambda: handmade_xlsx(header_cells(), dimension="A1:BH100000"),
        "工作表“网上团队课”声明的数据范围A1:BH100000使范围A1:BH100000达到6,000,000个单元格",
    ),
}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """Each crafted file, written once (a 190 MB string takes a second to deflate)."""
    folder = tmp_path_factory.mktemp("crafted")
    files = {}
    for name, (build, _reason) in CRAFTED.items():
        files[name] = folder / f"{name}.xlsx"
        files[name].write_bytes(build())
    return files


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_workbook_stays_tiny_on_disk(crafted, name):
    assert crafted[name].stat().st_size < 250_000


@pytest.mark.parametrize("name", CRAFTED)
def test_the_command_refuses_a_crafted_workbook_with_exit_2_naming_the_sheet_and_cell(cast, crafted, name):
    code, out, err = run_import(crafted[name])
    assert code == 2
    assert out == []
    assert CRAFTED[name][1] in err
    assert not OnlineLesson.objects.exists()


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_workbook_is_refused_in_a_fresh_process_within_10_s_and_300_mb(crafted, name):
    code, err, seconds, peak_mb = run_measured(crafted[name])
    assert code == 2, err
    assert CRAFTED[name][1] in err
    assert seconds < 10
    assert peak_mb < 300


@pytest.mark.parametrize("name", CRAFTED)
def test_the_admin_upload_page_refuses_a_crafted_workbook_with_the_reason(cast, login, crafted, name):
    with crafted[name].open("rb") as file:
        response = login(cast.city_admin).post(PAGE, {"workbook": file}, follow=True)
    assert response.status_code == 200  # the check's job page: the workbook is measured by the job
    assert CRAFTED[name][1] in response.content.decode()
    assert "检查发现错误" in response.content.decode()
    assert ImportUpload.objects.get().result["ok"] is False
    assert not OnlineLesson.objects.exists()


@pytest.mark.parametrize("name", ["two_cells_a1_and_xfd1048576", "a_190_mb_shared_string"])
def test_a_ledgers_import_button_refuses_a_crafted_workbook_with_the_reason(cast, login, crafted, name):
    with crafted[name].open("rb") as file:
        response = login(cast.admin_a).post(
            "/admin/activities/onlinelesson/import/", {"import_file": file, "format": "0"}, follow=True
        )
    assert response.status_code == 200
    assert CRAFTED[name][1] in response.content.decode()
    assert not OnlineLesson.objects.exists()


def test_a_zip_directory_that_lies_about_a_parts_size_is_caught_while_unpacking(cast, tmp_path):
    data = handmade_xlsx(lesson_with_note(Long(5_000_000)), lie_about_size=True)
    code, _out, err = run_import(save(tmp_path, data))
    assert code == 2
    assert "xl/worksheets/sheet1.xml比记录的大小更大" in err


def test_entities_declared_in_a_doctype_are_refused_before_any_parser_expands_them(cast, tmp_path):
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    code, _out, err = run_import(save(tmp_path, handmade_xlsx(lesson_with_note("&b;"), doctype=laughs)))
    assert code == 2
    assert "文档类型声明(DOCTYPE)" in err


def test_a_shared_strings_relationship_naming_the_sheet_does_not_spare_the_sheet_its_measuring(cast, tmp_path):
    rels = WORKBOOK_RELS.replace('Target="sharedStrings.xml"', 'Target="worksheets/sheet1.xml"')
    data = handmade_xlsx({"A1": 1, "XFD1048576": 2}, parts={"xl/_rels/workbook.xml.rels": rels})
    code, _out, err = run_import(save(tmp_path, data))
    assert code == 2
    assert "工作簿已损坏" in err


def test_a_zip_bomb_that_unpacks_past_the_limit_is_refused(cast, tmp_path, settings):
    settings.IMPORT_MAX_MEGABYTES = 1  # at most 20 MB unpacked
    cells = {**header_cells(), **{f"F{row}": Long(30_000) for row in range(2, 800)}}
    code, _out, err = run_import(save(tmp_path, handmade_xlsx(cells)))
    assert code == 2
    assert "工作簿解压后太大,超过20MB" in err


def test_one_long_shared_string_shown_by_a_hundred_thousand_cells_is_refused_for_its_total_text(cast, tmp_path):
    cells = {**header_cells(), **{f"F{row}": Long(30_000) for row in range(2, 1002)}}
    data = handmade_xlsx(cells, shared=True)
    code, _out, err = run_import(save(tmp_path, data))
    assert code == 2
    assert "工作簿的文字太多" in err


def test_a_cell_longer_than_its_column_is_a_row_error_that_quotes_at_most_50_characters(cast, tmp_path, login):
    cells = lesson_with_note("")
    cells["D2"] = "期" * 30_000  # 期次主题 allows 200
    data = handmade_xlsx(cells)
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 1
    assert out[-1] == "工作表 网上团队课 第2行 期次主题: 期次主题不能超过200个字(现有30000个字)"
    response = login(cast.city_admin).post(PAGE, {"workbook": _upload(data)}, follow=True)
    page = response.content.decode()
    assert "期次主题不能超过200个字(现有30000个字)" in page
    assert "期" * 50 in page  # the preview shows the start of the cell
    assert "期" * 51 not in page
    assert not OnlineLesson.objects.exists()


def test_an_ordinary_handmade_workbook_still_imports(cast, tmp_path):
    code, out, err = run_import(save(tmp_path, handmade_xlsx(lesson_with_note("备注"), shared=True)))
    assert code == 0, (out, err)
    assert OnlineLesson.objects.get().note == "备注"


def _upload(data: bytes):
    import io

    file = io.BytesIO(data)
    file.name = "工作簿.xlsx"
    return file

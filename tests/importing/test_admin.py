"""The admin: the `导入工作簿` page (upload → dry run → confirm), per-sheet import and export, permissions."""

import datetime as dt
import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import OnlineLesson
from assistance.models import StudentAid
from tests.factories import make_record, make_user
from tests.importing.workbooks import export, header, rows_of, xlsx
from youthwork.admin.resources import resource_for
from youthwork.models import ImportUpload

pytestmark = pytest.mark.django_db

PAGE = "/admin/youthwork/importupload/"
MAY_4 = dt.date(2023, 5, 4)


def upload(name: str, data: bytes):
    file = io.BytesIO(data)
    file.name = name
    return file


def lessons(count: int, unit="A") -> bytes:
    rows = [[unit, MAY_4, "青年大学习", f"第{index}期", index, ""] for index in range(1, count + 1)]
    return xlsx({"网上团队课": [header("网上团队课"), *rows]})


def check(client, name: str, data: bytes, url: str = PAGE):
    """Upload a workbook: the request answers with the job's page (the check ran in the test's request)."""
    response = client.post(url, {"workbook": upload(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert re.fullmatch(r"/admin/youthwork/importrecord/\d+/", response["Location"])
    return client.get(response["Location"])


def confirm_url(page) -> str:
    return re.search(r'action="(/admin/youthwork/importrecord/\d+/confirm/)"', page.content.decode()).group(1)


def test_an_admin_checks_a_workbook_then_confirms_it(cast, login):
    client = login(cast.city_admin)
    response = check(client, "甲区.xlsx", lessons(3))
    page = response.content.decode()
    assert "检查结果(试运行,尚未写入)" in page
    assert "<td>网上团队课</td><td>3</td><td>0</td><td>0</td><td>0</td>" in page
    assert "确认导入" in page
    assert page.index("import-preview") < page.index('value="确认导入"')  # the rows first, then the button
    assert not OnlineLesson.objects.exists()
    assert ImportUpload.objects.count() == 1

    response = client.post(confirm_url(response), follow=True)
    page = response.content.decode()
    assert "导入结果" in page and "已导入" in page
    assert "<td>网上团队课</td><td>3</td><td>0</td><td>0</td><td>0</td>" in page
    assert OnlineLesson.objects.count() == 3
    assert set(OnlineLesson.objects.values_list("created_by", flat=True)) == {cast.city_admin.pk}
    upload_record = ImportUpload.objects.get()
    assert (upload_record.stage, upload_record.status) == ("import", "done")
    assert bytes(upload_record.content).startswith(b"PK")  # kept: 导入记录 offers it again


def test_the_confirmation_may_reach_another_server_process(cast, client, django_user_model):
    """Nothing of the preview stays in the process or the session: the upload is in the database."""
    client.force_login(cast.city_admin)
    url = confirm_url(check(client, "a.xlsx", lessons(2)))
    stored = ImportUpload.objects.get()
    assert bytes(stored.content).startswith(b"PK")
    assert stored.user == cast.city_admin

    from django.test import Client

    other = Client()  # another browser session, as another worker would see it
    other.force_login(cast.city_admin)
    response = other.post(url)
    assert response.status_code == 302
    assert OnlineLesson.objects.count() == 2


def test_someone_elses_upload_cannot_be_confirmed(cast, login):
    url = confirm_url(check(login(cast.city_admin), "a.xlsx", lessons(1)))
    assert login(cast.admin_a).post(url).status_code == 404  # not in their scope: the city's import
    assert not OnlineLesson.objects.exists()


def test_confirming_twice_imports_once(cast, login):
    client = login(cast.city_admin)
    url = confirm_url(check(client, "a.xlsx", lessons(2)))
    client.post(url)
    response = client.post(url, follow=True)
    assert "这个工作簿已经确认导入,或检查没有通过,不能再次确认" in response.content.decode()
    assert OnlineLesson.objects.count() == 2


def test_the_preview_shows_only_the_first_rows_of_a_big_sheet(cast, login):
    page = check(login(cast.city_admin), "a.xlsx", lessons(300)).content.decode()
    assert "网上团队课:前10行(共300行)" in page
    assert "<td>第10期</td>" in page
    assert "<td>第11期</td>" not in page
    assert page.count("<td>新增</td>") == 10


def test_a_workbook_with_errors_lists_every_error_and_cannot_be_confirmed(cast, login):
    rows = [["A", MAY_4, "青年大学习", "第1期", -1, ""], ["A", "2023-13-45", "青年大学习", "第2期", 5, ""]]
    data = xlsx({"网上团队课": [header("网上团队课"), *rows]})
    page = check(login(cast.city_admin), "a.xlsx", data).content.decode()
    assert "工作表 网上团队课 第2行 参学人次: 参学人次不能为负数" in page
    assert "工作表 网上团队课 第3行 日期: 日期无法识别:2023-13-45" in page
    assert "/confirm/" not in page
    assert "检查发现错误" in page


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(cast, login):
    response = login(cast.city_admin).post(PAGE, {"workbook": upload("a.csv", "填报单位,日期\n".encode())})
    assert "文件不是Excel工作簿(.xlsx格式)" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_district_admin_imports_only_for_their_units(cast, login):
    response = check(login(cast.admin_a), "a.xlsx", lessons(1, unit="B"))
    assert "工作表 网上团队课 第2行 填报单位: 单位“B”不存在,或不在您的管理范围内" in response.content.decode()


def test_staff_without_the_import_permission_neither_see_nor_open_the_page(cast, login):
    client = login(cast.clerk_a)
    assert "导入工作簿" not in client.get("/admin/").content.decode()
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"workbook": upload("a.xlsx", lessons(1))}).status_code == 403
    assert client.get(PAGE + "template/").status_code == 403
    assert not OnlineLesson.objects.exists()


def test_the_admin_index_links_to_the_page(cast, login):
    page = login(cast.city_admin).get("/admin/").content.decode()
    assert f'href="{PAGE}"' in page
    assert "导入工作簿" in page


def test_the_blank_template_can_be_downloaded_from_the_page(cast, login):
    client = login(cast.admin_a)
    assert "下载空白导入模板" in client.get(PAGE).content.decode()
    response = client.get(PAGE + "template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["填表说明", "单位编码", "组织单位", "阵地"]
    codes = [row for row in book["单位编码"].iter_rows(min_row=2, values_only=True)]
    assert codes == [
        ("A", "甲区团委", None),
        ("A1", "甲街道团工委", "甲区团委"),
        ("A1S", "甲区第一小学", "甲区团委 › 甲街道团工委"),
    ]  # the admin's own units only, with the way down to each


def test_a_template_filled_in_and_uploaded_with_its_unit_codes_sheet_imports_without_a_word_about_it(cast, login):
    client = login(cast.admin_a)
    book = load_workbook(io.BytesIO(client.get(PAGE + "template/").content))
    book["网上团队课"].append(["A1S", "2023-05-04", "青年大学习", "第1期", 100])
    out = io.BytesIO()
    book.save(out)
    page = check(client, "模板.xlsx", out.getvalue()).content.decode()
    assert "单位编码" not in page.split("检查结果")[1].split("导入另一个工作簿")[0]
    assert "<td>网上团队课</td><td>1</td>" in page


# --- per-sheet import and export (django-import-export) ----------------------------------------------


def sheet_check(client, url: str, name: str, data: bytes):
    response = client.post(f"{url}import/", {"import_file": upload(name, data), "format": "0"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"])


def test_a_ledger_is_imported_from_its_admin_in_two_steps(cast, login):
    client = login(cast.admin_a)
    changelist = client.get("/admin/activities/onlinelesson/").content.decode()
    assert "/admin/activities/onlinelesson/import/" in changelist
    page = sheet_check(client, "/admin/activities/onlinelesson/", "a.xlsx", lessons(2))
    assert "<td>网上团队课</td><td>2</td>" in page.content.decode()
    assert "工作表“网上团队课”" in page.content.decode()
    assert not OnlineLesson.objects.exists()
    response = client.post(confirm_url(page), follow=True)
    assert "<td>网上团队课</td><td>2</td><td>0</td><td>0</td><td>0</td>" in response.content.decode()
    assert OnlineLesson.objects.count() == 2
    history = OnlineLesson.history.values_list("history_type", "history_user", "history_change_reason")
    assert set(history) == {("+", cast.admin_a.pk, "导入工作簿 a.xlsx")}


def test_the_ledger_admin_import_shows_the_workbook_importers_errors(cast, login):
    data = xlsx({"Sheet1": [["2023年统计"], header("网上团队课"), ["A", MAY_4, "青年大学习", "第1期", "-3", ""]]})
    page = sheet_check(login(cast.admin_a), "/admin/activities/onlinelesson/", "a.xlsx", data).content.decode()
    assert "工作表 Sheet1 第3行 参学人次: 参学人次不能为负数" in page
    assert "/confirm/" not in page


def test_the_ledger_admin_import_refuses_a_file_that_is_not_a_workbook(cast, login):
    response = login(cast.admin_a).post(
        "/admin/activities/onlinelesson/import/", {"import_file": upload("a.xlsx", b"not a workbook"), "format": "0"}
    )
    assert "文件不是Excel工作簿(.xlsx格式)" in response.content.decode()


def test_clerks_may_neither_import_nor_export(cast, login):
    client = login(cast.clerk_a)
    changelist = client.get("/admin/activities/onlinelesson/").content.decode()
    assert "/import/" not in changelist
    assert "/export/" not in changelist
    assert client.get("/admin/activities/onlinelesson/import/").status_code == 403
    assert client.get("/admin/activities/onlinelesson/export/").status_code == 403


def test_an_export_holds_only_the_users_units_in_the_importers_format(cast, login):
    make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第1期", participants=1234)
    make_record(OnlineLesson, cast.district_b, MAY_4, column="青年大学习", issue="第1期", participants=99)
    content = export(login(cast.admin_a), "/admin/activities/onlinelesson/", resource_for(OnlineLesson))
    title, rows = rows_of(content)
    assert title == "网上团队课"
    assert rows[0] == header("网上团队课")
    assert rows[1:] == [["甲区第一小学", dt.datetime(2023, 5, 4), "青年大学习", "第1期", 1234, None]]


def test_an_export_masks_minors_names_for_users_without_the_permission(cast, login):
    make_record(StudentAid, cast.school_a, MAY_4, student_name="张小明", school="甲区第一小学", amount=500)
    exporter = make_user("exporter", cast.district_a)
    exporter.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_studentaid", "export_studentaid"]),
    )
    _title, rows = rows_of(export(login(exporter), "/admin/assistance/studentaid/", resource_for(StudentAid)))
    assert rows[1][2] == "张**"
    _title, rows = rows_of(export(login(cast.admin_a), "/admin/assistance/studentaid/", resource_for(StudentAid)))
    assert rows[1][2] == "张小明"


def test_units_are_imported_from_their_admin_with_the_same_engine(cast, login):
    data = xlsx({"组织单位": [header("组织单位"), ["甲区第二小学", "甲街道团工委", "学校", "A2S"]]})
    client = login(cast.admin_a)
    client.post(confirm_url(sheet_check(client, "/admin/youthwork/unit/", "u.xlsx", data)))
    school = cast.town_a.children.get(code="A2S")
    assert school.path.startswith(cast.town_a.path)


def test_an_export_names_a_venue_of_another_unit_so_a_reimport_never_clears_it(cast, login, tmp_path):
    from activities.models import ThemeDay
    from tests.factories import make_venue
    from tests.importing.workbooks import run_import, save

    city_venue = make_venue(cast.city, "市青少年宫")
    record = make_record(ThemeDay, cast.school_a, MAY_4, venue=city_venue)
    _title, rows = rows_of(export(login(cast.admin_a), "/admin/activities/themeday/", resource_for(ThemeDay)))
    assert rows[1][6] == "市青少年宫"
    code, out, _err = run_import(save(tmp_path, xlsx({"主题团队日": rows})), "--user", "admin_a")
    assert (code, out) == (0, ["主题团队日: 新增 0, 更新 0, 未变 1, 错误 0"])
    record.refresh_from_db()
    assert record.venue == city_venue


def test_admins_have_the_import_and_export_buttons_on_units_and_venues_and_clerks_do_not(cast, login):
    for url in ("/admin/youthwork/unit/", "/admin/youthwork/venue/"):
        page = login(cast.admin_a).get(url).content.decode()
        assert f"{url}import/" in page and f"{url}export/" in page
        page = login(cast.clerk_a).get(url).content.decode()
        assert f"{url}import/" not in page and f"{url}export/" not in page


def test_an_export_runs_the_same_queries_for_3_or_30_records(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.models import ThemeDay
    from tests.factories import make_venue

    venue = make_venue(cast.town_a, "甲街道青年之家")
    client = login(cast.admin_a)

    def queries(count: int) -> int:
        ThemeDay.objects.all().delete()
        for number in range(count):
            make_record(ThemeDay, cast.school_a, MAY_4, theme=f"主题{number}", venue=venue)
        with CaptureQueriesContext(connection) as captured:
            content = export(client, "/admin/activities/themeday/", resource_for(ThemeDay))
        assert len(rows_of(content)[1]) == count + 1
        return len(captured.captured_queries)

    assert queries(3) == queries(30)


def test_an_export_downloads_under_its_chinese_name_and_its_page_speaks_chinese(cast, login):
    make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第1期", participants=1234)
    client = login(cast.admin_a)
    page = client.get("/admin/activities/onlinelesson/export/").content.decode()
    assert "全选" in page and "Select all" not in page
    assert ">填报单位<" in page.replace("\n", "").replace(" ", "") and "Unit (" not in page
    data = {"format": "0", "resource": "0"}
    for name in resource_for(OnlineLesson).fields:
        data[f"{resource_for(OnlineLesson).__name__.lower()}_{name}"] = "on"
    response = client.post("/admin/activities/onlinelesson/export/", data)
    name = f"网上团队课-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert "=?utf-8?" not in response["Content-Disposition"]


def test_the_admin_index_names_its_columns_in_chinese_for_screen_readers(cast, login):
    page = login(cast.admin_a).get("/admin/").content.decode()
    assert "Model name" not in page and "Add link" not in page and "Change or view list link" not in page
    assert '<th scope="col">名称</th>' in page


def test_importing_has_its_own_place_on_the_admin_index_and_in_the_portals_navigation(cast, login):
    client = login(cast.admin_a)
    index = client.get("/admin/").content.decode()
    assert "数据导入" in index and index.index("数据导入") < index.index("组织与用户")
    assert 'href="/admin/youthwork/importupload/"' in client.get("/").content.decode()
    assert "/admin/youthwork/importupload/" not in login(cast.clerk_a).get("/").content.decode()

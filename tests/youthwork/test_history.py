"""Every change to a record is attributable: who, when, from what to what (django-simple-history)."""

import datetime as dt
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import CounsellorContest, OnlineLesson, ThemeDay
from assistance.models import StudentAid
from tests.factories import make_record, make_unit, make_venue, theme_day_form
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Unit, Venue

MAY_4 = dt.date(2023, 5, 4)
LESSON = {"unit": None, "date": "2023-05-04", "column": "青年大学习", "issue": "第1期", "participants": "5"}


def text_of(response) -> str:
    """The page as a reader sees it: tags removed (inline ones without a space), entities decoded, spaces collapsed."""
    page = re.sub(r"</?(?:strong|span|a|em)\b[^>]*>", "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def history_url(model, pk) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/history/"


def lesson_workbook(*rows) -> bytes:
    lessons = [[unit, MAY_4, "青年大学习", issue, participants, ""] for unit, issue, participants in rows]
    return xlsx({"网上团队课": [header("网上团队课"), *lessons]})


# --- who and what, by way of every path that writes -----------------------------------------------


def test_an_admin_edit_records_the_user_and_the_values_before_and_after(cast, login):
    login(cast.clerk_a).post("/admin/activities/onlinelesson/add/", {**LESSON, "unit": cast.school_a.pk})
    lesson = OnlineLesson.objects.get()
    login(cast.admin_a).post(
        f"/admin/activities/onlinelesson/{lesson.pk}/change/",
        {**LESSON, "unit": cast.school_a.pk, "issue": "第2期", "participants": "7"},
    )
    rows = list(lesson.history.order_by("history_id"))
    assert [(row.history_type, row.history_user) for row in rows] == [("+", cast.clerk_a), ("~", cast.admin_a)]
    assert (rows[0].participants, rows[1].participants) == (5, 7)

    page = text_of(login(cast.admin_a).get(history_url(OnlineLesson, lesson.pk)))
    assert "期次主题:第1期 → 第2期" in page
    assert "参学人次:5 → 7" in page
    assert re.search(r"修改 .*新增", page)  # newest first
    assert "admin_a" in page and "clerk_a" in page


def test_a_portal_edit_records_the_user_and_shows_in_the_records_history(cast, login):
    client = login(cast.clerk_a)
    form = theme_day_form(cast.town_a)
    client.post("/ledgers/themeday/new/", form)
    record = ThemeDay.objects.get()
    login(cast.admin_a).post(f"/ledgers/themeday/{record.pk}/edit/", {**form, "participants": "150", "note": "补录"})
    assert [(row.history_type, row.history_user) for row in record.history.order_by("history_id")] == [
        ("+", cast.clerk_a),
        ("~", cast.admin_a),
    ]

    page = text_of(login(cast.clerk_a).get(f"/ledgers/themeday/{record.pk}/"))
    section = page[page.index("修改记录") :]
    participants = ThemeDay.ledger.column("participants").header
    assert f"{participants}:120 → 150" in section
    assert "备注:(空) → 补录" in section
    assert re.search(r"admin_a 修改 .*clerk_a 新增", section)


def test_a_venue_and_a_unit_changed_in_the_admin_show_their_history(cast, login):
    venue = make_venue(cast.town_a, "甲街道青年之家")
    client = login(cast.admin_a)
    client.post(
        f"/admin/youthwork/venue/{venue.pk}/change/",
        {
            "name": "甲街道青年之家(新址)",
            "unit": cast.school_a.pk,
            "venue_type": venue.venue_type,
            "opened_on": "2022-01-01",
            "provides_lodging": "on",
            "note": "",
        },
    )
    page = text_of(client.get(history_url(Venue, venue.pk)))
    assert "阵地名称:甲街道青年之家 → 甲街道青年之家(新址)" in page
    assert "所在单位:甲街道团工委 → 甲区第一小学" in page
    assert "提供食宿:否 → 是" in page

    client.post(
        f"/admin/youthwork/unit/{cast.town_a.pk}/change/",
        {"name": "甲街道团委", "parent": cast.district_a.pk, "unit_type": cast.town_a.unit_type, "code": "A1"},
    )
    assert cast.town_a.history.first().history_user == cast.admin_a
    assert "单位名称:甲街道团工委 → 甲街道团委" in text_of(client.get(history_url(Unit, cast.town_a.pk)))


def test_an_import_records_the_importing_user_and_the_workbook(cast, tmp_path):
    path = save(tmp_path, lesson_workbook(("A", "第1期", 100), ("A1S", "第2期", 200)), name="甲区2023Q2.xlsx")
    assert run_import(path, "--user", "admin_a")[0] == 0
    rows = OnlineLesson.history.order_by("issue")
    assert [(r.history_type, r.history_user, r.history_change_reason, r.participants) for r in rows] == [
        ("+", cast.admin_a, "导入工作簿 甲区2023Q2.xlsx", 100),
        ("+", cast.admin_a, "导入工作簿 甲区2023Q2.xlsx", 200),
    ]
    assert all(row.history_object.pk for row in rows)
    # The history is copied inside the database: every tracked column equals the record's, and the date
    # is the import's.
    for row in rows:
        record = OnlineLesson.objects.get(pk=row.id)
        for field in OnlineLesson.history.model.tracked_fields:
            assert getattr(row, field.attname) == getattr(record, field.attname), field.name
    assert len({row.history_date for row in rows}) == 1

    assert run_import(path, "--user", "admin_a")[0] == 0  # the same workbook again: nothing changed
    assert OnlineLesson.history.count() == 2

    changed = save(tmp_path, lesson_workbook(("A", "第1期", 100), ("A1S", "第2期", 250)), name="更正.xlsx")
    code, out, _err = run_import(changed, "--user", "city_admin")
    assert code == 0 and "网上团队课: 新增 0, 更新 1, 未变 1, 错误 0" in out
    latest = OnlineLesson.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        cast.city_admin,
        "导入工作簿 更正.xlsx",
    )
    assert (latest.issue, latest.participants, latest.unit_id) == ("第2期", 250, cast.school_a.pk)
    assert OnlineLesson.history.count() == 3


def test_a_dry_run_or_a_failed_import_leaves_no_history(cast, tmp_path):
    assert run_import(save(tmp_path, lesson_workbook(("A", "第1期", 100))), "--dry-run")[0] == 0
    assert run_import(save(tmp_path, lesson_workbook(("A", "第1期", 100), ("A", "第2期", -1))))[0] == 1
    assert not OnlineLesson.history.exists() and not Venue.history.exists()


def test_imported_units_and_venues_get_history_too(cast, tmp_path):
    data = xlsx(
        {
            "组织单位": [header("组织单位"), ["甲区第二小学", "甲区团委", "学校", "A2S"]],
            "阵地": [header("阵地"), ["甲区希望家园", "A2S", "希望家园", MAY_4, "是", ""]],
        }
    )
    assert run_import(save(tmp_path, data, name="单位.xlsx"), "--user", "admin_a")[0] == 0
    unit_row = Unit.history.get(code="A2S")
    venue_row = Venue.history.get(name="甲区希望家园")
    for row in (unit_row, venue_row):
        assert (row.history_type, row.history_user) == ("+", cast.admin_a)
        assert row.history_change_reason == "导入工作簿 单位.xlsx"


def test_an_import_confirmed_in_the_admin_records_the_uploaded_file_name(cast, login):
    client = login(cast.admin_a)
    upload = SimpleUploadedFile("乙表.xlsx", lesson_workbook(("A", "第1期", 100)))
    preview = client.post("/admin/youthwork/importupload/", {"workbook": upload}, follow=True)
    confirm = re.search(r'action="(/admin/youthwork/importrecord/\d+/confirm/)"', preview.content.decode()).group(1)
    client.post(confirm)
    row = OnlineLesson.history.get()
    assert (row.history_user, row.history_change_reason) == (cast.admin_a, "导入工作簿 乙表.xlsx")


@pytest.mark.django_db
def test_the_demo_data_is_recorded_as_created_by_the_admin():
    call_command("load_demo", stdout=io.StringIO())
    rows = ThemeDay.history.all()
    assert rows.count() == ThemeDay.objects.count() > 0
    assert {(r.history_type, r.history_user.username, r.history_change_reason) for r in rows} == {
        ("+", "admin", "演示数据")
    }
    assert set(Unit.history.values_list("history_change_reason", flat=True)) == {"演示数据"}
    call_command("load_demo", stdout=io.StringIO())
    assert ThemeDay.history.count() == ThemeDay.objects.count()


# --- deleting ----------------------------------------------------------------------------------------


def test_deleting_in_the_admin_leaves_a_deletion_row_whose_history_stays_readable(cast, login):
    lesson = make_record(OnlineLesson, cast.school_a, participants=9)
    pk = lesson.pk
    client = login(cast.admin_a)
    assert client.post(f"/admin/activities/onlinelesson/{pk}/delete/", {"post": "yes"}).status_code == 302
    last = OnlineLesson.history.filter(id=pk).first()
    assert (last.history_type, last.history_user, last.participants) == ("-", cast.admin_a, 9)
    page = client.get(history_url(OnlineLesson, pk))
    assert page.status_code == 200 and "删除" in text_of(page)
    assert login(cast.clerk_b).get(history_url(OnlineLesson, pk)).status_code == 404


def test_deleting_in_the_portal_and_in_bulk_leaves_deletion_rows(cast, login):
    one, two, three = (make_record(OnlineLesson, cast.school_a, issue=f"第{n}期") for n in (1, 2, 3))
    client = login(cast.admin_a)
    client.post(f"/ledgers/onlinelesson/{one.pk}/delete/")
    client.post(
        "/admin/activities/onlinelesson/",
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )
    assert not OnlineLesson.objects.exists()
    deleted = OnlineLesson.history.filter(history_type="-")
    assert sorted(deleted.values_list("id", flat=True)) == sorted([one.pk, two.pk, three.pk])
    assert {row.history_user for row in deleted} == {cast.admin_a}


# --- what a user may read ------------------------------------------------------------------------------


def test_names_of_minors_are_masked_in_every_history_view_without_the_permission(cast, login):
    record = make_record(StudentAid, cast.school_a, student_name="王小明", school="甲区第一小学")
    data = {
        "unit": cast.school_a.pk,
        "date": "2023-05-04",
        "student_name": "王晓明",
        "school": "甲区第一小学",
        "grade": record.grade,
        "aid_type": record.aid_type,
        "amount": "10",
        "note": "",
    }
    assert login(cast.admin_a).post(f"/ledgers/studentaid/{record.pk}/edit/", data).status_code == 302

    client = login(cast.leader_a)  # 领导: may read the ledger, not the names
    for response in (client.get(history_url(StudentAid, record.pk)), client.get(f"/ledgers/studentaid/{record.pk}/")):
        page = text_of(response)
        assert "学生姓名:王** → 王**" in page
        assert "王小明" not in page and "王晓明" not in page

    clerk = login(cast.clerk_a)  # 录入员 hold the permission
    for response in (clerk.get(history_url(StudentAid, record.pk)), clerk.get(f"/ledgers/studentaid/{record.pk}/")):
        assert "学生姓名:王小明 → 王晓明" in text_of(response)


@pytest.mark.parametrize("model", [OnlineLesson, StudentAid], ids=["onlinelesson", "studentaid"])
def test_another_districts_record_history_is_a_404_in_the_admin_and_the_portal(cast, login, model):
    theirs = make_record(model, cast.school_b)
    client = login(cast.admin_a)
    assert client.get(history_url(model, theirs.pk)).status_code == 404
    assert client.get(f"/ledgers/{model._meta.model_name}/{theirs.pk}/").status_code == 404
    assert client.get(history_url(model, "not-a-number")).status_code == 404
    assert client.get(history_url(model, 987654)).status_code == 404
    assert login(cast.city_admin).get(history_url(model, theirs.pk)).status_code == 200


def test_the_history_of_another_districts_unit_or_venue_is_a_404(cast, login):
    venue = make_venue(cast.school_b)
    client = login(cast.admin_a)
    assert client.get(history_url(Unit, cast.district_b.pk)).status_code == 404
    assert client.get(history_url(Venue, venue.pk)).status_code == 404
    assert client.get(history_url(Unit, cast.school_a.pk)).status_code == 200


def test_a_deleted_record_of_another_district_stays_hidden(cast, login):
    theirs = make_record(OnlineLesson, cast.school_b)
    pk = theirs.pk
    theirs.delete()
    assert login(cast.admin_a).get(history_url(OnlineLesson, pk)).status_code == 404
    assert login(cast.city_admin).get(history_url(OnlineLesson, pk)).status_code == 200


# --- read-only -------------------------------------------------------------------------------------------


def test_history_is_read_only_no_version_can_be_restored(cast, login):
    lesson = make_record(OnlineLesson, cast.school_a, participants=5)
    version = lesson.history.get()
    lesson.participants = 6
    lesson.save()
    client = login(cast.superuser)
    page = client.get(history_url(OnlineLesson, lesson.pk))
    assert page.status_code == 200
    assert "/history/" + str(version.history_id) not in page.content.decode()
    version_url = f"{history_url(OnlineLesson, lesson.pk)}{version.history_id}/"
    assert client.get(version_url, follow=True).status_code == 404
    assert client.post(version_url, {**LESSON, "unit": cast.school_a.pk}, follow=True).status_code == 404
    lesson.refresh_from_db()
    assert lesson.participants == 6


def test_leaders_read_the_history_but_have_nothing_to_change(cast, login):
    lesson = make_record(OnlineLesson, cast.school_a)
    response = login(cast.leader_a).get(history_url(OnlineLesson, lesson.pk))
    assert response.status_code == 200 and "新增" in text_of(response)
    assert "<form" not in response.content.decode().split('id="content-main"')[1]


def test_the_portal_record_page_takes_the_same_queries_with_one_or_many_changes(cast, login):
    venue = make_venue(cast.town_a)
    record = make_record(ThemeDay, cast.town_a, venue=venue, participants=1)
    client = login(cast.clerk_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/ledgers/themeday/{record.pk}/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 8):
        record.participants = n
        record.venue = make_venue(cast.school_a) if n % 2 else venue
        record.save()
    assert queries() == few


def form_data(form) -> dict:
    """What a browser posts back for an untouched form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = value if isinstance(value, list) else field.widget.format_value(value) or ""
    return data


def test_saving_an_unchanged_record_adds_no_history(cast, login):
    contest = make_record(CounsellorContest, cast.school_a, formats=["现场答题", "情景答辩"], contestants=12)
    aid = make_record(StudentAid, cast.school_a, amount="500.00")
    client = login(cast.admin_a)
    for record in (contest, aid):
        ledger = type(record).ledger
        portal_url, admin_url = f"/ledgers/{ledger.slug}/{record.pk}/edit/", history_url(type(record), record.pk)
        admin_url = admin_url.replace("/history/", "/change/")
        response = client.post(portal_url, form_data(client.get(portal_url).context["form"]), follow=True)
        assert "记录没有改动" in response.content.decode()
        response = client.post(admin_url, form_data(client.get(admin_url).context["adminform"].form))
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert record.history.count() == 1, ledger.slug


def test_a_deleted_units_history_is_read_by_whom_may_see_its_parent(cast, login):
    school = make_unit("甲区第二小学", cast.town_a, Unit.Type.SCHOOL)
    client = login(cast.admin_a)
    assert client.post(f"/admin/youthwork/unit/{school.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(pk=school.pk).exists()
    page = client.get(history_url(Unit, school.pk))
    assert page.status_code == 200 and "删除" in text_of(page)
    assert Unit.history.filter(id=school.pk).first().history_user == cast.admin_a
    assert login(cast.clerk_b).get(history_url(Unit, school.pk)).status_code == 404


def test_a_deleted_records_history_stays_readable_by_the_city_after_its_unit_is_deleted_too(cast, login):
    school = make_unit("甲区第二小学", cast.town_a, Unit.Type.SCHOOL)
    lesson = make_record(OnlineLesson, school, participants=9)
    district = login(cast.admin_a)
    assert district.post(f"/admin/activities/onlinelesson/{lesson.pk}/delete/", {"post": "yes"}).status_code == 302
    assert district.post(f"/admin/youthwork/unit/{school.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(pk=school.pk).exists()
    for user in (cast.city_admin, cast.superuser):
        page = login(user).get(history_url(OnlineLesson, lesson.pk))
        assert page.status_code == 200 and "删除" in text_of(page) and "admin_a" in text_of(page), user
    assert login(cast.clerk_b).get(history_url(OnlineLesson, lesson.pk)).status_code == 404

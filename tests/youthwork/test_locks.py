"""A final report locks its period and scope against changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities.models import OnlineLesson
from reports.builder import build_outputs
from reports.models import WorkReport
from tests.factories import build_record, make_record, make_unit, make_venue
from tests.importing.workbooks import header, run_import, save, xlsx
from youthwork.models import Unit, Venue


@pytest.fixture
def final_report(cast):
    return WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)


def test_a_record_in_a_final_reports_period_and_scope_cannot_be_added(cast, final_report):
    record = build_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert "已定稿" in caught.value.messages[0] and "甲区团委2023年第二季度" in caught.value.messages[0]


def test_records_outside_the_period_or_the_scope_stay_open(cast, final_report):
    build_record(OnlineLesson, cast.school_a, dt.date(2023, 7, 1)).full_clean()
    build_record(OnlineLesson, cast.school_b, dt.date(2023, 5, 4)).full_clean()


def test_a_record_cannot_be_moved_out_of_a_locked_period(cast):
    record = make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    record.date = dt.date(2023, 7, 1)
    with pytest.raises(ValidationError):
        record.full_clean()


def test_the_admin_shows_locked_records_read_only_and_refuses_to_delete_them(cast, login):
    record = make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    client = login(cast.admin_a)
    page = client.get(f"/admin/activities/onlinelesson/{record.pk}/change/")
    assert page.status_code == 200 and 'name="participants"' not in page.content.decode()
    assert client.get(f"/admin/activities/onlinelesson/{record.pk}/delete/").status_code == 403
    client.post(
        "/admin/activities/onlinelesson/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
        follow=True,
    )
    assert OnlineLesson.objects.filter(pk=record.pk).exists()


def test_a_draft_report_locks_nothing(cast):
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    build_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4)).full_clean()


# --- moving units under a final report (issue 8 §4) --------------------------------------------------


@pytest.fixture
def town_report(cast):
    """甲街道团工委's 2023Q2 report, final, counting the 甲区第一小学 record of May 4th (the attack's 653)."""
    make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4), participants=653)
    return WorkReport.objects.create(unit=cast.town_a, period_code="2023Q2", status=WorkReport.Status.FINAL)


def unit_form(unit, parent):
    return {"name": unit.name, "parent": parent.pk, "unit_type": unit.unit_type, "code": unit.code or ""}


def test_a_district_admin_cannot_move_a_school_out_of_a_locked_subtree_to_edit_its_locked_record(
    cast, login, town_report
):
    client = login(cast.admin_a)
    response = client.post(
        f"/admin/youthwork/unit/{cast.school_a.pk}/change/", unit_form(cast.school_a, cast.district_a)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"“{town_report}”已定稿" in page and "甲区第一小学”及其下级单位" in page and "不能改变其上级单位" in page
    cast.school_a.refresh_from_db()
    assert cast.school_a.parent == cast.town_a and cast.school_a.path.startswith(cast.town_a.path)
    record = OnlineLesson.objects.get()
    assert record.locked_by() and record.participants == 653


def test_moving_a_school_with_records_of_the_period_into_a_locked_subtree_is_refused(cast, login, town_report):
    newcomer = make_unit("甲区第二小学", cast.district_a, Unit.Type.SCHOOL, code="A2S")
    make_record(OnlineLesson, newcomer, dt.date(2023, 6, 1), participants=8050)
    response = login(cast.admin_a).post(
        f"/admin/youthwork/unit/{newcomer.pk}/change/", unit_form(newcomer, cast.town_a)
    )
    assert response.status_code == 200 and "不能改变其上级单位" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.parent == cast.district_a


def test_a_school_without_records_in_the_locked_period_may_still_move(cast, login, town_report):
    quiet = make_unit("甲区第三小学", cast.town_a, Unit.Type.SCHOOL, code="A3S")
    make_record(OnlineLesson, quiet, dt.date(2023, 8, 1))
    response = login(cast.admin_a).post(f"/admin/youthwork/unit/{quiet.pk}/change/", unit_form(quiet, cast.district_a))
    assert response.status_code == 302
    quiet.refresh_from_db()
    assert quiet.parent == cast.district_a


def test_importing_a_units_sheet_that_moves_a_school_out_of_a_locked_subtree_is_refused(cast, tmp_path, town_report):
    rows = [header("组织单位"), ["甲区第一小学", "甲区团委", "学校", "A1S"]]
    code, out, _err = run_import(save(tmp_path, xlsx({"组织单位": rows})))
    assert code != 0
    assert any(line.startswith("工作表 组织单位 第2行 上级单位: “") and "不能改变其上级单位" in line for line in out), (
        out
    )
    cast.school_a.refresh_from_db()
    assert cast.school_a.parent == cast.town_a


def test_saving_a_moved_unit_directly_is_refused_too(cast, town_report):
    cast.school_a.parent = cast.district_a
    with pytest.raises(ValidationError):
        cast.school_a.save()
    assert Unit.objects.get(pk=cast.school_a.pk).parent == cast.town_a


def test_a_school_with_records_cannot_be_deleted_from_under_a_final_report(cast, login, town_report):
    response = login(cast.city_admin).post(f"/admin/youthwork/unit/{cast.school_a.pk}/delete/", {"post": "yes"})
    assert response.status_code in (200, 403)  # Django lists the records that protect the unit
    assert Unit.objects.filter(pk=cast.school_a.pk).exists() and OnlineLesson.objects.count() == 1


def test_a_record_written_past_the_forms_is_refused_by_its_own_save_and_delete(cast, town_report):
    record = OnlineLesson.objects.get()
    record.participants = 8050
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError):
        build_record(OnlineLesson, cast.school_a, dt.date(2023, 6, 30)).save()
    assert OnlineLesson.objects.get().participants == 653


def test_the_city_cannot_move_a_counted_school_to_another_district_behind_a_final_report(cast, login, town_report):
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    report.finalise(cast.leader_a)
    frozen = WorkReport.objects.get(pk=report.pk).frozen_figures
    client = login(cast.city_admin)
    moved = client.post(f"/admin/youthwork/unit/{cast.school_a.pk}/change/", unit_form(cast.school_a, cast.district_b))
    assert "不能改变其上级单位" in moved.content.decode()
    assert build_outputs(report.period, report.unit).figures == frozen


# --- venues: a final report counts the venues opened by its period's end --------------------------------


def venue_form(unit, **changes):
    form = {
        "name": "甲区希望家园",
        "unit": unit.pk,
        "venue_type": "希望家园",
        "opened_on": "2023-05-01",
        "provides_lodging": "on",
        "note": "",
        "_save": "保存",
    }
    form.update(changes)
    return form


def test_a_venue_backdated_into_a_final_reports_period_cannot_be_added(cast, login, final_report):
    page = login(cast.admin_a).post("/admin/youthwork/venue/add/", venue_form(cast.school_a))
    assert page.status_code == 200
    assert "已计入锁定期间的数据" in page.content.decode()
    assert not Venue.objects.exists()


def test_a_venue_opened_after_the_final_period_or_elsewhere_may_be_added(cast, login, final_report):
    client = login(cast.admin_a)
    later = venue_form(cast.school_a, opened_on="2023-07-01")
    assert client.post("/admin/youthwork/venue/add/", later).status_code == 302
    make_venue(cast.school_b, "乙区希望家园", opened_on=dt.date(2023, 5, 1)).full_clean()


def counted_venue(cast):
    """A venue opened in 2022, then the district's 2023Q2 report made final: the report counts it."""
    venue = make_venue(cast.school_a, "甲区青年之家", opened_on=dt.date(2022, 1, 1))
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2", status=WorkReport.Status.FINAL)
    return venue


def test_a_counted_venues_type_cannot_change_behind_the_report_but_its_note_can(cast):
    venue = counted_venue(cast)
    venue.venue_type = Venue.Type.HOPE_HOME
    with pytest.raises(ValidationError) as caught:
        venue.full_clean()
    assert "甲区团委2023年第二季度" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        venue.save()  # past the forms too
    venue.refresh_from_db()
    venue.note = "周末开放"
    venue.full_clean()
    venue.save()
    assert Venue.objects.get(pk=venue.pk).venue_type == Venue.Type.YOUTH_HOME


def test_a_counted_venue_cannot_be_deleted_nor_moved_out_of_the_locked_subtree(cast, login):
    venue = counted_venue(cast)
    client = login(cast.admin_a)
    assert client.get(f"/admin/youthwork/venue/{venue.pk}/delete/").status_code == 200
    assert client.post(f"/admin/youthwork/venue/{venue.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [venue.pk], "post": "yes"}
    client.post("/admin/youthwork/venue/", bulk)
    assert Venue.objects.filter(pk=venue.pk).exists()
    venue.unit = cast.school_b
    with pytest.raises(ValidationError):
        venue.full_clean()


def test_importing_a_venue_sheet_that_changes_a_counted_venue_is_a_row_error(cast, tmp_path):
    counted_venue(cast)
    data = xlsx({"阵地": [header("阵地"), ["甲区青年之家", "A1S", "希望家园", "2022-01-01", "否", ""]]})
    code, out, _err = run_import(save(tmp_path, data))
    assert code == 1
    assert any("已计入锁定期间的数据" in line for line in out), out
    assert Venue.objects.get(name="甲区青年之家").venue_type == Venue.Type.YOUTH_HOME

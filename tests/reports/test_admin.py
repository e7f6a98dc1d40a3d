"""Work reports in the admin: scoped, read-only when final, finalise and reopen as actions."""

import pytest

from reports.models import WorkReport

CHANGELIST = "/admin/reports/workreport/"


@pytest.fixture
def reports(town):
    return {
        "city": WorkReport.objects.create(unit=town.city, period_code="2023Q2"),
        "a": WorkReport.objects.create(unit=town.district_a, period_code="2023Q2"),
        "b": WorkReport.objects.create(unit=town.district_b, period_code="2023Q2"),
    }


def test_a_district_admin_sees_and_opens_only_its_reports(town, login, reports):
    client = login(town.admin_a)
    page = client.get(CHANGELIST).content.decode()
    assert f"{CHANGELIST}{reports['a'].pk}/change/" in page
    assert f"{CHANGELIST}{reports['b'].pk}/change/" not in page
    assert client.get(f"{CHANGELIST}{reports['b'].pk}/change/").status_code == 404


def test_adding_checks_the_period_and_refuses_a_second_report(town, login, reports):
    client = login(town.city_admin)
    bad = client.post(f"{CHANGELIST}add/", _form(town.city, "2023Q5")).content.decode()
    assert "期间无法识别" in bad
    again = client.post(f"{CHANGELIST}add/", _form(town.city, "2023q2")).content.decode()
    assert "团市委2023年第二季度已有工作报告" in again
    assert client.post(f"{CHANGELIST}add/", _form(town.city, "2023H1")).status_code == 302
    assert WorkReport.objects.get(period_code="2023H1").created_by == town.city_admin


def _form(unit, period):
    data = {"title": WorkReport.DEFAULT_TITLE, "unit": unit.pk, "period_code": period, "opening": "", "highlight": ""}
    for prefix in ("problems", "plans"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_finalise_and_reopen_actions(town, login, reports):
    city_admin = login(town.city_admin)
    city_admin.post(CHANGELIST, {"action": "finalise_reports", "_selected_action": [reports["a"].pk]})
    reports["a"].refresh_from_db()
    assert reports["a"].is_final and reports["a"].frozen_docx
    change = city_admin.get(f"{CHANGELIST}{reports['a'].pk}/change/").content.decode()
    assert 'name="opening"' not in change and "预览" in change  # read-only, with its links
    assert city_admin.get(f"{CHANGELIST}{reports['a'].pk}/delete/").status_code == 403

    district_admin = login(town.admin_a)
    assert "reopen_reports" not in district_admin.get(CHANGELIST).content.decode()
    district_admin.post(CHANGELIST, {"action": "reopen_reports", "_selected_action": [reports["a"].pk]})
    reports["a"].refresh_from_db()
    assert reports["a"].is_final

    city_admin = login(town.city_admin)
    assert "reopen_reports" in city_admin.get(CHANGELIST).content.decode()
    city_admin.post(CHANGELIST, {"action": "reopen_reports", "_selected_action": [reports["a"].pk]})
    reports["a"].refresh_from_db()
    assert not reports["a"].is_final

"""No page answers 500 for a parameter typed in the address bar or for data already stored."""

import datetime as dt
import re

import pytest
from django.db import connection

from activities.models import ThemeDay
from reports.models import WorkReport
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("9999Q4", "期间的年份应在2000年至2099年之间"),
        ("0000Q1", "期间的年份应在2000年至2099年之间"),
        ("1999Q4", "期间的年份应在2000年至2099年之间"),
        ("abc", "期间无法识别"),
        ("2023Q5", "期间无法识别"),
    ],
)
def test_a_period_typed_in_the_address_bar_gets_a_message_not_a_500(login, cast, period, message):
    response = login(cast.city_admin).get(f"/?period={period}")
    assert response.status_code == 200
    assert message in text_of(response)


def test_the_first_quarter_of_2000_still_shows_with_its_previous_quarter_as_a_link(login, cast):
    response = login(cast.city_admin).get("/?period=2000Q1")
    assert response.status_code == 200
    assert "2000年第一季度" in text_of(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=2023-01-01:9999-12-31&unit={unit}", "期间的年份应在2000年至2099年之间"),
        ("period=0001-01-01:2023-12-31&unit={unit}", "期间的年份应在2000年至2099年之间"),
        ("period=2023Q2&unit=abc", "选择一个有效的选项"),
        ("period=2023Q2&unit=99999999999999999999", "选择一个有效的选项"),
    ],
)
def test_a_new_report_for_an_impossible_period_or_unit_gets_a_message(login, cast, query, message):
    response = login(cast.city_admin).get("/reports/new/?" + query.format(unit=cast.city.pk))
    assert response.status_code == 200
    assert message in text_of(response)
    assert not WorkReport.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=99999", "page=-1", "sort=-nonsense", "date_from=0354-02-02", "date_to=99999-01-01", "unit=abc"],
)
def test_the_ledger_list_survives_any_query_string(login, cast, query):
    make_record(ThemeDay, cast.school_a)
    assert login(cast.clerk_a).get(f"/ledgers/themeday/?{query}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ledgers/themeday/abc/",
        "/ledgers/themeday/99999999999999999999/",
        "/ledgers/themeday/99999999999999999999/edit/",
        "/ledgers/themeday/99999999999999999999/delete/",
        "/reports/abc/",
        "/reports/99999999999999999999/",
    ],
)
def test_a_record_id_that_is_not_a_number_or_far_too_large_is_not_found(login, cast, path):
    assert login(cast.city_admin).get(path).status_code == 404


def store_bypassing_checks(model, pk: int, **values):
    """Write values the model and the CHECK constraints refuse, as a database of before the rules holds them."""
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            model.objects.filter(pk=pk).update(**values)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        return
    names = [c.name for c in model._meta.constraints if c.name.endswith("_range")]
    with connection.cursor() as cursor:  # the test's transaction rolls the DROP back
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name in names:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    model.objects.filter(pk=pk).update(**values)


def test_a_record_dated_354_already_stored_does_not_take_the_dashboard_down(login, cast, client):
    record = make_record(ThemeDay, cast.school_a, dt.date(2023, 5, 4), participants=120)
    store_bypassing_checks(ThemeDay, record.pk, date=dt.date(354, 2, 2))
    assert ThemeDay.objects.get().date == dt.date(354, 2, 2)
    for user in (cast.clerk_a, cast.admin_a, cast.city_admin, cast.city_leader):
        client = login(user)
        assert client.get("/").status_code == 200, user
        assert client.get("/?period=2023Q2").status_code == 200, user
        assert client.get("/ledgers/themeday/").status_code == 200, user
        assert client.get(f"/ledgers/themeday/{record.pk}/").status_code == 200, user
    page = text_of(login(cast.city_admin).get("/"))
    assert "354年" not in page  # the quarter list offers no period a user could not ask for


def test_logging_in_with_a_bad_record_stored_lands_on_a_working_dashboard(cast, client):
    record = make_record(ThemeDay, cast.school_a)
    store_bypassing_checks(ThemeDay, record.pk, date=dt.date(354, 2, 2))
    cast.clerk_a.set_password("pw-for-tests-1")
    cast.clerk_a.save()
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": "pw-for-tests-1"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"


def test_an_admin_corrects_a_record_dated_354_through_the_portal(login, cast):
    record = make_record(ThemeDay, cast.school_a, theme="青春心向党")
    store_bypassing_checks(ThemeDay, record.pk, date=dt.date(354, 2, 2))
    client = login(cast.admin_a)
    assert client.get(f"/ledgers/themeday/{record.pk}/edit/").status_code == 200
    data = {"unit": cast.school_a.pk, "date": "2023-05-04", "day_type": record.day_type, "theme": "青春心向党"}
    response = client.post(f"/ledgers/themeday/{record.pk}/edit/", {**data, "participants": "10", "note": ""})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.date == dt.date(2023, 5, 4)


def test_an_admin_deletes_a_record_dated_354_and_its_history_keeps_the_stored_date(login, cast):
    record = make_record(ThemeDay, cast.school_a)
    store_bypassing_checks(ThemeDay, record.pk, date=dt.date(354, 2, 2))
    assert login(cast.admin_a).post(f"/ledgers/themeday/{record.pk}/delete/").status_code == 302
    assert not ThemeDay.objects.exists()
    assert ThemeDay.history.filter(history_type="-").get().date == dt.date(354, 2, 2)

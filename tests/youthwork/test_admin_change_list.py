"""A ledger's admin change list row by row: each row's link, box and empty cells (youthwork.admin.listing)."""

import datetime as dt
import html
import re
from urllib.parse import urlencode

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import OnlineLesson, ThemeDay
from assistance.models import StudentAid
from tests.factories import make_record
from youthwork.ledgers import all_ledgers

PAGE = "/admin/activities/themeday/"


def table_rows(response) -> list[str]:
    """The cells of each row of the change list's table, as written in the page."""
    body = response.content.decode().partition("<tbody>")[2].partition("</tbody>")[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


def change_links(response) -> dict[int, str]:
    """{record id: the row's link} of a change list page, as the browser reads the href."""
    found = re.findall(r'<th class="field-unit nowrap"><a href="([^"]+)">', response.content.decode())
    return {int(re.search(r"/(\d+)/change/", href).group(1)): html.unescape(href) for href in found}


@pytest.mark.django_db
def test_a_change_list_links_each_row_to_its_change_page_and_labels_its_box(cast, login):
    records = [make_record(ThemeDay, cast.school_a, theme=f"青春{i}", occasion="") for i in range(3)]
    page = login(cast.admin_a).get(PAGE)
    assert change_links(page) == {record.pk: f"{PAGE}{record.pk}/change/" for record in records}
    content = page.content.decode()
    for record in records:
        assert (
            f'<input type="checkbox" name="_selected_action" value="{record.pk}" class="action-select"'
            f' aria-label="选择此记录:主题团队日 甲区第一小学 2023-05-04">'
        ) in content
    assert content.count('<td class="field-occasion">-</td>') == 3  # an empty column shows the admin's dash


@pytest.mark.django_db
def test_a_filtered_change_list_links_each_row_to_its_change_page_keeping_the_filters(cast, login):
    records = [make_record(ThemeDay, cast.school_a, theme=f"青春{i}") for i in range(3)]
    make_record(ThemeDay, cast.school_b, theme="青春乙")
    query = {"q": "青春", "unit__id__exact": cast.district_a.pk}
    page = login(cast.city_admin).get(PAGE, query)
    kept = urlencode({"_changelist_filters": urlencode(query)})
    assert change_links(page) == {record.pk: f"{PAGE}{record.pk}/change/?{kept}" for record in records}


@pytest.mark.django_db
def test_a_search_for_a_text_like_a_link_part_still_links_each_row_to_its_own_page(cast, login):
    records = [make_record(ThemeDay, cast.school_a, theme=f"youthwork-pk {i}") for i in range(2)]
    page = login(cast.admin_a).get(PAGE, {"q": "youthwork-pk"})
    kept = urlencode({"_changelist_filters": "q=youthwork-pk"})
    assert change_links(page) == {record.pk: f"{PAGE}{record.pk}/change/?{kept}" for record in records}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, page, fields, who",
    [
        (ThemeDay, PAGE, {}, "city_admin"),
        (StudentAid, "/admin/assistance/studentaid/", {"school": "甲区第一小学"}, "leader_a"),  # names masked
    ],
)
def test_a_change_list_reads_its_rows_in_one_query_however_many_rows_it_shows(cast, login, model, page, fields, who):
    client = login(getattr(cast, who))
    make_record(model, cast.school_a, dt.date(2023, 5, 1), **fields)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(page).status_code == 200
    for day in range(2, 7):
        make_record(model, cast.school_a, dt.date(2023, 5, day), **fields)
    with CaptureQueriesContext(connection) as six_rows:
        response = client.get(page)
    assert len(response.context["cl"].result_list) == 6
    assert len(six_rows) == len(one_row)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["city_admin", "leader_a"])  # with and without the selection boxes
@pytest.mark.parametrize("ledger", all_ledgers(), ids=lambda ledger: ledger.slug)
def test_every_ledgers_change_list_shows_its_rows_cell_for_cell_as_djangos_admin_writes_them(cast, login, ledger, who):
    make_record(ledger.model, cast.school_a, dt.date(2023, 5, 4))  # the optional columns left empty
    make_record(ledger.model, cast.school_a, dt.date(2023, 6, 1))
    opts = ledger.model._meta
    response = login(getattr(cast, who)).get(f"/admin/{opts.app_label}/{opts.model_name}/")
    cl = response.context["cl"]
    assert len(cl.result_list) == 2
    assert table_rows(response) == ["".join(items_for_result(cl, row, None)) for row in cl.result_list]


@pytest.mark.django_db
def test_dates_and_numbers_are_written_in_the_formats_in_force(cast, login, settings):
    make_record(OnlineLesson, cast.school_a, dt.date(2023, 5, 4), participants=12345)
    client = login(cast.city_admin)
    (row,) = table_rows(client.get("/admin/activities/onlinelesson/"))
    assert '<td class="field-participants">12345</td>' in row and "2023年5月4日" in row
    # Kept per process for the formats then in force: a changed setting is written at once.
    settings.LANGUAGE_CODE = "en-us"
    (row,) = table_rows(client.get("/admin/activities/onlinelesson/", HTTP_ACCEPT_LANGUAGE="en-us"))
    assert '<td class="field-participants">12345</td>' in row and "May 4, 2023" in row
    settings.USE_THOUSAND_SEPARATOR = True
    (row,) = table_rows(client.get("/admin/activities/onlinelesson/", HTTP_ACCEPT_LANGUAGE="en-us"))
    assert '<td class="field-participants">12,345</td>' in row

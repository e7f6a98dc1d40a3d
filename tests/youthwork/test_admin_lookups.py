"""No admin change list answers 500, or reads past its own filters, for a parameter typed into the address bar."""

import html
import re

import pytest
from django.utils import timezone

from activities.models import ThemeDay
from assistance.models import StudentAid
from reports.models import WorkReport
from tests.factories import make_record, make_unit, make_venue
from youthwork.ledgers import ColumnKind, all_ledgers
from youthwork.models import Unit
from youthwork.periods import Period

LEDGERS = all_ledgers()


OTHER_LISTS = [
    ("/admin/youthwork/unit/", "admin_a"),
    ("/admin/youthwork/venue/", "admin_a"),
    ("/admin/youthwork/user/", "admin_a"),
    ("/admin/reports/workreport/", "admin_a"),
    ("/admin/auth/group/", "superuser"),
]
# (url, user attribute of the cast) for every change list a district admin or a superuser opens.
CHANGELISTS = [(f"/admin/{ledger.app_label}/{ledger.slug}/", "admin_a") for ledger in LEDGERS] + OTHER_LISTS
ids = [url.split("/admin/")[1].strip("/") for url, _user in CHANGELISTS]
# Every ledger's list comes from the one LedgerAdmin; two ledgers (choices; personal names) stand for them.
SAMPLE = [
    ("/admin/activities/themeday/", "admin_a"),
    ("/admin/assistance/studentaid/", "admin_a"),
    *OTHER_LISTS,
]
sample_ids = [url.split("/admin/")[1].strip("/") for url, _user in SAMPLE]


@pytest.fixture
def some_data(cast):
    for model in (ThemeDay, StudentAid):  # the sampled ledgers, in two units: their unit filter shows
        make_record(model, cast.school_a)
        make_record(model, cast.town_a)
    make_venue(cast.school_a)
    WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    return cast


def text_field(url):
    """A free-text field of the list's model, to aim a regex at."""
    for ledger in LEDGERS:
        if url.endswith(f"/{ledger.app_label}/{ledger.slug}/"):
            return next(c.name for c in ledger.columns if c.kind in (ColumnKind.TEXT, ColumnKind.CHOICE))
    return {"unit": "name", "venue": "name", "user": "username", "workreport": "title", "group": "name"}[
        url.rstrip("/").rsplit("/", 1)[1]
    ]


REFUSED = [
    "{text}__regex=(",  # an invalid regex: DataError on PostgreSQL, OperationalError on SQLite
    "{text}__iregex=[",
    "{text}__startswith=a",
    "unit__path__startswith=",
    "unit__parent__name=甲区团委",
    "id__in=a,b",
    "id__gt=0",
    "no_such_field=1",
    "created_by__password__startswith=pbkdf2",
    "created_by__username=admin_a",
]


@pytest.mark.parametrize(("url", "who"), CHANGELISTS, ids=ids)
def test_a_lookup_that_is_not_one_of_the_lists_filters_is_a_400_naming_it_in_chinese(cast, login, url, who):
    client = login(getattr(cast, who))
    for query in (template.format(text=text_field(url)) for template in REFUSED):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (query, response.status_code)
        key = query.split("=")[0]
        assert f"网址中的筛选条件“{key}”不可用" in html.unescape(response.content.decode())


@pytest.mark.parametrize(("url", "who"), SAMPLE, ids=sample_ids)
def test_every_filter_link_and_djangos_own_paging_sorting_and_search_still_answer_the_list(some_data, login, url, who):
    client = login(getattr(some_data, who))
    response = client.get(url)
    links = {html.unescape(href) for href in re.findall(r'href="(\?[^"]+)"', response.content.decode())}
    filters = {link for link in links if not re.fullmatch(r"\?(o|p|all|_facets)=[^&]*", link)}
    cl = response.context["cl"]
    assert bool(filters) == bool(cl.has_filters or cl.date_hierarchy)
    own = ("?o=99", "?o=-1.5", "?o=abc", "?p=abc", "?e=1", "?all=", "?q=%00", "?q=(", "?_facets=1")
    for query in [*filters, *own]:
        response = client.get(f"{url}{query}")
        assert response.status_code == 200, (query, response.status_code)


UNREADABLE = [
    "date__gte=abc",
    "date__lt=2023-02-30",
    "unit__id__exact=99999999999999999999",
    "p=999",
]


@pytest.mark.parametrize("query", UNREADABLE)
def test_a_filter_value_that_cannot_be_read_drops_the_filter_with_a_chinese_message(cast, login, query):
    client = login(cast.admin_a)
    url = "/admin/activities/themeday/"
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response["Location"] == f"{url}?e=1"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "网址中的筛选条件无效" in page.content.decode()


def test_an_unreadable_filter_on_the_error_page_itself_is_a_400_not_djangos_database_error_page(cast, login):
    response = login(cast.admin_a).get("/admin/activities/themeday/?e=1&date__gte=abc")
    assert response.status_code == 400
    assert "网址中的筛选条件无效" in response.content.decode()


def test_a_district_admin_cannot_read_password_hashes_through_the_user_list(cast, login):
    client = login(cast.admin_a)
    for guess in ("md5", "pbkdf2", "x"):
        response = client.get("/admin/youthwork/user/", {"password__startswith": guess})
        assert response.status_code == 400
    assert client.get("/admin/youthwork/user/", {"is_superuser__exact": "1"}).status_code == 400


def test_filtering_by_another_districts_unit_shows_nothing_of_it(cast, login):
    make_record(ThemeDay, cast.school_a)
    make_record(ThemeDay, cast.town_a)  # two units: the list shows its unit filter
    theirs = make_record(ThemeDay, cast.school_b)
    response = login(cast.admin_a).get("/admin/activities/themeday/", {"unit__id__exact": cast.school_b.pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert theirs.theme not in response.content.decode()


def test_filtering_by_a_district_lists_its_towns_and_schools_too(cast, login):
    units = (cast.district_a, cast.town_a, cast.school_a)
    ours = [make_record(ThemeDay, unit, theme=f"团日{unit.code}") for unit in units]
    make_record(ThemeDay, cast.school_b, theme="乙区团日")
    response = login(cast.superuser).get("/admin/activities/themeday/", {"unit__id__exact": cast.district_a.pk})
    assert response.status_code == 200
    assert {record.pk for record in response.context["cl"].result_list} == {record.pk for record in ours}


def test_two_schools_of_one_name_are_told_apart_in_the_admins_filter_and_form(cast, login):
    twin = make_unit(cast.school_a.name, cast.district_b, Unit.Type.SCHOOL, code="B9S")
    make_record(ThemeDay, cast.school_a)
    make_record(ThemeDay, twin)
    client = login(cast.superuser)
    page = client.get("/admin/activities/themeday/").content.decode()
    assert f"{cast.school_a.name}({cast.school_a.code})" in page and f"{twin.name}(B9S)" in page
    theirs = ThemeDay.objects.get(unit=twin)
    form = client.get(f"/admin/activities/themeday/{theirs.pk}/change/").content.decode()
    assert f"{cast.district_b.name} › {twin.name}(B9S)" in form  # the chosen unit, as the search shows it


def test_the_admins_date_filter_offers_this_and_last_quarter_and_the_quarters_before(cast, login):
    today = timezone.localdate()
    this = Period.quarter_of(today)
    inside = make_record(ThemeDay, cast.school_a, this.start, theme="本季度团日")
    before = make_record(ThemeDay, cast.school_a, this.previous().start, theme="上季度团日")
    client = login(cast.admin_a)
    response = client.get("/admin/activities/themeday/")
    date_filter = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "date")
    titles = [title for title, _params in date_filter.links]
    assert titles[:4] == ["全部", "本季度", "上季度", "今年"]
    assert this.previous().previous().label in titles
    params = dict(date_filter.links)["本季度"]
    listed = client.get("/admin/activities/themeday/", params).context["cl"].result_list
    assert [record.pk for record in listed] == [inside.pk]
    listed = client.get("/admin/activities/themeday/", dict(date_filter.links)["上季度"]).context["cl"].result_list
    assert [record.pk for record in listed] == [before.pk]


def test_the_unit_dropdown_is_searched_within_the_users_units_and_names_parent_and_code(cast, login):
    twin = make_unit(cast.school_a.name, cast.district_b, Unit.Type.SCHOOL, code="B9S")
    query = {"app_label": "activities", "model_name": "themeday", "field_name": "unit", "term": "小学"}
    found = login(cast.admin_a).get("/admin/autocomplete/", query).json()["results"]
    assert found == [{"id": str(cast.school_a.pk), "text": "甲街道团工委 › 甲区第一小学(A1S)"}]  # not 乙区's twin
    everyone = login(cast.superuser).get("/admin/autocomplete/", query).json()["results"]
    assert {"id": str(twin.pk), "text": f"{cast.district_b.name} › {twin.name}(B9S)"} in everyone
    form = login(cast.admin_a).get("/admin/activities/themeday/add/").content.decode()
    assert 'class="admin-autocomplete' in form and 'data-field-name="unit"' in form

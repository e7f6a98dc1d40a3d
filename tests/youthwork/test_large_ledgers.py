"""What keeps the pages from reading a whole ledger: its indexes, the admin's change list, the search.

The speed itself is measured by bench/load.py; these tests check the shapes that make it: which indexes
each ledger has, which queries a change list runs, and that the search is one the indexes serve.
"""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import OnlineLesson, ThemeDay
from assistance.models import StudentAid
from tests.factories import make_record, make_unit
from youthwork import search
from youthwork.ledgers import all_ledgers
from youthwork.models import Unit

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only")


def indexes_of(model) -> dict[str, tuple[str, ...]]:
    """{name: columns} of the table's indexes, unique constraints and primary key included."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: tuple(info["columns"]) for name, info in found.items() if info["index"] or info["unique"]}


@pytest.mark.django_db
@pytest.mark.parametrize("ledger", all_ledgers(), ids=lambda ledger: ledger.slug)
def test_every_ledger_has_the_indexes_its_pages_ask_for_and_none_that_repeats_the_front_of_another(ledger):
    indexes = indexes_of(ledger.model)
    columns = set(indexes.values())
    assert ("date", "id") in columns  # the list's order and date ranges across units
    assert ("created_at", "id") in columns  # the latest records entered
    assert any(found[:2] == ("unit_id", "date") for found in columns)  # a unit's period
    for name, found in indexes.items():
        if not found or name.endswith(search.TRIGRAM_SUFFIX):
            continue
        longer = [other for other_name, other in indexes.items() if other_name != name and other[: len(found)] == found]
        assert not (longer and len(longer[0]) > len(found)), (name, found, longer)


@pytest.mark.django_db
def test_a_ledger_list_in_the_admin_never_counts_or_scans_the_whole_ledger(cast, login):
    for unit in (cast.school_a, cast.town_a, cast.school_b):
        make_record(ThemeDay, unit)
    client = login(cast.city_admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/activities/themeday/")
    assert response.status_code == 200
    table = ThemeDay._meta.db_table
    on_ledger = [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]
    counts = [sql for sql in on_ledger if "COUNT(" in sql.upper()]
    assert len(counts) == 1, counts  # the page's own count; not a second one of the whole table
    assert not [sql for sql in on_ledger if "DISTINCT" in sql.upper()]  # no date drill-down, no units from the ledger
    cl = response.context["cl"]
    assert cl.date_hierarchy is None and cl.full_result_count is None


@pytest.mark.django_db
def test_the_admins_unit_filter_offers_the_users_units_from_the_tree_with_or_without_records(cast, login):
    empty = make_unit("甲区新建小学", cast.town_a, Unit.Type.SCHOOL)
    make_record(ThemeDay, cast.school_a)
    response = login(cast.admin_a).get("/admin/activities/themeday/")
    unit_filter = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "unit")
    offered = [name.strip("\u3000") for _pk, name in unit_filter.lookup_choices]
    assert offered == [f"{unit.name}({unit.code})" for unit in (cast.district_a, cast.town_a, cast.school_a, empty)]
    page = login(cast.admin_a).get("/admin/activities/themeday/", {"unit__id__exact": cast.school_a.pk})
    assert page.status_code == 200 and len(page.context["cl"].result_list) == 1


@pytest.mark.django_db
def test_a_ledger_list_has_no_date_drill_down_and_says_so_for_its_old_address(cast, login):
    response = login(cast.admin_a).get("/admin/activities/themeday/", {"date__year": "2023"})
    assert response.status_code == 400
    assert "网址中的筛选条件“date__year”不可用" in html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["/ledgers/onlinelesson/", "/admin/activities/onlinelesson/"])
def test_a_search_finds_every_word_in_any_searched_column_or_the_units_name(cast, login, where):
    wanted = make_record(OnlineLesson, cast.school_a, column="其他", issue="青年大学习第12期", participants=1)
    by_note = make_record(OnlineLesson, cast.school_b, column="其他", issue="第13期", note="大学习", participants=1)
    other = make_record(OnlineLesson, cast.town_a, column="其他", issue="红领巾第14期", participants=1)
    client = login(cast.city_admin)

    def found(text):
        response = client.get(where, {"q": text})
        assert response.status_code == 200
        page = response.content.decode()
        return {record.issue for record in (wanted, by_note, other) if record.issue in page}

    assert found("大学习") == {wanted.issue, by_note.issue}
    assert found("大学习 甲区第一") == {wanted.issue}  # every word: one in the issue, one in the unit's name
    assert found("乙区") == {by_note.issue}
    assert found("没有这样的记录") == set()


@pytest.mark.django_db
def test_a_search_never_matches_a_personal_column_for_a_user_who_may_not_read_it(cast, login):
    make_record(StudentAid, cast.school_a, student_name="王小明", school="实验小学")
    for where in ("/ledgers/studentaid/", "/admin/assistance/studentaid/"):
        page = login(cast.leader_a).get(where, {"q": "小明"}).content.decode()
        assert "实验小学" not in page, where


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_every_searched_column_has_a_trigram_index_and_the_search_can_use_it(cast):
    for ledger in all_ledgers():
        names = set(indexes_of(ledger.model))
        for column in search.searched_columns(ledger):
            field = ledger.model._meta.get_field(column)
            assert search.trigram_index_name(ledger.model._meta.db_table, field.column) in names, (ledger, column)
    queryset = search.matching(OnlineLesson.objects.order_by(), ["unit__name", "issue", "note"], "青年大学习")
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny and its statistics are whatever earlier tests left: ask whether the trigram
        # indexes *can* serve the search's condition (GIN answers through bitmap scans only).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "activities_onlinelesson_issue_trgm" in plan and "activities_onlinelesson_note_trgm" in plan, plan


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_the_trigram_indexes_follow_the_registry_after_every_migrate():
    table = OnlineLesson._meta.db_table
    kept = search.trigram_index_name(table, "issue")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{kept}"')
        cursor.execute(f'CREATE INDEX "{table}_gone_trgm" ON "{table}" USING gin ((UPPER(note)) gin_trgm_ops)')
    search.create_trigram_indexes(using="default")
    names = set(indexes_of(OnlineLesson))
    assert kept in names  # recreated
    assert f"{table}_gone_trgm" not in names  # a column no ledger searches any more loses its index

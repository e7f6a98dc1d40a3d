"""The number of SQL queries to build a report does not grow with the records or the units."""

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Ceremony
from reports.builder import build_outputs
from reports.models import WorkReport
from tests.factories import make_record, make_unit, make_venue
from youthwork.ledgers import ColumnKind, all_ledgers
from youthwork.models import Unit, Venue
from youthwork.periods import Period

Q2 = Period.parse("2023Q2")


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def grow(town, towns: int = 3, per_ledger: int = 4):
    """More towns, schools, venues and records in every ledger of every area, all inside 2023Q2."""
    dates = itertools.cycle(dt.date(2023, month, day) for month in (4, 5, 6) for day in (3, 11, 19, 27))
    for index in range(towns):
        town_unit = make_unit(f"新建街道{index}团工委", town.district_b, Unit.Type.TOWN)
        school = make_unit(f"新建学校{index}", town_unit, Unit.Type.SCHOOL)
        venue = make_venue(town_unit, f"新建希望家园{index}", venue_type=Venue.Type.HOPE_HOME)
        for ledger in all_ledgers():
            for number in range(per_ledger):
                extra = {"venue": venue} if any(c.kind == ColumnKind.VENUE for c in ledger.columns) else {}
                if ledger.slug == "studentaid":
                    extra["student_name"] = f"学生{index}-{number}"
                make_record(ledger.model, school, next(dates), **extra)


def test_building_a_report_takes_the_same_queries_at_two_data_sizes(town):
    small = queries(lambda: build_outputs(Q2, town.city))
    grow(town)
    make_record(Ceremony, town.school_a2, dt.date(2023, 6, 1))  # every school covered: no list of the others
    large = queries(lambda: build_outputs(Q2, town.city))
    assert small == large
    assert small < 220  # three periods (本期, 上期, 去年同期), the annex and its 明细 sheets (one read per ledger)


def test_the_preview_page_takes_the_same_queries_at_two_data_sizes(town, login):
    report = WorkReport.objects.create(unit=town.city, period_code="2023Q2")
    client = login(town.city_leader)
    small = queries(lambda: client.get(f"/reports/{report.pk}/"))
    grow(town, towns=2, per_ledger=3)
    large = queries(lambda: client.get(f"/reports/{report.pk}/"))
    assert small == large

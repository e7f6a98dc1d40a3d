"""The demo city: organisation tree, venues, three users and the last five quarters of records in every ledger.

The records cover the quarter of "today" up to today and the four quarters before it, so the first
login shows this quarter's figures and the last finished quarter's report is a full one. The work
areas generate each calendar year the window touches from a random source seeded with that year, and
the rows outside [first day of the quarter four quarters back, today] are dropped: the records of a
day are the same whichever day the demo is loaded on, and loading it again later only adds the days
that have come since. Records are matched on their natural key, so running the loader again on the
same day creates nothing. `load_demo(today=...)` pins the day (tests, `load_demo --today`).
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from youthwork.areas import work_areas
from youthwork.fields import EARLIEST_DATE
from youthwork.ledgers import all_ledgers
from youthwork.models import Unit, User, Venue
from youthwork.periods import Period
from youthwork.roles import ADMIN, CLERK, LEADER
from youthwork.versions import bump_places, places_of

DEMO_PASSWORD = "youthwork-demo"
DEMO_REASON = "演示数据"  # the change reason in the history of everything the loader creates
QUARTERS_BACK = 4  # the window: the quarter of today and the four before it

# (code, name, type, parent code)
UNITS = [
    ("C00", "团市委", Unit.Type.CITY, None),
    ("D01", "东城区团委", Unit.Type.DISTRICT, "C00"),
    ("D02", "西城区团委", Unit.Type.DISTRICT, "C00"),
    ("D03", "南湖区团委", Unit.Type.DISTRICT, "C00"),
    ("T0101", "城关街道团工委", Unit.Type.TOWN, "D01"),
    ("T0102", "新华街道团工委", Unit.Type.TOWN, "D01"),
    ("T0201", "白沙镇团委", Unit.Type.TOWN, "D02"),
    ("T0202", "石桥街道团工委", Unit.Type.TOWN, "D02"),
    ("T0301", "湖滨街道团工委", Unit.Type.TOWN, "D03"),
    ("T0302", "龙泉镇团委", Unit.Type.TOWN, "D03"),
    ("S0101", "东城区第一中学", Unit.Type.SCHOOL, "D01"),
    ("S0102", "东城区实验小学", Unit.Type.SCHOOL, "T0101"),
    ("S0103", "新华小学", Unit.Type.SCHOOL, "T0102"),
    ("S0201", "西城区实验学校", Unit.Type.SCHOOL, "D02"),
    ("S0202", "中心小学", Unit.Type.SCHOOL, "T0201"),
    ("S0203", "石桥中学", Unit.Type.SCHOOL, "T0202"),
    ("S0301", "南湖中学", Unit.Type.SCHOOL, "D03"),
    ("S0302", "湖滨小学", Unit.Type.SCHOOL, "T0301"),
    ("S0303", "中心小学", Unit.Type.SCHOOL, "T0302"),
    ("M0101", "阳光社区", Unit.Type.COMMUNITY, "T0101"),
    ("M0102", "幸福社区", Unit.Type.COMMUNITY, "T0102"),
    ("M0201", "白沙社区", Unit.Type.COMMUNITY, "T0201"),
    ("M0202", "石桥社区", Unit.Type.COMMUNITY, "T0202"),
    ("M0301", "湖滨社区", Unit.Type.COMMUNITY, "T0301"),
    ("M0302", "龙泉社区", Unit.Type.COMMUNITY, "T0302"),
]

# (unit code, name, type, opened on as (years before the last finished quarter's year, month, day), lodging).
# Two 希望家园 open early in the year of the last finished quarter, so its report says 今年以来…建点.
VENUES = [
    ("M0101", "阳光社区希望家园", Venue.Type.HOPE_HOME, (2, 6, 1), True),
    ("T0201", "白沙小区希望家园", Venue.Type.HOPE_HOME, (2, 9, 1), True),
    ("M0301", "湖滨社区希望家园", Venue.Type.HOPE_HOME, (0, 1, 15), True),
    ("T0302", "龙泉活动中心希望家园", Venue.Type.HOPE_HOME, (0, 2, 20), True),
    ("D01", "东城区青年之家", Venue.Type.YOUTH_HOME, (4, 5, 4), False),
    ("D02", "西城区红领巾之家", Venue.Type.YOUTH_HOME, (4, 6, 1), False),
    ("D03", "南湖区青年之家", Venue.Type.YOUTH_HOME, (3, 5, 4), False),
    ("C00", "市少先队校外实践教育基地", Venue.Type.PIONEER_BASE, (5, 6, 1), False),
    ("T0202", "石桥法治教育基地", Venue.Type.OTHER, (3, 3, 1), False),
]

USERS = [
    ("admin", "C00", ADMIN, True, "市", "管理员"),
    ("staff", "D01", CLERK, False, "东城", "录入员"),
    ("leader", "C00", LEADER, False, "市", "领导"),
]

MIDDLE = {"S0101", "S0201", "S0203", "S0301"}  # schools with league members (中学 / 九年一贯制)
PRIMARY = {"S0102", "S0103", "S0202", "S0302", "S0303", "S0201"}  # schools with pioneers
DISTRICTS = ("D01", "D02", "D03")
TOWNS = ("T0101", "T0102", "T0201", "T0202", "T0301", "T0302")
COMMUNITIES = ("M0101", "M0102", "M0201", "M0202", "M0301", "M0302")


class DemoDateError(ValueError):
    """A "today" the demo cannot be loaded for (after the real today, or a window before 2000); Chinese message."""


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The demo's days: from the first day of the quarter four quarters before today's, to today."""
    quarter = Period.quarter_of(today)
    for _back in range(QUARTERS_BACK):
        quarter = quarter.previous()
    return quarter.start, today


def check_today(today: dt.date) -> None:
    """Refuse a day after the real today (no record may be dated in the future) or a window before 2000."""
    if today > timezone.localdate():
        raise DemoDateError(f"演示数据的日期 {today.isoformat()} 不能晚于今天")
    if window(today)[0] < EARLIEST_DATE:
        raise DemoDateError(f"演示数据的日期 {today.isoformat()} 太早:记录的日期不能早于{EARLIEST_DATE.year}年1月1日")


def district_of(unit: Unit, units: dict[str, Unit]) -> str:
    """The code of the district a unit lies in (the city's code for the city's own units)."""
    for code in DISTRICTS:
        if unit.path.startswith(units[code].path):
            return code
    return "C00"


class Demo:
    """What an area's `rows(demo)` draws on: the demo city's units and venues, the year being generated
    (`year`), "today" (`today`) and one shared random source seeded with the year (`rng`).

    The areas add a calendar year of rows each time they are called, in INSTALLED_APPS order, from the
    same seeded generator, so a year's rows are the same on every machine, every run and every "today";
    rows outside the window (before its first day or after today) are dropped afterwards.
    """

    def __init__(self, units: dict[str, Unit], venues: dict[str, Venue], today: dt.date):
        self.units, self.venues, self.today = units, venues, today
        self.first_day, _today = window(today)
        self.year = self.first_day.year
        self.rng = random.Random(self.year)
        self.hope_homes = [v for v in venues.values() if v.venue_type == Venue.Type.HOPE_HOME]
        self.rows: dict[str, list[dict]] = {ledger.name: [] for ledger in all_ledgers()}

    def add(self, sheet: str, code: str, date: dt.date, **fields) -> None:
        """One record of the ledger named `sheet`, of the unit with code `code`."""
        self.rows[sheet].append({"unit": self.units[code], "date": date, **fields})

    def date(self, month: int, day: int) -> dt.date:
        """A day of the year being generated."""
        return dt.date(self.year, month, day)

    def day_in(self, month: int, first: int = 1, last: int = 28) -> dt.date:
        """A random day of `month` of the year being generated."""
        return dt.date(self.year, month, self.rng.randint(first, last))

    def weeks(self):
        """Every week of the year being generated (its Mondays)."""
        day = dt.date(self.year, 1, 1)
        day += dt.timedelta(days=-day.weekday() % 7)
        while day.year == self.year:
            yield day
            day += dt.timedelta(days=7)

    def open_venue(self, name: str | None, date: dt.date) -> Venue | None:
        """The venue of that name if it had opened by `date` (an activity is not held in a venue yet to open)."""
        venue = self.venues.get(name) if name else None
        return venue if venue is not None and venue.opened_on <= date else None

    def end_date(self, date: dt.date) -> dt.date | None:
        """An end date as given when it has passed by today; none yet (still running) otherwise."""
        return date if date <= self.today else None

    def generate(self) -> dict[str, list[dict]]:
        """Every ledger's rows in the window, keyed by sheet name (each work area adds its own, year by year)."""
        for year in range(self.first_day.year, self.today.year + 1):
            self.year, self.rng = year, random.Random(year)
            for area in work_areas():
                area.demo_rows(self)
        return {
            sheet: [row for row in rows if self.first_day <= row["date"] <= self.today]
            for sheet, rows in self.rows.items()
        }


def _rows(units: dict[str, Unit], venues: dict[str, Venue], today: dt.date) -> dict[str, list[dict]]:
    """Every ledger's demo rows as field dicts, keyed by sheet name (each work area adds its own)."""
    return Demo(units, venues, today).generate()


@transaction.atomic
def load_demo(today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """Create what is missing of the demo city, its records up to `today` (default: the real today);
    return {label: (created, total)}. DemoDateError for a day after today or too early."""
    today = today or timezone.localdate()
    check_today(today)
    reference_year = Period.last_finished_quarter(today).start.year
    summary: dict[str, tuple[int, int]] = {}

    units: dict[str, Unit] = {}
    created = 0
    for code, name, unit_type, parent in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit(code=code, name=name, unit_type=unit_type, parent=units.get(parent))
            unit._change_reason = DEMO_REASON
            unit.save()
            created += 1
        units[code] = unit
    summary["组织单位"] = (created, Unit.objects.count())

    venues: dict[str, Venue] = {}
    created = 0
    for code, name, venue_type, (years_before, month, day), lodging in VENUES:
        venue = Venue.objects.filter(unit=units[code], name=name).first()
        if venue is None:
            opened_on = dt.date(reference_year - years_before, month, day)
            venue = Venue(
                unit=units[code], name=name, venue_type=venue_type, opened_on=opened_on, provides_lodging=lodging
            )
            venue._change_reason = DEMO_REASON
            venue.save()
            created += 1
        venues[name] = venue
    summary["阵地"] = (created, Venue.objects.count())

    created = 0
    for username, code, role, superuser, last_name, first_name in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                unit=units[code],
                is_staff=True,
                is_superuser=superuser,
                last_name=last_name,
                first_name=first_name,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            created += 1
    summary["用户"] = (created, User.objects.count())

    author = User.objects.get(username="admin")
    rows = _rows(units, venues, today)
    for ledger in all_ledgers():
        model = ledger.model
        key = ledger.key
        attnames = [model._meta.get_field(f).attname for f in key]
        existing = set(model.objects.values_list(*attnames))
        fresh, seen = [], set()
        for row in rows[ledger.name]:
            k = tuple(getattr(row[f], "pk", row[f]) for f in key)
            if k in existing or k in seen:
                continue
            seen.add(k)
            record = model(**row, created_by=author, updated_by=author)
            record.clean_fields()  # the generator keeps the cross-field rules; no lock applies to fresh demo data
            fresh.append(record)
        bulk_create_with_history(fresh, model, batch_size=500, default_user=author, default_change_reason=DEMO_REASON)
        summary[ledger.name] = (len(fresh), model.objects.count())
        bump_places(places_of(fresh))  # written in bulk, past save(): the figures of their units change
    for config in apps.get_app_configs():  # what other apps add to the demo (submissions: the quarter's states)
        summary.update(config.load_demo(today) if hasattr(config, "load_demo") else {})
    return summary

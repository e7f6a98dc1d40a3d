"""The demo city: organisation tree, venues, three users and a year (2023) of records in every ledger.

Everything is generated from a fixed random seed, so the records are the same on every run; records
are matched on their natural key, so running the loader again creates nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from youthwork.areas import work_areas
from youthwork.ledgers import all_ledgers
from youthwork.models import Unit, User, Venue
from youthwork.roles import ADMIN, CLERK, LEADER
from youthwork.versions import bump_places, places_of

DEMO_PASSWORD = "youthwork-demo"
DEMO_REASON = "演示数据"  # the change reason in the history of everything the loader creates
YEAR = 2023

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

# (unit code, name, type, opened on, lodging)
VENUES = [
    ("M0101", "阳光社区希望家园", Venue.Type.HOPE_HOME, dt.date(2022, 6, 1), True),
    ("T0201", "白沙小区希望家园", Venue.Type.HOPE_HOME, dt.date(2022, 9, 1), True),
    ("M0301", "湖滨社区希望家园", Venue.Type.HOPE_HOME, dt.date(2023, 3, 1), True),
    ("T0302", "龙泉活动中心希望家园", Venue.Type.HOPE_HOME, dt.date(2023, 5, 1), True),
    ("D01", "东城区青年之家", Venue.Type.YOUTH_HOME, dt.date(2021, 5, 4), False),
    ("D02", "西城区红领巾之家", Venue.Type.YOUTH_HOME, dt.date(2021, 6, 1), False),
    ("D03", "南湖区青年之家", Venue.Type.YOUTH_HOME, dt.date(2022, 5, 4), False),
    ("C00", "市少先队校外实践教育基地", Venue.Type.PIONEER_BASE, dt.date(2020, 6, 1), False),
    ("T0202", "石桥法治教育基地", Venue.Type.OTHER, dt.date(2022, 3, 1), False),
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


def day_in(rng: random.Random, month: int, first: int = 1, last: int = 28) -> dt.date:
    """A day of `month` of the demo year."""
    return dt.date(YEAR, month, rng.randint(first, last))


def weeks():
    """Every week of the demo year (its Mondays)."""
    day = dt.date(YEAR, 1, 2)
    while day.year == YEAR:
        yield day
        day += dt.timedelta(days=7)


def district_of(unit: Unit, units: dict[str, Unit]) -> str:
    """The code of the district a unit lies in (the city's code for the city's own units)."""
    for code in DISTRICTS:
        if unit.path.startswith(units[code].path):
            return code
    return "C00"


class Demo:
    """What an area's `rows(demo)` draws on: the demo city's units and venues, and one shared random source.

    The areas add their rows in INSTALLED_APPS order from the same seeded generator, so the demo data
    is the same on every machine and every run.
    """

    def __init__(self, units: dict[str, Unit], venues: dict[str, Venue]):
        self.units, self.venues = units, venues
        self.rng = random.Random(YEAR)
        self.hope_homes = [v for v in venues.values() if v.venue_type == Venue.Type.HOPE_HOME]
        self.rows: dict[str, list[dict]] = {ledger.name: [] for ledger in all_ledgers()}

    def add(self, sheet: str, code: str, date: dt.date, **fields) -> None:
        """One record of the ledger named `sheet`, of the unit with code `code`."""
        self.rows[sheet].append({"unit": self.units[code], "date": date, **fields})


def _rows(units: dict[str, Unit], venues: dict[str, Venue]) -> dict[str, list[dict]]:
    """Every ledger's demo rows as field dicts, keyed by sheet name (each work area adds its own)."""
    demo = Demo(units, venues)
    for area in work_areas():
        area.demo_rows(demo)
    return demo.rows


@transaction.atomic
def load_demo() -> dict[str, tuple[int, int]]:
    """Create what is missing of the demo city; return {label: (created, total)}."""
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
    for code, name, venue_type, opened_on, lodging in VENUES:
        venue = Venue.objects.filter(unit=units[code], name=name).first()
        if venue is None:
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
    rows = _rows(units, venues)
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
        summary.update(config.load_demo() if hasattr(config, "load_demo") else {})
    return summary

"""Small builders for test data: make_<thing>(**overrides). No JSON fixtures."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Group

from youthwork.ledgers import ColumnKind
from youthwork.models import Unit, User, Venue
from youthwork.roles import ADMIN, CLERK, LEADER

_seq = itertools.count(1)


def make_unit(name: str | None = None, parent: Unit | None = None, unit_type: str | None = None, **kw) -> Unit:
    if unit_type is None:
        unit_type = Unit.Type.CITY if parent is None else Unit.Type.DISTRICT
    unit = Unit(name=name or f"单位{next(_seq)}", parent=parent, unit_type=unit_type, **kw)
    unit.save()
    return unit


def make_venue(unit: Unit, name: str | None = None, **kw) -> Venue:
    kw.setdefault("venue_type", Venue.Type.YOUTH_HOME)
    kw.setdefault("opened_on", dt.date(2022, 1, 1))
    return Venue.objects.create(unit=unit, name=name or f"阵地{next(_seq)}", **kw)


def make_user(username: str | None = None, unit: Unit | None = None, role: str | None = None, **kw) -> User:
    kw.setdefault("is_staff", True)
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}", password="pw-for-tests-1", unit=unit, **kw
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def build_record(model, unit: Unit, date: dt.date = dt.date(2023, 5, 4), **fields):
    """An unsaved ledger record with sensible values for the required columns; override any of them."""
    defaults = {}
    for column in model.ledger.columns:
        if column.name in ("unit", "date") or not column.required:
            continue
        if column.kind == ColumnKind.CHOICE:
            defaults[column.name] = column.choices[0]
        elif column.kind in (ColumnKind.COUNT, ColumnKind.AMOUNT):
            defaults[column.name] = 10
        elif column.kind == ColumnKind.TEXT:
            defaults[column.name] = f"{column.header}{next(_seq)}"
        elif column.kind == ColumnKind.MULTICHOICE:
            defaults[column.name] = [column.choices[0]]
    defaults.update(fields)
    return model(unit=unit, date=date, **defaults)


def make_record(model, unit: Unit, date: dt.date = dt.date(2023, 5, 4), **fields):
    """A saved ledger record that passed full_clean (see build_record)."""
    record = build_record(model, unit, date, **fields)
    record.full_clean()
    record.save()
    return record


class Cast:
    """The usual cast: a city with two districts, a town and a school, and one user per role."""

    def __init__(self):
        self.city = make_unit("团市委", code="CITY", unit_type=Unit.Type.CITY)
        self.district_a = make_unit("甲区团委", self.city, Unit.Type.DISTRICT, code="A")
        self.district_b = make_unit("乙区团委", self.city, Unit.Type.DISTRICT, code="B")
        self.town_a = make_unit("甲街道团工委", self.district_a, Unit.Type.TOWN, code="A1")
        self.school_a = make_unit("甲区第一小学", self.town_a, Unit.Type.SCHOOL, code="A1S")
        self.school_b = make_unit("乙区第一中学", self.district_b, Unit.Type.SCHOOL, code="BS")
        self.superuser = make_user("root", self.city, is_superuser=True)
        self.city_admin = make_user("city_admin", self.city, ADMIN)
        self.city_leader = make_user("city_leader", self.city, LEADER)
        self.admin_a = make_user("admin_a", self.district_a, ADMIN)
        self.clerk_a = make_user("clerk_a", self.district_a, CLERK)
        self.clerk_b = make_user("clerk_b", self.district_b, CLERK)
        self.leader_a = make_user("leader_a", self.district_a, LEADER)


def theme_day_form(unit: Unit, **overrides) -> dict:
    """The portal form of a 主题团队日 record as a browser posts it (overrides replace fields)."""
    data = {
        "unit": unit.pk,
        "date": "2023-05-04",
        "day_type": "主题团日",
        "theme": "青春心向党",
        "occasion": "五四",
        "participants": "120",
        "venue": "",
        "note": "",
    }
    data.update(overrides)
    return data

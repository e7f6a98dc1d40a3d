"""Many demo records at once (`load_demo --records N`): a city's year of data for benchmarks and load tests.

The generator knows no ledger by name. It reads every registered ledger's columns (youthwork.ledgers)
and makes values the field rules accept (youthwork.fields): dates from January 1 of the year to its
last day or today, whichever is earlier; counts and amounts well under their limits; text within its
column's length. A ledger's own cross-field rules (入团入队仪式 only for schools, 结班日期 not before
开班日期) are respected by asking the model: each ledger is offered only the unit types its `clean()`
accepts, and its first rows are checked with `clean_fields()` and `clean()` like a form's. Natural keys
stay unique: the keys already stored for that year are read first, and a drawn key that exists is
drawn again. A ledger whose key leaves little room (three choices a unit a day) gets what fits; the
rest goes to the ledgers with room, so the total is about what was asked for.

The records are written in bulk through youthwork.actions.write_batch, the importer's path: each gets
its history row (`新增`, reason 演示数据, written inside the database), and no record is written in a
period a final report has locked. Nothing else (no per-row save(), no signals per row).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from youthwork import actions
from youthwork.fields import EARLIEST_DATE
from youthwork.ledgers import ColumnKind, Ledger, all_ledgers
from youthwork.locks import hold, lock_checker
from youthwork.models import Unit, User, Venue

REASON = "演示数据"
BATCH = 2000
CHECKED_ROWS = 20  # rows of each ledger checked like a form's, to catch a generator that breaks a rule
WORDS = (
    "青年大学习",
    "法治进校园",
    "心理健康",
    "志愿服务",
    "学雷锋",
    "防溺水",
    "禁毒宣传",
    "科技创新",
    "红色阅读",
    "关爱留守儿童",
    "安全教育",
    "乡村振兴",
)


class VolumeError(ValueError):
    """A request the generator cannot serve (a year outside 2000..this year); the message is Chinese."""


def year_days(year: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day records may have: the year's, but never after today."""
    today = timezone.localdate()
    year = year or today.year
    if year < EARLIEST_DATE.year or year > today.year:
        raise VolumeError(f"年份应在{EARLIEST_DATE.year}年至{today.year}年之间(记录的日期不能晚于今天),不能是{year}年")
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


class _Ledger:
    """What the generator needs of one ledger: how to draw a row, and the keys it already holds."""

    def __init__(self, ledger: Ledger, units: list[Unit], venues: list[Venue], first: dt.date, last: dt.date):
        self.ledger, self.model = ledger, ledger.model
        self.first, self.days = first, (last - first).days + 1
        self.last = last
        self.venues = venues
        self.fields = {c.name: self.model._meta.get_field(c.name) for c in ledger.columns}
        self.key = ledger.key
        self.key_attnames = [self.model._meta.get_field(name).attname for name in self.key]
        stored = self.model._base_manager.order_by()
        if "date" in self.key:  # other years' records cannot hold a key of this year's dates
            stored = stored.filter(date__gte=first, date__lte=last)
        self.taken = set(stored.values_list(*self.key_attnames))
        self.units = self._accepted_units(units)

    # --- drawing values ---------------------------------------------------------------------------

    def _value(self, rng: random.Random, name: str, column, row: dict, serial: int):
        field = self.fields[name]
        kind = column.kind
        # A column left empty now and then, where the field allows it and it is not part of the key.
        empty = (field.null or field.blank) and name not in self.key and rng.random() < 0.2
        if isinstance(field, models.BooleanField):
            return rng.random() < 0.5
        if kind == ColumnKind.MULTICHOICE:
            return rng.sample(column.choices, rng.randint(1, min(2, len(column.choices))))
        if kind == ColumnKind.CHOICE:
            return "" if empty and field.blank else rng.choice(column.choices)
        if kind == ColumnKind.COUNT:
            return None if empty and field.null else rng.randint(1, 800)
        if kind == ColumnKind.AMOUNT:
            return None if empty and field.null else Decimal(rng.randint(100, 5_000_000)) / 100
        if kind == ColumnKind.VENUE:
            return rng.choice(self.venues) if self.venues and rng.random() < 0.3 else None
        if kind == ColumnKind.DATE:  # a second date (结班日期): after the record's, in the year, not after today
            if empty and field.null:
                return None
            return row["date"] + dt.timedelta(days=rng.randint(0, max((self.last - row["date"]).days, 0)))
        # text: words people search for, made unique by the serial (a key's text never repeats)
        if name == "note":
            return f"{rng.choice(WORDS)}活动记录" if rng.random() < 0.3 else ""
        if empty and field.blank:
            return ""
        text = f"{rng.choice(WORDS)}{column.header}{serial}"
        return text[-column.max_length :] if column.max_length and len(text) > column.max_length else text

    def draw(self, rng: random.Random, serial: int, unit: Unit | None = None) -> dict:
        unit = unit or rng.choice(self.units)
        row = {"unit": unit, "date": self.first + dt.timedelta(days=rng.randrange(self.days))}
        for column in self.ledger.columns:
            if column.name not in row:
                row[column.name] = self._value(rng, column.name, column, row, serial)
        return row

    def key_of(self, row: dict) -> tuple:
        return tuple(getattr(row[name], "pk", row[name]) for name in self.key)

    def _accepted_units(self, units: list[Unit]) -> list[Unit]:
        """The units whose type the ledger's own clean() accepts (one trial row per unit type)."""
        rng = random.Random(0)
        accepted_types = set()
        for unit_type in {unit.unit_type for unit in units}:
            sample = next(unit for unit in units if unit.unit_type == unit_type)
            row = self.draw(rng, 0, sample)
            try:
                self.check(row, with_fields=False)
            except ValidationError as exc:
                if "unit" in getattr(exc, "error_dict", {}):
                    continue
                raise
            accepted_types.add(unit_type)
        return [unit for unit in units if unit.unit_type in accepted_types]

    def check(self, row: dict, *, with_fields: bool = True) -> None:
        """The rules a form applies: the fields' rules and the model's clean() (locks are checked apart)."""
        record = self.model(**row)
        record._lock_check = lambda unit, date: None
        if with_fields:
            record.clean_fields()
        record.clean()

    # --- one ledger's share ---------------------------------------------------------------------------

    def rows(self, rng: random.Random, wanted: int, serials, check_lock) -> list[dict]:
        """Up to `wanted` rows with fresh keys; fewer when the key leaves no room (gives up after misses)."""
        found: list[dict] = []
        misses = 0
        while len(found) < wanted and self.units and misses < 200 + wanted:
            row = self.draw(rng, next(serials))
            key = self.key_of(row)
            if key in self.taken or check_lock(row["unit"], row["date"]):
                misses += 1
                continue
            self.taken.add(key)
            found.append(row)
        return found


def add_records(records: int, *, year: int | None = None, seed: int | None = None, user=None) -> dict[str, int]:
    """Add about `records` records over every ledger, every unit and the days of the year; {sheet: added}.

    One transaction; the units are held (youthwork.locks) so no 定稿 runs meanwhile, and places a final
    report has locked are skipped.
    """
    first, last = year_days(year)
    rng = random.Random(seed)
    user = user or User.objects.filter(is_superuser=True).order_by("pk").first()
    added: dict[str, int] = {}
    with transaction.atomic():
        units = list(hold(Unit.objects.values_list("pk", flat=True)).values())
        if not units or records <= 0:
            return {ledger.name: 0 for ledger in all_ledgers()}
        venues = list(Venue.objects.all())
        check_lock = lock_checker()
        ledgers = [_Ledger(ledger, units, venues, first, last) for ledger in all_ledgers()]
        # Serials keep key texts apart (a drawn key already stored is drawn again all the same).
        start = 1 + max(
            (ledger.model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0 for ledger in all_ledgers()),
            default=0,
        )
        serials = iter(range(start, start + 100 * records + 10_000_000))
        pending = {g.ledger.name: [] for g in ledgers}
        shares = [records // len(ledgers) + (1 if i < records % len(ledgers) else 0) for i in range(len(ledgers))]
        shortfall = 0
        for generator, share in zip(ledgers, shares, strict=True):
            rows = generator.rows(rng, share, serials, check_lock)
            pending[generator.ledger.name] += rows
            shortfall += share - len(rows)
        # What a crowded key could not take goes to the ledgers that had room.
        roomy = [g for g, share in zip(ledgers, shares, strict=True) if len(pending[g.ledger.name]) >= share]
        for index, generator in enumerate(roomy):
            share = shortfall // len(roomy) + (1 if index < shortfall % len(roomy) else 0)
            pending[generator.ledger.name] += generator.rows(rng, share, serials, check_lock)
        now = timezone.now()
        for generator in ledgers:
            rows = pending[generator.ledger.name]
            for row in rows[:CHECKED_ROWS]:
                generator.check(row)
            for start_at in range(0, len(rows), BATCH):
                chunk = rows[start_at : start_at + BATCH]
                batch = [generator.model(**row, created_by=user, updated_by=user) for row in chunk]
                actions.write_batch(generator.model, batch, [], [], user=user, reason=REASON, date=now)
            added[generator.ledger.name] = len(rows)
    return added


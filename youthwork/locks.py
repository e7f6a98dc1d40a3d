"""Frozen periods: records of a locked period and scope can no longer change.

A lock (youthwork.models.PeriodLock) covers a period (start..end) and a unit with its descendants. Its
owner creates it when it freezes the period (a report at 定稿, reports.models) and deletes it when it
lets go (退回); the core reads only the locks, never their owners. While a lock stands, no record of a
unit in that subtree dated in that period may be added, changed, deleted or imported, and no unit may
move into or out of that subtree while its records are counted there. The admin, the portal (through
youthwork.actions and LedgerRecord.clean) and the importer all ask here; the refusal is the lock's own
`reason`.

Freezing and writing race, so the check is taken under a database lock on the rows of the units
concerned (PostgreSQL row locks; SQLite serialises write transactions, see settings.py):

- the freeze (`freeze`) takes FOR UPDATE on every unit of the subtree before its owner reads the
  figures and creates the PeriodLock, in one transaction;
- every write (`guard_write`, `guard_move`), inside its own transaction, first takes FOR NO KEY UPDATE
  on the units of the record as stored and as written (for a move: the moved subtree and the new
  parent), and only then reads the locks.

FOR NO KEY UPDATE conflicts with FOR UPDATE, so a write either holds its units before the freeze
(the freeze waits for it to commit and counts it) or waits for the freeze to commit and then finds the
lock. It does not conflict with the FOR KEY SHARE that PostgreSQL takes when a row referring
to the unit is inserted, so ordinary foreign-key checks are not slowed. Two writes of the same unit
also wait for each other, which is what keeps two imports of the same records from overwriting each
other unseen (youthwork.importing.engine). Rows are always locked in id order, so two lockers never wait on
each other in a circle inside one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from youthwork.ledgers import all_ledgers
from youthwork.versions import names_venue

LockCheck = Callable[[object, dt.date], "str | None"]


# youthwork.models asks this module on every write, so the models are looked up, not imported (no circle).


def _locks() -> list:
    """Every PeriodLock with its unit, in one query."""
    return list(apps.get_model("youthwork", "PeriodLock").objects.select_related("unit"))


def _covering(locks, unit, date: dt.date):
    return next((lock for lock in locks if lock.covers(unit, date)), None)


def lock_checker() -> LockCheck:
    """A function (unit, date) -> message or None, after loading the locks in one query."""
    locks = _locks()

    def check(unit, date: dt.date) -> str | None:
        lock = _covering(locks, unit, date)
        return lock.reason if lock is not None else None

    return check


def covering_lock(unit, date: dt.date):
    """The lock over (unit, date), or None (for pages that link to its owner)."""
    return _covering(_locks(), unit, date)


def find_lock(unit, date: dt.date) -> str | None:
    """The reason of the lock over (unit, date), or None if it may change."""
    return lock_checker()(unit, date)


# --- taking the database locks ---------------------------------------------------------------------


def _units():
    return apps.get_model("youthwork", "Unit").objects


def _in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("locks must be taken inside the transaction of the write they guard")


def hold(unit_ids: Iterable[int]) -> dict:
    """Lock the units' rows until the current transaction ends; their current rows by id.

    Waits while a 定稿 of a report over any of them is running. The rows are read after the lock is
    granted, so their paths are the committed ones even if a unit was moved meanwhile.
    """
    _in_transaction()
    ids = sorted({pk for pk in unit_ids if pk is not None})
    if not ids:
        return {}
    no_key = connection.features.has_select_for_no_key_update
    locked = _units().filter(pk__in=ids).order_by("pk").select_for_update(no_key=no_key)
    return {unit.pk: unit for unit in locked}


def freeze(unit) -> None:
    """A freeze's lock (定稿's): every unit of the subtree, until the freezing transaction ends (FOR UPDATE).

    Taken before the owner reads the figures and creates its PeriodLock; writes already holding one of
    these units finish first and are counted, writes arriving later wait and then find the lock.
    """
    _in_transaction()
    list(_units().filter(path__startswith=unit.path).order_by("pk").select_for_update().values_list("pk"))


def hold_places(unit_ids: Iterable[int | None], records=None, venues: Iterable[int | None] = ()) -> dict:
    """Lock the given units, the units of `records` (a queryset of ledger records) as they stand, and the
    units of the venues the write names (ids) or the records name.

    A record's unit and date change only under its unit's lock, so once every unit the records name
    is held, their places cannot change before the transaction ends; units they name after a
    concurrent write are locked too (re-read until nothing new). A venue moves only under its units'
    locks (guard_venue) in the same way. The venues' units are held because the write changes their
    figures (a venue is 使用 when a record names it) and gives them a new data version (youthwork.versions)
    at its end: held here, with the rest in id order, that update waits for no one. Returns the locked
    units by id.
    """
    held: dict = {}
    asked: set[int] = set()
    wanted = {pk for pk in unit_ids if pk is not None}
    venue_ids = {pk for pk in venues if pk is not None}
    with_venues = records is not None and names_venue(records.model)
    while True:
        if with_venues:
            for unit_id, venue_unit_id in records.order_by().values_list("unit_id", "venue__unit_id").distinct():
                wanted |= {unit_id, venue_unit_id} - {None}
        elif records is not None:
            wanted |= set(records.order_by().values_list("unit_id", flat=True).distinct())
        if venue_ids:
            venue_units = apps.get_model("youthwork", "Venue").objects.filter(pk__in=venue_ids)
            wanted |= set(venue_units.values_list("unit_id", flat=True))
        wanted -= asked
        if not wanted:
            return held
        held.update(hold(wanted))
        asked |= wanted
        wanted = set()
        if records is None and not venue_ids:
            return held


def guard_write(
    places: Iterable[tuple[int | None, dt.date | None]] = (), records=None, venues: Iterable[int | None] = ()
) -> str | None:
    """Lock the units of the write, then ask the period locks: the lock's reason, or None.

    `places`: (unit id, date) of what will be written; `records`: the stored records the write
    changes or deletes (a queryset; their places are read after their units are locked); `venues`:
    the venues (ids) the written records name, whose units are held too (see hold_places). Call it
    inside the write's transaction, before writing; the answer holds until the transaction commits.
    """
    places = [(unit_id, date) for unit_id, date in places if unit_id is not None and date is not None]
    units = hold_places([unit_id for unit_id, _date in places], records, venues)
    if records is not None:
        places = [*records.order_by().values_list("unit_id", "date").distinct(), *places]
    check = lock_checker()
    for unit_id, date in places:
        if message := check(units.get(unit_id), date):
            return message
    return None


def is_lock_conflict(error: Exception) -> bool:
    """Whether a database error is a lock conflict the database broke (a deadlock): try again later."""
    cause = getattr(error, "__cause__", None)
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in ("40P01", "40001", "55P03")


def guard_move(unit, new_parent) -> str | None:
    """Whether moving `unit` (a stored unit) under `new_parent` would change what a lock froze.

    Refused when the unit's subtree has records dated in a lock's period and the unit's old or new
    place lies in that lock's subtree. Locks the moved subtree and the new parent first.
    """
    stored = _units().filter(pk=unit.pk).values_list("path", flat=True).first()
    if not stored:
        return None
    subtree = list(_units().filter(path__startswith=stored).values_list("pk", flat=True))
    units = hold([*subtree, getattr(new_parent, "pk", None)])
    old_path = units[unit.pk].path if unit.pk in units else stored
    new_parent_path = units[new_parent.pk].path if new_parent is not None and new_parent.pk in units else ""
    for lock in _locks():
        inside = lock.unit.path
        if not (old_path.startswith(inside) or (new_parent_path and new_parent_path.startswith(inside))):
            continue
        if _has_records(old_path, lock.start, lock.end):
            return (
                f"“{unit.name}”及其下级单位在{lock.start:%Y-%m-%d}至{lock.end:%Y-%m-%d}的记录已被锁定,"
                f"不能改变其上级单位:{lock.reason}"
            )
    return None


def _has_records(path: str, start: dt.date, end: dt.date) -> bool:
    return any(
        ledger.model._default_manager.filter(unit__path__startswith=path, date__gte=start, date__lte=end).exists()
        for ledger in all_ledgers()
    )


# --- venues ----------------------------------------------------------------------------------------
#
# A report counts the venues of its subtree opened by the end of its period (youthwork.metrics: 希望家园,
# 青年之家…, their names, types and lodging). Venues have no closing date, so a venue counted by a frozen
# period keeps counting: while the lock stands, what was read of it cannot change.

VENUE_COUNTED_FIELDS = ("name", "unit_id", "venue_type", "opened_on", "provides_lodging")


def guard_venue(venue, *, deleting: bool = False) -> str | None:
    """Lock the venue's units (as stored and as written), then say why the write may not happen, or None.

    Refused: adding a venue a lock would have counted (opened by its period's end, in its subtree: a
    venue backdated into a frozen quarter), deleting a counted venue, or changing a counted
    venue's name, unit, type, opening date or lodging (its 备注 may change). Call it inside the write's
    transaction.
    """
    Venue = type(venue)
    stored = None
    if venue.pk is not None:
        stored = Venue._default_manager.filter(pk=venue.pk).values(*VENUE_COUNTED_FIELDS).first()
    units = hold([venue.unit_id, stored["unit_id"] if stored else None])
    if stored is not None and not deleting:
        if all(stored[name] == getattr(venue, name) for name in VENUE_COUNTED_FIELDS):
            return None  # only its note changes: no figure reads it
    locks = _locks()
    places = []
    if stored is not None:
        places.append((units.get(stored["unit_id"]), stored["opened_on"], stored["name"]))
    if not deleting:
        places.append((units.get(venue.unit_id), venue.opened_on, venue.name))
    for unit, opened_on, name in places:
        for lock in locks:
            if lock.counts_venue(unit, opened_on):
                return (
                    f"{lock.end:%Y-%m-%d}前启用的阵地“{name}”已计入锁定期间的数据,"
                    f"不能新增、删除,也不能修改其名称、所在单位、类型、启用日期或提供食宿(备注可以修改):{lock.reason}"
                )
    return None

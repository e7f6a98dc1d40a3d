"""Data versions: a token on every unit that changes in the same transaction as any write its figures read.

What a scope's figures read (youthwork.metrics, the dashboard, the report) is the records and venues of
a unit and its descendants, the records elsewhere that name one of its venues (a venue is 使用 when any
record names it), the units of the subtree (names, types, the tree) and its ancestors (a unit's parent
names it in text), and which unit names occur more than once in the whole tree (those are prefixed
with their parent's place name). So:

- a write of a ledger record changes the version of the record's unit and of its venue's unit, as
  stored and as written (`bump`, called by youthwork.models.GuardedWrites.save()/delete(), i.e. by
  youthwork.actions, the portal and the admin, and by actions.delete_many and actions.write_batch);
- a write of a venue changes its unit's version, as stored and as written (the same way);
- every save of a unit gives that unit a new version (youthwork.models.Unit.save); a unit that is
  added, moved or deleted changes the set of (unit, parent) pairs of every subtree it enters or leaves.

A list's key (`units_key`) is narrower: what reads only the records of a set of units and those units'
own rows (a ledger list's count and totals over a user's visible units, its unit filter) is keyed by a
digest of the (id, path, version) of exactly those units, which the list has read anyway for that filter.

A scope's key (`scope_key`) is a digest of the (id, parent, version) of every unit in the subtree and of
its ancestors, and of the unit names the tree holds more than once: two small queries on the unit table,
however many records there are. Any descendant's write changes every ancestor's key; a write elsewhere
changes nothing of this key. Bumping only the written units' own rows, not their ancestors', keeps the
city's row from becoming a row every write in the city waits for: the writes already hold their units'
rows (youthwork.locks.hold), so updating them adds no new wait.

Versions are random 62-bit numbers, not counters: a version is never given twice, so a rolled-back
transaction, a unit saved from a copy read before another write, or an id the database gives again
(SQLite reuses the highest id after a delete) can never bring back a key whose cached figures are old.

Anything that writes records, venues or units in another way (raw SQL, QuerySet.update(), a bulk
insert of its own) calls `bump` for the units concerned in its transaction, or `bump_all()`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Count, Q

VERSION_BITS = 62  # fits the signed 64-bit integer column of every database


def new_version() -> int:
    return secrets.randbits(VERSION_BITS)


def _units():
    return apps.get_model("youthwork", "Unit")._default_manager


def _venues():
    return apps.get_model("youthwork", "Venue")._default_manager


def bump(units: Iterable[int | None] = (), venues: Iterable[int | None] = ()) -> None:
    """Give new versions to the units (ids) and to the units of the venues (ids), in the caller's transaction.

    A venue's unit is read again after its row is updated: a venue moved meanwhile to another unit (under
    that unit's lock, youthwork.locks.guard_venue) has its new unit bumped too.
    """
    wanted = {pk for pk in units if pk is not None}
    venue_ids = sorted({pk for pk in venues if pk is not None})
    done: set[int] = set()
    while True:
        if venue_ids:
            wanted |= set(_venues().filter(pk__in=venue_ids).values_list("unit_id", flat=True))
        fresh = sorted(wanted - done)
        if not fresh:
            return
        _units().filter(pk__in=fresh).update(data_version=new_version())
        done.update(fresh)
        if not venue_ids:
            return


def bump_places(*where: tuple[set[int], set[int]]) -> None:
    """`bump` for (unit ids, venue ids) pairs, as `places` and `places_of` return them."""
    bump(
        units=[pk for units, _venues in where for pk in units],
        venues=[pk for _units, venues in where for pk in venues],
    )


def bump_all() -> None:
    """A new version for every unit (after writes that cannot say which units they changed)."""
    _units().update(data_version=new_version())


def names_venue(model) -> bool:
    """Whether the model's rows may name a venue, whose figures (使用) they then change: a 活动阵地 column."""
    return any(field.name == "venue" and field.many_to_one for field in model._meta.concrete_fields)


def places(queryset) -> tuple[set[int], set[int]]:
    """(unit ids, venue ids) of the stored ledger records or venues of a queryset, in one query."""
    if not names_venue(queryset.model):
        return set(queryset.order_by().values_list("unit_id", flat=True).distinct()), set()
    units, venues = set(), set()
    for unit_id, venue_id in queryset.order_by().values_list("unit_id", "venue_id").distinct():
        units.add(unit_id)
        venues.add(venue_id)
    return units, venues - {None}


def places_of(objects) -> tuple[set[int], set[int]]:
    """(unit ids, venue ids) of ledger records or venues as they are in memory (about to be written)."""
    units, venues = set(), set()
    for obj in objects:
        units.add(getattr(obj, "unit_id", None))
        venues.add(getattr(obj, "venue_id", None))
    return units - {None}, venues - {None}


def scope_key(unit) -> str:
    """The version of what the figures of `unit` and its descendants read (see the module's docstring)."""
    ancestors = unit.lineage
    rows = list(
        _units()
        .filter(Q(path__startswith=unit.path) | Q(pk__in=ancestors))
        .order_by("pk")
        .values_list("pk", "parent_id", "data_version")
    )
    shared = list(
        _units()
        .order_by()
        .values("name")
        .annotate(units=Count("pk"))
        .filter(units__gt=1)
        .values_list("name", flat=True)
    )
    digest = hashlib.sha256(repr((rows, sorted(shared))).encode())
    return f"{unit.pk}-{digest.hexdigest()[:32]}"


def units_key(units: Iterable) -> str:
    """The version of what reads only the records of exactly these units and the units' own rows (names,
    codes, place and depth in the tree), from the units as the caller read them: a ledger list's count and
    totals over the user's visible units, with its unit filter (a subtree of them) and its search of their
    names; the lists' unit filters, drawn indented by depth.

    A write of a record of one of them, as stored or as written, bumps that unit; a unit saved (renamed,
    moved) has a new version; a unit added to the set, or moved or deleted out of it, changes the set; a
    move of an ancestor outside the set saves none of them but rewrites their paths (and so their depth).
    Ancestors and names elsewhere, which scope_key also covers for the figures, are not read.
    """
    rows = sorted((unit.pk, unit.path, unit.data_version) for unit in units)
    return f"units-{hashlib.sha256(repr(rows).encode()).hexdigest()[:32]}"

"""Every write to a ledger record, in one place: the portal, the admin and the importer call these.

A write records who made it (`created_by` on a new record, `updated_by` on every write), the history's
user and change reason (django-simple-history's `_history_user` / `_change_reason`; the importer's
bulk writes pass them as the batch's defaults), and is checked against the period locks under the
units' row locks, in the write's own transaction (youthwork.locks): one record's save() and delete()
ask LedgerRecord.guard(); a bulk delete asks once for every record it removes; the importer holds the
units of its sheet and checks each row with one preloaded lock_checker() before it writes in bulk.
A refused write raises ValidationError (one record) or returns the lock's reason (many records).

Every write also gives new data versions to the units whose figures it changes, in its transaction
(youthwork.versions): the cached dashboard and report figures of those units' scopes are then computed
again. A write that does not go through these functions nor a model's save()/delete() (the undo of an
import, a bulk fix) calls youthwork.versions.bump itself, or `bump_places(...)` here.
"""

from __future__ import annotations

import datetime as dt

from django.db import router, transaction
from django.db.models.deletion import Collector
from simple_history.utils import bulk_update_with_history

from youthwork.history import bulk_create_recorded
from youthwork.locks import guard_write
from youthwork.models import LedgerRecord
from youthwork.versions import bump_places, places, places_of

CHUNK = 2000  # records asked about in one query (SQLite allows only so many parameters)


def stamp(record, user, *, now: dt.datetime | None = None) -> None:
    """Who wrote the record: its creator when it is new, its last editor always (and when, for bulk writes)."""
    if not isinstance(record, LedgerRecord):
        return
    if record._state.adding:
        record.created_by = user
    record.updated_by = user
    if now is not None:  # bulk_update does not run auto_now
        record.updated_at = now


def _recorded(record, user, reason: str) -> None:
    record._history_user = user
    if reason:
        record._change_reason = reason


def save(record: LedgerRecord, user, *, reason: str = "") -> LedgerRecord:
    """Create or change one record; refused with ValidationError (the lock's reason) if a lock covers it."""
    stamp(record, user)
    _recorded(record, user, reason)
    record.save()  # GuardedWrites: locks the units, checks the locks, writes, in one transaction
    return record


def delete(record: LedgerRecord, user, *, reason: str = "") -> None:
    """Delete one record; refused with ValidationError (the lock's reason) if a lock covers it."""
    _recorded(record, user, reason)
    record.delete()


def delete_many(queryset, user, *, reason: str = "") -> str | None:
    """Delete the records of a queryset, all or none: the reason of the lock over one of them, or None."""
    with transaction.atomic(using=router.db_for_write(queryset.model)):
        if message := guard_write(records=queryset):
            return message
        records = list(queryset)
        for record in records:
            _recorded(record, user, reason)
        # What QuerySet.delete() does, with these instances: the history's signal reads their user and reason.
        collector = Collector(using=router.db_for_write(queryset.model), origin=queryset)
        collector.collect(records)
        collector.delete()
        bump_places(places_of(records))
    return None


def write_batch(model, creates, updates, update_fields, *, user, reason: str, date: dt.datetime) -> None:
    """The importer's bulk write: new and changed rows (stamped with `stamp`, checked by the caller under
    the units' locks), each with its history row in bulk (user, reason and date of the whole import);
    then new data versions for the units the rows were and are in."""
    stored = places(model._default_manager.filter(pk__in=[obj.pk for obj in updates])) if updates else (set(), set())
    if creates:
        bulk_create_recorded(creates, model, user=user, reason=reason, date=date)
    if updates:
        bulk_update_with_history(
            updates,
            model,
            update_fields,
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
    bump_places(stored, places_of([*creates, *updates]))


def restore_many(model, records, fields, *, user, reason: str, date: dt.datetime) -> str | None:
    """Put stored values back on many records of one ledger (撤销 of an import: youthwork.import_runs), all
    or none: the reason of the lock over one of them (as stored or as restored), or None.

    `records` hold the values to restore in `fields` (attnames); each gets its history row (user, reason)."""
    if not records:
        return None
    before = []
    with transaction.atomic(using=router.db_for_write(model)):
        for start in range(0, len(records), CHUNK):  # a bounded number of query parameters
            chunk = records[start : start + CHUNK]
            stored = model._default_manager.filter(pk__in=[record.pk for record in chunk])
            if message := guard_write([(record.unit_id, record.date) for record in chunk], stored):
                return message
            before.append(places(stored))
        for record in records:
            stamp(record, user, now=date)
        bulk_update_with_history(
            records,
            model,
            [*fields, "updated_by", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        bump_places(*before, places_of(records))  # the figures of the units as stored and as restored
    return None

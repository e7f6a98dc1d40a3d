"""Figures computed once per scope and reused until a write changes what they read.

`cached(unit, {name: compute})` answers each entry from Django's cache (settings.CACHES["default"]: the
database's cache table unless configured otherwise), under a key made of the entry's name, the code
that computes it and the data version of the unit's scope (youthwork.versions.scope_key): a write to a
record, venue or unit of the scope, from any path, gives the scope a new key in the write's own
transaction, so an entry is never read after the data it was computed from has changed. Entries of
other scopes keep their keys. Old entries are never read again; they expire (DJANGO_CACHE_TIMEOUT).

The key also carries a digest of the source files that compute the figures (youthwork/metrics.py, every
work area's metrics module and the caller's modules) and of the templates an entry is rendered with (an
entry may be finished HTML: the dashboard's charts), so an upgrade that changes them starts afresh.

`cached_as(version, entries)` does the same under a version the caller has read itself: a ledger list's
totals are keyed by the digest of the units the list already read for its unit filter
(youthwork.versions.units_key), which costs no query of its own.

A cache that fails (a server down, a missing table) is logged and skipped: the figures are computed as
if nothing were cached, never an error page. Values must pickle (plain dicts, lists, numbers, dates).

Callers compute nothing inside a transaction that has written data it has not finished writing: the
version read then would already be the new one while the figures missed the rest of the write.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import cache as memoise
from importlib import import_module
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.template.loader import get_template

from youthwork.areas import work_areas
from youthwork.versions import scope_key, units_key

logger = logging.getLogger(__name__)

PREFIX = "figures"


@memoise
def code_version(sources: tuple[str, ...] = (), templates: tuple[str, ...] = ()) -> str:
    """A digest of the source of the modules that compute the figures and of the templates that render
    them (read once per process)."""
    names = {"youthwork.metrics", "youthwork.figure_cache", *(area.metrics.__name__ for area in work_areas())}
    digest = hashlib.sha256()
    for name in sorted(names | set(sources)):
        path = getattr(import_module(name), "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
    for name in templates:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()[:12]


def _quietly(action: Callable[[object], object], default):
    """action(the cache), or `default` (logged) if the cache fails.

    A database cache's failed statement would leave the caller's transaction unusable on PostgreSQL;
    inside a transaction it runs in a savepoint of its own.
    """
    try:
        cache = caches["default"]
        if isinstance(cache, DatabaseCache) and transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return action(cache)
        return action(cache)
    except Exception:
        logger.warning("缓存不可用,数据直接计算", exc_info=True)
        return default


def cached_over_units(units, name: str, question, compute: Callable[[], object], sources: Iterable[str] = ()):
    """compute(), the answer to `question` about the records of exactly `units` and the units' own rows (a
    ledger list's count and totals, an admin change list's count), from the cache while none of them has
    changed since (youthwork.versions.units_key over the units as the caller read them, before computing).

    `question` is everything else the answer depends on (the ledger, the filters as read, the search words
    and the columns searched), as a value whose repr is stable; `name` says what is asked, for the key.
    """
    key = f"{name}:{hashlib.sha256(repr(question).encode()).hexdigest()[:32]}"
    return cached_as(units_key(units), {key: compute}, sources)[key]


def _short(name: str, limit: int = 64) -> str:
    """The entry's name in its key, a digest if long (memcached takes keys of up to 250 characters)."""
    return name if len(name) <= limit else hashlib.sha256(name.encode()).hexdigest()[:32]


def cached(
    unit, entries: dict[str, Callable[[], object]], sources: Iterable[str] = (), templates: Iterable[str] = ()
) -> dict[str, object]:
    """{name: value} for every entry of the scope of `unit`: from the cache if computed since the scope's
    last change, else computed now (and stored). One read of the cache for all entries.

    `sources` (module names) and `templates` (template names, each with the templates it includes) are
    what the entries are computed and rendered with: a change to them is a new key."""
    return cached_as(scope_key(unit), entries, sources, templates)


def cached_as(
    version: str, entries: dict[str, Callable[[], object]], sources: Iterable[str] = (), templates: Iterable[str] = ()
) -> dict[str, object]:
    """`cached` under `version`, a data version read by the caller (youthwork.versions) before anything is
    computed: the figures read after it are at least as new as it says."""
    code = code_version(tuple(sorted(sources)), tuple(sorted(templates)))
    keys = {name: f"{PREFIX}:{code}:{_short(name)}:{version}" for name in entries}
    found = _quietly(lambda cache: cache.get_many(list(keys.values())), {})
    values, computed = {}, {}
    for name, compute in entries.items():
        if keys[name] in found:
            values[name] = found[keys[name]]
        else:
            values[name] = computed[keys[name]] = compute()
    if computed:
        _quietly(lambda cache: cache.set_many(computed), None)
    return values

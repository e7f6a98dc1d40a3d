"""Text search of a ledger's list (the portal's and the admin's), and the indexes that serve it on PostgreSQL.

A search is each word in any of the searched columns (privacy.search_fields: the unit's name, the
ledger's `search=` columns, personal columns only for users who may read them), matched with Django's
`icontains`, which PostgreSQL runs as `UPPER(col::text) LIKE UPPER('%word%')`. On PostgreSQL each
searched column of every ledger has a trigram index on exactly that expression,
`gin (UPPER(col::text) gin_trgm_ops)`, so a word of three characters or more is found through the
indexes (a BitmapOr of them) instead of reading the whole ledger; shorter words have no trigram and are
read from the table. A column across a relation (`unit__name`) is first looked up in its own (small)
table and matched by id (`unit_id IN (…)`), so that the ledger's side of the OR stays on indexed columns.

The trigram indexes follow the registry: after every `migrate` (a post_migrate receiver, like the
roles) each ledger's searched columns get theirs (`CREATE INDEX IF NOT EXISTS`), and ones no ledger
searches any more are dropped, so a new ledger or a new `search=` column needs nothing by hand. The
pg_trgm extension comes from a migration (youthwork 0010) that does nothing on other databases.
"""

from __future__ import annotations

import hashlib
import logging
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Q

from youthwork.ledgers import Ledger, all_ledgers

logger = logging.getLogger(__name__)

TRIGRAM_SUFFIX = "_trgm"


def matching(queryset, fields: list[str], text: str):
    """The records in which every word of `text` is in one of `fields` (case-insensitive)."""
    model = queryset.model
    for word in text.split():
        conditions = []
        for name in fields:
            relation, _, rest = name.partition("__")
            if rest:  # a column of a related table: its matching ids, then an indexed id lookup here
                related = model._meta.get_field(relation).related_model
                ids = list(related._base_manager.filter(**{f"{rest}__icontains": word}).values_list("pk", flat=True))
                conditions.append(Q(**{f"{relation}__in": ids}))
            else:
                conditions.append(Q(**{f"{name}__icontains": word}))
        queryset = queryset.filter(reduce(or_, conditions))
    return queryset


def reads_beyond_units(fields: list[str]) -> bool:
    """Whether a search of these columns reads another table than the records' and their units' (a venue's
    name): what is cached under the units' versions (figure_cache.cached_over_units) must not."""
    return any("__" in name and not name.startswith("unit__") for name in fields)


def searched_columns(ledger: Ledger) -> list[str]:
    """The ledger's own columns a search may read (its search= and personal= columns)."""
    return [name for name in (*ledger.search_fields, *ledger.personal_fields) if "__" not in name]


def trigram_index_name(table: str, column: str) -> str:
    name = f"{table}_{column}{TRIGRAM_SUFFIX}"
    if len(name) > 63:  # PostgreSQL's limit for a name
        digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]
        name = f"{name[: 63 - len(TRIGRAM_SUFFIX) - 9]}_{digest}{TRIGRAM_SUFFIX}"
    return name


def wanted_trigram_indexes(connection) -> dict[str, dict[str, str]]:
    """{table: {index name: CREATE INDEX statement}} for every searched column of every ledger."""
    quote = connection.ops.quote_name
    wanted: dict[str, dict[str, str]] = {}
    for ledger in all_ledgers():
        table = ledger.model._meta.db_table
        for name in searched_columns(ledger):
            column = ledger.model._meta.get_field(name).column
            index = trigram_index_name(table, column)
            wanted.setdefault(table, {})[index] = (
                f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(table)} "
                f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
            )
    return wanted


def create_trigram_indexes(using: str = "default", **kwargs) -> None:
    """post_migrate receiver: on PostgreSQL, each searched column's trigram index, and no stale ones."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    wanted = wanted_trigram_indexes(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            logger.warning("pg_trgm is not installed: the ledgers' text search runs without trigram indexes")
            return
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s)",
            [list(wanted)],
        )
        existing = {(table, index) for table, index in cursor.fetchall()}
        for table, indexes in wanted.items():
            for index, statement in indexes.items():
                if (table, index) not in existing:
                    cursor.execute(statement)
        quote = connection.ops.quote_name
        for table, index in sorted(existing):
            if index.endswith(TRIGRAM_SUFFIX) and index not in wanted[table]:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(index)}")

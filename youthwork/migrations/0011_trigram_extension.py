"""pg_trgm on PostgreSQL, for the trigram indexes of the searched text columns (youthwork.search).

TrigramExtension does nothing on other databases. pg_trgm is a trusted extension (PostgreSQL 13+), so the
database owner may create it without being a superuser. The per-column indexes are not in migrations: they
follow the ledger registry, created after every migrate by youthwork.search.create_trigram_indexes.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("youthwork", "0010_unit_data_version"),
    ]

    operations = [
        TrigramExtension(),
    ]

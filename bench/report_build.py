"""How long the 2023Q2 city report takes, and how many SQL queries, as the ledgers grow.

    python bench/report_build.py                 # SQLite; sizes 2,000 / 20,000 / 100,000 records
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/report_build.py --sizes 1000,200000

Runs on a throw-away test database (the name of DATABASE_URL's database with a test_ prefix): the demo
city is loaded, then random records are added to every ledger until each size is reached, and the
whole report (figures, document, .docx and .xlsx) is built for each size. The query count must stay
the same; the time grows with the data the database aggregates.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")
# A benchmark serves no page: a throw-away key lets it run with production settings (DEBUG off, as measured).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from reports.builder import build_outputs  # noqa: E402
from youthwork.demo import load_demo  # noqa: E402
from youthwork.ledgers import all_ledgers  # noqa: E402
from youthwork.models import Unit, Venue  # noqa: E402
from youthwork.periods import Period  # noqa: E402


def add_records(count: int, rng: random.Random, serial: list[int]) -> None:
    """`count` more records spread over every ledger, the whole year and every unit."""
    units = list(Unit.objects.all())
    schools = [unit for unit in units if unit.unit_type == Unit.Type.SCHOOL]
    venues = list(Venue.objects.all())
    ledgers = all_ledgers()
    for ledger in ledgers:
        batch = []
        for _ in range(count // len(ledgers)):
            serial[0] += 1
            values = {"unit": rng.choice(schools if ledger.slug == "ceremony" else units)}
            values["date"] = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
            for column in ledger.columns:
                if column.name in ("unit", "date", "note"):
                    continue
                if column.kind == "choice":
                    values[column.name] = rng.choice(column.choices)
                elif column.kind == "multichoice":
                    values[column.name] = rng.sample(column.choices, 2)
                elif column.kind in ("count", "amount"):
                    values[column.name] = rng.randint(1, 500)
                elif column.kind == "venue":
                    values[column.name] = rng.choice(venues) if rng.random() < 0.3 else None
                elif column.kind == "date":
                    values[column.name] = values["date"] + dt.timedelta(days=30)
                elif column.kind == "text":
                    values[column.name] = f"{column.header}{serial[0]}"[: column.max_length or 100]
            batch.append(ledger.model(**values))
        ledger.model.objects.bulk_create(batch, batch_size=2000, ignore_conflicts=True)


def total_records() -> int:
    return sum(ledger.model.objects.count() for ledger in all_ledgers())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,100000", help="record counts to measure at")
    sizes = sorted(int(size) for size in parser.parse_args().sizes.split(","))

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_demo()
        root = Unit.objects.get(parent__isnull=True)
        period = Period.parse("2023Q2")
        rng, serial = random.Random(2023), [0]
        print(f"{connection.vendor}: the {period.label} report of {root.name}")
        print(f"{'records':>10} {'queries':>8} {'seconds':>8}  docx/xlsx bytes")
        for size in sizes:
            missing = size - total_records()
            if missing > 0:
                add_records(missing, rng, serial)
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                outputs = build_outputs(period, root)
            seconds = time.perf_counter() - started
            print(
                f"{total_records():>10,} {len(captured.captured_queries):>8} {seconds:>8.2f}"
                f"  {len(outputs.docx):,}/{len(outputs.xlsx):,}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

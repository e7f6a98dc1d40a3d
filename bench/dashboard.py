"""The dashboard and the report pages, computed (first look after a write) and from the cache, at two data sizes.

    python bench/dashboard.py                       # SQLite; 2,000 and 50,000 records
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/dashboard.py --sizes 2000,200000

Runs on a throw-away test database (DATABASE_URL's database name with a test_ prefix): the demo city is
loaded, then random records are added to every ledger until each size is reached. For each size the city
leader's pages are requested through Django's test client: "first" is a request right after a write (every
unit gets a new data version, so nothing is cached), "cached" a request again with nothing changed.
Printed: the median milliseconds and the SQL queries of each, and the ratios first ÷ cached and
(largest size) ÷ (smallest size).
"""

import argparse
import datetime as dt
import os
import platform
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")
# A benchmark serves no one: a throw-away key lets it run with production settings (DEBUG off, as measured).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from reports.models import WorkReport  # noqa: E402
from youthwork.demo import load_demo  # noqa: E402
from youthwork.ledgers import ColumnKind, all_ledgers  # noqa: E402
from youthwork.models import Unit, User, Venue  # noqa: E402
from youthwork.versions import bump_all  # noqa: E402

PERIOD = "2023Q2"


def add_records(count: int, rng: random.Random, serial: list[int]) -> None:
    """About `count` more records spread over every ledger, the year 2023 and every unit (a bulk insert)."""
    units = list(Unit.objects.all())
    schools = [unit for unit in units if unit.unit_type == Unit.Type.SCHOOL]
    venues = list(Venue.objects.all())
    ledgers = all_ledgers()
    for ledger in ledgers:
        batch = []
        for _ in range(max(count // len(ledgers), 1)):
            serial[0] += 1
            values = {"unit": rng.choice(schools if ledger.slug == "ceremony" else units)}
            values["date"] = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
            for column in ledger.columns:
                if column.name in ("unit", "date", "note"):
                    continue
                if column.kind == ColumnKind.CHOICE:
                    values[column.name] = rng.choice(column.choices)
                elif column.kind == ColumnKind.MULTICHOICE:
                    values[column.name] = rng.sample(column.choices, 2)
                elif column.kind in (ColumnKind.COUNT, ColumnKind.AMOUNT):
                    values[column.name] = rng.randint(1, 500)
                elif column.kind == "venue":
                    values[column.name] = rng.choice(venues) if rng.random() < 0.3 else None
                elif column.kind == "date":
                    values[column.name] = values["date"] + dt.timedelta(days=30)
                elif column.kind == "text":
                    values[column.name] = f"{column.header}{serial[0]}"[: column.max_length or 100]
            batch.append(ledger.model(**values))
        # A record whose natural key is taken already is skipped; the caller adds more until the size is reached.
        ledger.model.objects.bulk_create(batch, batch_size=2000, ignore_conflicts=True)
    bump_all()  # written past save(): every unit's figures change


def total_records() -> int:
    return sum(ledger.model.objects.count() for ledger in all_ledgers())


def measure(client: Client, url: str, *, first: bool, runs: int) -> tuple[float, int]:
    """Median milliseconds and the queries of one request (after a write if `first`)."""
    times, queries = [], 0
    for _ in range(runs):
        if first:
            bump_all()
        else:
            client.get(url, secure=True)  # make sure it is cached
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def machine() -> str:
    version = connection.pg_version if connection.vendor == "postgresql" else ""
    database = f"{connection.vendor} {version}".strip()
    return f"{platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {database}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,50000", help="record counts to measure at")
    parser.add_argument("--runs", type=int, default=3, help="requests per measurement (the median is printed)")
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_demo(today=dt.date(2023, 12, 31))  # the demo's records then cover 2023, the year measured
        city = Unit.objects.get(parent__isnull=True)
        report = WorkReport.objects.create(unit=city, period_code=PERIOD)
        client = Client()
        client.force_login(User.objects.get(username="leader"))
        pages = {
            "dashboard": f"/?period={PERIOD}",
            "report preview": f"/reports/{report.pk}/",
            "report annex": f"/reports/{report.pk}/download/xlsx/",
        }
        rng, serial = random.Random(2023), [0]
        results = {}
        print(f"{machine()}; the city leader's pages of {city.name}, {PERIOD}")
        columns = ("first ms", "queries", "cached ms", "queries", "first÷cached")
        print(f"{'records':>9} {'page':<15} " + " ".join(f"{column:>12}" for column in columns))
        for size in sizes:
            while (missing := size - total_records()) > 0:
                add_records(missing, rng, serial)
            records = total_records()
            for name, url in pages.items():
                first = measure(client, url, first=True, runs=options.runs)
                cached = measure(client, url, first=False, runs=options.runs)
                results[size, name] = first, cached
                print(
                    f"{records:>9,} {name:<15} {first[0]:>12.1f} {first[1]:>12} {cached[0]:>12.1f} {cached[1]:>12}"
                    f" {first[0] / cached[0]:>11.1f}×"
                )
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            print(f"\n{'page':<15} {'first':>7} {'cached':>7}   (time at {large:,} ÷ time at {small:,} records)")
            for name in pages:
                (first_small, cached_small), (first_large, cached_large) = results[small, name], results[large, name]
                print(f"{name:<15} {first_large[0] / first_small[0]:>6.1f}× {cached_large[0] / cached_small[0]:>6.1f}×")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

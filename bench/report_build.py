"""How long the 2023Q2 city report takes, and how many SQL queries, as the ledgers grow.

    python bench/report_build.py                 # SQLite; sizes 2,000 / 20,000 / 100,000 records
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/report_build.py --sizes 1000,200000

Runs on a throw-away test database (the name of DATABASE_URL's database with a test_ prefix): the demo
city is loaded, then records of 2023 are added to every ledger with `load_demo --records`'s generator
(youthwork.demo.volume: unique natural keys, so every row asked for is stored) until each size is
reached, and the whole report (figures, document, .docx and .xlsx) is built for each size. The query
count must stay the same; the time grows with the data the database aggregates.
"""

import argparse
import datetime as dt
import os
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
from youthwork.demo.volume import add_records  # noqa: E402
from youthwork.ledgers import all_ledgers  # noqa: E402
from youthwork.models import Unit  # noqa: E402
from youthwork.periods import Period  # noqa: E402


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
        load_demo(today=dt.date(2023, 12, 31))  # the demo's records then cover 2023, the year measured
        root = Unit.objects.get(parent__isnull=True)
        period = Period.parse("2023Q2")
        print(f"{connection.vendor}: the {period.label} report of {root.name}")
        print(f"{'records':>10} {'queries':>8} {'seconds':>8}  docx/xlsx bytes")
        for size in sizes:
            while (missing := size - total_records()) > 0:
                if not sum(add_records(missing, year=2023, seed=size + missing).values()):
                    sys.exit(f"no room for {missing:,} more records of 2023 (every natural key is taken)")
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

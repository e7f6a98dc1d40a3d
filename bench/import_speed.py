"""How fast the workbook import is: a 50,000-row `网上团队课` sheet, against openpyxl just reading it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/import_speed.py [--rows 50000] [--runs 3]
        [--existing 200000]

It builds the workbook (rows naming 50 units, text dates, thousands separators, full-width digits
now and then, so the cleaning rules do real work), creates a scratch database next to the one
DATABASE_URL names (Django's test database, dropped at the end; SQLite: a temporary file), and then
times, each in a fresh process:
- openpyxl `load_workbook(read_only=True)` iterating every row (values only): the yardstick;
- `import_workbook` of the file into an empty ledger (what an admin's first import of a quarter does);
- the same import again (every row unchanged: what a second run costs);
- a dry run of the file into an empty ledger (the admin's preview: every check, nothing written);
- the import as the worker runs it (youthwork.import_runs.import_job, the admin's 确认导入) into the ledger
  holding --existing other records of the same units and year (default 200,000, written in bulk first):
  its peak memory, and the worker's memory before and after the job (the job's memory must go back).
Every record written also gets its history row (django-simple-history, written in bulk), so the import
times include writing the history.
It prints seconds (median of the runs), rows per second, the ratio to openpyxl and the peak memory of
the importing process: its peak resident set size (`resource.getrusage(...).ru_maxrss`), which counts
everything the process holds - Python, Django, calamine's Rust-side cells - not only Python objects.
The issue's bars: ratio <= 3; peak <= 200 MB whether the ledger holds 0 or 200,000 records; the worker's
memory after a job back near its idle size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")
# A benchmark serves no page: a throw-away key lets it run with production settings (DEBUG off, as measured).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

UNITS = 50


def build_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("网上团队课")
    sheet.append(["2023年青年大学习参学情况统计表"])
    sheet.append(["序号", "填报单位", "日期", "栏目", "期次主题", "参学人次", "备注"])
    start = dt.date(2023, 1, 1)
    for index in range(rows):
        day = start + dt.timedelta(days=index % 365)
        date = (
            day
            if index % 3 == 0
            else (day.strftime("%Y/%-m/%-d") if index % 3 == 1 else day.strftime("%Y年%-m月%-d日"))
        )
        count = index % 5000
        participants = count if index % 4 else (f"{count:,}" if index % 8 else str(count).translate(_FULL_WIDTH))
        column = "青年大学习" if index % 2 else "红领巾爱学习"
        sheet.append([index + 1, f"测速学校{index % UNITS:02d}", date, column, f"第{index}期", participants, ""])
    sheet.append(["合计", "", "", "", "", ""])
    book.save(path)


_FULL_WIDTH = {ord(str(digit)): 0xFF10 + digit for digit in range(10)}


# --- the measurements, each in a fresh process -------------------------------------------------------


def measure_openpyxl(path: str) -> dict:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    rows = sum(1 for _row in book["网上团队课"].iter_rows(values_only=True))
    book.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


def measure_import(path: str, clear: bool, dry_run: bool = False) -> dict:
    import django

    django.setup()
    from django.db import connection

    from activities.models import OnlineLesson
    from youthwork.importing.engine import import_workbook

    if clear:
        # A scratch database: empty the ledger and its history in one statement each (a queryset delete
        # would write a deletion row into the history for each of the records).
        with connection.cursor() as cursor:
            for model in (OnlineLesson.history.model, OnlineLesson):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    started = time.perf_counter()
    outcome = import_workbook(Path(path).read_bytes(), dry_run=dry_run, file_name=Path(path).name)
    seconds = time.perf_counter() - started
    if outcome.errors:
        raise SystemExit("\n".join(outcome.lines()[:20]))
    sheet = outcome.sheets[0]
    history = OnlineLesson.history.count()
    return {"seconds": seconds, "created": sheet.created, "unchanged": sheet.unchanged, "history": history}


def rss_mb() -> float:
    """The process's resident set size now (VmRSS), not its peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill_ledger(existing: int) -> None:
    """`existing` records of the same units and year as the workbook, none with the workbook's keys."""
    import django

    django.setup()
    from activities.models import OnlineLesson
    from youthwork.models import Unit

    units = list(Unit.objects.filter(code__startswith="B").exclude(code="BENCH"))
    start = dt.date(2023, 1, 1)
    batch = []
    for index in range(existing):
        unit = units[index % len(units)]
        batch.append(
            OnlineLesson(
                unit=unit,
                date=start + dt.timedelta(days=index % 365),
                column="青年大学习",
                issue=f"已有第{index}期",
                participants=index % 100,
            )
        )
        if len(batch) == 10_000:
            OnlineLesson.objects.bulk_create(batch)
            batch = []
    OnlineLesson.objects.bulk_create(batch)


def measure_job(path: str) -> dict:
    """The import as a worker runs it: a stored upload, checked and then imported by import_job."""
    import django

    django.setup()
    from django.db import connection

    from activities.models import OnlineLesson
    from youthwork import jobs
    from youthwork.import_runs import import_job
    from youthwork.models import ImportUpload, User

    with connection.cursor() as cursor:  # the workbook's own rows from an earlier run (the others stay)
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(OnlineLesson._meta.db_table)} WHERE issue NOT LIKE %s", ["已有%"]
        )
    user, _created = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    existing = OnlineLesson.objects.count()
    jobs.release_memory()
    idle = rss_mb()
    upload = ImportUpload.store(Path(path).read_bytes(), Path(path).name, user, stage="import")
    started = time.perf_counter()
    import_job.call(upload.pk)
    seconds = time.perf_counter() - started
    upload.refresh_from_db()
    if upload.status != "done" or not upload.result.get("written"):
        raise SystemExit(f"the job did not import: {upload.status} {upload.failure} {upload.result.get('errors')}")
    del upload
    jobs.release_memory()
    return {"seconds": seconds, "existing": existing, "idle_mb": idle, "after_mb": rss_mb()}


def child(kind: str, path: str, database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, __file__, "--measure", kind, path]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# --- the scratch database --------------------------------------------------------------------------


def scratch_database(workdir: Path):
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        database.setdefault("TEST", {})["NAME"] = str(workdir / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "sqlite":
        url = f"sqlite:///{name}"
    else:
        user, password = database.get("USER") or "", database.get("PASSWORD") or ""
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        url = f"postgres://{credentials}{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{name}"
    return connection, url


def make_units():
    from youthwork.models import Unit

    city = Unit(name="测速团市委", unit_type=Unit.Type.CITY, code="BENCH")
    city.save()
    for index in range(UNITS):
        Unit(name=f"测速学校{index:02d}", parent=city, unit_type=Unit.Type.SCHOOL, code=f"B{index:02d}").save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--existing", type=int, default=200_000, help="records in the ledger for the job's import")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        kind, path = args.measure
        if kind == "openpyxl":
            result = measure_openpyxl(path)
        elif kind == "job":
            result = measure_job(path)
        elif kind == "fill":
            fill_ledger(int(path))
            result = {}
        else:
            result = measure_import(path, clear=kind in ("import", "dryrun"), dry_run=kind == "dryrun")
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "网上团队课.xlsx"
        started = time.perf_counter()
        build_workbook(path, args.rows)
        print(
            f"built {path.name}: {args.rows:,} rows, {path.stat().st_size / 1024 / 1024:.1f} MB "
            f"in {time.perf_counter() - started:.1f} s"
        )
        connection, url = scratch_database(workdir)
        try:
            make_units()
            print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}, scratch, dropped at the end)")
            runs = {"openpyxl": [], "import": [], "reimport": [], "dryrun": []}
            for _ in range(args.runs):
                for kind in runs:
                    runs[kind].append(child(kind, str(path), url))
            child("fill", str(args.existing), url)
            runs["job"] = [child("job", str(path), url) for _ in range(args.runs)]
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    base = statistics.median(run["seconds"] for run in runs["openpyxl"])
    print(f"\n{'path':<44}{'seconds':>9}{'rows/s':>10}{'ratio':>8}{'peak MB':>10}")
    labels = {
        "openpyxl": "openpyxl read_only: iterate every row",
        "import": "import_workbook, empty ledger (new rows)",
        "reimport": "import_workbook again (all unchanged)",
        "dryrun": "import_workbook --dry-run (admin preview)",
    }
    existing = runs["job"][-1]["existing"]
    labels["job"] = f"import job, ledger holding {existing:,} records"
    for kind, label in labels.items():
        seconds = statistics.median(run["seconds"] for run in runs[kind])
        peak = max(run["peak_mb"] for run in runs[kind])
        print(f"{label:<44}{seconds:>9.2f}{args.rows / seconds:>10,.0f}{seconds / base:>8.2f}{peak:>10.0f}")
    idle = max(run["idle_mb"] for run in runs["job"])
    after = max(run["after_mb"] for run in runs["job"])
    print(
        f"\nworker memory around the import job: idle {idle:.0f} MB, peak {peak:.0f} MB, after the job {after:.0f} MB"
    )
    print(f"median of {args.runs} runs; peak MB = the process's peak resident set size (ru_maxrss)")
    created, history = runs["import"][-1]["created"], runs["import"][-1]["history"]
    unchanged, history_after = runs["reimport"][-1]["unchanged"], runs["reimport"][-1]["history"]
    print(f"last import created {created:,} records and {history:,} history rows; ", end="")
    print(f"the re-import found {unchanged:,} unchanged and left {history_after:,} history rows")


if __name__ == "__main__":
    main()

"""How fast the workbook import is and how much memory it takes: a 50,000-row `网上团队课` sheet.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/import_speed.py [--rows 50000] [--runs 3]
        [--existing 200000]

It builds the workbook (rows naming 50 units, text dates, thousands separators, full-width digits
now and then, so the cleaning rules do real work) and a copy with every 参学人次 changed, creates a
scratch database next to the one DATABASE_URL names (Django's test database, dropped at the end;
SQLite: a temporary file), and then measures, each in a fresh process:
- openpyxl `load_workbook(read_only=True)` iterating every row (values only): the yardstick;
- a worker (youthwork.import_runs.import_job, what 检查 and 确认导入 run) doing four jobs one after the
  other, first with the ledger holding none of the workbook's rows and no other records, then holding
  --existing other records of the same units and year (default 200,000, written in bulk first):
  the check (a dry run), the import (every row new), the import again (every row unchanged) and the
  changed copy (every row updated).
Every record written also gets its history row (django-simple-history, written in bulk), so the import
times include writing the history.
It prints seconds (median of the runs), rows per second, the ratio to openpyxl, each job's peak memory and
the worker's memory after it. Peak memory is the process's peak resident set size (VmHWM, reset before each
job through /proc/self/clear_refs): everything the process holds - Python, Django, calamine's Rust-side
cells - not only Python objects. The worker's memory after a job is its resident set size (VmRSS) once the
job has ended (youthwork.jobs.release_memory runs then, as in a real worker); "idle" is the worker's before
its first job, with the job's modules imported.
The issue's bars: ratio <= 3; peak <= 200 MB whether the ledger holds 0 or 200,000 records; the worker's
memory after a job back near its idle size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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


def build_workbook(path: Path, rows: int, changed: bool = False, broken: int = 0) -> None:
    """The workbook; with `broken`, every broken-th row has a date that does not exist (an error to report)."""
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
        count = index % 5000 + (1 if changed else 0)
        participants = count if index % 4 else (f"{count:,}" if index % 8 else str(count).translate(_FULL_WIDTH))
        if broken and index % broken == broken - 1:
            date = "2023-13-45"
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


def memory_mb(field: str = "VmRSS") -> float:
    """The process's resident set size now (VmRSS), or its peak since the last reset (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start measuring the peak resident set size again (Linux: VmHWM is reset by writing 5 to clear_refs)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


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


JOBS = ("check", "import", "again", "update")


def measure_worker(path: str, changed: str) -> dict:
    """One worker process running the four jobs of JOBS one after the other, as import_job runs them."""
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
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(OnlineLesson.history.model._meta.db_table)}")
    user, _created = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    existing = OnlineLesson.objects.count()
    jobs.release_memory()
    result = {"existing": existing, "idle_mb": memory_mb()}
    for kind in JOBS:
        file = Path(changed if kind == "update" else path)
        upload = ImportUpload.store(file.read_bytes(), file.name, user, stage="check" if kind == "check" else "import")
        reset_peak()
        started = time.perf_counter()
        import_job.call(upload.pk)  # ends with jobs.release_memory(), as in the worker
        seconds = time.perf_counter() - started
        peak = memory_mb("VmHWM")
        upload.refresh_from_db()
        if upload.status != "done" or not upload.result.get("ok"):
            raise SystemExit(f"the {kind} job failed: {upload.status} {upload.failure} {upload.result.get('errors')}")
        sheet = upload.result["sheets"][0]
        del upload
        result[kind] = {
            "seconds": seconds,
            "peak_mb": peak,
            "after_mb": memory_mb(),
            "counts": {name: sheet[name] for name in ("created", "updated", "unchanged")},
        }
    return result


def child(kind: str, path: str, database_url: str, *more: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, __file__, "--measure", kind, path, *more]
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
    parser.add_argument("--existing", type=int, default=200_000, help="other records in the ledger, second pass")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        kind, path, *more = args.measure
        if kind == "openpyxl":
            result = measure_openpyxl(path)
        elif kind == "worker":
            result = measure_worker(path, more[0])
        else:  # fill
            fill_ledger(int(path))
            result = {}
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path, changed = workdir / "网上团队课.xlsx", workdir / "网上团队课(改).xlsx"
        started = time.perf_counter()
        build_workbook(path, args.rows)
        build_workbook(changed, args.rows, changed=True)
        print(
            f"built {path.name}: {args.rows:,} rows, {path.stat().st_size / 1024 / 1024:.1f} MB "
            f"in {time.perf_counter() - started:.1f} s (and a copy with every 参学人次 changed)"
        )
        connection, url = scratch_database(workdir)
        try:
            make_units()
            print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}, scratch, dropped at the end)")
            yardstick = [child("openpyxl", str(path), url) for _ in range(args.runs)]
            workers = {}
            workers[0] = [child("worker", str(path), url, str(changed)) for _ in range(args.runs)]
            if args.existing:
                child("fill", str(args.existing), url)
                workers[args.existing] = [child("worker", str(path), url, str(changed)) for _ in range(args.runs)]
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    base = statistics.median(run["seconds"] for run in yardstick)
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"\n{'job':<38}{'others':>9}{'seconds':>9}{'rows/s':>9}{'ratio':>7}{'peak MB':>9}{'after MB':>10}")
    peak = max(run["peak_mb"] for run in yardstick)
    label = "openpyxl read_only: iterate every row"
    print(f"{label:<38}{'':>9}{base:>9.2f}{args.rows / base:>9,.0f}{1:>7.2f}{peak:>9.0f}")
    labels = {
        "check": "check (dry run: the admin's preview)",
        "import": "import (every row new)",
        "again": "the same workbook again (unchanged)",
        "update": "the changed copy (every row updated)",
    }
    for runs in workers.values():
        for kind, label in labels.items():
            seconds = statistics.median(run[kind]["seconds"] for run in runs)
            peak = max(run[kind]["peak_mb"] for run in runs)
            after = max(run[kind]["after_mb"] for run in runs)
            row = f"{label:<38}{runs[-1]['existing']:>9,}{seconds:>9.2f}{args.rows / seconds:>9,.0f}"
            print(f"{row}{seconds / base:>7.2f}{peak:>9.0f}{after:>10.0f}")
        idle = max(run["idle_mb"] for run in runs)
        counts = {kind: runs[-1][kind]["counts"] for kind in JOBS}
        print(f"{'':<4}worker idle before its first job: {idle:.0f} MB; counts of the last run: {counts}")
    print(f"\nmedian of {args.runs} runs; peak MB = the job's peak resident set size (VmHWM, reset before each job);")
    print("after MB = the worker's resident set size once the job has ended; others = other records in the ledger")


if __name__ == "__main__":
    main()

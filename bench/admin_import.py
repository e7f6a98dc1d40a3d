"""A city's year in one workbook, through the admin, while the worker imports it: every request answers at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/admin_import.py
        [--rows 240000] [--records 200000] [--year 2023] [--keep] [--reuse]

It creates the scratch database of bench/load.py (test_<name>; dropped at the end unless --keep, --reuse
keeps using one left by --keep), fills it with the demo city and --records ledger records of --year
(`load_demo --records`), adds under the demo city the 50 schools that bench/import_speed.py's workbook
names, and builds that workbook with --rows rows of 网上团队课 (text dates, thousands separators,
full-width digits, a 合计 row). It starts gunicorn (2 sync workers, production settings, its default
30 s timeout) and one `manage.py db_worker`, as in production. Then, logged in as the demo city's admin,
over HTTP, as a browser would:

1. 导入工作簿: upload the workbook (POST), follow to the job's page;
2. read the job's progress/ every second (what static/youthwork/jobs.js does) until the check has ended;
3. 确认导入 (POST) and read the progress until the import has ended;
4. 导入记录: the list, the original file and the error workbook (downloads);
5. 撤销 (POST) and read the undo's progress until it has ended; then count the sheet's records again;
6. upload a copy with a date that does not exist every 1,000 rows, read the check's progress, ask for its
   error workbook (every row again with a 错误 column: a file job), follow that job and download the file.

It prints the longest response of each kind of request, the progress readings that showed rows moving,
each job's time, the records before, after the import and after the undo, and the worker's peak resident
memory (VmHWM of the db_worker process, over every job of the run). The issue's bars: no request held open
longer than 2 s; progress visible; the import listed, downloadable and undone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
from import_speed import UNITS, build_workbook

LIMIT_SECONDS = 2.0
SHEET = "网上团队课"


def add_schools() -> None:
    """The schools the workbook names (测速学校00…), under the demo city, so that its admin may import them."""
    from youthwork.models import Unit

    city = Unit.objects.get(parent=None)
    for index in range(UNITS):
        name = f"测速学校{index:02d}"
        if not Unit.objects.filter(name=name).exists():
            Unit(name=name, parent=city, unit_type=Unit.Type.SCHOOL, code=f"B{index:02d}").save()


def sheet_records() -> int:
    from youthwork.ledgers import get_sheet

    return get_sheet(SHEET).model.objects.count()


class Worker:
    """One `manage.py db_worker` on the scratch database, with the server's environment."""

    def __init__(self, database_url: str):
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0", "DJANGO_LOG_LEVEL": "WARNING"}
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1"]
        self.process = subprocess.Popen(command, cwd=load.ROOT, env=env)

    def memory_mb(self, field: str) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


class Browser(load.Session):
    """A logged-in admin: every response timed by the kind of request."""

    def __init__(self, port: int):
        super().__init__(port)
        self.times: dict[str, list[float]] = defaultdict(list)

    def timed(self, kind: str, method: str, path: str, body=None, content_type: str | None = None):
        status, headers, content, seconds = self.send(method, path, body, content_type)
        self.times[kind].append(seconds)
        return status, headers, content

    def token(self, path: str) -> str:
        status, _, content = self.timed("page", "GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not found:
            raise SystemExit(f"{path} answered {status} without a form")
        return found.group(1).decode()

    def post(self, kind: str, path: str, form: dict) -> str:
        body = load.urllib.parse.urlencode(form)
        status, headers, _ = self.timed(kind, "POST", path, body, "application/x-www-form-urlencoded")
        if status != 302:
            raise SystemExit(f"{kind}: {path} answered {status}")
        return headers["Location"]

    def upload(self, path: str, workbook: Path) -> str:
        token = self.token(path)
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="bench.xlsx"\r\n'
            f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode(),
            workbook.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        status, headers, content = self.timed(
            "upload", "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        if status != 302:
            message = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', content.decode(), re.S)
            raise SystemExit(f"the upload answered {status}: {message}")
        return headers["Location"]

    def follow(self, progress: str, readings: list[dict]) -> dict:
        """Read the job's progress every second (as jobs.js) until it has finished; the readings kept."""
        while True:
            status, _, content = self.timed("progress", "GET", progress)
            if status != 200:
                raise SystemExit(f"{progress} answered {status}")
            state = json.loads(content)
            readings.append(state)
            if state["finished"]:
                return state
            time.sleep(1)


def run(port: int, worker: Worker, workbook: Path, broken: Path) -> dict:
    browser = Browser(port)
    browser.login()
    report: dict = {"records": [sheet_records()]}
    job_page = browser.upload("/admin/youthwork/importupload/", workbook)
    job_id = int(re.search(r"/importrecord/(\d+)/", job_page).group(1))
    base = f"/admin/youthwork/importrecord/{job_id}/"
    stages = {}
    for stage in ("check", "import"):
        started, readings = time.perf_counter(), []
        state = browser.follow(base + "progress/", readings)
        stages[stage] = {"seconds": time.perf_counter() - started, "readings": readings, "end": state}
        if state["status"] != "done":
            raise SystemExit(f"the {stage} ended {state['label']}: {state['text']}")
        if stage == "check":
            token = browser.token(base)
            browser.post("confirm", base + "confirm/", {"csrfmiddlewaretoken": token})
    report["records"].append(sheet_records())
    listed, _, content = browser.timed("导入记录 list", "GET", "/admin/youthwork/importrecord/")
    report["listed"] = listed == 200 and base.encode() in content
    original, _, content = browser.timed("original file", "GET", base + "file/")
    report["original"] = (original, len(content) == workbook.stat().st_size)
    no_errors, _, _ = browser.timed("error workbook", "GET", base + "errors/")
    report["no errors"] = no_errors  # 404: the import had none
    token = browser.token(base)
    browser.post("undo", base + "undo/", {"csrfmiddlewaretoken": token})
    started, readings = time.perf_counter(), []
    state = browser.follow(base + "undo/progress/", readings)
    stages["undo"] = {"seconds": time.perf_counter() - started, "readings": readings, "end": state}
    report["records"].append(sheet_records())
    # A copy with a date that does not exist every 1,000 rows: the check lists the errors, and the error
    # workbook (every row of the upload again, with a 错误 column) is built by a file job.
    job_page = browser.upload("/admin/youthwork/importupload/", broken)
    base = re.search(r"/admin/youthwork/importrecord/\d+/", job_page).group(0)
    started, readings = time.perf_counter(), []
    state = browser.follow(base + "progress/", readings)
    stages["check with errors"] = {"seconds": time.perf_counter() - started, "readings": readings, "end": state}
    status, headers, _ = browser.timed("error workbook", "GET", base + "errors/")
    if status != 302 or not headers["Location"].startswith("/jobs/"):
        raise SystemExit(f"the error workbook answered {status}, not a job's page")
    file_job = headers["Location"]
    started, readings = time.perf_counter(), []
    state = browser.follow(file_job + "progress/", readings)
    stages["error workbook"] = {"seconds": time.perf_counter() - started, "readings": readings, "end": state}
    status, _, content = browser.timed("error workbook file", "GET", file_job + "file/")
    report["error workbook"] = (status, len(content))
    report["stages"] = stages
    report["times"] = browser.times
    report["peak"] = worker.memory_mb("VmHWM")
    report["after"] = worker.memory_mb("VmRSS")
    return report


def moving(readings: list[dict]) -> str:
    """The distinct (phase, rows done / total) the progress showed, in order: does the bar move?"""
    seen = []
    for state in readings:
        if state["total"] and (not seen or seen[-1] != (state.get("phase", ""), state["done"])):
            seen.append((state.get("phase", ""), state["done"]))
    total = max((state["total"] for state in readings), default=0)
    shown = ", ".join(f"{phase} {done:,}".strip() for phase, done in seen[:6]) + (" …" if len(seen) > 6 else "")
    return f"{len(readings)} readings, {len(seen)} with rows moving (of {total:,}): {shown}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=240_000, help="rows of the workbook's one sheet")
    parser.add_argument("--records", type=int, default=200_000, help="ledger records in the database first")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a scratch database kept by --keep")
    args = parser.parse_args()

    connection, url = load.scratch_database(reuse=args.reuse)
    try:
        about = load.machine()
        print(f"filling to {args.records:,} records …", flush=True)
        load.fill(args.records, args.year)
        add_schools()
        with tempfile.TemporaryDirectory() as workdir:
            workbook = Path(workdir) / "bench.xlsx"
            build_workbook(workbook, args.rows)
            broken = Path(workdir) / "broken.xlsx"
            build_workbook(broken, args.rows, broken=1000)
            size = workbook.stat().st_size / 1024 / 1024
            print(f"a workbook of {args.rows:,} rows ({size:.1f} MB) through the admin …", flush=True)
            server, worker = load.Server(url, 2), Worker(url)
            try:
                connection.close()  # the scratch database is the server's and the worker's meanwhile
                report = run(server.port, worker, workbook, broken)
            finally:
                worker.stop()
                server.stop()
    finally:
        load.release(connection, args.keep)

    print(f"\nmachine: {about}")
    print(f"a {args.rows:,}-row {SHEET} sheet ({size:.1f} MB), gunicorn 2 sync workers, one db_worker\n")
    print("| request | count | longest | within 2 s |")
    print("|---|---|---|---|")
    for kind, times in report["times"].items():
        longest = max(times)
        print(f"| {kind} | {len(times)} | {load.ms(longest)} | {'yes' if longest <= LIMIT_SECONDS else '**no**'} |")
    print("\n| job | seconds | progress |")
    print("|---|---|---|")
    for stage, found in report["stages"].items():
        print(f"| {stage} | {found['seconds']:.1f} | {moving(found['readings'])} |")
    before, imported, undone = report["records"]
    print(f"\n{SHEET} records: {before:,} before, {imported:,} after the import, {undone:,} after the undo")
    print(
        f"导入记录 lists it: {report['listed']}; the original file (status, same bytes): {report['original']}; "
        f"its error workbook: {report['no errors']} (no errors); the broken copy's (status, bytes): "
        f"{report['error workbook']}"
    )
    print(f"the worker: peak {report['peak']:.0f} MB over the five jobs, {report['after']:.0f} MB after")


if __name__ == "__main__":
    main()

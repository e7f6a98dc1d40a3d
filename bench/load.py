"""Quarter-end load: many logged-in users at once against gunicorn on PostgreSQL with a city's year of records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthwork python bench/load.py
        [--records 200000] [--clients 16] [--duration 30] [--slice 5] [--workers 2] [--year 2023]
        [--single [--small 2000] [--requests 20]] [--no-load] [--keep] [--reuse]

It creates a scratch database next to the one DATABASE_URL names (Django's test database name,
test_<name>; dropped at the end unless --keep; --reuse keeps using one left by --keep), loads the demo
city and tops it up to --records ledger records of --year with `load_demo --records`
(youthwork.demo.volume), runs VACUUM ANALYZE, and starts gunicorn (--workers sync workers, production
settings: DEBUG off, a throw-away secret key, plain HTTP on 127.0.0.1). Then --clients clients, each
logged in as the demo city's admin (its own session cookie; standard library threads and http.client),
request one page after another, each page for --duration seconds in all, the pages taking turns of --slice
seconds (so that load from elsewhere on a shared machine falls on every page alike):

- the login page, anonymous (the baseline: Django, a template, no ledger);
- the dashboard of the city, `/?period=<year>Q3`;
- the 网上团队课 list (`/ledgers/onlinelesson/`) and a search in it (`?q=青年大学习`);
- the admin change list of 网上团队课.

It prints the machine (cores, CPU model, PostgreSQL version) and, per page: requests per second,
p50 and p95 of the response time, p95 divided by the login page's p95, and any response that was not
a 200 (counted as errors). All pages are measured in the same run, against the same server.

--single also measures single requests (one client, --requests in a row after two warm-ups, the
median) at --small records and again at --records, and prints the ratio: how a page's time grows with
the data. The scratch database starts empty for this (so --reuse is ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")
# Production settings (DEBUG off), as measured; the server gets the same throw-away key.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

HOST = "127.0.0.1"
USER, PASSWORD = "admin", "youthwork-demo"  # the demo city's admin (youthwork.demo)
SEARCH = "青年大学习"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    anonymous: bool = False
    expect: str = ""  # text the page must contain (else it counts as an error)


def pages(year: int) -> list[Page]:
    query = urllib.parse.urlencode({"q": SEARCH})
    return [
        Page("login page (baseline)", "/accounts/login/", anonymous=True, expect="csrfmiddlewaretoken"),
        Page(f"dashboard ?period={year}Q3, city", f"/?period={year}Q3"),
        Page("网上团队课 list", "/ledgers/onlinelesson/", expect="网上团队课"),
        Page(f"网上团队课 search «{SEARCH}»", f"/ledgers/onlinelesson/?{query}", expect="网上团队课"),
        Page("admin changelist of 网上团队课", "/admin/activities/onlinelesson/", expect="result_list"),
    ]


# --- HTTP clients with their own session cookie ------------------------------------------------------


class Session:
    """One browser: its cookies, a fresh connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, *, cookies: bool = True):
        """(status, the page's text, seconds); `body` is sent as a form."""
        data = urllib.parse.urlencode(body) if body is not None else None
        content_type = "application/x-www-form-urlencoded" if body is not None else None
        status, _, content, seconds = self.send(method, path, data, content_type, cookies=cookies)
        return status, content.decode("utf-8", "replace"), seconds

    def send(self, method: str, path: str, data=None, content_type: str | None = None, *, cookies: bool = True):
        """(status, headers, content, seconds) of one request on a fresh connection, the cookies kept."""
        headers = {"Host": HOST}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        if cookies:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content, seconds

    def login(self) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"the login page answered {status}")
        form = {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        status, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"logging in as {USER} answered {status}")

    def get(self, page: Page) -> tuple[bool, float]:
        status, content, seconds = self.request("GET", page.path, cookies=not page.anonymous)
        return status == 200 and page.expect in content, seconds


@dataclass
class Result:
    page: Page
    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def quantile(self, q: int) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] if self.seconds else float("nan")
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[q - 1]


def hammer(sessions: list[Session], page: Page, duration: float) -> Result:
    """Every session requests the page in a loop for `duration` seconds; all response times kept."""
    result = Result(page)
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(session: Session):
        while time.perf_counter() < deadline:
            ok, seconds = session.get(page)
            with lock:
                result.seconds.append(seconds)
                result.errors += not ok

    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with sync workers on the scratch database, production settings over plain HTTP."""

    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable, "-m", "gunicorn", "youthwork.wsgi",
            "--workers", str(workers), "--worker-class", "sync",
            "--bind", f"{HOST}:{self.port}", "--timeout", "300", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                if Session(self.port).request("GET", "/accounts/login/", cookies=False)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


# --- the data -------------------------------------------------------------------------------------


def scratch_database(reuse: bool):
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench/load.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    database = settings.DATABASES["default"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=reuse)
    user, password = database.get("USER") or "", database.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return connection, f"postgres://{credentials}{host}:{port}/{database['NAME']}"


def release(connection, keep: bool) -> None:
    """Drop the scratch database, or say that it is kept (--keep)."""
    if keep:
        print(f"kept the scratch database {connection.settings_dict['NAME']}")
    else:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def total_records() -> int:
    from youthwork.ledgers import all_ledgers

    return sum(ledger.model.objects.count() for ledger in all_ledgers())


def fill(records: int, year: int) -> None:
    """The demo city, topped up to `records` ledger records of `year` (load_demo --records)."""
    from django.core.management import call_command
    from django.db import connection

    from youthwork.demo import load_demo

    # The demo's records end on the year's last day (or today), so its quarters are those of `year`.
    load_demo(today=min(dt.date(year, 12, 31), dt.date.today()))
    while (missing := records - total_records()) > 0:
        started = time.perf_counter()
        call_command("load_demo", records=missing, year=year, stdout=io.StringIO())
        print(f"  load_demo --records {missing:,} --year {year}: {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, PostgreSQL {version}"


# --- the two measurements ---------------------------------------------------------------------------


def single_requests(port: int, year: int, count: int) -> dict[str, float]:
    session = Session(port)
    session.login()
    medians = {}
    for page in pages(year):
        times = []
        for index in range(count + 2):
            ok, seconds = session.get(page)
            if not ok:
                raise SystemExit(f"{page.path} did not answer 200 with its content")
            if index >= 2:  # two warm-ups
                times.append(seconds)
        medians[page.label] = statistics.median(times)
    return medians


def load(port: int, year: int, clients: int, duration: float, slice_seconds: float) -> list[Result]:
    """Each page `duration` seconds under all clients, in turns of `slice_seconds`: page 1, page 2, …, page 1 …

    On a shared machine the load from others comes and goes; pages measured one after the other for their whole
    time would each meet a different share of it and the ratios would say more about the neighbours than about
    the pages. In short turns every page meets the same mix.
    """
    sessions = [Session(port) for _ in range(clients)]
    for session in sessions:
        session.login()
    results = [Result(page) for page in pages(year)]
    for result in results:
        for _ in range(2):  # warm the workers up on this page
            sessions[0].get(result.page)
    turns = max(1, round(duration / slice_seconds))
    for _ in range(turns):
        for result in results:
            turn = hammer(sessions, result.page, duration / turns)
            result.seconds += turn.seconds
            result.errors += turn.errors
            result.elapsed += turn.elapsed
    for result in results:
        print(f"  {result.page.label}: {len(result.seconds)} requests, {result.errors} errors", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000, help="ledger records in the database")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30, help="seconds of load on each page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--slice", type=float, default=5, help="seconds of one turn on a page (pages take turns)")
    parser.add_argument("--year", type=int, default=2023, help="the year of the records (the demo city's)")
    parser.add_argument("--single", action="store_true", help="also single requests at --small and --records")
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=20, help="single requests per page and size")
    parser.add_argument("--no-load", action="store_true", help="only the single requests")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a scratch database kept by --keep")
    args = parser.parse_args()

    connection, url = scratch_database(reuse=args.reuse and not args.single)
    try:
        about = machine()
        single: dict[int, dict[str, float]] = {}
        sizes = [args.small, args.records] if args.single else [args.records]
        results = []
        for size in sizes:
            print(f"filling to {size:,} records …", flush=True)
            fill(size, args.year)
            actual = total_records()
            server = Server(url, args.workers)
            try:
                if args.single:
                    print(f"single requests at {actual:,} records …", flush=True)
                    single[actual] = single_requests(server.port, args.year, args.requests)
                if size == args.records and not args.no_load:
                    print(f"load: {args.clients} clients × {args.duration:g} s a page at {actual:,} records …")
                    results = load(server.port, args.year, args.clients, args.duration, args.slice)
            finally:
                server.stop()
    finally:
        release(connection, args.keep)

    print(f"\nmachine: {about}")
    if results:
        baseline = results[0].quantile(95)
        print(
            f"{actual:,} records, gunicorn {args.workers} sync workers, {args.clients} logged-in clients, "
            f"{args.duration:g} s a page in turns of {args.slice:g} s\n"
        )
        print("| page | req/s | p50 | p95 | p95 ÷ the login page's p95 | errors |")
        print("|---|---|---|---|---|---|")
        for result in results:
            p50, p95 = result.quantile(50), result.quantile(95)
            rate = len(result.seconds) / result.elapsed
            print(
                f"| {result.page.label} | {rate:.1f} | {ms(p50)} | {ms(p95)} | {p95 / baseline:.1f} | {result.errors} |"
            )
    if single:
        (small, small_times), (large, large_times) = sorted(single.items())
        print(f"\nsingle requests (median of {args.requests}, one client):\n")
        print(f"| page | {small:,} records | {large:,} records | ratio |")
        print("|---|---|---|---|")
        for label, before in small_times.items():
            after = large_times[label]
            print(f"| {label} | {ms(before)} | {ms(after)} | {after / before:.2f} |")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main()

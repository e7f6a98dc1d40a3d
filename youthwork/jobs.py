"""Background jobs: long work (imports, large exports, report files) runs in a worker, not in the request.

The queue is django-tasks with its database backend (django-tasks-db; the worker is `manage.py db_worker`);
what users see of a job is our own row (a youthwork.models.Job: ImportUpload or FileJob), which the request
creates before it enqueues the task and the job page reads:

- exactly one worker runs a job: it claims the row with a conditional update (排队中 -> 运行中, one more
  attempt); a second delivery of the same task, or a task of an attempt that was retried meanwhile, finds
  nothing to claim and stops (django-tasks-db also hands each task to one worker: SELECT … SKIP LOCKED);
- while it runs, a thread of the worker writes the job's heartbeat and progress every JOB_HEARTBEAT_SECONDS
  on a database connection of its own, so they are seen while the job's own transaction is still open;
- the job's end (完成 with its result, or 失败) is written by the job itself; an import writes it in the
  transaction of its data (youthwork.import_runs), so the data and "已完成" commit together or not at all;
- a job still 运行中 whose heartbeat is older than JOB_STALE_SECONDS lost its worker (killed, the machine
  restarted): `mark_stale` marks it 失败 (the job page and the list ask on every view). Its transaction died
  with its connection, so it wrote nothing; it may be retried.

After a job the worker returns the memory it took to the system (gc, then glibc's malloc_trim), so an idle
worker stays at its idle size whatever it imported.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, reset_queries, router
from django.utils import timezone

from youthwork.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)
INTERRUPTED = "后台任务中断(工作进程已停止),没有写入任何数据,可以重试"
HIDDEN_PROGRESS = "正在处理…(使用SQLite数据库时,处理过程中无法显示进度;完成后本页会自动显示结果)"
STARTING = "正在开始…"


def start(job: Job, task) -> None:
    """Queue the job's task (the row is saved and 排队中); with the immediate backend it runs right here."""
    type(job).objects.filter(pk=job.pk).update(status=Status.QUEUED, progress={}, failure="", finished_at=None)
    task.enqueue(job.pk)
    job.refresh_from_db()


def retry(job: Job, task) -> bool:
    """Queue a failed job again (its upload or parameters are still stored): False if it is not 失败."""
    if not type(job).objects.filter(pk=job.pk, status=Status.FAILED).update(status=Status.QUEUED):
        return False
    start(job, task)
    return True


def mark_stale(queryset: models.QuerySet) -> int:
    """Mark 失败 the running jobs of the queryset whose worker stopped writing its heartbeat.

    SQLite: while an import writes, it holds the database's only write lock and its heartbeat cannot be
    written either, so its heartbeat looks old; the update then fails at once (the page asks every second, it
    must not wait for the writer) and nothing is marked: a worker that really died released the lock."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = queryset.filter(status=Status.RUNNING, heartbeat__lt=cutoff)
    if not stale.exists():
        return 0
    try:
        with _no_waiting(connections[stale.db]):
            return stale.update(status=Status.FAILED, failure=INTERRUPTED, finished_at=timezone.now())
    except DatabaseError:  # SQLite: the database is busy with a writer; ask again on the next view
        logger.info("stale jobs not checked: the database is busy")
        return 0


@contextmanager
def _no_waiting(connection):
    """SQLite: a statement that finds the database locked fails at once instead of waiting (busy_timeout 0)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (waited,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def progress_unknown(job: Job) -> str | None:
    """What a running job that has reported no progress yet shows instead of a count (a bar that moves without
    saying how far), or None. On SQLite an import (or its 撤销) holds the database's only write lock from its
    first statement to its commit, so the heartbeat thread cannot write its progress meanwhile: the job says
    so, and the page shows the result once it has finished. PostgreSQL writes it on a connection of its own:
    rows done / total, a few seconds after the start."""
    if job.status != Status.RUNNING or job.progress:
        return None
    hidden = getattr(job, "writes_in_one_transaction", False)
    if hidden and connections[router.db_for_write(type(job))].vendor == "sqlite":
        return HIDDEN_PROGRESS
    return STARTING


class Progress:
    """What the job has done so far, written to its row by the heartbeat thread (never by the job's own
    connection, whose transaction may be open for the whole import)."""

    def __init__(self):
        self.state: dict = {}
        self.lock = threading.Lock()

    def __call__(self, **state) -> None:
        with self.lock:
            self.state = state

    def snapshot(self) -> dict:
        with self.lock:
            return dict(self.state)


class _Heartbeat(threading.Thread):
    def __init__(self, model, pk: int, attempt: int, progress: Progress, interval: float):
        super().__init__(name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
        self.model, self.pk, self.attempt, self.progress, self.interval = model, pk, attempt, progress, interval
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(self.interval):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def beat(self):
        try:
            self.model.objects.filter(pk=self.pk, status=Status.RUNNING, attempts=self.attempt).update(
                heartbeat=timezone.now(), progress=self.progress.snapshot()
            )
        except DatabaseError:  # SQLite while the job writes: one writer at a time; the next beat tries again
            logger.debug("heartbeat of %s %s skipped", self.model.__name__, self.pk)

    def stop(self):
        self.stopping.set()
        self.join()


class Claimed:
    """A job this worker holds: `progress` to report, `succeed`/`fail` to end it (conditional on still
    holding it: a job marked failed as stale meanwhile is not revived)."""

    def __init__(self, job: Job):
        self.job = job
        self.model = type(job)
        self.progress = Progress()

    def mine(self) -> models.QuerySet:
        return self.model.objects.filter(pk=self.job.pk, status=Status.RUNNING, attempts=self.job.attempts)

    def succeed(self, **fields) -> bool:
        return bool(self.mine().update(status=Status.DONE, finished_at=timezone.now(), progress={}, **fields))

    def fail(self, reason: str, **fields) -> bool:
        return bool(
            self.mine().update(status=Status.FAILED, finished_at=timezone.now(), failure=reason[:2000], **fields)
        )


def run(model, pk: int, work: Callable[[Claimed], None]) -> None:
    """Claim the job and run `work(claimed)`; `work` ends the job with claimed.succeed / claimed.fail.

    Anything `work` raises marks the job 失败 with a general reason (the traceback goes to the log)."""
    now = timezone.now()
    claimed_rows = model.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat=now, attempts=models.F("attempts") + 1
    )
    if not claimed_rows:
        logger.info("%s %s is not waiting to run (run already, or by another worker)", model.__name__, pk)
        return
    claimed = Claimed(model.objects.get(pk=pk))
    interval = settings.JOB_HEARTBEAT_SECONDS
    heartbeat = _Heartbeat(model, pk, claimed.job.attempts, claimed.progress, interval) if interval > 0 else None
    if heartbeat is not None:
        heartbeat.start()
    try:
        work(claimed)
    except Exception:
        logger.exception("%s %s failed", model.__name__, pk)
        claimed.fail("后台任务出错,没有写入任何数据。可以重试;如果再次出错,请联系管理员")
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        claimed.fail(INTERRUPTED)  # work() returned without ending the job: nothing was kept
        release_memory()


def release_memory() -> None:
    """Give the memory a job took back to the system: the queries Django logged (DEBUG, as under `make run`:
    an import's bulk inserts are megabytes of SQL), Python's garbage, then the C heap's free pages."""
    reset_queries()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass

"""定稿 and writes at the same moment, and two imports of the same records at once (PostgreSQL, real threads).

Each test runs the two sides on two database connections. The side that takes its lock first pauses,
holding it, until the database shows the other side waiting for a lock (pg_locks); so the race is the
one the attacker times, every run, without sleeping for a guessed time. Whatever the order, the frozen
figures must equal the records and no update may vanish unseen.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from activities.models import OnlineLesson
from reports import builder
from reports.models import WorkReport
from tests.factories import Cast, make_record
from tests.importing.workbooks import header, xlsx
from youthwork.importing import engine as importing

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks and two connections to one database; SQLite's in-memory test database is one "
        "connection's, and SQLite serialises write transactions instead (BEGIN IMMEDIATE, see settings.py)",
    ),
]

MAY_4 = dt.date(2023, 5, 4)
PATIENCE = 60  # seconds to wait for the other side to reach the lock before the test gives up


@pytest.fixture
def cast(transactional_db):
    # An earlier transactional test flushed the tables; the flush's post_migrate synced the roles again.
    return Cast()


def wait_until_another_connection_waits_for_a_lock() -> None:
    """Return once some other connection is blocked on a lock (pg_locks is read live, not per transaction)."""
    deadline = time.monotonic() + PATIENCE
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the other side never waited for the lock")


class Side(threading.Thread):
    """One side of the race on its own thread and database connection; errors are re-raised on join."""

    def __init__(self, name, target):
        super().__init__(name=name, daemon=True)
        self.target, self.error, self.result = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except BaseException as error:  # handed to the test thread, raised there on join
            self.error = error
        finally:
            connection.close()

    def outcome(self):
        self.join(PATIENCE)
        assert not self.is_alive(), f"{self.name} did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def pause_in(monkeypatch, owner, name, thread_name, reached: threading.Event, *, after=False):
    """Wrap owner.name so that on thread `thread_name` it signals `reached` and holds its locks until another
    connection waits for them (before the call, or after it when `after`)."""
    original = getattr(owner, name)

    def paused(*args, **kwargs):
        if threading.current_thread().name != thread_name:
            return original(*args, **kwargs)
        if not after:
            reached.set()
            wait_until_another_connection_waits_for_a_lock()
            return original(*args, **kwargs)
        result = original(*args, **kwargs)
        reached.set()
        wait_until_another_connection_waits_for_a_lock()
        return result

    monkeypatch.setattr(owner, name, paused)


def lesson_form(record, participants):
    return {
        "unit": record.unit_id,
        "date": f"{record.date:%Y-%m-%d}",
        "column": record.column,
        "issue": record.issue,
        "participants": participants,
        "note": "",
    }


def assert_frozen_figures_equal_the_records(report):
    report = WorkReport.objects.get(pk=report.pk)
    assert report.is_final
    assert report.frozen_figures == builder.build_outputs(report.period, report.unit).figures


def test_an_edit_sent_just_after_finalising_began_is_refused_and_the_frozen_figure_matches(cast, monkeypatch):
    record = make_record(OnlineLesson, cast.school_a, MAY_4, participants=653)
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    locked = threading.Event()
    # 定稿 holds the subtree's units and, before reading the figures, waits until the edit waits for them.
    pause_in(monkeypatch, builder, "build_outputs", "finaliser", locked)
    finaliser = Side("finaliser", lambda: report.finalise(cast.leader_a))
    finaliser.start()
    assert locked.wait(PATIENCE)

    client = Client()
    client.force_login(cast.clerk_a)
    response = client.post(f"/ledgers/onlinelesson/{record.pk}/edit/", lesson_form(record, 8050))
    finaliser.outcome()

    assert response.status_code == 200 and "已定稿" in response.content.decode()
    record.refresh_from_db()
    assert record.participants == 653
    assert_frozen_figures_equal_the_records(report)


def test_an_edit_already_holding_its_unit_is_counted_by_the_finalise_that_waits_for_it(cast, monkeypatch):
    record = make_record(OnlineLesson, cast.school_a, MAY_4, participants=653)
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    saved = threading.Event()
    # The edit has locked its unit and written; it commits only once 定稿 waits for that unit.
    pause_in(monkeypatch, OnlineLesson, "save", "editor", saved, after=True)

    def edit():
        client = Client()
        client.force_login(cast.clerk_a)
        return client.post(f"/ledgers/onlinelesson/{record.pk}/edit/", lesson_form(record, 8050))

    editor = Side("editor", edit)
    editor.start()
    assert saved.wait(PATIENCE)
    report.finalise(cast.leader_a)
    response = editor.outcome()

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.participants == 8050
    assert_frozen_figures_equal_the_records(report)
    assert report.frozen_figures != {}


def test_a_second_import_of_the_same_records_waits_and_compares_with_the_first_ones_result(cast, monkeypatch):
    record = make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第1期", participants=1)

    def workbook(participants):
        row = ["A1S", MAY_4, "青年大学习", "第1期", participants, ""]
        return xlsx({"网上团队课": [header("网上团队课"), row]})

    written = threading.Event()
    # The first import has locked the units and written 2; it commits once the second one waits.
    pause_in(monkeypatch, importing._Run, "import_sheet", "first", written, after=True)
    first = Side("first", lambda: importing.import_workbook(workbook(2), file_name="甲.xlsx"))
    first.start()
    assert written.wait(PATIENCE)
    # Without the lock the second import read the stored 1, found its row 未变 and wrote nothing: the
    # user was told the record holds 1 while it held 2.
    second = importing.import_workbook(workbook(1), file_name="乙.xlsx")
    assert first.outcome().ok

    assert second.ok and second.lines() == ["网上团队课: 新增 0, 更新 1, 未变 0, 错误 0"]
    record.refresh_from_db()
    assert record.participants == 1
    reasons = list(record.history.order_by("history_date").values_list("history_change_reason", "participants"))
    assert reasons[-2:] == [("导入工作簿 甲.xlsx", 2), ("导入工作簿 乙.xlsx", 1)]


def test_an_import_and_a_finalise_that_lock_each_other_out_end_with_one_refused_and_nothing_half_done(
    cast, monkeypatch
):
    report = WorkReport.objects.create(unit=cast.district_a, period_code="2023Q2")
    first_sheet_done = threading.Event()
    original = importing._Run.import_sheet

    def import_sheet(run, sheet, raw):
        # The first sheet (网上团队课, 甲区第一小学) holds its school; then 定稿 of 甲区 locks 甲区团委 and
        # waits for the school; then the second sheet (权益宣传, 甲区团委) waits for 定稿: a circle.
        result = original(run, sheet, raw)
        if threading.current_thread().name == "importer" and not first_sheet_done.is_set():
            first_sheet_done.set()
            wait_until_another_connection_waits_for_a_lock()
        return result

    monkeypatch.setattr(importing._Run, "import_sheet", import_sheet)
    data = xlsx(
        {
            "网上团队课": [header("网上团队课"), ["A1S", MAY_4, "青年大学习", "第1期", 653, ""]],
            "权益宣传": [header("权益宣传"), ["A", MAY_4, "海报张贴", 200, 3000, ""]],
        }
    )
    importer = Side("importer", lambda: importing.import_workbook(data, file_name="甲.xlsx"))
    importer.start()
    assert first_sheet_done.wait(PATIENCE)
    client = Client()
    client.force_login(cast.leader_a)
    page = client.post(f"/reports/{report.pk}/finalise/", {"confirm_unapproved": "1"}, follow=True).content.decode()
    outcome = importer.outcome()

    report.refresh_from_db()
    if report.is_final:  # the database stopped the import: nothing of it was written
        assert not outcome.ok and "其他人正在导入或定稿同一范围的数据" in "\n".join(outcome.lines())
        assert not OnlineLesson.objects.exists()
    else:  # the database stopped 定稿: the import is whole, the report still a draft saying why
        assert outcome.ok and OnlineLesson.objects.get().participants == 653
        assert "定稿时有人正在导入本范围的数据" in page
    if report.is_final:
        assert_frozen_figures_equal_the_records(report)

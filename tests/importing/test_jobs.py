"""Imports as background jobs and 导入记录: progress, the list and its scope, the files, 撤销, retry, a killed
worker, the real db_worker, and large exports and report files built as jobs."""

import datetime as dt
import io
import json
import re
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import OnlineLesson
from tests.factories import make_record, make_user
from tests.importing.test_admin import MAY_4, PAGE, check, confirm_url, lessons, upload
from tests.importing.workbooks import header, xlsx
from youthwork import file_jobs, jobs
from youthwork.admin.jobs import ERROR_WORKBOOK_BUILDER
from youthwork.models import FileJob, ImportUpload, PeriodLock
from youthwork.roles import ADMIN

pytestmark = pytest.mark.django_db

RECORDS = "/admin/youthwork/importrecord/"


def job_url(upload_record) -> str:
    return f"{RECORDS}{upload_record.pk}/"


def imported(client, name: str, data: bytes):
    """Check and confirm a workbook; the import's record."""
    client.post(confirm_url(check(client, name, data)))
    return ImportUpload.objects.latest("pk")


def text(response) -> str:
    return response.content.decode()


# --- the job page and its progress ---------------------------------------------------------------------


def test_a_running_import_shows_a_progress_bar_that_its_json_keeps_up_to_date(cast, login):
    client = login(cast.admin_a)
    check(client, "a.xlsx", lessons(1))
    job = ImportUpload.objects.get()
    ImportUpload.objects.filter(pk=job.pk).update(
        status="running",
        heartbeat=timezone.now(),
        progress={"sheet": "网上团队课", "phase": "写入", "done": 500, "total": 2000},
    )
    page = text(client.get(job_url(job)))
    assert f'data-job-progress="{RECORDS}{job.pk}/progress/"' in page
    assert '<progress data-job-bar max="2000" value="500">' in page
    assert "youthwork/jobs.js" in page
    state = client.get(f"{RECORDS}{job.pk}/progress/").json()
    assert state == {
        "status": "running",
        "label": "检查中",
        "indeterminate": False,
        "finished": False,
        "sheet": "网上团队课",
        "phase": "写入",
        "done": 500,
        "total": 2000,
        "text": "工作表 网上团队课:写入 500 / 2,000 行",
    }
    ImportUpload.objects.filter(pk=job.pk).update(status="done")
    assert client.get(f"{RECORDS}{job.pk}/progress/").json()["finished"] is True


def test_a_running_import_without_progress_yet_shows_a_bar_that_moves_without_a_count(cast, login):
    from django.db import connection

    client = login(cast.admin_a)
    check(client, "a.xlsx", lessons(1))
    job = ImportUpload.objects.get()
    ImportUpload.objects.filter(pk=job.pk).update(status="running", heartbeat=timezone.now(), progress={})
    page = text(client.get(job_url(job)))
    assert "<progress data-job-bar></progress>" in page  # no value: the bar moves without saying how far
    state = client.get(f"{RECORDS}{job.pk}/progress/").json()
    assert state["indeterminate"] is True
    # SQLite: the import holds the only write lock until it commits, so no progress can be written meanwhile.
    assert state["text"] == (jobs.HIDDEN_PROGRESS if connection.vendor == "sqlite" else jobs.STARTING)
    assert state["text"] in page


def test_the_result_shows_the_first_200_errors_with_their_total_and_empty_sheets_on_one_line(cast, login):
    rows = [["A", MAY_4, "青年大学习", f"第{n}期", -1, ""] for n in range(250)]
    data = xlsx({"网上团队课": [header("网上团队课"), *rows], "主题团队日": [header("主题团队日")]})
    page = text(check(login(cast.admin_a), "a.xlsx", data))
    assert "错误(共250处,下面列出前200处" in page
    assert page.count("参学人次不能为负数") == 200
    assert "另有50处错误未列出" in page
    assert "没有数据行的工作表:主题团队日" in page
    assert "<td>主题团队日</td>" not in page


# --- 导入记录 ---------------------------------------------------------------------------------------------


def test_the_list_shows_who_imported_what_when_and_how_it_went(cast, login):
    client = login(cast.admin_a)
    imported(client, "甲区.xlsx", lessons(3))
    page = text(client.get(RECORDS))
    assert "甲区.xlsx" in page
    assert str(cast.admin_a) in page
    assert "网上团队课: 新增 3, 更新 0, 未变 0, 错误 0" in page
    assert "已导入" in page
    assert "秒" in page  # its duration


def test_staff_cannot_see_another_units_imports(cast, login):
    imported(login(cast.admin_a), "甲区.xlsx", lessons(1))
    job = ImportUpload.objects.get()
    admin_b = make_user("admin_b", cast.district_b, ADMIN)
    client = login(admin_b)
    assert "甲区.xlsx" not in text(client.get(RECORDS))
    for url in ("", "progress/", "file/", "errors/"):
        assert client.get(f"{job_url(job)}{url}").status_code == 404
    assert client.post(f"{job_url(job)}undo/").status_code == 404
    assert "甲区.xlsx" in text(login(cast.city_admin).get(RECORDS))  # the city sees its districts' imports


def test_clerks_have_no_import_records(cast, login):
    imported(login(cast.admin_a), "甲区.xlsx", lessons(1))
    client = login(cast.clerk_a)
    assert client.get(RECORDS).status_code == 403
    assert client.get(job_url(ImportUpload.objects.get())).status_code == 403


def test_the_original_file_can_be_downloaded_again(cast, login):
    data = lessons(2)
    client = login(cast.admin_a)
    job = imported(client, "甲区 第1批.xlsx", data)
    response = client.get(f"{job_url(job)}file/")
    assert response.content == data
    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%94%B2%E5%8C%BA%20%E7%AC%AC1%E6%89%B9.xlsx"
    )


def test_the_error_workbook_is_the_uploaded_sheet_with_an_error_column_in_the_original_order(cast, login):
    rows = [
        ["A", MAY_4, "青年大学习", "第1期", 1, ""],
        ["A", MAY_4, "青年大学习", "第2期", -1, ""],
        ["A", "2023-13-45", "青年大学习", "第3期", 5, ""],
    ]
    data = xlsx({"网上团队课": [["2023年统计"], header("网上团队课"), *rows]})
    client = login(cast.admin_a)
    job_page = check(client, "a.xlsx", data)
    assert "下载错误工作簿" in text(job_page)
    response = client.get(f"{job_url(ImportUpload.objects.get())}errors/")
    assert "filename*=utf-8''a-%E9%94%99%E8%AF%AF.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "网上团队课"
    assert values[0][0] == "2023年统计"
    assert values[1][:2] == ["填报单位", "日期"] and values[1][-1] == "错误"
    assert [row[3] for row in values[2:]] == ["第1期", "第2期", "第3期"]
    assert [row[-1] for row in values[2:]] == [None, "参学人次: 参学人次不能为负数", "日期: 日期无法识别:2023-13-45"]


def test_a_large_imports_error_workbook_is_built_by_a_job_and_downloaded_from_its_page(cast, login, settings):
    settings.JOB_ROWS_THRESHOLD = 2  # 240,000 rows took 18 s in the request
    rows = [["A", MAY_4, "青年大学习", "第1期", 1, ""], ["A", "2023-13-45", "青年大学习", "第2期", 5, ""]]
    client = login(cast.admin_a)
    check(client, "a.xlsx", xlsx({"网上团队课": [header("网上团队课"), *rows, *rows[:1]]}))
    response = client.get(f"{job_url(ImportUpload.objects.get())}errors/")
    job = FileJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and job.title == "错误工作簿:a.xlsx"
    assert f"/jobs/{job.pk}/file/" in text(client.get(f"/jobs/{job.pk}/"))
    download = client.get(f"/jobs/{job.pk}/file/")
    assert "filename*=utf-8''a-%E9%94%99%E8%AF%AF.xlsx" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[-1] for row in values] == [
        "错误",
        None,
        "日期: 日期无法识别:2023-13-45",
        "填报单位、日期、栏目、期次主题: 与第2行重复(填报单位、日期、栏目、期次主题都相同)",
    ]


def test_an_error_workbook_job_gives_nothing_to_a_user_outside_the_imports_scope(cast, login):
    admin_b = make_user("admin_b", cast.district_b, ADMIN)
    rows = [["BS", "2023-13-45", "青年大学习", "第1期", 1, ""]]
    check(login(admin_b), "b.xlsx", xlsx({"网上团队课": [header("网上团队课"), *rows]}))
    params = {"upload": ImportUpload.objects.get().pk, "file_name": "b-错误.xlsx", "rows": 1}
    job = file_jobs.start_file_job(cast.admin_a, "错误工作簿:b.xlsx", ERROR_WORKBOOK_BUILDER, params)
    job.refresh_from_db()
    assert job.status == "failed" and "不在您的管理范围内" in job.failure and not job.content


# --- 撤销 -----------------------------------------------------------------------------------------------


def test_undo_removes_the_created_records_and_restores_the_changed_ones(cast, login):
    kept = make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第1期", participants=7)
    client = login(cast.admin_a)
    rows = [["A1S", MAY_4, "青年大学习", "第1期", 70, "改了"], ["A1S", MAY_4, "青年大学习", "第2期", 5, ""]]
    job = imported(client, "a.xlsx", xlsx({"网上团队课": [header("网上团队课"), *rows]}))
    assert OnlineLesson.objects.count() == 2
    kept.refresh_from_db()
    assert (kept.participants, kept.note) == (70, "改了")

    response = client.post(f"{job_url(job)}undo/", follow=True)
    assert "已撤销“a.xlsx”的导入" in text(response)
    assert list(OnlineLesson.objects.all()) == [kept]
    kept.refresh_from_db()
    assert (kept.participants, kept.note) == (7, "")
    assert kept.history.first().history_change_reason == "撤销导入 a.xlsx"
    job.refresh_from_db()
    assert job.undone_by == cast.admin_a
    assert "已撤销" in text(client.get(RECORDS))
    assert "已经撤销过了" in text(client.post(f"{job_url(job)}undo/", follow=True))


def test_undo_removes_new_records_then_their_new_venues_and_units_and_restores_a_changed_unit(cast, login):
    from activities.models import ThemeDay
    from youthwork.models import Unit, Venue

    data = xlsx(
        {
            "组织单位": [
                header("组织单位"),
                ["新华小学", "甲街道团工委", "学校", ""],
                ["甲区第一小学", "A1", "社区", "A1S"],
            ],
            "阵地": [header("阵地"), ["新华小学少先队活动室", "新华小学", "其他", "2023-01-01", "否", ""]],
            "主题团队日": [
                header("主题团队日"),
                ["新华小学", MAY_4, "主题队日", "红领巾心向党", "六一", 60, "新华小学少先队活动室", ""],
            ],
        }
    )
    client = login(cast.city_admin)
    job = imported(client, "新华.xlsx", data)
    assert ThemeDay.objects.count() == 1 and Unit.objects.get(code="A1S").unit_type == "社区"
    assert "已撤销" in text(client.post(f"{job_url(job)}undo/", follow=True))
    assert not ThemeDay.objects.exists()
    assert not Venue.objects.exists()
    assert not Unit.objects.filter(name="新华小学").exists()
    cast.school_a.refresh_from_db()
    assert cast.school_a.unit_type == "学校"


def test_undo_is_refused_as_a_whole_once_a_final_report_has_locked_a_record(cast, login):
    client = login(cast.admin_a)
    rows = [["A1S", MAY_4, "青年大学习", "第1期", 1, ""], ["A1S", dt.date(2023, 8, 1), "青年大学习", "第2期", 2, ""]]
    job = imported(client, "a.xlsx", xlsx({"网上团队课": [header("网上团队课"), *rows]}))
    reason = "“甲区团委2023年第二季度工作报告”已定稿,2023-04-01至2023-06-30的记录不能再修改"
    PeriodLock.objects.create(
        unit=cast.district_a, start=dt.date(2023, 4, 1), end=dt.date(2023, 6, 30), reason=reason, source=cast.district_a
    )
    page = text(client.post(f"{job_url(job)}undo/", follow=True))
    assert f"不能撤销:{reason}" in page
    assert OnlineLesson.objects.count() == 2  # neither record removed
    job.refresh_from_db()
    assert job.undone_at is None


def test_undo_is_refused_when_a_record_changed_after_the_import(cast, login):
    client = login(cast.admin_a)
    job = imported(client, "a.xlsx", lessons(1, unit="A1S"))
    record = OnlineLesson.objects.get()
    record.participants = 99
    record.save()
    page = text(client.post(f"{job_url(job)}undo/", follow=True))
    assert "在导入之后又被修改或删除过" in page
    assert OnlineLesson.objects.get().participants == 99


def test_undo_runs_as_a_background_job_with_its_progress_and_a_second_click_starts_nothing(cast, login, settings):
    from django_tasks import task_backends

    from youthwork.import_runs import UNDO_RUNNING, undo_job
    from youthwork.models import ImportUndo

    client = login(cast.admin_a)
    job = imported(client, "a.xlsx", lessons(3, unit="A1S"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    page = text(client.post(f"{job_url(job)}undo/", follow=True))
    assert "撤销排队中" in page and f"{job_url(job)}undo/progress/" in page
    assert "撤销这次导入" not in page  # no second button while it waits
    assert client.get(f"{job_url(job)}undo/progress/").json()["label"] == "撤销排队中"
    assert UNDO_RUNNING in text(client.post(f"{job_url(job)}undo/", follow=True))
    assert ImportUndo.objects.count() == 1 and len(task_backends["default"].results) == 1
    assert OnlineLesson.objects.count() == 3  # nothing removed in the request

    undo = ImportUndo.objects.get()
    undo_job.call(undo.pk)  # the worker
    undo_job.call(undo.pk)  # a second delivery: nothing to claim
    assert not OnlineLesson.objects.exists()
    undo.refresh_from_db()
    assert (undo.status, undo.attempts, undo.user) == ("done", 1, cast.admin_a)
    assert "已撤销" in text(client.get(job_url(job)))
    assert client.get(f"{job_url(job)}undo/progress/").json()["finished"] is True
    assert "已经撤销过了" in text(client.post(f"{job_url(job)}undo/", follow=True))


def test_a_refused_undo_says_which_lock_and_can_be_started_again_once_the_lock_is_gone(cast, login):
    client = login(cast.admin_a)
    row = ["A1S", MAY_4, "青年大学习", "第1期", 1, ""]
    job = imported(client, "a.xlsx", xlsx({"网上团队课": [header("网上团队课"), row]}))
    reason = "“甲区团委2023年第二季度工作报告”已定稿,2023-04-01至2023-06-30的记录不能再修改"
    lock = PeriodLock.objects.create(
        unit=cast.district_a, start=dt.date(2023, 4, 1), end=dt.date(2023, 6, 30), reason=reason, source=cast.district_a
    )
    client.post(f"{job_url(job)}undo/")
    page = text(client.get(job_url(job)))
    assert f"撤销没有完成,没有删除或恢复任何记录:不能撤销:{reason}" in page
    assert "撤销这次导入" in page and OnlineLesson.objects.count() == 1
    lock.delete()
    assert "已撤销“a.xlsx”的导入" in text(client.post(f"{job_url(job)}undo/", follow=True))
    assert not OnlineLesson.objects.exists()


# --- retry, killed workers, one run per job -----------------------------------------------------------


def test_a_failed_import_is_retried_without_uploading_again(cast, login):
    client = login(cast.admin_a)
    url = confirm_url(check(client, "a.xlsx", lessons(2)))
    job = ImportUpload.objects.get()
    ImportUpload.objects.filter(pk=job.pk).update(stage="import", status="failed", failure=jobs.INTERRUPTED)
    page = text(client.get(job_url(job)))
    assert jobs.INTERRUPTED in page and "重试" in page
    assert not OnlineLesson.objects.exists()
    response = client.post(f"{job_url(job)}retry/", follow=True)
    assert "导入结果" in text(response)
    assert OnlineLesson.objects.count() == 2
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert client.post(url).status_code == 302 and OnlineLesson.objects.count() == 2  # confirming again: nothing


def test_a_job_whose_worker_stopped_heartbeating_is_marked_failed(cast, login):
    client = login(cast.admin_a)
    check(client, "a.xlsx", lessons(2))
    job = ImportUpload.objects.get()
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    ImportUpload.objects.filter(pk=job.pk).update(stage="import", status="running", heartbeat=long_ago, attempts=2)
    assert client.get(f"{job_url(job)}progress/").json()["label"] == "失败"
    assert jobs.INTERRUPTED in text(client.get(job_url(job)))
    assert not OnlineLesson.objects.exists()  # its transaction died with its worker


def test_an_import_marked_failed_while_it_runs_keeps_none_of_its_writes(cast, login, monkeypatch):
    """The import writes its end in its own transaction: a job declared dead meanwhile rolls its data back."""
    client = login(cast.admin_a)
    url = confirm_url(check(client, "a.xlsx", lessons(3)))
    declare_dead = jobs.Progress.__call__

    def progress(self, **state):
        ImportUpload.objects.filter(status="running").update(status="failed", failure=jobs.INTERRUPTED)
        declare_dead(self, **state)

    monkeypatch.setattr(jobs.Progress, "__call__", progress)
    client.post(url)
    assert not OnlineLesson.objects.exists()
    assert ImportUpload.objects.get().status == "failed"


def test_a_job_runs_once_however_often_its_task_is_delivered(cast, login):
    from youthwork.import_runs import import_job

    client = login(cast.admin_a)
    client.post(confirm_url(check(client, "a.xlsx", lessons(2))))
    job = ImportUpload.objects.get()
    import_job.call(job.pk)  # a second delivery: nothing to claim
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)  # the check, then the import
    assert OnlineLesson.history.count() == 2


def test_the_database_worker_runs_a_queued_import(cast, login, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes connections it finds outside autocommit: here, the test's own transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client = login(cast.admin_a)
    response = client.post(PAGE, {"workbook": upload("a.xlsx", lessons(2))}, follow=True)
    assert "检查排队中" in text(response) and "data-job-progress" in text(response)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
        job = ImportUpload.objects.get()
        assert job.status == "done"
        client.post(confirm_url(client.get(job_url(job))))
        assert "导入排队中" in text(client.get(job_url(job)))
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert OnlineLesson.objects.count() == 2
    assert "导入结果" in text(client.get(job_url(job)))


# --- large exports and report files -----------------------------------------------------------------


def test_a_large_export_is_built_by_a_job_and_downloaded_from_its_page(cast, login, settings):
    settings.JOB_ROWS_THRESHOLD = 2
    for number in range(3):
        make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue=f"第{number}期", participants=1)
    make_record(OnlineLesson, cast.school_b, MAY_4, column="青年大学习", issue="乙", participants=1)
    client = login(cast.admin_a)
    response = client.post("/admin/activities/onlinelesson/export/", {"format": "0", "resource": "0"})
    job = FileJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = text(client.get(f"/jobs/{job.pk}/"))
    assert "导出网上团队课(3行)" in page and f"/jobs/{job.pk}/file/" in page
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''%E7%BD%91")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet.max_row == 4  # the header and the user's three records, not the other district's
    assert login(cast.city_admin).get(f"/jobs/{job.pk}/").status_code == 404  # the file is its user's


def test_a_small_export_still_downloads_at_once(cast, login, settings):
    make_record(OnlineLesson, cast.school_a, MAY_4, column="青年大学习", issue="第1期", participants=1)
    response = login(cast.admin_a).post("/admin/activities/onlinelesson/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200 and not FileJob.objects.exists()


def test_progress_json_of_a_file_job(cast, login):
    job = FileJob.objects.create(
        user=cast.admin_a, title="导出", builder="x", status="running", heartbeat=timezone.now()
    )
    state = login(cast.admin_a).get(f"/jobs/{job.pk}/progress/").json()
    assert (state["finished"], state["label"]) == (False, "运行中")
    assert json.loads(json.dumps(state)) == state


def test_job_pages_need_no_inline_script(cast, login):
    client = login(cast.admin_a)
    check(client, "a.xlsx", lessons(1))
    page = text(client.get(job_url(ImportUpload.objects.get())))
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)

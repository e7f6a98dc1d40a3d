"""A background job's page in Chromium: the progress bar follows the job without a reload
(static/youthwork/jobs.js), and the page shows the result by itself once the job has finished."""

from django.utils import timezone
from playwright.sync_api import expect

from youthwork.models import ImportUpload, User


def test_the_progress_bar_moves_and_the_result_appears_without_reloading_by_hand(browser):
    admin = User.objects.get(username="admin")
    job = ImportUpload.objects.create(
        content=b"PK",
        file_name="东城区.xlsx",
        user=admin,
        unit=admin.unit,
        stage="import",
        status="running",
        heartbeat=timezone.now(),
        attempts=1,
        progress={"sheet": "网上团队课", "phase": "写入", "done": 0, "total": 400},
    )
    page = browser.login("admin")
    browser.goto(f"/admin/youthwork/importrecord/{job.pk}/")
    bar = page.locator("progress[data-job-bar]")
    assert bar.get_attribute("value") == "0"

    ImportUpload.objects.filter(pk=job.pk).update(
        heartbeat=timezone.now(), progress={"sheet": "网上团队课", "phase": "写入", "done": 300, "total": 400}
    )
    text = page.locator("[data-job-text]")
    expect(text).to_contain_text("300 / 400 行")  # without reloading: the page is the same one
    expect(bar).to_have_js_property("value", 300)

    result = {
        "ok": True,
        "written": True,
        "error_count": 0,
        "errors": [],
        "unrecognised": [],
        "sheets": [
            {
                "name": "网上团队课",
                "label": "网上团队课",
                "headers": [],
                "header_row": 1,
                "created": 400,
                "updated": 0,
                "unchanged": 0,
                "error_rows": 0,
                "rows": 400,
                "preview": [],
            },
        ],
    }
    ImportUpload.objects.filter(pk=job.pk).update(status="done", result=result, finished_at=timezone.now())
    page.locator("text=导入结果").wait_for()
    assert page.locator("progress").count() == 0
    assert "<td>网上团队课</td><td>400</td>" in page.content()

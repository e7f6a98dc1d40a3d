"""A draft report's Word or Excel file over more than JOB_ROWS_THRESHOLD records, built by a background job
(youthwork.file_jobs): the download answers at once with the job's page, which then offers the file."""

from __future__ import annotations

from functools import partial

from reports.builder import build_file
from reports.models import WorkReport
from youthwork import access, figure_cache
from youthwork.file_jobs import Refused
from youthwork.ledgers import all_ledgers

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def records_counted(report: WorkReport) -> int:
    """How many ledger records the report's figures read (its unit's subtree, its period): one count a ledger,
    kept in the figures' cache until the scope changes, so a second download reads no ledger."""
    key = f"report-records:{report.period.code}"
    return figure_cache.cached(report.unit, {key: partial(_count, report)}, sources=(__name__,))[key]


def _count(report: WorkReport) -> int:
    return sum(ledger.model.objects.within(report.unit).in_period(report.period).count() for ledger in all_ledgers())


def build_report_file(job, progress) -> tuple[bytes, str, str]:
    """The builder of a report file job: params {"report": pk, "fmt": "docx" | "xlsx"}, as the job's user."""
    user = job.user
    report = WorkReport.objects.without_files().select_related("unit").filter(pk=job.params["report"]).first()
    if report is None or not user.has_perm("reports.view_workreport") or not access.can_see_unit(user, report.unit):
        raise Refused("报告不存在,或您已没有查看它的权限")
    fmt = job.params["fmt"]
    progress(phase="生成报告", done=0, total=job.params.get("rows"))
    content, _notes = build_file(report.period, report.unit, fmt, user=user)
    return content, report.file_name(fmt), CONTENT_TYPES[fmt]

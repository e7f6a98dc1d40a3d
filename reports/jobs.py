"""A draft report's Word or Excel file over more than JOB_ROWS_THRESHOLD records, built by a background job
(youthwork.file_jobs): the download answers at once with the job's page, which then offers the file."""

from __future__ import annotations

from functools import partial

from reports.builder import build_file
from reports.models import WorkReport, report_file_name
from youthwork import access, figure_cache
from youthwork.file_jobs import Refused
from youthwork.ledgers import all_ledgers
from youthwork.metrics import Slice
from youthwork.models import Unit
from youthwork.periods import Period

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def records_counted(report: WorkReport) -> int:
    """How many ledger records the report's figures read: see `records_read`."""
    return records_read(report.period, report.unit)


def records_read(period: Period, unit: Unit) -> int:
    """How many ledger records a report's figures read (the unit's subtree, the period and 今年以来: what the
    annex's 明细 sheets list): one count a ledger, kept in the figures' cache until the scope changes, so a
    second download reads no ledger."""
    key = f"report-records:{period.code}"
    return figure_cache.cached(unit, {key: partial(_count, period, unit)}, sources=(__name__,))[key]


def _count(period: Period, unit: Unit) -> int:
    span = Slice(period, unit).span
    return sum(ledger.model.objects.within(unit).in_period(span).count() for ledger in all_ledgers())


def build_report_file(job, progress) -> tuple[bytes, str, str]:
    """The builder of a report file job: params {"report": pk, "fmt": "docx" | "xlsx"} (a saved report) or
    {"period": code, "unit": pk, "fmt": …} (a draft nobody saved), as the job's user."""
    user = job.user
    if "report" not in job.params:
        return _build_draft_file(job, progress)
    report = WorkReport.objects.without_files().select_related("unit").filter(pk=job.params["report"]).first()
    if report is None or not user.has_perm("reports.view_workreport") or not access.can_see_unit(user, report.unit):
        raise Refused("报告不存在,或您已没有查看它的权限")
    fmt = job.params["fmt"]
    progress(phase="生成报告", done=0, total=job.params.get("rows"))
    content, _notes = build_file(report.period, report.unit, fmt, user=user)
    return content, report.file_name(fmt), CONTENT_TYPES[fmt]


def _build_draft_file(job, progress) -> tuple[bytes, str, str]:
    user, params = job.user, job.params
    unit = Unit.objects.filter(pk=params["unit"]).first()
    if unit is None or not user.has_perm("reports.view_workreport") or not access.can_see_unit(user, unit):
        raise Refused("报告单位不存在,或您已没有查看它的权限")
    period, fmt = Period.parse(params["period"]), params["fmt"]
    progress(phase="生成报告", done=0, total=params.get("rows"))
    content, _notes = build_file(period, unit, fmt, user=user)
    return content, report_file_name(unit.name, period, fmt, draft=True), CONTENT_TYPES[fmt]

"""Finalised reports lock their period: records of that period and scope can no longer change.

A report (reports.WorkReport) with status 定稿 covers a period (period_start..period_end) and a unit
with its descendants. While it stays final, no record of a unit in that subtree dated in that period
may be added, changed, deleted or imported. The admin, the portal forms (through LedgerRecord.clean)
and the importer all ask here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import apps

LockCheck = Callable[[object, dt.date], "str | None"]


def _final_reports():
    WorkReport = apps.get_model("reports", "WorkReport")
    return list(WorkReport.objects.finalised().without_files().select_related("unit"))


def lock_message(report) -> str:
    return (
        f"“{report}”已定稿,"
        f"{report.period_start:%Y-%m-%d}至{report.period_end:%Y-%m-%d}的记录不能再修改;如需修改请联系市级管理员退回定稿"
    )


def _covering(finals, unit, date: dt.date):
    if unit is None or date is None:
        return None
    for report in finals:
        if report.period_start <= date <= report.period_end and unit.path.startswith(report.unit.path):
            return report
    return None


def lock_checker() -> LockCheck:
    """A function (unit, date) -> message or None, after loading the final reports in one query."""
    finals = _final_reports()

    def check(unit, date: dt.date) -> str | None:
        report = _covering(finals, unit, date)
        return lock_message(report) if report is not None else None

    return check


def locking_report(unit, date: dt.date):
    """The final report that locks (unit, date), or None (for pages that link to it)."""
    return _covering(_final_reports(), unit, date)


def find_lock(unit, date: dt.date) -> str | None:
    """The message naming the final report that locks (unit, date), or None if it may change."""
    return lock_checker()(unit, date)

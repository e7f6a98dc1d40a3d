"""What the pages, the dashboard, the report preview and the reminders read of the submissions of a quarter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from submissions import checks, services
from submissions.models import Submission, deadline_of
from youthwork import access
from youthwork.metrics import record_counts
from youthwork.models import Unit
from youthwork.periods import Period, PeriodError

State = Submission.State
LATE = "逾期"
STATE_FILTERS = (*State.values, LATE)


def selected_quarter(request) -> tuple[Period, str | None]:
    """?period=2026Q3, default the last finished quarter; with a message when the text is not a quarter."""
    default = Period.last_finished_quarter(timezone.localdate())
    text = request.GET.get("period", "").strip()
    if not text:
        return default, None
    try:
        period = Period.parse(text)
    except PeriodError as error:
        return default, f"{error},已显示{default.label}"
    if period.kind != "quarter":
        return default, f"报送按季度进行,请选择一个季度(例如 {default.code}),而不是“{text}”;已显示{default.label}"
    return period, None


@dataclass
class Row:
    unit: Unit
    submission: Submission | None
    period: Period
    own: bool = False
    records: dict = field(default_factory=dict)
    flags: list = field(default_factory=list)
    actions: list = field(default_factory=list)

    @property
    def state(self) -> str:
        return services.state_of(self.submission)

    @property
    def late(self) -> bool:
        if self.submission is not None:
            return self.submission.is_late()
        return timezone.localdate() > deadline_of(self.period)

    @property
    def submitted(self) -> bool:
        return self.state in Submission.LOCKING

    @property
    def on_time(self) -> bool:
        return self.submission is not None and self.submission.first_submitted_at is not None and not self.late

    @property
    def open_flags(self) -> int:
        return sum(1 for flag in self.flags if flag.checked is None)


def submissions_of(units, period: Period) -> dict[int, Submission]:
    found = Submission.objects.filter(unit__in=units, period_start=period.start)
    return {s.unit_id: s for s in found.select_related("submitted_by", "reviewed_by")}


def rows_for(user, period: Period, *, with_flags: bool = True) -> list[Row]:
    """The user's own unit (when it reports to someone) and its direct children, each with its state, record
    counts per work area, warnings and the moves the user may make."""
    home = access.home_unit(user)
    if home is None:
        return []
    units = ([] if home.parent_id is None else [home]) + list(Unit.objects.filter(parent=home).order_by("path"))
    found = submissions_of(units, period)
    counts = record_counts(period, home)
    flags = checks.flags_of(home, units, period) if with_flags and units else []
    rows = []
    for unit in units:
        row = Row(unit=unit, submission=found.get(unit.pk), period=period, own=unit.pk == home.pk)
        for area, buckets in counts.items():
            row.records[area] = sum(buckets.values()) if row.own else buckets.get(unit.path, 0)
        row.flags = checks.within(flags, unit) if not row.own else flags
        row.actions = services.allowed_actions(user, unit, row.state)
        rows.append(row)
    return rows


def filter_rows(rows: list[Row], state: str) -> list[Row]:
    if state == LATE:
        return [row for row in rows if row.late]
    if state in State.values:
        return [row for row in rows if row.state == state]
    return rows


# ------------------------------------------------------------------------------------ the dashboard box


def completeness(user, period: Period, children: list[Unit] | None = None, found: dict | None = None) -> dict:
    """报送情况 of the user's child units for the quarter: how many submitted, on time, approved (two queries,
    none when the caller passes the children and their submissions of the quarter)."""
    home = access.home_unit(user)
    if home is None:
        return {}
    units = children if children is not None else _children(home)
    found = found if found is not None else submissions_of(units, period)
    rows = [Row(unit=unit, submission=found.get(unit.pk), period=period) for unit in units]
    total = len(rows)

    def share(count: int) -> dict:
        return {"count": count, "percent": round(100 * count / total) if total else 0}

    return {
        "period": period,
        "deadline": deadline_of(period),
        "total": total,
        "submitted": share(sum(1 for row in rows if row.submitted)),
        "on_time": share(sum(1 for row in rows if row.on_time)),
        "approved": share(sum(1 for row in rows if row.state == State.APPROVED)),
        "late": [row.unit for row in rows if row.late and not row.submitted],
    }


def _children(unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit).order_by("path"))


# ------------------------------------------------------------------------------------------ reminders


def reminder_period(today: dt.date) -> Period:
    return Period.last_finished_quarter(today)


def is_reminding(period: Period, today: dt.date) -> bool:
    """Reminders to submit start 5 days before the deadline."""
    return today >= deadline_of(period) - dt.timedelta(days=5)


def reminders_for(user, today: dt.date | None = None, waiting: list[Submission] | None = None) -> list[str]:
    """What the dashboard reminds the user of: their unit's quarter to submit, their children's to review
    (`waiting`: the children's 已报送 submissions of the reminder's quarter, if the caller has read them)."""
    today = today or timezone.localdate()
    period = reminder_period(today)
    unit = getattr(user, "unit", None)
    if unit is None:
        return []
    notes = []
    if is_reminding(period, today) and services.may_submit(user, unit):
        state = services.state_of(services.find(unit, period))
        if state in (State.NOT_SUBMITTED, State.RETURNED):
            deadline = deadline_of(period)
            when = "已逾期" if today > deadline else f"截止日期为{deadline:%Y年%-m月%-d日}"
            again = "已被退回,请修改后重新报送" if state == State.RETURNED else "尚未报送"
            notes.append(f"{unit}{period.label}的数据{again},{when}")
    if user.has_perm("submissions.review_submission"):
        waiting = waiting if waiting is not None else waiting_for(unit, period)
        if waiting:
            names = "、".join(s.unit.name for s in waiting)
            notes.append(f"{period.label}有{len(waiting)}个下级单位的报送等待审核:{names}")
    return notes


def waiting_for(unit, period: Period) -> list[Submission]:
    """已报送 submissions of the unit's direct children for the quarter (the parent reviews them)."""
    return list(
        Submission.objects.filter(unit__parent=unit, period_start=period.start, state=State.SUBMITTED)
        .select_related("unit")
        .order_by("unit__path")
    )


# ------------------------------------------------------------------------------------ the report preview


def unapproved_units(period: Period, unit) -> list[Unit]:
    """以下单位数据尚未审核通过: the unit's direct children whose quarters of the period are not all approved."""
    quarters = []
    quarter = Period.quarter_of(period.start)
    while quarter.start <= period.end:
        quarters.append(quarter.start)
        quarter = Period.quarter_of(quarter.end + dt.timedelta(days=1))
    children = list(Unit.objects.filter(parent=unit).order_by("path"))
    approved = Q(period_start__in=quarters, state=State.APPROVED)
    done = {unit_id: count for unit_id, count in _count_by_unit(Submission.objects.filter(approved, unit__in=children))}
    return [child for child in children if done.get(child.pk, 0) < len(quarters)]


def _count_by_unit(queryset):
    return queryset.values_list("unit_id").annotate(n=Count("pk")).order_by()


# ------------------------------------------------------------------- the hooks of the dashboard and report


def dashboard_context(user, period: Period) -> dict:
    """What the dashboard's 报送情况 box shows (templates/submissions/_dashboard_box.html): two queries, the
    child units and their submissions of the box's quarter and of the reminders' quarter."""
    if not user.has_perm("submissions.view_submission"):
        return {}
    # Units submit quarters: a half year or a year on the dashboard shows its last quarter's (the box names it).
    quarter = period if period.kind == "quarter" else Period.quarter_of(period.end)
    today = timezone.localdate()
    reminded = reminder_period(today)
    home = access.home_unit(user)
    if home is None or getattr(user, "unit", None) is None:
        return {"submission_box": completeness(user, quarter), "submission_reminders": reminders_for(user, today)}
    children = _children(home)
    by_unit = {unit.pk: unit for unit in children}
    box, waiting = {}, []
    for submission in Submission.objects.filter(unit__in=children, period_start__in={quarter.start, reminded.start}):
        submission.unit = by_unit[submission.unit_id]
        if submission.period_start == quarter.start:
            box[submission.unit_id] = submission
        if submission.period_start == reminded.start and submission.state == State.SUBMITTED:
            waiting.append(submission)
    if home.pk != user.unit_id:  # the reminders are of the user's own unit's children (home_unit is that unit)
        waiting = None
    else:
        waiting.sort(key=lambda s: s.unit.path)
    return {
        "submission_box": completeness(user, quarter, children, box),
        "submission_reminders": reminders_for(user, today, waiting),
    }


def report_context(period: Period, unit) -> dict:
    """What the report preview says before 定稿 (templates/submissions/_report_note.html)."""
    quarter = period if period.kind == "quarter" else None
    return {"unapproved_units": unapproved_units(period, unit), "submission_quarter": quarter}


def finalise_refusal(report, post) -> str | None:
    """定稿 asks for confirmation when some units' data are not approved: the warning, until it is given."""
    if post.get("confirm_unapproved"):
        return None
    units = unapproved_units(report.period, report.unit)
    if not units:
        return None
    names = "、".join(unit.name for unit in units)
    return f"以下单位数据尚未审核通过:{names}。如仍要定稿,请点击“仍然定稿”确认"

"""The demo's 报送与审核: every state of the last finished quarter (relative to today) and a few warnings.

Given the demo city (youthwork.demo), for the quarter before today's: 东城区's towns one approved and one
submitted after the deadline (when the deadline has passed; else not yet submitted, which turns 逾期 once
it passes), 西城区's one returned with a reason and one submitted, 南湖区 and its towns approved; the
districts 东城区 and 西城区 not yet submitted. Before the states, three records that the checks flag: the
same 主题团日 entered by a school and by its town (marked 已核实 with a note), and one 主题团日 of more
than 5,000 participants (left to check). Idempotent: nothing is added once the quarter has submissions.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from submissions.models import CheckedFlag, Submission, SubmissionEvent, deadline_of
from submissions.services import _hold_lock
from youthwork.ledgers import get_ledger
from youthwork.models import Unit, User
from youthwork.periods import Period

REASON = "演示数据"
State = Submission.State
Action = SubmissionEvent.Action


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _flagged_records(period: Period, units: dict, author) -> None:
    """A 主题团日 entered twice (town and school) and one with an implausible crowd."""
    model = get_ledger("themeday").model
    day = period.start + dt.timedelta(days=20)
    rows = [
        (units["S0102"], "学习新思想 争做好少年", "主题队日", 120),
        (units["T0101"], "学习新思想 争做好少年", "主题队日", 110),
        (units["S0203"], "青春心向党 建功新时代", "主题团日", 6800),
    ]
    for unit, theme, day_type, participants in rows:
        record = model(unit=unit, date=day, day_type=day_type, theme=theme, occasion="其他", participants=participants)
        record.created_by = record.updated_by = author
        record._change_reason, record._history_user = REASON, author
        record.full_clean()
        record.save()
    duplicate = model.objects.filter(unit=units["S0102"], date=day, theme=rows[0][1]).first()
    parent = model.objects.filter(unit=units["T0101"], date=day, theme=rows[0][1]).first()
    CheckedFlag.objects.get_or_create(
        period_start=period.start,
        key=f"duplicate:themeday:{duplicate.pk}:{parent.pk}",
        defaults={"note": "街道组织、学校承办的同一场活动,汇总时只计一次", "checked_by": author},
    )


def _submission(unit, period: Period, steps, author) -> None:
    """Create the unit's submission and replay `steps`: (action, day, note)."""
    submission = Submission(unit=unit, period_code=period.code, period_start=period.start, period_end=period.end)
    for action, day, note in steps:
        at = _at(day)
        if action == Action.SUBMIT:
            submission.state = State.SUBMITTED
            submission.submitted_at, submission.submitted_by = at, author
            submission.first_submitted_at = submission.first_submitted_at or at
        elif action == Action.APPROVE:
            submission.state = State.APPROVED
            submission.reviewed_at, submission.reviewed_by = at, author
        else:
            submission.state = State.RETURNED
            submission.reviewed_at, submission.reviewed_by, submission.return_reason = at, author, note
        submission.save()
        submission.events.create(action=action, state=submission.state, user=author, at=at, note=note)
    _hold_lock(submission)


def load(today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    today = today or timezone.localdate()
    period = Period.last_finished_quarter(today)
    author = User.objects.filter(username="admin").first()
    units = {unit.code: unit for unit in Unit.objects.filter(code__isnull=False)}
    if author is None or "T0101" not in units or Submission.objects.filter(period_start=period.start).exists():
        return {"季度报送": (0, Submission.objects.count())}
    _flagged_records(period, units, author)
    deadline = deadline_of(period)
    early = min(period.end + dt.timedelta(days=3), today)
    review = min(period.end + dt.timedelta(days=5), today)
    plans = {
        "T0101": [(Action.SUBMIT, early, ""), (Action.APPROVE, review, "")],
        "T0201": [(Action.SUBMIT, early, ""), (Action.RETURN, review, "六月的主题团日缺少参与人数,请补充后重新报送")],
        "T0202": [(Action.SUBMIT, early, "")],
        "T0301": [(Action.SUBMIT, early, ""), (Action.APPROVE, review, "")],
        "T0302": [(Action.SUBMIT, early, ""), (Action.APPROVE, review, "")],
        "D03": [(Action.SUBMIT, review, ""), (Action.APPROVE, review, "")],
    }
    late = deadline + dt.timedelta(days=2)
    if late <= today:  # 逾期: submitted two days after the deadline
        plans["T0102"] = [(Action.SUBMIT, late, "")]
    before = Submission.objects.count()
    for code, steps in plans.items():
        _submission(units[code], period, steps, author)
    return {"季度报送": (Submission.objects.count() - before, Submission.objects.count())}

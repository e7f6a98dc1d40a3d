"""The moves of a submission, with who may make them: the one place the state machine lives.

- 报送 (submit): a 录入员 or 管理员 of the unit itself (submissions.submit_submission), from 未报送 or 已退回;
- 撤回报送 (withdraw): the same users, from 已报送 (not yet reviewed);
- 审核通过 (approve): a 管理员 (submissions.review_submission) of an ancestor of the unit, from 已报送;
- 退回 (return, with a reason): the same reviewers, from 已报送 or 已通过; the only way to reopen an approved quarter.

Each move runs in one transaction: it first freezes the unit's subtree (youthwork.locks.freeze, as a
report's 定稿 does), then locks the submission's row and reads its state, so two clicks at once make one
move and the second is told the state it found. The submission's PeriodLock follows its state.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from submissions.models import Submission, SubmissionEvent
from youthwork import access
from youthwork.locks import freeze
from youthwork.periods import Period

State = Submission.State
Action = SubmissionEvent.Action


class Refused(Exception):
    """A move the user may not make, or not now; the message says why, in Chinese."""


def find(unit, period: Period) -> Submission | None:
    return Submission.objects.filter(unit=unit, period_start=period.start).first()


def state_of(submission: Submission | None) -> str:
    return submission.state if submission is not None else State.NOT_SUBMITTED


def is_own_unit(user, unit) -> bool:
    return getattr(user, "unit_id", None) == unit.pk


def is_reviewer_of(user, unit) -> bool:
    """A 管理员 of a strict ancestor of the unit (the city reviews districts, a district its towns)."""
    if unit.parent_id is None or not user.has_perm("submissions.review_submission"):
        return False
    if access.sees_everything(user):
        return True
    own = getattr(user, "unit", None)
    return own is not None and own.pk != unit.pk and unit.path.startswith(own.path)


def may_submit(user, unit) -> bool:
    return unit.parent_id is not None and is_own_unit(user, unit) and user.has_perm("submissions.submit_submission")


def allowed_actions(user, unit, state: str) -> list[str]:
    """The buttons the user may press for the unit's quarter in this state."""
    actions = []
    if may_submit(user, unit):
        if state in (State.NOT_SUBMITTED, State.RETURNED):
            actions.append(Action.SUBMIT)
        if state == State.SUBMITTED:
            actions.append(Action.WITHDRAW)
    if is_reviewer_of(user, unit):
        if state == State.SUBMITTED:
            actions.append(Action.APPROVE)
        if state in (State.SUBMITTED, State.APPROVED):
            actions.append(Action.RETURN)
    return actions


def _refusal(user, unit, period: Period, action: str, state: str) -> str | None:
    """Why the user may not make this move now, or None."""
    name = f"“{unit}”{period.label}"
    if action in (Action.SUBMIT, Action.WITHDRAW):
        if unit.parent_id is None:
            return f"{unit}是最上级单位,没有审核单位,不需要报送"
        if not is_own_unit(user, unit) or not user.has_perm("submissions.submit_submission"):
            return f"只有{unit}的录入员或管理员可以{action}{name}的数据"
    elif not is_reviewer_of(user, unit):
        if is_own_unit(user, unit):
            return f"不能审核本单位的报送:{name}的数据由上级单位的管理员审核"
        return f"只有{unit}上级单位的管理员可以{action}{name}的数据"
    if action in allowed_actions(user, unit, state):
        return None
    if action == Action.SUBMIT and state == State.APPROVED:
        return f"{name}的数据已审核通过,不能再报送;如需修改请联系审核单位退回"
    if action == Action.SUBMIT:
        return f"{name}的数据已报送,正在等待审核"
    if action == Action.RETURN and state == State.RETURNED:
        return f"{name}的数据已退回"
    if action == Action.APPROVE and state == State.APPROVED:
        return f"{name}的数据已审核通过"
    if action == Action.WITHDRAW and state == State.APPROVED:
        return f"{name}的数据已审核通过,不能撤回;如需修改请联系审核单位退回"
    return f"{name}的数据{state},不能{action}"


def has_records(unit, period: Period) -> bool:
    from youthwork.ledgers import all_ledgers

    return any(
        ledger.model._default_manager.filter(
            unit__path__startswith=unit.path, date__gte=period.start, date__lte=period.end
        ).exists()
        for ledger in all_ledgers()
    )


@transaction.atomic
def move(user, unit, period: Period, action: str, *, reason: str = "", no_records: bool = False) -> Submission:
    """Make one move of the unit's quarter; Refused (with the Chinese reason) when it may not be made."""
    if period.kind != "quarter":
        raise Refused(f"报送按季度进行,“{period.label}”不是一个季度")
    reason = (reason or "").strip()
    if action == Action.RETURN and not reason:
        raise Refused("请填写退回原因,以便报送单位修改")
    freeze(unit)  # writes of the subtree under way finish first; later ones wait, then find the lock
    submission = Submission.objects.select_for_update().filter(unit=unit, period_start=period.start).first()
    if message := _refusal(user, unit, period, action, state_of(submission)):
        raise Refused(message)
    if action in (Action.WITHDRAW, Action.RETURN) and (above := _locking_ancestor(unit, period)):
        # The ancestor's submission covers this unit's records too: reopening only this one would change nothing.
        raise Refused(
            f"上级单位“{above.unit}”{above.state}{period.label}的数据(含“{unit}”),"
            f"“{unit}”的记录仍不能修改;请先撤回或退回“{above.unit}”的报送"
        )
    if action == Action.SUBMIT and not no_records and not has_records(unit, period):
        raise Refused(f"“{unit}”{period.label}没有台账记录;如确实没有,请勾选“本季度无台账记录”后再报送")
    if submission is None:
        submission = Submission(unit=unit, period_code=period.code, period_start=period.start, period_end=period.end)
    now = timezone.now()
    if action == Action.SUBMIT:
        submission.state = State.SUBMITTED
        submission.no_records = no_records and not has_records(unit, period)
        submission.submitted_at, submission.submitted_by = now, user
        submission.first_submitted_at = submission.first_submitted_at or now
        submission.reviewed_at = submission.reviewed_by = None
    elif action == Action.WITHDRAW:
        submission.state = State.NOT_SUBMITTED
    elif action == Action.APPROVE:
        submission.state = State.APPROVED
        submission.reviewed_at, submission.reviewed_by = now, user
        submission.return_reason = ""
    else:
        submission.state = State.RETURNED
        submission.reviewed_at, submission.reviewed_by = now, user
        submission.return_reason = reason
    submission.save()
    submission.events.create(action=action, state=submission.state, user=user, at=now, note=reason)
    _hold_lock(submission)
    return submission


def _locking_ancestor(unit, period: Period) -> Submission | None:
    """The submission of an ancestor of the unit that holds the quarter's records locked (已报送 or 已通过)."""
    above = unit.lineage[:-1]
    return (
        Submission.objects.filter(unit__in=above, period_start=period.start, state__in=Submission.LOCKING)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )


def _hold_lock(submission: Submission) -> None:
    """The submission's PeriodLock follows its state: one while 已报送 or 已通过 (reason up to date), none else."""
    submission.period_locks.all().delete()
    if submission.state in Submission.LOCKING:
        submission.period_locks.create(
            unit=submission.unit,
            start=submission.period_start,
            end=submission.period_end,
            reason=submission.lock_reason,
        )

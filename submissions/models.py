"""报送与审核: each unit signs off its quarter (报送), an ancestor's 管理员 reviews it (审核通过 / 退回).

A submission of a unit and quarter moves 未报送 -> 已报送 -> 已通过, or -> 已退回 (with a reason) ->
已报送 again; 撤回报送 takes an unreviewed submission back to 未报送. Every move is a SubmissionEvent
(who, when, why). While a submission is 已报送 or 已通过 it holds a PeriodLock over its unit's subtree and
quarter, like a final report's (youthwork.locks): no path may write those records until it is withdrawn
or returned. The moves themselves are in submissions/services.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone

from youthwork.models import PeriodLock, Unit, User
from youthwork.periods import Period


def deadline_of(period: Period) -> dt.date:
    """The last day a quarter's submission is on time: SUBMISSION_DEADLINE_DAYS after the quarter's end."""
    return period.end + dt.timedelta(days=settings.SUBMISSION_DEADLINE_DAYS)


class Submission(models.Model):
    class State(models.TextChoices):
        NOT_SUBMITTED = "未报送", "未报送"
        SUBMITTED = "已报送", "已报送"
        APPROVED = "已通过", "已通过"
        RETURNED = "已退回", "已退回"

    LOCKING = (State.SUBMITTED, State.APPROVED)

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    period_code = models.CharField("季度", max_length=8)
    period_start = models.DateField("开始日期", editable=False)
    period_end = models.DateField("结束日期", editable=False)
    state = models.CharField("状态", max_length=4, choices=State.choices, default=State.NOT_SUBMITTED)
    no_records = models.BooleanField("本季度无台账记录", default=False)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField("退回原因", blank=True)

    # The lock a submitted or approved quarter holds over the unit's subtree (deleted at 撤回 / 退回).
    period_locks = GenericRelation(PeriodLock)

    class Meta:
        verbose_name = "季度报送"
        verbose_name_plural = "季度报送"
        ordering = ["-period_start", "unit__path"]
        default_permissions = ("view",)
        permissions = [
            ("submit_submission", "可以报送本单位的季度数据"),
            ("review_submission", "可以审核下级单位报送的季度数据"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start"],
                name="submission_one_per_unit_and_quarter",
                violation_error_message="该单位在这个季度已有报送记录",
            ),
        ]
        indexes = [models.Index(fields=["period_start", "state"], name="submission_period_state")]

    def __str__(self) -> str:
        return f"{self.unit}{self.period.label}报送"

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)

    @property
    def deadline(self) -> dt.date:
        return deadline_of(self.period)

    def is_late(self, today: dt.date | None = None) -> bool:
        """逾期: first submitted after the deadline, or not submitted and the deadline has passed."""
        if self.first_submitted_at is not None:
            return timezone.localdate(self.first_submitted_at) > self.deadline
        return (today or timezone.localdate()) > self.deadline

    @property
    def lock_reason(self) -> str:
        period = self.period
        how = "如需修改请先撤回报送" if self.state == self.State.SUBMITTED else "如需修改请联系审核单位退回"
        return (
            f"“{self.unit}”{period.label}的数据{self.state},"
            f"{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}的记录不能修改;{how}"
        )

    def get_absolute_url(self) -> str:
        return reverse("submissions:detail", args=[self.unit_id, self.period_code])


class SubmissionEvent(models.Model):
    """One change of a submission's state: who, when, why."""

    class Action(models.TextChoices):
        SUBMIT = "报送", "报送"
        WITHDRAW = "撤回报送", "撤回报送"
        APPROVE = "审核通过", "审核通过"
        RETURN = "退回", "退回"

    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=8, choices=Action.choices)
    state = models.CharField("操作后状态", max_length=4, choices=Submission.State.choices)
    user = models.ForeignKey(User, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报送记录"
        ordering = ["at", "id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.submission} {self.action}"


class CheckedFlag(models.Model):
    """A warning of the figure checks (submissions/checks.py) marked 已核实, with a note.

    `key` names the warning (check, ledger, record and column); a warning whose key is here shows as checked.
    """

    period_start = models.DateField("季度开始日期")
    key = models.CharField("提示", max_length=200)
    note = models.TextField("说明", blank=True)
    checked_by = models.ForeignKey(
        User, verbose_name="核实人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField("核实时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "已核实的数据提示"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["period_start", "key"], name="checkedflag_one_per_key")]

    def __str__(self) -> str:
        return self.key

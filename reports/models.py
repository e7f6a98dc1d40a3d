"""The work-status report: a period, a unit (with its descendants) and the text editors write.

The figures are never typed: they are computed from the ledgers when the report is built (see
reports/builder.py). When the report is finalised (定稿) its figures, its document and both files are
stored here, so later downloads return the same bytes whatever happens to the data, and the records
of its period and scope are locked by the report's PeriodLock (youthwork.models, checked by
youthwork/locks.py) until a city 管理员 reopens it (退回), which deletes the lock.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from youthwork.models import PeriodLock, Unit, User
from youthwork.periods import Period, PeriodError


def lock_reason(name: str, start, end) -> str:
    """The refusal a final report's lock shows (shared with the migration that locks existing reports)."""
    return f"“{name}”已定稿,{start:%Y-%m-%d}至{end:%Y-%m-%d}的记录不能再修改;如需修改请联系市级管理员退回定稿"


def report_file_name(unit_name: str, period: Period, extension: str, draft: bool) -> str:
    suffix = "工作情况报告附表" if extension == "xlsx" else "工作情况报告"
    return f"{unit_name}{period.label}{suffix}{'(草稿)' if draft else ''}.{extension}"


class WorkReportQuerySet(models.QuerySet):
    def finalised(self):
        return self.filter(status=WorkReport.Status.FINAL)

    def without_files(self):
        """Reports without their frozen files loaded (for lists)."""
        return self.defer("frozen_docx", "frozen_xlsx", "frozen_figures", "frozen_document")


class WorkReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "草稿", "草稿"
        FINAL = "定稿", "定稿"

    DEFAULT_TITLE = "关于未成年人保护和预防未成年人违法犯罪专项行动的工作情况报告"

    title = models.CharField(
        "标题",
        max_length=200,
        default=DEFAULT_TITLE,
        help_text="标题较长时会在词语之间自动换行;也可以用空格标出换行的位置",
    )
    unit = models.ForeignKey(Unit, verbose_name="报告单位", on_delete=models.PROTECT, related_name="reports")
    period_code = models.CharField(
        "期间", max_length=32, help_text="例如 2023Q2、2023H1、2023 或 2023-04-01:2023-06-30"
    )
    period_start = models.DateField("开始日期", editable=False)
    period_end = models.DateField("结束日期", editable=False)
    status = models.CharField("状态", max_length=4, choices=Status.choices, default=Status.DRAFT)

    opening = models.TextField("开头段落", blank=True, help_text="“一、当前工作开展情况”之前的段落")
    highlight = models.TextField(
        "工作亮点",
        blank=True,
        help_text="接在由数据生成的“希望家园”内容之后;以“三是……”开头时接续前面的“一是”“二是”",
    )
    signing_unit = models.CharField("落款单位", max_length=100, blank=True, help_text="留空则用报告单位的名称")
    signing_date = models.DateField("成文日期", null=True, blank=True, help_text="留空则用生成报告的当天")

    frozen_figures = models.JSONField("定稿数据", null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    frozen_document = models.JSONField("定稿正文", null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    frozen_docx = models.BinaryField("定稿Word文件", null=True, blank=True, editable=False)
    frozen_xlsx = models.BinaryField("定稿Excel附表", null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        User, verbose_name="定稿人", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="创建人", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True, null=True)

    # The lock a final report holds over its period and scope (deleted at 退回, or with the report).
    period_locks = GenericRelation(PeriodLock)

    objects = WorkReportQuerySet.as_manager()

    class Meta:
        verbose_name = "工作报告"
        verbose_name_plural = "工作报告"
        ordering = ["-period_end", "unit__path"]
        permissions = [
            ("finalise_workreport", "可以定稿和退回工作报告"),
            ("reopen_workreport", "可以退回定稿的工作报告(仅限市级)"),
        ]
        indexes = [models.Index(fields=["status", "period_start", "period_end"], name="workreport_status_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"],
                name="workreport_one_per_unit_and_period",
                violation_error_message="该单位在这个期间已有工作报告",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}{self.period_label}{self.title}"

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def lock_reason(self) -> str:
        """Why the records of a final report's period and scope are refused (its PeriodLock's reason)."""
        return lock_reason(str(self), self.period_start, self.period_end)

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def clean(self):
        super().clean()
        try:
            period = Period.parse(self.period_code)
        except PeriodError as error:
            raise ValidationError(str(error)) from error
        self.period_code, self.period_start, self.period_end = period.code, period.start, period.end
        if self.unit_id:
            others = WorkReport.objects.filter(unit_id=self.unit_id, period_start=period.start, period_end=period.end)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(f"{self.unit}{period.label}已有工作报告")

    def save(self, *args, **kwargs):
        period = self.period
        self.period_code, self.period_start, self.period_end = period.code, period.start, period.end
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._hold_lock()

    def _hold_lock(self) -> None:
        """The report's PeriodLock follows its status: one while it is final (its reason up to date), none else."""
        self.period_locks.all().delete()
        if self.is_final:
            self.period_locks.create(
                unit=self.unit, start=self.period_start, end=self.period_end, reason=self.lock_reason
            )

    def file_name(self, extension: str) -> str:
        """The download's file name: 团市委2023年第二季度工作情况报告.docx, …工作情况报告附表.xlsx;
        a report not yet final says so: 团市委2023年第二季度工作情况报告(草稿).docx."""
        return report_file_name(self.unit.name, self.period, extension, draft=not self.is_final)

    @transaction.atomic
    def finalise(self, user) -> None:
        """定稿: build from the current data and store figures, document and both files; lock the period.

        The units of the report's subtree are locked first (youthwork.locks.freeze): writes already
        under way finish and are counted, later ones wait and are then refused by the final report.
        """
        from reports.builder import build_outputs
        from youthwork.locks import freeze

        freeze(self.unit)
        self.signing_date = self.signing_date or timezone.localdate()
        outputs = build_outputs(self.period, self.unit, report=self)
        self.frozen_figures = outputs.figures
        self.frozen_document = outputs.document.to_dict()
        self.frozen_docx = outputs.docx
        self.frozen_xlsx = outputs.xlsx
        self.status = self.Status.FINAL
        self.finalised_by = user
        self.finalised_at = timezone.now()
        self.save()  # creates the report's PeriodLock, in this transaction, after the freeze

    @transaction.atomic
    def reopen(self) -> None:
        """退回: back to 草稿; the stored files are dropped and the period's records may change again."""
        self.status = self.Status.DRAFT
        self.frozen_figures = self.frozen_document = self.frozen_docx = self.frozen_xlsx = None
        self.finalised_by = self.finalised_at = None
        self.save()  # deletes the report's PeriodLock


class ReportItem(models.Model):
    """One numbered item of a report: a heading ((一)活动开展不多) and its text."""

    order = models.PositiveSmallIntegerField("序号", default=0)
    heading = models.CharField("小标题", max_length=100)
    text = models.TextField("内容", blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.heading


class ProblemItem(ReportItem):
    report = models.ForeignKey(WorkReport, verbose_name="工作报告", on_delete=models.CASCADE, related_name="problems")

    class Meta(ReportItem.Meta):
        verbose_name = verbose_name_plural = "存在的主要问题"


class PlanItem(ReportItem):
    report = models.ForeignKey(WorkReport, verbose_name="工作报告", on_delete=models.CASCADE, related_name="plans")

    class Meta(ReportItem.Meta):
        verbose_name = verbose_name_plural = "下一步工作打算"

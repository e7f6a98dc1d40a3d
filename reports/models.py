"""The work-status report: a period, a unit (with its descendants) and the text editors write."""

from django.db import models

from youthwork.models import Unit
from youthwork.periods import Period


class WorkReportQuerySet(models.QuerySet):
    def finalised(self):
        return self.filter(status=WorkReport.Status.FINAL)


class WorkReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "草稿", "草稿"
        FINAL = "定稿", "定稿"

    DEFAULT_TITLE = "关于未成年人保护和预防未成年人违法犯罪专项行动的工作情况报告"

    title = models.CharField("标题", max_length=200, default=DEFAULT_TITLE)
    unit = models.ForeignKey(Unit, verbose_name="报告单位", on_delete=models.PROTECT, related_name="reports")
    period_code = models.CharField(
        "期间", max_length=32, help_text="例如 2023Q2、2023H1、2023 或 2023-04-01:2023-06-30"
    )
    period_start = models.DateField("开始日期", editable=False)
    period_end = models.DateField("结束日期", editable=False)
    status = models.CharField("状态", max_length=4, choices=Status.choices, default=Status.DRAFT)

    objects = WorkReportQuerySet.as_manager()

    class Meta:
        verbose_name = "工作报告"
        verbose_name_plural = "工作报告"
        ordering = ["-period_end", "unit__path"]
        permissions = [("finalise_workreport", "可以定稿和退回工作报告")]
        indexes = [models.Index(fields=["status", "period_start", "period_end"], name="workreport_status_period")]

    def __str__(self) -> str:
        return f"{self.unit}{self.period_label}{self.title}"

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)

    @property
    def period_label(self) -> str:
        return self.period.label

    def save(self, *args, **kwargs):
        period = self.period
        self.period_code, self.period_start, self.period_end = period.code, period.start, period.end
        super().save(*args, **kwargs)

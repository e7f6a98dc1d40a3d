from django.db import migrations

from reports.models import lock_reason
from youthwork.periods import Period


def lock_final_reports(apps, schema_editor):
    """Give every report already final its PeriodLock, as WorkReport.finalise now does."""
    WorkReport = apps.get_model("reports", "WorkReport")
    PeriodLock = apps.get_model("youthwork", "PeriodLock")
    ContentType = apps.get_model("contenttypes", "ContentType")
    report_type, _created = ContentType.objects.get_or_create(app_label="reports", model="workreport")
    for report in WorkReport.objects.filter(status="定稿").select_related("unit").order_by("pk"):
        # str(WorkReport): unit, period label and title (the historical model has no __str__).
        name = f"{report.unit.name}{Period.parse(report.period_code).label}{report.title}"
        PeriodLock.objects.get_or_create(
            content_type=report_type,
            object_id=report.pk,
            defaults={
                "unit_id": report.unit_id,
                "start": report.period_start,
                "end": report.period_end,
                "reason": lock_reason(name, report.period_start, report.period_end),
            },
        )


def unlock_reports(apps, schema_editor):
    PeriodLock = apps.get_model("youthwork", "PeriodLock")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PeriodLock.objects.filter(
        content_type__in=ContentType.objects.filter(app_label="reports", model="workreport")
    ).delete()


class Migration(migrations.Migration):
    """Final reports lock their period through a PeriodLock now (youthwork.locks reads nothing else)."""

    dependencies = [
        ("reports", "0003_roles"),
        ("youthwork", "0009_period_lock"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(lock_final_reports, unlock_reports)]

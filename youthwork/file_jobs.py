"""Files built in the background: admin exports and report files of more than JOB_ROWS_THRESHOLD rows.

The request stores what to build (a youthwork.models.FileJob: the builder's dotted path, its parameters, for
an export the changelist's query) and returns at once with the job's page (youthwork.job_views), which shows
the progress and then offers the file. The worker calls the builder as the job's user: `builder(job,
progress) -> (content, file name, content type)`; a builder asks the user's permissions again (they may
have changed since), so the file holds what the user may read when it is built.
"""

from __future__ import annotations

import pickle

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from youthwork import jobs
from youthwork.models import FileJob


class Refused(Exception):
    """The job's user may no longer have this file (the message says why)."""


@task()
def file_job(job_id: int) -> None:
    jobs.run(FileJob, job_id, _build)


def _build(claimed: jobs.Claimed) -> None:
    job: FileJob = claimed.job
    if job.user is None or not job.user.is_active:
        claimed.fail("发起这个任务的用户已停用")
        return
    try:
        content, file_name, content_type = import_string(job.builder)(job, claimed.progress)
    except Refused as exc:
        claimed.fail(str(exc))
        return
    claimed.succeed(content=content, file_name=file_name, content_type=content_type)


def purge() -> None:
    cutoff = timezone.now() - timezone.timedelta(days=settings.JOB_FILE_KEEP_DAYS)
    FileJob.objects.filter(created_at__lt=cutoff).exclude(status__in=jobs.ACTIVE).delete()


def start_file_job(user, title: str, builder: str, params: dict, query=None) -> FileJob:
    """Store and queue a file job; its page is job_page(job)."""
    purge()
    job = FileJob.objects.create(
        user=user,
        unit=getattr(user, "unit", None),
        title=title[:200],
        builder=builder,
        params=params,
        query=pickle.dumps(query) if query is not None else None,
    )
    jobs.start(job, file_job)
    return job


def job_page(job: FileJob) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("file_job", args=[job.pk]))


def is_large(rows: int) -> bool:
    return rows > settings.JOB_ROWS_THRESHOLD

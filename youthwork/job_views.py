"""The page of a file job (a large export, a report file): its progress, then the file (youthwork.file_jobs).

A job's file holds what its user could read: the page and the file are that user's only (404 for anyone else).
"""


from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from youthwork import file_jobs, jobs
from youthwork.downloads import XLSX_CONTENT_TYPE, attachment
from youthwork.models import FileJob, Job


def _job(request, pk) -> FileJob:
    jobs.mark_stale(FileJob.objects.filter(pk=pk))
    job = FileJob.objects.filter(pk=pk, user_id=request.user.pk).defer("content", "query").first()
    if job is None:
        raise Http404("任务不存在")
    return job


def progress_data(job: Job) -> dict:
    state = job.progress or {}
    done, total = state.get("done") or 0, state.get("total") or 0
    unknown = jobs.progress_unknown(job)
    if unknown:
        text = unknown
    elif not state:
        text = "等待后台处理…"
    else:
        where = f"{state['sheet']}:" if state.get("sheet") else ""
        text = f"{where}{state.get('phase', '处理')} {done:,} / {total:,} 行" if total else state.get("phase", "")
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "indeterminate": unknown is not None,
        "finished": job.finished,
        "done": done,
        "total": total,
        "text": text,
    }


def file_job(request, pk):
    job = _job(request, pk)
    return render(request, "jobs/file_job.html", {"job": job, "progress": progress_data(job)})


def file_job_progress(request, pk):
    return JsonResponse(progress_data(_job(request, pk)))


@require_POST
def file_job_retry(request, pk):
    job = _job(request, pk)
    if not jobs.retry(job, file_jobs.file_job):
        messages.error(request, "只有失败的任务可以重试")
    return HttpResponseRedirect(reverse("file_job", args=[job.pk]))


def file_job_download(request, pk):
    job = _job(request, pk)
    if job.status != Job.Status.DONE:
        raise Http404("文件还没有生成")
    content = FileJob.objects.values_list("content", flat=True).get(pk=job.pk)
    return attachment(bytes(content), job.file_name, job.content_type or XLSX_CONTENT_TYPE)

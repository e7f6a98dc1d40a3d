"""Job pages and 导入记录 in the admin.

- An import's page (/admin/youthwork/importrecord/<id>/): while its job runs, a progress bar that
  static/youthwork/jobs.js updates from `progress/` (JSON) without reloading; then the result: the
  per-sheet counts (sheets without rows on one line), the first errors with their total, the error workbook,
  确认导入 after a clean check, 重试 after a failure, 撤销 after an import, the original file.
- 导入记录 (/admin/youthwork/importrecord/): every import of the user's units (youthwork.access.scope over
  the uploader's unit), who, when, which file, the counts, the status, how long it took.

Confirming and retrying an upload is its uploader's only; 撤销 needs the import permission of its sheets;
the original file and the error workbook (which hold the uploaded personal columns) are the uploader's
and of those who may read the personal columns of every sheet of the import (youthwork.privacy).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from youthwork import access, file_jobs, import_runs, jobs, privacy
from youthwork.access import may_import
from youthwork.admin.importing import ImportPagesAdmin
from youthwork.downloads import XLSX_CONTENT_TYPE, attachment
from youthwork.ledgers import all_sheets, get_sheet
from youthwork.models import ImportRecord, ImportUndo, ImportUpload, Job

try:  # django-tasks-db's own admin page of its queue is English and shows task arguments: ours show the jobs
    from django_tasks_db.models import DBTaskResult

    admin.site.unregister(DBTaskResult)
except admin.sites.NotRegistered:
    pass


def undo_of(upload: ImportUpload) -> ImportUndo | None:
    """The 撤销 job of an import, if one was ever started."""
    try:
        return upload.undo_job
    except ObjectDoesNotExist:
        return None


def status_label(upload: ImportUpload) -> str:
    """The state of an import as 导入记录 names it."""
    Status = Job.Status
    if upload.undone_at is not None:
        return "已撤销"
    undo = undo_of(upload)
    if undo is not None and undo.status in jobs.ACTIVE:
        return "撤销排队中" if undo.status == Status.QUEUED else "撤销中"
    checking = upload.stage == ImportUpload.Stage.CHECK
    if upload.status in (Status.QUEUED, Status.RUNNING):
        return ("检查" if checking else "导入") + ("排队中" if upload.status == Status.QUEUED else "中")
    if upload.status == Status.FAILED:
        return "失败"
    if checking:
        return "检查通过,待确认导入" if upload.result.get("ok") and upload.result.get("sheets") else "检查发现错误"
    return "已导入" if upload.result.get("written") else "有错误,未导入"


def counts_text(upload: ImportUpload) -> str:
    parts = []
    for sheet in upload.result.get("sheets", []):
        if sheet["rows"]:
            parts.append(
                f"{sheet['name']}: 新增 {sheet['created']}, 更新 {sheet['updated']}, "
                f"未变 {sheet['unchanged']}, 错误 {sheet['error_rows']}"
            )
        else:
            parts.append(f"{sheet['name']}: 没有数据行")
    return ";".join(parts)


def duration_text(job: Job) -> str:
    duration = job.duration
    if duration is None:
        return ""
    seconds = duration.total_seconds()
    return f"{seconds:.1f}秒" if seconds < 60 else f"{int(seconds // 60)}分{int(seconds % 60)}秒"


def reads_file(user, upload) -> bool:
    """Whether `user` may download an import's workbook or its error workbook: its uploader, or whoever may read
    the personal columns of every sheet (the file may hold any sheet, recognised or not)."""
    if upload.user_id is not None and upload.user_id == user.pk:
        return True
    return all(privacy.may_read_personal(user, sheet) for sheet in all_sheets())


ERROR_WORKBOOK_BUILDER = "youthwork.admin.jobs.error_workbook_file"


def error_workbook_file(job, progress) -> tuple[bytes, str, str]:
    """The file job of a large import's error workbook (youthwork.file_jobs), as the job's user may read it now."""
    user = job.user
    upload = access.scope(ImportUpload.objects.all(), user).filter(pk=job.params["upload"]).first()
    if upload is None or not may_import(user) or not reads_file(user, upload):
        raise file_jobs.Refused("这次导入已不在您的管理范围内,或您已没有下载它的权限")
    content = import_runs.error_workbook(upload, progress=progress)
    return content, job.params["file_name"], XLSX_CONTENT_TYPE


def progress_of(job: Job) -> dict:
    state = job.progress or {}
    done, total = state.get("done") or 0, state.get("total") or 0
    if isinstance(job, ImportUpload):
        label = status_label(job)
    elif isinstance(job, ImportUndo):
        running = {Job.Status.QUEUED: "撤销排队中", Job.Status.RUNNING: "撤销中"}
        label = running.get(job.status, job.get_status_display())
    else:
        label = job.get_status_display()
    unknown = jobs.progress_unknown(job)
    return {
        "status": job.status,
        "label": label,
        "indeterminate": unknown is not None,
        "finished": job.finished,
        "sheet": state.get("sheet", ""),
        "phase": state.get("phase", ""),
        "done": done,
        "total": total,
        "text": unknown or _progress_text(state),
    }


def _progress_text(state: dict) -> str:
    if not state:
        return "等待后台处理…"
    done, total = state.get("done") or 0, state.get("total")
    where = f"工作表 {state['sheet']}:" if state.get("sheet") else ""
    count = f"{done:,} / {total:,} 行" if total else f"{done:,} 行"
    return f"{where}{state.get('phase', '处理')} {count}"


@admin.register(ImportRecord)
class ImportRecordAdmin(ImportPagesAdmin):
    list_display = ["created_at", "who", "file", "kind", "counts", "state", "took"]
    list_display_links = None
    list_per_page = 50
    search_fields = ["file_name"]

    def visible_jobs(self, request):
        if not may_import(request.user):
            raise PermissionDenied
        return access.scope(ImportUpload.objects.all(), request.user)

    def job_or_404(self, request, pk):
        """The import (and its 撤销) the user may see, its state brought up to date; 404 otherwise."""
        jobs.mark_stale(self.model.objects.filter(pk=pk))
        jobs.mark_stale(ImportUndo.objects.filter(upload_id=pk))
        try:
            return self.visible_jobs(request).get(pk=pk)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404("任务不存在,或不在您的管理范围内") from exc

    def progress_view(self, request, pk):
        return JsonResponse(progress_of(self.job_or_404(request, pk)))

    def render_page(self, request, template, context):
        context.update(self.admin_site.each_context(request), opts=self.model._meta)
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    def get_queryset(self, request):
        uploads = access.scope(ImportRecord.objects.all(), request.user)
        # Only uploads that became jobs (django-import-export's own waiting uploads never ran one).
        uploads = uploads.filter(Q(attempts__gt=0) | Q(status__in=jobs.ACTIVE))
        return uploads.select_related("user", "undo_job").defer("content", "errors")

    @admin.display(description="导入人")
    def who(self, obj):
        return str(obj.user) if obj.user else "已删除的用户"

    @admin.display(description="文件")
    def file(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:youthwork_importrecord_job", args=[obj.pk]), obj)

    @admin.display(description="范围")
    def kind(self, obj):
        return f"工作表“{obj.sheet}”" if obj.sheet else "工作簿"

    @admin.display(description="各工作表")
    def counts(self, obj):
        return counts_text(obj)

    @admin.display(description="状态")
    def state(self, obj):
        return status_label(obj)

    @admin.display(description="用时")
    def took(self, obj):
        return duration_text(obj)

    def changelist_view(self, request, extra_context=None):
        uploads = access.scope(ImportUpload.objects.all(), request.user)
        jobs.mark_stale(uploads)
        jobs.mark_stale(ImportUndo.objects.filter(upload__in=uploads))
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/", view(self.job_view), name="youthwork_importrecord_job"),
            path("<int:pk>/progress/", view(self.progress_view), name="youthwork_importrecord_progress"),
            path("<int:pk>/confirm/", view(require_POST(self.confirm_view)), name="youthwork_importrecord_confirm"),
            path("<int:pk>/retry/", view(require_POST(self.retry_view)), name="youthwork_importrecord_retry"),
            path("<int:pk>/undo/", view(require_POST(self.undo_view)), name="youthwork_importrecord_undo"),
            path("<int:pk>/undo/progress/", view(self.undo_progress_view), name="youthwork_importrecord_undo_progress"),
            path("<int:pk>/file/", view(self.file_view), name="youthwork_importrecord_file"),
            path("<int:pk>/errors/", view(self.errors_view), name="youthwork_importrecord_errors"),
            path("", view(self.changelist_view), name="youthwork_importrecord_changelist"),
        ]

    # permissions on one import

    def is_uploader(self, request, upload) -> bool:
        return upload.user_id is not None and upload.user_id == request.user.pk

    def may_read_file(self, request, upload) -> bool:
        return reads_file(request.user, upload)

    def may_undo(self, request, upload) -> bool:
        names = [sheet["name"] for sheet in upload.result.get("sheets", []) if sheet["created"] or sheet["updated"]]
        return bool(names) and all(request.user.has_perm(get_sheet(name).perm("import")) for name in names)

    # pages

    def job_view(self, request, pk):
        upload = self.job_or_404(request, pk)
        undo = undo_of(upload)
        result = upload.result or {}
        sheets_with_rows = [sheet for sheet in result.get("sheets", []) if sheet["rows"]]
        empty = [sheet["name"] for sheet in result.get("sheets", []) if not sheet["rows"]]
        links = []
        if result.get("written"):
            for sheet in sheets_with_rows:
                model = get_sheet(sheet["name"]).model
                if sheet["created"] or sheet["updated"]:
                    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                    links.append((sheet["name"], url))
        context = {
            "title": f"导入记录:{upload}",
            "upload": upload,
            "status_label": status_label(upload),
            "progress": progress_of(upload),
            "result": result,
            "sheets_with_rows": sheets_with_rows,
            "empty_sheets": empty,
            "more_errors": max(result.get("error_count", 0) - len(result.get("errors", [])), 0),
            "links": links,
            "is_uploader": self.is_uploader(request, upload),
            "may_read_file": self.may_read_file(request, upload),
            "may_confirm": self.is_uploader(request, upload)
            and upload.stage == ImportUpload.Stage.CHECK
            and upload.status == Job.Status.DONE
            and result.get("ok")
            and bool(result.get("sheets")),
            "undo": undo,
            "undo_progress": progress_of(undo) if undo is not None else None,
            "may_undo": upload.undone_at is None
            and import_runs.undo_refusal(upload) is None
            and (undo is None or undo.status not in jobs.ACTIVE)
            and self.may_undo(request, upload),
            "duration": duration_text(upload),
        }
        return self.render_page(request, "admin/youthwork/import_job.html", context)

    def _own(self, request, pk) -> ImportUpload:
        upload = self.job_or_404(request, pk)
        if not self.is_uploader(request, upload):
            raise PermissionDenied
        return upload

    def confirm_view(self, request, pk):
        upload = self._own(request, pk)
        claimed = ImportUpload.objects.filter(
            pk=upload.pk, stage=ImportUpload.Stage.CHECK, status=Job.Status.DONE
        ).update(stage=ImportUpload.Stage.IMPORT, status=Job.Status.QUEUED)
        if not claimed or not upload.result.get("ok"):
            messages.error(request, "这个工作簿已经确认导入,或检查没有通过,不能再次确认")
        else:
            upload.refresh_from_db()
            jobs.start(upload, import_runs.import_job)
        return HttpResponseRedirect(reverse("admin:youthwork_importrecord_job", args=[upload.pk]))

    def retry_view(self, request, pk):
        upload = self._own(request, pk)
        if not jobs.retry(upload, import_runs.import_job):
            messages.error(request, "只有失败的任务可以重试")
        return HttpResponseRedirect(reverse("admin:youthwork_importrecord_job", args=[upload.pk]))

    def undo_view(self, request, pk):
        """Start the 撤销 job (the job page then shows its progress); with a worker that ran it at once (the
        tests' immediate backend), say how it ended."""
        upload = self.job_or_404(request, pk)
        if not self.may_undo(request, upload):
            raise PermissionDenied
        undo, message = import_runs.start_undo(upload, request.user)
        if message:
            messages.error(request, message)
        elif undo.status == Job.Status.DONE:
            messages.success(request, f"已撤销“{upload}”的导入:导入新增的记录已删除,修改的记录已恢复")
        elif undo.status == Job.Status.FAILED:
            messages.error(request, undo.failure)
        return HttpResponseRedirect(reverse("admin:youthwork_importrecord_job", args=[upload.pk]))

    def undo_progress_view(self, request, pk):
        undo = undo_of(self.job_or_404(request, pk))
        if undo is None:
            raise Http404("这次导入没有撤销")
        return JsonResponse(progress_of(undo))

    def file_view(self, request, pk):
        upload = self.job_or_404(request, pk)
        if not self.may_read_file(request, upload):
            raise PermissionDenied
        return attachment(bytes(upload.content), upload.file_name or "导入工作簿.xlsx")

    def errors_view(self, request, pk):
        upload = self.job_or_404(request, pk)
        if not self.may_read_file(request, upload):
            raise PermissionDenied
        if not upload.errors:
            raise Http404("这次导入没有错误")
        name = (upload.file_name or "导入工作簿").removesuffix(".xlsx") + "-错误.xlsx"
        rows = sum(sheet.get("rows") or 0 for sheet in (upload.result or {}).get("sheets", []))
        if file_jobs.is_large(rows):
            # Every row of the upload rewritten (18 s for 240,000 rows): built by a job, offered on its page.
            params = {"upload": upload.pk, "file_name": name, "rows": rows}
            job = file_jobs.start_file_job(request.user, f"错误工作簿:{upload}", ERROR_WORKBOOK_BUILDER, params)
            return file_jobs.job_page(job)
        return attachment(import_runs.error_workbook(upload), name)



"""Import and export in the admin: per sheet through django-import-export, and the `导入工作簿` page.

Both run the one engine (youthwork.importing.engine), so the admin shows the same checks and the same
Chinese messages as `manage.py import_workbook`. An upload is stored in the database
(youthwork.ImportUpload, never a local folder) and checked, then imported, by background jobs
(youthwork.import_runs); the request returns at once with the job's page (youthwork.admin.jobs), which
shows the progress, the result, 确认导入, and stays in 导入记录. A large export runs as a job too
(youthwork.file_jobs).
"""

from __future__ import annotations

import contextvars
import pickle
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from youthwork import access, file_jobs, import_runs
from youthwork.admin.resources import DatabaseStorage, format_for, resource_for
from youthwork.downloads import XLSX_CONTENT_TYPE, attachment, name_file
from youthwork.importing.engine import WorkbookUnreadable
from youthwork.ledgers import get_sheet
from youthwork.models import ImportUpload
from youthwork.spreadsheets import check_container, max_upload_bytes
from youthwork.workbooks import blank_template


def start_check(request, upload, sheet_name: str = "") -> HttpResponseRedirect | None:
    """Store an uploaded file and start its check (a background job): the job page, or None when the
    file is not an .xlsx workbook at all (the caller shows why: WorkbookUnreadable)."""
    data = b"".join(upload.chunks())
    check_container(data)  # the cheap checks; the job reads the rest
    stored = ImportUpload.store(data, upload.name, request.user, sheet=sheet_name)
    import_runs.start(stored, ImportUpload.Stage.CHECK)
    return HttpResponseRedirect(reverse("admin:youthwork_importrecord_job", args=[stored.pk]))


def _check_size(upload):
    if upload is not None and upload.size > max_upload_bytes():
        raise forms.ValidationError(f"文件超过{settings.IMPORT_MAX_MEGABYTES}MB的上限,请分成几个工作簿上传")
    return upload


# The user whose import request is being served. django-import-export creates its temporary storage
# without the request (get_tmp_storage_class_kwargs takes none), and the storage needs the uploader.
_uploader = contextvars.ContextVar("import_uploader")


@contextmanager
def _serving(request):
    token = _uploader.set(request.user)
    try:
        yield
    finally:
        _uploader.reset(token)


class SheetImportForm(ImportForm):
    def clean_import_file(self):
        return _check_size(self.cleaned_data.get("import_file"))


class SheetExportForm(SelectableFieldsExportForm):
    """The export page's column boxes labelled with the sheet's Chinese headers (not `Unit (填报单位)`)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class SheetImportExportMixin(ImportExportMixin):
    """Import and export (XLSX) of one sheet on its generated resource, with the import/export permissions."""

    import_template_name = "admin/youthwork/sheet_import.html"
    import_form_class = SheetImportForm
    export_form_class = SheetExportForm
    tmp_storage_class = DatabaseStorage
    skip_admin_log = True  # every record names who created and changed it

    @property
    def sheet(self):
        return get_sheet(self.model)

    @property
    def import_formats(self):
        return [format_for(self.sheet)]

    @property
    def export_formats(self):
        return [format_for(self.sheet)]

    def get_resource_classes(self, request):
        return [resource_for(self.sheet)]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        # The export is the change list's queryset, built from the same address and the same filters
        # (youthwork.admin.lookups); a parameter that is not one of its filters or a filter value it cannot
        # read is a 400 saying so, not a 500.
        self.check_parameters(request)
        try:
            return super().get_export_queryset(request)
        except (IncorrectLookupParameters, ValueError, OverflowError) as exc:
            raise BadRequest("网址中的筛选条件无效,请返回列表重新筛选后再导出") from exc

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookUnreadable):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", "无法读取文件,请上传.xlsx格式的Excel工作簿")

    def get_tmp_storage_class_kwargs(self):
        return {"user": _uploader.get()}  # DatabaseStorage keeps each upload for its uploader only

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                try:
                    return start_check(request, form.cleaned_data["import_file"], self.sheet.name)
                except WorkbookUnreadable:
                    pass  # django-import-export's own view reads it again and shows why
        with _serving(request):
            return super().import_action(request, **kwargs)

    def export_action(self, request, **kwargs):
        # More rows than JOB_ROWS_THRESHOLD: the file is built by a background job, downloaded from its page.
        if request.method == "POST" and self.has_export_permission(request):
            if (job_page := maybe_export_job(self, request)) is not None:
                return job_page
        return super().export_action(request, **kwargs)

    def process_import(self, request, **kwargs):
        try:
            with _serving(request):
                return super().process_import(request, **kwargs)
        except WorkbookUnreadable as exc:  # confirmed twice, purged, or someone else's upload
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def process_result(self, result, request):
        outcome = result.outcome
        if outcome.errors:
            for error in outcome.errors[:50]:
                messages.error(request, str(error))
            messages.error(request, f"有{len(outcome.errors)}处错误,没有写入任何数据,请修改后重新导入")
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        for sheet in outcome.sheets:
            messages.success(request, f"导入完成。{sheet.summary()}")
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # django-import-export names the file in a plain `filename="…"`, which Django sends as an RFC 2047
        # encoded-word for a Chinese name, and browsers save `download.xlsx` (youthwork.downloads).
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        return name_file(response, self.get_export_filename(request, queryset, file_format))

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.sheet.name}-{timezone.localdate():%Y-%m-%d}.xlsx"


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label="工作簿", help_text="Excel工作簿(.xlsx),可以包含任意几张工作表")

    def clean_workbook(self):
        return _check_size(self.cleaned_data.get("workbook"))


class ImportPagesAdmin(admin.ModelAdmin):
    """Pages of the import that are only looked at here: shown to whoever may import a sheet; an upload or
    an import record is never added, changed or deleted through the admin's own forms."""

    def has_module_permission(self, request):
        return access.may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_import(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportUpload)
class WorkbookImportAdmin(ImportPagesAdmin):
    """The `导入工作簿` page: upload → dry run (summary, every error, the first rows) → confirm → import."""

    def get_queryset(self, request):
        uploads = super().get_queryset(request)  # an upload is its uploader's only
        return uploads.filter(user=request.user) if request.user.pk is not None else uploads.none()

    def get_urls(self):
        # Only this page and the template: an upload has no change, history or delete page of its own.
        return [
            path("template/", self.admin_site.admin_view(self.template_view), name="youthwork_importupload_template"),
            path("", self.admin_site.admin_view(self.changelist_view), name="youthwork_importupload_changelist"),
        ]

    def template_view(self, request):
        if not access.may_import(request.user):
            raise PermissionDenied
        units = access.visible_units(request.user).order_by("path").only("pk", "name", "code", "path")
        return attachment(blank_template(units), "青少年工作导入模板.xlsx")

    def changelist_view(self, request, extra_context=None):
        if not access.may_import(request.user):
            raise PermissionDenied
        form = WorkbookUploadForm()
        if request.method == "POST":
            form = WorkbookUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    return start_check(request, form.cleaned_data["workbook"])
                except WorkbookUnreadable as exc:
                    form.add_error("workbook", str(exc))
        return self._render(request, {"form": form})

    def _render(self, request, context):
        context.update(
            self.admin_site.each_context(request),
            title="导入工作簿",
            opts=self.opts,
            template_url=reverse("admin:youthwork_importupload_template"),
            records_url=reverse("admin:youthwork_importrecord_changelist"),
            max_megabytes=max_upload_bytes() // 1024 // 1024,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/youthwork/import_workbook.html", context)


# --- admin exports ---------------------------------------------------------------------------------


def maybe_export_job(model_admin, request) -> HttpResponseRedirect | None:
    """An admin export of more than JOB_ROWS_THRESHOLD rows as a job (its page), else None (export now).

    The rows are the changelist's export queryset (its filters, the user's scope), stored as its query."""
    if "export_items" in request.POST:  # the 导出所选 action: the rows of a page
        return None
    queryset = model_admin.get_export_queryset(request)
    rows = queryset.count()
    if not file_jobs.is_large(rows):
        return None
    sheet = model_admin.sheet
    name = model_admin.get_export_filename(request, queryset, None)
    params = {"sheet": sheet.name, "file_name": name, "rows": rows}
    title = f"导出{sheet.name}({rows:,}行)"
    builder = "youthwork.admin.importing.export_sheet"
    job = file_jobs.start_file_job(request.user, title, builder, params, queryset.query)
    return file_jobs.job_page(job)


def export_sheet(job, progress) -> tuple[bytes, str, str]:
    sheet = get_sheet(job.params["sheet"])
    if not job.user.has_perm(sheet.perm("export")):
        raise file_jobs.Refused(f"您已没有导出“{sheet.name}”的权限")
    queryset = sheet.model._default_manager.all()
    queryset.query = pickle.loads(bytes(job.query))  # written by start_file_job, never from a request
    progress(sheet=sheet.name, phase="导出", done=0, total=job.params.get("rows"))
    dataset = resource_for(sheet)(user=job.user).export(queryset=queryset)
    progress(sheet=sheet.name, phase="写入文件", done=len(dataset), total=job.params.get("rows"))
    return format_for(sheet)().export_data(dataset), job.params["file_name"], XLSX_CONTENT_TYPE

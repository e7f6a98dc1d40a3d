"""Import and export in the admin: per sheet through django-import-export, and the `导入工作簿` page.

Both run the one engine (youthwork.importing.engine), so the admin shows the same checks and the same
Chinese messages as `manage.py import_workbook`. The upload waits between the preview and the
confirmation in the database (youthwork.ImportUpload), never in a local folder, so the two requests
may reach different server processes; it is deleted once imported.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from youthwork.admin.resources import DatabaseStorage, format_for, resource_for
from youthwork.importing.engine import WorkbookUnreadable, import_workbook
from youthwork.ledgers import all_sheets, get_sheet
from youthwork.models import ImportUpload
from youthwork.spreadsheets import max_upload_bytes
from youthwork.workbooks import blank_template

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_import(user) -> bool:
    """Whether the user may import at least one sheet (each sheet still asks its own permission)."""
    return user.is_active and any(user.has_perm(sheet.perm("import")) for sheet in all_sheets())


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response


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


class SheetImportExportMixin(ImportExportMixin):
    """Import and export (XLSX) of one sheet on its generated resource, with the import/export permissions."""

    import_template_name = "admin/youthwork/sheet_import.html"
    import_form_class = SheetImportForm
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
        with _serving(request):
            return super().import_action(request, **kwargs)

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

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.sheet.name}-{timezone.localdate():%Y-%m-%d}.xlsx"


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label="工作簿", help_text="Excel工作簿(.xlsx),可以包含任意几张工作表")

    def clean_workbook(self):
        return _check_size(self.cleaned_data.get("workbook"))


@admin.register(ImportUpload)
class WorkbookImportAdmin(admin.ModelAdmin):
    """The `导入工作簿` page: upload → dry run (summary, every error, the first rows) → confirm → import."""

    def has_module_permission(self, request):
        return may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return may_import(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        if not may_import(request.user):
            raise PermissionDenied
        return xlsx_response(blank_template(), "青少年工作导入模板.xlsx")

    def changelist_view(self, request, extra_context=None):
        if not may_import(request.user):
            raise PermissionDenied
        context = {"form": WorkbookUploadForm(), "outcome": None, "token": None}
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, context)
        if request.method == "POST":
            form = WorkbookUploadForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["workbook"]
                data = upload.read()
                try:
                    outcome = import_workbook(data, user=request.user, dry_run=True)
                except WorkbookUnreadable as exc:
                    form.add_error("workbook", str(exc))
                else:
                    context["outcome"] = outcome
                    context["file_name"] = upload.name
                    if outcome.ok and outcome.sheets:
                        context["token"] = ImportUpload.store(data, upload.name, request.user).token
        return self._render(request, context)

    def _confirm(self, request, context):
        upload = self.get_queryset(request).filter(token=request.POST["token"]).first()
        if upload is None:
            messages.error(request, "上传的工作簿已导入或已过期,请重新上传")
            return HttpResponseRedirect(request.path)
        data, file_name = bytes(upload.content), upload.file_name
        upload.delete()
        try:
            outcome = import_workbook(data, user=request.user, file_name=file_name)
        except WorkbookUnreadable as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
        if outcome.errors:  # the data changed since the preview
            context.update(outcome=outcome, file_name=file_name, confirm_failed=True)
            return self._render(request, context)
        messages.success(request, f"“{file_name}”已导入。")
        for sheet in outcome.sheets:
            messages.success(request, sheet.summary())
        return HttpResponseRedirect(request.path)

    def _render(self, request, context):
        context.update(
            self.admin_site.each_context(request),
            title="导入工作簿",
            opts=self.opts,
            template_url=reverse("admin:youthwork_importupload_template"),
            max_megabytes=max_upload_bytes() // 1024 // 1024,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/youthwork/import_workbook.html", context)

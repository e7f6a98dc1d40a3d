"""Work reports in the admin: scoped like everything else, with the portal's finalise and reopen actions."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from reports.models import PlanItem, ProblemItem, WorkReport
from reports.permissions import may_reopen
from youthwork.admin import ScopedAdmin
from youthwork.periods import Period, PeriodError


class WorkReportForm(forms.ModelForm):
    class Meta:
        model = WorkReport
        fields = ("title", "unit", "period_code", "opening", "highlight", "signing_unit", "signing_date")

    def clean_period_code(self):
        try:
            return Period.parse(self.cleaned_data["period_code"]).code
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error


class ItemInline(admin.StackedInline):
    extra = 0
    fields = ("order", "heading", "text")

    def _editable(self, request, obj):
        return obj is None or not obj.is_final

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ProblemInline(ItemInline):
    model = ProblemItem


class PlanInline(ItemInline):
    model = PlanItem


@admin.register(WorkReport)
class WorkReportAdmin(ScopedAdmin):
    form = WorkReportForm
    inlines = (ProblemInline, PlanInline)
    list_display = ("unit", "period_label", "title", "status", "finalised_by", "finalised_at", "files")
    list_filter = ("status", ("unit", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("unit", "finalised_by")
    search_fields = ("title", "unit__name", "period_code")
    readonly_fields = ("status", "period_start", "period_end", "finalised_by", "finalised_at", "files")
    actions = ("finalise_reports", "reopen_reports")

    def get_queryset(self, request):
        return super().get_queryset(request).without_files()

    def get_fieldsets(self, request, obj=None):
        main = ["title", "unit", "period_code", "opening", "highlight", "signing_unit", "signing_date"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": main}),
            ("状态", {"fields": ["status", "period_start", "period_end", "finalised_by", "finalised_at", "files"]}),
        ]

    @admin.display(description="期间", ordering="period_end")
    def period_label(self, obj):
        return obj.period_label

    @admin.display(description="预览和下载")
    def files(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">预览</a> · <a href="{}">Word</a> · <a href="{}">Excel附表</a>',
            reverse("reports:detail", args=[obj.pk]),
            reverse("reports:download", args=[obj.pk, "docx"]),
            reverse("reports:download", args=[obj.pk, "xlsx"]),
        )

    def has_change_permission(self, request, obj=None):
        # A final report is shown read-only until the city reopens it.
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_final)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_final)

    def delete_queryset(self, request, queryset):
        finals = queryset.filter(status=WorkReport.Status.FINAL)
        if finals.exists():
            self.message_user(request, f"“{finals.first()}”已定稿,不能删除;请先退回", level=messages.ERROR)
            return
        super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("reports.finalise_workreport"):
            actions.pop("finalise_reports", None)
        if not may_reopen(request.user):
            actions.pop("reopen_reports", None)
        return actions

    @admin.action(description="定稿所选工作报告(保存数据和文件,锁定台账)")
    def finalise_reports(self, request, queryset):
        done = 0
        for report in queryset.filter(status=WorkReport.Status.DRAFT).select_related("unit"):
            report.finalise(request.user)
            done += 1
        self.message_user(request, f"已定稿 {done} 份工作报告")

    @admin.action(description="退回所选定稿(恢复为草稿,解锁台账)")
    def reopen_reports(self, request, queryset):
        if not may_reopen(request.user):
            self.message_user(request, "只有市级管理员可以退回定稿", level=messages.ERROR)
            return
        done = 0
        for report in queryset.filter(status=WorkReport.Status.FINAL):
            report.reopen()
            done += 1
        self.message_user(request, f"已退回 {done} 份工作报告")

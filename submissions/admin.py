"""Submissions in the admin: read-only lists scoped like everything else; states change on the portal's pages only."""

from django.contrib import admin

from submissions.models import Submission, SubmissionEvent
from youthwork.admin import ScopedAdmin


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    fields = ("at", "user", "action", "state", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    list_display = ("unit", "period_code", "state", "first_submitted_at", "submitted_by", "reviewed_at", "reviewed_by")
    list_filter = ("state", "period_code")
    list_select_related = ("unit", "submitted_by", "reviewed_by")
    inlines = [EventInline]
    readonly_fields = [field.name for field in Submission._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The admin's history page (历史) of ledgers, units and venues: django-simple-history's, read-only and scoped.

- Scope: the history of a record outside the user's units is a 404, like the record itself; a deleted
  record's history is shown to whom may see the unit it last belonged to, and once that unit is
  deleted too, to the city level and superusers (youthwork.access.can_see_deleted).
- Read-only: SimpleHistoryAdmin's page per version (with its 恢复 button, which saves the posted
  version) is not routed. Restoring an old version would bypass the checks of the change form, and the
  version may lie in a period a final report has locked since; a correction is an ordinary edit.
- Each entry lists the changed columns from what to what (youthwork.history), names of minors masked for
  users without the permission.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from youthwork import access, history
from youthwork.models import Unit


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/youthwork/history_list.html"

    def get_urls(self):
        # Skip SimpleHistoryAdmin's URL of the version (revert) form: history here is read-only.
        return super(SimpleHistoryAdmin, self).get_urls()

    def save_model(self, request, obj, form, change):
        # Saving an unchanged form writes nothing, so the history holds only real changes.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def history_masked_fields(self, request) -> tuple[str, ...]:
        """Columns whose values the user may not read (LedgerAdmin: names of minors)."""
        return ()

    def history_view(self, request, object_id, extra_context=None):
        self._history_in_scope_or_404(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def _history_in_scope_or_404(self, request, pk):
        try:
            if self.get_queryset(request).filter(pk=pk).exists():
                return
            last = history.rows_of(self.model, pk).first()
        except (ValueError, TypeError, ValidationError) as exc:
            raise Http404("记录不存在,或不在您的管理范围内") from exc
        if last is None or last.history_type != "-" or not access.can_see_deleted(request.user, self._unit_of(last)):
            raise Http404("记录不存在,或不在您的管理范围内")

    def _unit_of(self, row) -> Unit | None:
        """The unit that decides who may see a deleted record: its unit; for a unit, its parent."""
        unit_id = row.parent_id if self.model is Unit else row.unit_id
        return Unit.objects.filter(pk=unit_id).first()

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        rows = list(historical_records)
        found = history.entries(self.model, rows, masked=self.history_masked_fields(request))
        by_id = {entry.row.history_id: entry for entry in found}
        for row in rows:
            row.entry = by_id[row.history_id]

"""What a change list accepts in its address: its own filters, and nothing that answers 500 or tells a secret.

Django's admin lets any query parameter on a local field filter the list (`?student_name__regex=^何`,
`?theme__regex=(`), and follows relations named in a filter (`?unit__parent__name=`). A count that
answers such questions recovers the hidden names of minors one character at a time, an invalid regex
is a database error (500), and a lookup across a user (`?created_by__password__startswith=`) reads
what no page shows. Here a change list takes an allow-list instead: the parameters its own list
filters and date hierarchy write (`unit__id__exact`, `date__gte`, `aid_type__exact`, `date__year` …),
plus Django's own paging, sorting and search (`p`, `o`, `q`, `all`, `e`, `_facets`, `_popup`,
`_to_field`). Anything else is a 400 naming the parameter, in Chinese; a filter value that cannot be
read (`?date__gte=abc`, `?p=99`) is Django's redirect to `?e=1`, with a message saying the filter was
dropped. The export of a change list builds the same change list, so the same rule holds there
(youthwork.admin.importing turns its unreadable filters into a 400).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import BadRequest
from django.template.response import TemplateResponse

from youthwork.admin.listing import RowListingAdmin

CHANGELIST_PARAMETERS = frozenset(
    {ALL_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR, ERROR_FLAG, IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR}
)


class RefusedParameter(BadRequest):
    """A change-list address the list does not answer (400); the message names the parameter."""


class GuardedChangeListAdmin(RowListingAdmin):
    """A ModelAdmin whose change list (and its export) takes only its own filters' parameters."""

    def filter_parameters(self, request) -> frozenset[str]:
        """The query parameters this list's filters and date hierarchy write, for this user (once a request)."""
        memo = request.__dict__.setdefault("_youthwork_filter_parameters", {})
        if self.model not in memo:
            names = set()
            if self.date_hierarchy:
                names.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
            for spec in self._filter_specs(request):
                names.update(spec.expected_parameters())
            memo[self.model] = frozenset(names)
        return memo[self.model]

    def _filter_specs(self, request):
        for item in self.get_list_filter(request):
            if isinstance(item, type):  # a SimpleListFilter
                yield item(request, {}, self.model, self)
                continue
            path, filter_class = item if isinstance(item, list | tuple) else (item, admin.FieldListFilter.create)
            field = get_fields_from_path(self.model, path)[-1]
            yield filter_class(field, request, {}, self.model, self, field_path=path)

    def lookup_allowed(self, lookup, value, request=None):
        # Only the list's own filters: never a personal column, a regex, nor a path across relations.
        return request is not None and lookup in self.filter_parameters(request) and "\x00" not in str(value)

    def check_parameters(self, request) -> None:
        """Refuse an address whose parameters are not this list's (RefusedParameter names the first)."""
        for key, values in request.GET.lists():
            if key in CHANGELIST_PARAMETERS:
                continue
            if not all(self.lookup_allowed(key, value, request) for value in values):
                shown = key if len(key) <= 60 else key[:60] + "…"
                raise RefusedParameter(f"网址中的筛选条件“{shown}”不可用:只能使用页面右侧提供的筛选、搜索和排序。")

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, ValueError, OverflowError) as exc:
            # ValueError, OverflowError: a date hierarchy year Django cannot step past (?date__year=9999).
            if ERROR_FLAG in request.GET:
                raise RefusedParameter("网址中的筛选条件无效,请返回列表重新筛选。") from exc
            messages.error(request, "网址中的筛选条件无效(日期、编号或页码写错了),已改为显示全部记录。")
            raise IncorrectLookupParameters(exc) from exc

    def changelist_view(self, request, extra_context=None):
        try:
            self.check_parameters(request)
            return super().changelist_view(request, extra_context)
        except RefusedParameter as exc:
            return self.refuse_parameters(request, str(exc))

    def refuse_parameters(self, request, message: str):
        context = {
            **self.admin_site.each_context(request),
            "title": "筛选条件不可用",
            "message": message,
            "opts": self.opts,
            "changelist_url": request.path,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/youthwork/refused_parameters.html", context, status=400)

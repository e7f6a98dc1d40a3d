"""What a change list costs per row: Django's change list, with the work it repeats for every cell done once a page.

A 50-row page of a ledger is 350 cells; Django's admin (admin_list.items_for_result) asks the ModelAdmin
for the empty value's display at each of them, and for each row reverses the change page's address and
adds the list's filters to it (a URL resolve). Under the quarter-end load (bench/load.py) that repetition
is a sizeable part of a change list's time. The pages show the same markup: these are Django's own
answers, kept for the page.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import mark_safe

# A primary key that Django's quoting (admin.utils.quote, then reverse's) leaves as it is, to find in the address.
PK_STAND_IN = "youthwork-pk"


class RowChangeList(ChangeList):
    """A change list whose rows' change links come from one reverse and one add_preserved_filters a page.

    url_for_result answers the whole link, the list's filters included (`?_changelist_filters=…`, so that
    saving a record returns to the same filtered list); `preserved_filters`, which Django's row rendering
    alone reads to add them to each link, is left empty. The filters stay in `row_preserved_filters`.
    """

    _row_url: tuple[str, str] | None = None  # the link around an integer key, once known

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_preserved_filters, self.preserved_filters = self.preserved_filters, ""

    def get_results(self, request):
        super().get_results(request)
        # The page's rows without the columns no cell shows (an export's change list reads its own queryset).
        deferred = self.model_admin.get_list_deferred_fields(request)
        if deferred and hasattr(self.result_list, "defer"):
            self.result_list = self.result_list.defer(*deferred)

    def _link(self, result) -> str:
        """Django's link to a row: its change page, with the list's filters."""
        context = {"preserved_filters": self.row_preserved_filters, "opts": self.opts}
        return add_preserved_filters(context, super().url_for_result(result))

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        # An integer key is written as its digits (Django quotes only strings); others take Django's way.
        if type(pk) is not int:
            return self._link(result)
        if self._row_url is None:
            url = self._link(SimpleNamespace(**{self.pk_attname: PK_STAND_IN}))
            head, stand_in, tail = url.partition(PK_STAND_IN)
            # A stand-in also in the filters (a search for it) cannot be told apart: then row by row.
            self._row_url = (head, tail) if stand_in and PK_STAND_IN not in tail else ()
        if not self._row_url:
            return self._link(result)
        head, tail = self._row_url
        return f"{head}{pk}{tail}"


class RowListingAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change list does its per-cell work once a page (RowChangeList, the empty value)
    and reads only the columns its rows show (get_list_deferred_fields)."""

    def get_changelist(self, request, **kwargs):
        return RowChangeList

    def get_list_deferred_fields(self, request) -> tuple[str, ...]:
        """Model fields the change list's rows never read (neither a column, nor the row's name): left unread."""
        return ()

    def get_empty_value_display(self):
        # Asked at every cell. Django's reads self.empty_value_display, which a ModelAdmin without one answers
        # with an AttributeError (raised through LedgerAdmin.__getattr__), then the site's; the answer is kept
        # while both stay as they are.
        own = getattr(type(self), "empty_value_display", None)
        key = (own, self.admin_site.empty_value_display)
        cached = self.__dict__.get("_empty_value_display")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_empty_value_display"] = (key, super().get_empty_value_display())
        return cached[1]


class PlainCheckboxAdmin(admin.ModelAdmin):
    """The rows' 选择 boxes written directly, each labelled with its record for screen readers.

    Django renders this box through the form renderer's template, once per row: a third of a 50-row list's
    time under load (bench/load.py). The same markup, written directly, escaped as Django escapes.
    """

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle" aria-label="选择本页全部记录">'))
    def action_checkbox(self, obj):
        pk, label = html.escape(str(obj.pk)), html.escape(str(obj))
        return mark_safe(
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{pk}" class="action-select"'
            f' aria-label="选择此记录:{label}">'
        )

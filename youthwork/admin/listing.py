"""What a change list costs per row: Django's change list, with the work it repeats for every cell done once a page.

A 50-row page of a ledger is 350 cells; Django's admin (admin_list.items_for_result) asks the ModelAdmin
for the empty value's display at each of them, and for each row reverses the change page's address and
adds the list's filters to it (a URL resolve). Under the quarter-end load (bench/load.py) that repetition
is a sizeable part of a change list's time. The pages show the same markup: these are Django's own
answers, kept for the page. A plain list's table (a ledger's: the selection box and the model's own
fields) is written a column at a time (RowChangeList.written_rows, through the ledgers' change list
template); tests compare it cell for cell with Django's rows for every ledger.
"""

from __future__ import annotations

import html
from functools import lru_cache
from types import SimpleNamespace

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A primary key that Django's quoting (admin.utils.quote, then reverse's) leaves as it is, to find in the address.
PK_STAND_IN = "youthwork-pk"


@lru_cache(maxsize=4096)
def displayed(field, kind: type, value, empty: str, linked: bool, language: str) -> SafeString:
    """Django's display of a cell's value (admin.utils.display_for_field), escaped; a date's or a number's
    costs 4-11 µs (the language's formats), and a ledger's pages show the same dates, counts and choices
    again and again. Kept for the process per (field, type, value, empty value, linked, language), the least
    recently shown dropped first; emptied when a setting changes (tests), as Django's own cache of formats is."""
    return conditional_escape(display_for_field(value, field, empty, avoid_link=linked))


@receiver(setting_changed)
def _forget_displays(**kwargs):
    displayed.cache_clear()


class RowChangeList(ChangeList):
    """A change list whose rows' change links come from one reverse and one add_preserved_filters a page.

    url_for_result answers the whole link, the list's filters included (`?_changelist_filters=…`, so that
    saving a record returns to the same filtered list); `preserved_filters`, which Django's row rendering
    alone reads to add them to each link, is left empty. The filters stay in `row_preserved_filters`.
    """

    _row_url: tuple[str, str] | None = None  # the link around an integer key, once known

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.row_preserved_filters, self.preserved_filters = self.preserved_filters, ""
        # The filter side bar's cache key (the ledgers' change list template keeps its HTML), or None.
        self.filters_key = self.model_admin.get_filters_key(request, self)

    def get_results(self, request):
        super().get_results(request)
        # The page's rows without the columns no cell shows (an export's change list reads its own queryset).
        deferred = self.model_admin.get_list_deferred_fields(request)
        if deferred and hasattr(self.result_list, "defer"):
            self.result_list = self.result_list.defer(*deferred)

    def written_rows(self) -> list[ResultList] | None:
        """The page's rows, cell by cell in the markup of Django's rows (admin_list.items_for_result), or None.

        Django works out each cell's field, display and markup anew, 350 times a page. Here each column is
        worked out once; a cell's text is still Django's display_for_field, kept for each value a column
        shows (`displayed`). Only a plain list is written so: the selection box, the model's own fields, the
        first of them linked. A list with anything else (a display function such as a masked name, a
        popup, list_editable, other links) answers None and is Django's, row by row.
        """
        columns = self._written_columns()
        if columns is None:
            return None
        # A row's cells as one item: change_list_results.html writes a row's items one after the other (and
        # counts them only for a list_editable form's errors, which a written list has not), 50 nodes a page
        # instead of 400.
        return [
            ResultList(None, [mark_safe("".join(write(result) for write in columns))]) for result in self.result_list
        ]

    def _written_columns(self):
        boxed = self.list_display[:1] == ["action_checkbox"]
        fields = self.list_display[1:] if boxed else self.list_display
        if self.formset or self.is_popup or self.to_field or self.list_display_links != fields[:1]:
            return None
        if boxed and type(self.model_admin).action_checkbox is not PlainCheckboxAdmin.action_checkbox:
            return None
        columns = [self._checkbox_cell] if boxed else []
        for index, name in enumerate(fields):
            if not isinstance(name, str):
                return None
            try:
                field = self.lookup_opts.get_field(name)
            except FieldDoesNotExist:
                return None
            if not field.concrete or field.auto_created or field.many_to_many or field.name != name:
                return None
            columns.append(self._field_cell(field, linked=index == 0))
        return columns

    def _checkbox_cell(self, result) -> SafeString:
        return mark_safe(f'<td class="action-checkbox">{self.model_admin.action_checkbox(result)}</td>')

    def _field_cell(self, field, *, linked: bool):
        empty = self.model_admin.get_empty_value_display()
        tag = "th" if linked else "td"
        nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
        language = get_language()

        def write(result) -> SafeString:
            classes = f"field-{field.name}"
            try:
                value = getattr(result, field.name)
            except ObjectDoesNotExist:
                text = conditional_escape(empty)
            else:
                if nowrap:
                    classes += " nowrap"
                if isinstance(field.remote_field, models.ManyToOneRel):
                    text = conditional_escape(empty if value is None else value)
                else:
                    if isinstance(value, str) and value.strip() == "":
                        value = ""
                    try:
                        text = displayed(field, type(value), value, empty, linked, language)
                    except TypeError:  # a value that is no key (a list): not kept
                        text = conditional_escape(display_for_field(value, field, empty, avoid_link=linked))
            if linked:
                url = conditional_escape(self.url_for_result(result))
                text = f'<a href="{url}">{text}</a>'
            return mark_safe(f'<{tag} class="{classes}">{text}</{tag}>')

        return write

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

    def get_filters_key(self, request, changelist) -> str | None:
        """A string naming everything the change list's filter side bar shows, under which a template may keep
        its HTML (`{% cache %}`), or None: drawn every time."""
        return None

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

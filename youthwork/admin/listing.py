"""What a change list costs per row: Django's change list, with the work it repeats for every cell done once a page.

A 50-row page of a ledger is 350 cells; Django's admin (admin_list.items_for_result) asks the ModelAdmin
for the empty value's display at each of them and reverses the change page's address at each row. Under
the quarter-end load (bench/load.py) that repetition is a sizeable part of a change list's time. The
pages show the same markup: these are Django's own answers, kept for the page.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import mark_safe

# A primary key that Django's quoting (admin.utils.quote, then reverse's) leaves as it is, to find in the address.
PK_STAND_IN = "youthwork-pk"


class RowChangeList(ChangeList):
    """A change list whose rows' change links come from one reverse per page, not one per row."""

    _change_url: tuple[str, str] | None = None

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        # An integer key is written as its digits (Django quotes only strings); others take Django's way.
        if type(pk) is not int:
            return super().url_for_result(result)
        if self._change_url is None:
            url = super().url_for_result(SimpleNamespace(**{self.pk_attname: PK_STAND_IN}))
            head, _stand_in, tail = url.partition(PK_STAND_IN)
            if not _stand_in or PK_STAND_IN in tail:
                return super().url_for_result(result)
            self._change_url = (head, tail)
        head, tail = self._change_url
        return f"{head}{pk}{tail}"


class RowListingAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change list does its per-cell work once a page (RowChangeList, the empty value)."""

    def get_changelist(self, request, **kwargs):
        return RowChangeList

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

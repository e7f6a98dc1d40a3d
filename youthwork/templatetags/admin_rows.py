"""The admin change list's table with its rows written once a column (youthwork.admin.listing.RowChangeList).

`{% change_list_rows cl %}` is Django's `{% result_list cl %}` (the same headers, the same template,
change_list_results.html, overridable per model), with the rows a change list writes itself when it can
(`cl.written_rows()`); otherwise Django's.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def change_list_rows(cl):
    written = getattr(cl, "written_rows", lambda: None)()
    if written is None:
        return result_list(cl)
    # Django's context (headers, sorting, hidden fields) for no rows, then the rows as written.
    rows, cl.result_list = cl.result_list, []
    try:
        context = result_list(cl)
    finally:
        cl.result_list = rows
    context["results"] = written
    return context


@register.tag(name="change_list_rows")
def change_list_rows_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=change_list_rows, template_name="change_list_results.html", takes_context=False
    )

"""Template tags of the portal: the navigation by work area, a ledger list's row cells."""

import functools

from django import template
from django.urls import NoReverseMatch
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from youthwork.access import may_import
from youthwork.addresses import address
from youthwork.ledgers import areas

register = template.Library()


PAGES = (
    ("reports:list", "reports.view_workreport", "工作报告"),
    ("submissions:list", "submissions.view_submission", "报送情况"),
)


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    """The work areas with the ledgers the user may view, and the pages of reports and submissions."""
    request = context.get("request")
    user = context.get("user")
    path = request.path if request else ""
    menu = []
    for area, ledgers in areas():
        items = [
            {"ledger": ledger, "url": address("portal:ledger_list", ledger.slug)}
            for ledger in ledgers
            if user.has_perm(ledger.perm("view"))
        ]
        if items:
            for item in items:
                item["active"] = path.startswith(item["url"])
            menu.append({"area": area, "items": items, "active": any(item["active"] for item in items)})
    # The pages of the apps above the core, when installed in this build and the user may see them; named by
    # their URL names, not imported (the core does not know those apps).
    pages = []
    for url_name, permission, label in PAGES:
        try:
            url = address(url_name)
        except NoReverseMatch:
            continue
        if user.has_perm(permission):
            pages.append({"url": url, "label": label, "active": path.startswith(url)})
    return {
        "menu": menu,
        "pages": pages,
        "dashboard_active": path == address("portal:dashboard"),
        # 管理员 import the units' workbooks in the admin; the portal shows them the way there.
        "import_url": address("admin:youthwork_importupload_changelist") if may_import(user) else None,
    }


@register.simple_tag(name="address")
def address_tag(viewname, *args):
    """{% address 'portal:ledger_list' ledger.slug %}: Django's {% url %} for addresses a page repeats
    (youthwork.addresses keeps each answer for the process)."""
    return address(viewname, *args)


@functools.cache
def _cell_start(header: str, numeric: bool) -> str:
    """A list cell's opening tag: one per column of the registry, written once per process."""
    return format_html('<td data-label="{}"{}>', header, mark_safe(' class="num"') if numeric else "")


@register.filter
def row_cells(cells) -> str:
    """A list row's cells (youthwork.display.Cell) as its <td>s, in one call: a template node per cell
    took most of a list page's rendering (30 rows of 8 cells). Headers and texts are escaped."""
    return mark_safe(
        "".join(f"{_cell_start(cell.column.header, cell.numeric)}{escape(cell.text)}</td>" for cell in cells)
    )

"""Template tags of the portal: the navigation by work area."""

from django import template
from django.urls import NoReverseMatch, reverse

from youthwork.access import may_import
from youthwork.ledgers import areas

register = template.Library()


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    """The work areas with the ledgers the user may view, and the reports when that app serves pages."""
    request = context.get("request")
    user = context.get("user")
    path = request.path if request else ""
    menu = []
    for area, ledgers in areas():
        items = [
            {"ledger": ledger, "url": reverse("portal:ledger_list", args=[ledger.slug])}
            for ledger in ledgers
            if user.has_perm(ledger.perm("view"))
        ]
        if items:
            for item in items:
                item["active"] = path.startswith(item["url"])
            menu.append({"area": area, "items": items, "active": any(item["active"] for item in items)})
    try:
        reports_url = reverse("reports:list")
    except NoReverseMatch:  # the reports pages are not installed in this build
        reports_url = None
    return {
        "menu": menu,
        "reports_url": reports_url if user.has_perm("reports.view_workreport") else None,
        "reports_active": bool(reports_url) and path.startswith(reports_url),
        "dashboard_active": path == reverse("portal:dashboard"),
        # 管理员 import the units' workbooks in the admin; the portal shows them the way there.
        "import_url": reverse("admin:youthwork_importupload_changelist") if may_import(user) else None,
    }

"""The admin site: work areas and ledgers in the data dictionary's order, not alphabetically.

It lives beside the admin package (youthwork/admin/), not in it: Django imports this class
(AdminConfig.default_site) when the default site is first used, which is while it discovers
youthwork.admin; inside the package, importing it would run the package's registrations first, against
a site not yet made, and they would be lost.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils.functional import SimpleLazyObject

from youthwork.areas import work_areas
from youthwork.display import unit_choice
from youthwork.ledgers import all_ledgers


class UnitAwareAutocomplete(AutocompleteJsonView):
    """The admin's search-as-you-type dropdowns: a unit reads as its parent › name(code), as in the plain dropdown."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.select_related("parent") if queryset.model._meta.label == "youthwork.Unit" else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if obj._meta.label == "youthwork.Unit":
            result["text"] = unit_choice(obj)
        return result


class YouthworkAdminSite(admin.AdminSite):
    site_header = "青少年工作平台"
    site_title = "青少年工作平台"
    index_title = "数据管理"
    # No side bar: it rebuilt and rendered the index's links to every model (about 20, each reversed and checked
    # against the permissions) on every page, a quarter of a change list's time under load (bench/load.py). The index,
    # the breadcrumbs and the header's links lead to the same places.
    enable_nav_sidebar = False

    def each_context(self, request):
        # Django puts every model's links (`available_apps`, each reversed and checked against the permissions) in
        # every admin page's context for the side bar alone (admin/nav_sidebar.html), which is off: they are
        # built only if a template reads them. The index and an app's page build their own app_list.
        request._youthwork_deferred_app_list = True
        try:
            return super().each_context(request)
        finally:
            del request._youthwork_deferred_app_list

    def autocomplete_view(self, request):
        return UnitAwareAutocomplete.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        # The work areas first (as declared in INSTALLED_APPS), then reports and the organisation; within an
        # app, ledgers as in the dictionary; Django's own apps (roles) last.
        if getattr(request, "_youthwork_deferred_app_list", False):
            return SimpleLazyObject(lambda: self.get_app_list(request, app_label))
        first = [*(area.label for area in work_areas()), "reports", "youthwork"]
        app_order = {label: index for index, label in enumerate(first)}
        ledger_order = {ledger.model._meta.object_name: index for index, ledger in enumerate(all_ledgers())}
        app_list = self._build_app_dict(request, app_label)
        ordered = sorted(app_list.values(), key=lambda app: app_order.get(app["app_label"], len(app_order) + 1))
        for app in ordered:
            app["models"].sort(key=lambda model: (ledger_order.get(model["object_name"], 99), model["name"]))
        if app_label is None:
            ordered = self._importing_first(ordered)
        return ordered

    @staticmethod
    def _importing_first(apps: list[dict]) -> list[dict]:
        """导入工作簿 and 导入记录 in a section of their own at the top of the index, not under 组织与用户."""
        importing = {"ImportUpload", "ImportRecord"}
        pages = [model for app in apps for model in app["models"] if model["object_name"] in importing]
        if not pages:
            return apps
        for app in apps:
            app["models"] = [model for model in app["models"] if model["object_name"] not in importing]
        section = {**next(app for app in apps if app["app_label"] == "youthwork"), "name": "数据导入", "models": pages}
        return [section, *(app for app in apps if app["models"])]

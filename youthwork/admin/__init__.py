"""Admin data entry: one scoped base for every model that belongs to a unit, one LedgerAdmin for all ledgers.

The admin package, above the core (nothing below it imports it): this module registers the
ModelAdmins; `importing` (each sheet's 导入/导出 and the 导入工作簿 page), `resources` (the
django-import-export adapters of the sheet registry), `history` (the read-only 历史 page) and
`lookups` (what a change list's address may ask) serve them. The site itself is youthwork.admin_site.
"""

import datetime as dt
import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from youthwork import access, actions, figure_cache, privacy, search, versions
from youthwork.admin.history import HistoryAdmin
from youthwork.admin.importing import SheetImportExportMixin
from youthwork.admin.jobs import ImportRecordAdmin  # noqa: F401 (registers 导入记录 and the import job pages)
from youthwork.admin.listing import PlainCheckboxAdmin
from youthwork.admin.lookups import GuardedChangeListAdmin
from youthwork.display import unit_choice
from youthwork.fields import MultiChoiceField
from youthwork.ledgers import Ledger
from youthwork.models import Unit, User, Venue
from youthwork.periods import Period

DAY = dt.timedelta(days=1)


class ScopedAdmin(PlainCheckboxAdmin, GuardedChangeListAdmin):
    """Lists, change pages, delete, actions and foreign-key choices limited to the user's subtree.

    `unit_field` names the model's path to its unit ("self" for Unit itself). An object outside the
    scope is a 404, never a redirect that confirms it exists. The list's address takes only its own
    filters (youthwork.admin.lookups).
    """

    unit_field = "unit"

    def scope(self, queryset, request):
        if self.unit_field == "self" or queryset.model is Unit:
            return access.scope(queryset, request.user)
        return access.scope(queryset, request.user, self.unit_field)

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("记录不存在,或不在您的管理范围内")
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # The form checked the unique keys, but another request (a double click, a colleague at the same
            # moment) saved the same key in between; the transaction is rolled back. The database's own text,
            # which can hold a child's name, is neither shown nor logged.
            name = self.opts.verbose_name
            self.message_user(
                request,
                f"没有保存:刚刚已有一条相同的{name}记录被保存(可能是重复提交,或他人同时填报)。"
                f"请在列表中找到那条记录修改,不要重复填报。",
                messages.ERROR,
            )
            if object_id is None:
                return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        # Last of the admin's save_model chain (HistoryAdmin skips unchanged forms before it).
        self.save_object(request, obj)

    def save_object(self, request, obj):
        obj.save()

    def delete_model(self, request, obj):
        try:
            self.delete_object(request, obj)
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from exc

    def delete_object(self, request, obj):
        obj.delete()  # a ledger record or venue checks the period locks under its units' locks

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Unit:
            kwargs["queryset"] = access.visible_units(request.user).select_related("parent").order_by("path")
            kwargs.setdefault("form_class", UnitChoiceField)
        elif related is Venue:
            kwargs["queryset"] = access.scope(Venue.objects.select_related("unit"), request.user)
        elif related is User:
            kwargs["queryset"] = access.scope_users(User.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitTreeFilter(admin.RelatedFieldListFilter):
    """The 填报单位 filter: the user's units from the unit tree (youthwork.access), indented, in tree order, each
    with its code (two schools may share a name); choosing a unit lists it with its descendants, as the portal does.

    Django's RelatedOnlyFieldListFilter would ask the ledger for its DISTINCT units on every page, a
    read of the whole table; the tree is a few hundred rows read by their indexed path.
    """

    def field_choices(self, field, request, model_admin):
        # Read once, when the filter is shown or applied; not for a filter made only to name its parameters
        # (GuardedChangeListAdmin.filter_parameters).
        return SimpleLazyObject(
            lambda: [
                (unit.pk, "\u3000" * max(unit.depth - 1, 0) + f"{unit.name}({unit.code})")
                for unit in self.units(request).values()
            ]
        )

    def units(self, request) -> dict[int, Unit]:
        """The user's units by id, in tree order (one query a request: access.request_units)."""
        return access.request_units(request)

    def queryset(self, request, queryset):
        if not self.lookup_val:
            return queryset
        # The chosen unit among the user's, read with the choices; a value that is no id fails as a query would.
        unit = self.units(request).get(Unit._meta.pk.get_prep_value(self.lookup_val[-1]))
        if unit is None:  # another district's unit lists nothing of it, as in the portal
            return queryset.none()
        return queryset.filter(**{f"{self.field_path}__path__startswith": unit.path})


class QuarterDateFilter(admin.DateFieldListFilter):
    """The 日期 filter by the quarters the office reports in: 本季度, 上季度, 今年 and each of the last eight
    quarters (Django's offers 今天, 过去7天, 本月, 今年). It writes the same date__gte / date__lt parameters."""

    QUARTERS = 8

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        today = timezone.localdate()

        def link(title, period):
            return title, {self.lookup_kwarg_since: str(period.start), self.lookup_kwarg_until: str(period.end + DAY)}

        this = Period.quarter_of(today)
        links = [("全部", {}), link("本季度", this), link("上季度", this.previous())]
        links.append(link("今年", Period.year_of(today)))
        quarter = this.previous().previous()
        for _ in range(self.QUARTERS - 2):
            links.append(link(quarter.label, quarter))
            quarter = quarter.previous()
        self.links = tuple(links)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit in a form's dropdown: its parent, its name and its code (南湖区团委 › 中心小学(S0303))."""

    def label_from_instance(self, unit: Unit) -> str:
        return unit_choice(unit)


class LedgerAdmin(HistoryAdmin, SheetImportExportMixin, ScopedAdmin):
    """The admin of every ledger, derived from its registry entry (youthwork.ledgers); import/export in XLSX.

    A page never reads the whole ledger: no count of all records besides the filtered one
    (show_full_result_count), no facet counts, no date drill-down (Django's date_hierarchy asks the table
    for its DISTINCT years and months), the unit filter from the unit tree; the list's order (date, id)
    and its search have indexes (youthwork.models.LedgerRecord, youthwork.search).
    """

    list_per_page = 50
    show_full_result_count = False
    # Django's change list, with the table's rows written once a column (RowChangeList.written_rows); the
    # import/export buttons are added on top of it (django-import-export keeps this as its base template).
    change_list_template = "admin/youthwork/ledger_change_list.html"
    # A city has hundreds of units: the 填报单位 dropdown is searched by name or code (UnitAdmin.search_fields),
    # within the user's units (UnitAdmin is scoped), each shown as its parent › name(code) (youthwork.admin_site).
    autocomplete_fields = ("unit",)
    show_facets = admin.ShowFacets.NEVER
    # The admin would give these CharFields its text input; the field's own form field takes a list.
    formfield_overrides = {MultiChoiceField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")

    @property
    def ledger(self) -> Ledger:
        return self.model.ledger

    def _hidden(self, request) -> tuple[str, ...]:
        """The personal columns this user may not read (youthwork.privacy): masked, never searched or sorted."""
        return privacy.hidden_fields(request.user, self.ledger)

    def history_masked_fields(self, request):
        return self._hidden(request)

    def get_list_display(self, request):
        # A masked column is a display function without `ordering`: `?o=` cannot sort by the hidden name.
        hidden = self._hidden(request)
        return [f"masked_{name}" if name in hidden else name for name in self.ledger.field_names if name != "note"]

    def get_list_filter(self, request):
        filters = [("unit", UnitTreeFilter), ("date", QuarterDateFilter)]
        return filters + list(self.ledger.choice_fields)

    def get_search_fields(self, request):
        return privacy.search_fields(request.user, self.ledger)

    def get_search_results(self, request, queryset, search_term):
        # The portal's search (youthwork.search): each word in any searched column, in a form the indexes serve.
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, self.get_search_fields(request), search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """Django's paginator, whose count (the list's one COUNT of the filtered ledger) is read from the cache
        while none of the user's units has changed since it was counted (figure_cache.cached_over_units): the
        same question about the same records, asked again by the next look at the list."""
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        units = list(access.request_units(request).values())
        fields = self.get_search_fields(request)
        if units and not (request.GET.get(SEARCH_VAR, "").split() and search.reads_beyond_units(fields)):
            # Everything in the address decides the rows but the page and the order.
            asked = sorted((key, values) for key, values in request.GET.lists() if key not in (PAGE_VAR, ORDER_VAR))
            question = (self.model._meta.label, asked, fields)
            paginator.count = figure_cache.cached_over_units(
                units, "change-list", question, lambda: paginator.count, sources=(__name__,)
            )
        return paginator

    def get_list_deferred_fields(self, request):
        # The note (not a column) and who and when (shown on the change page) are read for no cell of the list.
        return ("note", "created_by", "updated_by", "created_at", "updated_at")

    def get_filters_key(self, request, changelist):
        """The side bar shows the user's units (UnitTreeFilter: name, code and depth, which each unit's version
        and path cover), the quarters up to today (QuarterDateFilter) and the choices, each a link carrying the
        address's other parameters: the same for every request that agrees on these."""
        units = versions.units_key(access.request_units(request).values())
        asked = sorted((key, values) for key, values in request.GET.lists() if key != PAGE_VAR)
        specs = [(type(spec).__qualname__, str(spec.title)) for spec in changelist.filter_specs]
        shown = (self.model._meta.label, units, asked, specs, timezone.localdate().isoformat(), get_language())
        return hashlib.sha256(repr(shown).encode()).hexdigest()

    def get_list_select_related(self, request):
        return [c.name for c in self.ledger.columns if c.kind.related]

    def get_fieldsets(self, request, obj=None):
        hidden = self._hidden(request)
        fields = [f"masked_{name}" if name in hidden else name for name in self.ledger.field_names]
        fieldsets = [(None, {"fields": fields})]
        if obj is not None:
            fieldsets.append(("记录信息", {"fields": list(self.readonly_fields), "classes": ["collapse"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *(f"masked_{name}" for name in self._hidden(request))]

    def __getattr__(self, name):
        # masked_<field>: the personal field shown as 张** to users without the permission to read it.
        if name.startswith("masked_"):
            field_name = name.removeprefix("masked_")
            if field_name in self.model.ledger.personal_fields:
                verbose = self.model._meta.get_field(field_name).verbose_name

                @admin.display(description=verbose)
                def masked(obj):
                    return privacy.mask_name(getattr(obj, field_name))

                return masked
        raise AttributeError(name)

    def has_change_permission(self, request, obj=None):
        # A record covered by a final report is shown read-only.
        return super().has_change_permission(request, obj) and (obj is None or not obj.locked_by())

    def has_delete_permission(self, request, obj=None):
        # One rule with the portal (youthwork.access.delete_refusal): 录入员 delete only their own entries.
        if obj is None:
            return access.may_delete_any(request.user, self.model)
        return access.delete_refusal(request.user, obj) is None

    def delete_queryset(self, request, queryset):
        # The delete_selected action: all or none, refused with the lock's reason if a lock covers one.
        if message := actions.delete_many(queryset, request.user):
            self.message_user(request, message, level="error")

    def delete_object(self, request, obj):
        actions.delete(obj, request.user)

    def save_object(self, request, obj):
        actions.save(obj, request.user)


@admin.register(Unit)
class UnitAdmin(HistoryAdmin, SheetImportExportMixin, ScopedAdmin):
    unit_field = "self"
    list_display = ("indented_name", "unit_type", "code", "parent")
    list_filter = ("unit_type",)
    search_fields = ("name", "code")
    fields = ("name", "parent", "unit_type", "code")

    @admin.display(description="单位名称", ordering="path")
    def indented_name(self, obj):
        return "\u3000" * max(obj.depth - 1, 0) + obj.name

    def get_readonly_fields(self, request, obj=None):
        # Below the city, a user's own unit stays where it is in the tree: its parent is outside their scope.
        if obj is not None and not access.sees_everything(request.user) and obj.pk == request.user.unit_id:
            return ("parent",)
        return ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and not access.sees_everything(request.user):
            field.required = True
        return field


@admin.register(Venue)
class VenueAdmin(HistoryAdmin, SheetImportExportMixin, ScopedAdmin):
    list_display = ("name", "unit", "venue_type", "opened_on", "provides_lodging")
    list_filter = ("venue_type", ("unit", admin.RelatedOnlyFieldListFilter), "provides_lodging")
    search_fields = ("name", "unit__name")
    list_select_related = ("unit",)

    def delete_queryset(self, request, queryset):
        # The delete_selected action: a venue a final report counts stays (youthwork.locks.guard_venue).
        with transaction.atomic():
            for venue in queryset:
                if message := venue.guard(deleting=True):
                    self.message_user(request, message, level="error")
                    return
            units = versions.places(queryset)
            super().delete_queryset(request, queryset)
            versions.bump_places(units)  # the figures of the venues' units change


@admin.register(User)
class UserAdmin(PlainCheckboxAdmin, GuardedChangeListAdmin, DjangoUserAdmin):
    """Users of the subtree only; a district admin cannot make superusers nor grant roles it lacks."""

    list_display = ("username", "last_name", "first_name", "unit", "role_names", "is_active")
    list_filter = ("groups", "is_active", ("unit", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "unit__name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("last_name", "first_name", "email")}),
        (
            "单位与角色",
            {"fields": ("unit", "groups", "is_active", "is_staff", "is_superuser", "user_permissions")},
        ),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "unit", "groups", "password1", "password2")}),
    )

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("groups")
        return access.scope_users(qs, request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("用户不存在,或不在您的管理范围内")
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        restricted = {"is_superuser", "user_permissions"}
        return tuple(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in restricted)})
            for name, options in fieldsets
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = access.visible_units(request.user)
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = request.user.groups.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Deleting: a user whom records name (who created, changed or finalised them) is deactivated instead,
    # so every history entry still says who; a user no record names (an account made by mistake) is deleted.

    def _deactivate_named(self, request, queryset):
        """Deactivate the users of the queryset that records name; the others, to be deleted."""
        named = User.named_by_records(queryset)
        kept = list(queryset.filter(pk__in=named))
        for user in kept:
            user.is_active = False
            user.save(update_fields=["is_active"])
        if kept:
            names = "、".join(str(user) for user in kept)
            self.message_user(
                request,
                f"用户{names}创建或修改过记录,已停用而没有删除:停用后不能登录,修改记录仍保留是谁做的修改",
                level=messages.WARNING,
            )
        return queryset.exclude(pk__in=named), kept

    def delete_model(self, request, obj):
        _rest, kept = self._deactivate_named(request, User.objects.filter(pk=obj.pk))
        request._users_deactivated = bool(kept)
        if not kept:
            super().delete_model(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        if getattr(request, "_users_deactivated", False):
            return HttpResponseRedirect(reverse("admin:youthwork_user_changelist"))
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        rest, _kept = self._deactivate_named(request, queryset)
        deleted = [str(user) for user in rest]
        super().delete_queryset(request, rest)
        if deleted:
            self.message_user(request, f"已删除用户{'、'.join(deleted)}")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            description = "删除所选用户(创建或修改过记录的用户改为停用)"
            actions["delete_selected"] = (type(self).delete_or_deactivate, "delete_selected", description)
        return actions

    def delete_or_deactivate(self, request, queryset):
        """Django's delete_selected asks for confirmation; once confirmed, delete_queryset says what it did."""
        if request.POST.get("post") and self.has_delete_permission(request):
            self.delete_queryset(request, queryset)
            return None
        return delete_selected(self, request, queryset)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_superuser = False
            if not obj.is_staff and obj.pk is None:
                obj.is_staff = True
        super().save_model(request, obj, form, change)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GuardedChangeListAdmin):
    """Roles are defined by migrations (youthwork/roles.py); only superusers may change them here."""

    list_display = ("name",)

    def has_module_permission(self, request):
        return request.user.is_superuser

"""Who may see and change what: the one place that decides it.

Everyone sees and changes only their own unit and its descendants; superusers and users of the root
unit (the city committee) see everything. What a user may *do* there (add, change, delete, import)
is the role's permission; which records it applies to is decided here. The admin, the portal views,
the importer and the report builder all scope through these functions.
"""

from __future__ import annotations

from django.db import models
from django.http import Http404

from youthwork.models import Unit, User


def sees_everything(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    unit = user.unit
    return unit is not None and unit.parent_id is None


def home_unit(user) -> Unit | None:
    """The top of the user's scope: the root for city users, their own unit otherwise (None: nothing).

    Read once per user object (a request's user): a page asks several times."""
    if "_home_unit" not in getattr(user, "__dict__", {}):
        if sees_everything(user):
            unit = user.unit if user.unit is not None and user.unit.parent_id is None else None
            user._home_unit = unit or Unit.objects.filter(parent__isnull=True).first()
        elif not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        else:
            user._home_unit = user.unit
    return user._home_unit


def visible_units(user) -> models.QuerySet[Unit]:
    """The units whose records the user may see: their unit and its descendants (one query)."""
    if sees_everything(user):
        return Unit.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def request_units(request) -> dict[int, Unit]:
    """The request's user's visible units by id, in tree order, read once a request (id, name, code, path,
    parent and data version): a change list's unit filter lists them and its count is cached under their
    versions (figure_cache.cached_over_units)."""
    if "_youthwork_units" not in request.__dict__:
        units = visible_units(request.user).order_by("path")
        units = units.only("pk", "name", "code", "path", "parent_id", "data_version")
        request._youthwork_units = {unit.pk: unit for unit in units}
    return request._youthwork_units


def editable_units(user) -> models.QuerySet[Unit]:
    """The units whose records the user may change (given the role's permission): the same subtree."""
    return visible_units(user)


def can_see_unit(user, unit: Unit | None) -> bool:
    if unit is None:
        return False
    if sees_everything(user):
        return True
    own = getattr(user, "unit", None) if getattr(user, "is_authenticated", False) else None
    return own is not None and unit.path.startswith(own.path)


can_edit_unit = can_see_unit


def can_see_deleted(user, unit: Unit | None) -> bool:
    """A deleted record's history: whoever may see the unit it last belonged to; once that unit is
    deleted too, the city level (root-unit users and superusers), who see everything."""
    return sees_everything(user) if unit is None else can_see_unit(user, unit)


def scope(queryset: models.QuerySet, user, unit_field: str = "unit") -> models.QuerySet:
    """Limit a queryset of anything that belongs to a unit to what the user may see."""
    if sees_everything(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit is None:
        return queryset.none()
    lookup = "path__startswith" if queryset.model is Unit else f"{unit_field}__path__startswith"
    return queryset.filter(**{lookup: user.unit.path})


def visible_unit_ids(user) -> list[int] | None:
    """The ids of the units whose records the user may see (one query); None for users who see everything."""
    if sees_everything(user):
        return None
    return list(visible_units(user).values_list("pk", flat=True))


def scope_by_ids(queryset: models.QuerySet, unit_ids: list[int] | None, unit_field: str = "unit") -> models.QuerySet:
    """`scope` with the user's `visible_unit_ids`, written as "unit IN (ids)" so that an index that starts
    with the unit column serves it; everything (None) is the queryset as it is, which an index on the
    ordered or aggregated column serves."""
    return queryset if unit_ids is None else queryset.filter(**{f"{unit_field}__in": unit_ids})


def scope_users(queryset: models.QuerySet[User], user) -> models.QuerySet[User]:
    """Users a user may manage: superusers manage all; others the users of their subtree, never superusers."""
    if user.is_superuser:
        return queryset
    return scope(queryset, user).filter(is_superuser=False)


def get_object_or_404(queryset: models.QuerySet, user, unit_field: str = "unit", **lookup):
    """The object if it exists inside the user's scope; a 404 that confirms nothing otherwise."""
    try:
        return scope(queryset, user, unit_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("记录不存在,或不在您的管理范围内") from exc


def delete_refusal(user, record, check=None) -> str | None:
    """Why the user may not delete this ledger record (a Chinese sentence naming who can), or None.

    A 管理员 (the ledger's delete permission) deletes any record of their subtree; a 录入员 (delete_own)
    only a record of their own unit that they entered themselves. Nobody deletes a record a period
    lock covers. The portal and the admin both ask here. `check`: a youthwork.locks.lock_checker().
    """
    opts = record._meta
    if not can_edit_unit(user, record.unit):
        return "记录不在您的管理范围内"
    if message := record.locked_by(check):
        return message
    if user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
        return None
    if not user.has_perm(f"{opts.app_label}.delete_own_{opts.model_name}"):
        return f"您没有删除“{opts.verbose_name}”记录的权限"
    if record.unit_id != user.unit_id:
        return f"只有上级管理员可以删除这条记录:录入员只能删除本单位({user.unit})的记录"
    if record.created_by_id != user.pk:
        return "只有上级管理员可以删除这条记录:录入员只能删除自己录入的记录"
    return None


def may_delete_any(user, model) -> bool:
    """Whether the user may delete some records of the model (to offer deleting at all)."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.delete_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.delete_own_{opts.model_name}"
    )


def may_import(user) -> bool:
    """Whether the user may import at least one sheet (each sheet still asks its own permission): the
    导入工作簿 page in the admin and its entry in the portal's navigation."""
    from youthwork.ledgers import all_sheets  # the registry is complete once the apps are loaded

    return user.is_active and any(user.has_perm(sheet.perm("import")) for sheet in all_sheets())

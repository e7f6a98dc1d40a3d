"""The ledger registry: one declaration per ledger drives the admin, import, template, forms and lists.

A ledger is a LedgerRecord model plus a `@register(...)` line naming its columns in the data
dictionary's order. Everything a user reads comes from the model: the sheet name is the model's
verbose_name, each column header a field's verbose_name, the choices the field's choices, the natural
key the model's `natural_key(...)` constraint, the work area the app's verbose_name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import models

from youthwork.fields import AmountField, CountField, MultiChoiceField

_REGISTRY: list[Ledger] = []


@dataclass(frozen=True)
class Column:
    name: str  # model field name
    header: str  # the dictionary's Chinese column name
    required: bool
    kind: str  # text, date, count, amount, choice, multichoice, unit, venue
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    default: object = None

    @classmethod
    def from_field(cls, f: models.Field) -> Column:
        if isinstance(f, MultiChoiceField):
            kind, choices = "multichoice", tuple(f.labels)
        elif f.choices:
            kind, choices = "choice", tuple(value for value, _label in f.choices)
        elif isinstance(f, CountField):
            kind, choices = "count", ()
        elif isinstance(f, AmountField):
            kind, choices = "amount", ()
        elif isinstance(f, models.DateField):
            kind, choices = "date", ()
        elif isinstance(f, models.BooleanField):
            kind, choices = "choice", ("是", "否")
        elif isinstance(f, models.ForeignKey):
            kind, choices = ("unit" if f.related_model._meta.model_name == "unit" else "venue"), ()
        else:
            kind, choices = "text", ()
        has_default = f.has_default() and not isinstance(f, MultiChoiceField)
        required = not f.blank and not has_default and not isinstance(f, models.BooleanField)
        return cls(
            name=f.name,
            header=str(f.verbose_name),
            required=required,
            kind=kind,
            choices=choices,
            max_length=getattr(f, "max_length", None) if kind == "text" else None,
            default=f.get_default() if has_default else None,
        )


@dataclass(frozen=True)
class Ledger:
    model: type[models.Model]
    field_names: tuple[str, ...]
    search_fields: tuple[str, ...] = ()
    personal_fields: tuple[str, ...] = ()  # personal information of minors: masked without permission

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """The sheet's columns in the dictionary's order (read from the model once the app registry is ready)."""
        return tuple(Column.from_field(self.model._meta.get_field(name)) for name in self.field_names)

    @property
    def sheet_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def slug(self) -> str:
        return self.model._meta.model_name

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def area(self) -> str:
        """The work area (思想引领 / 关心关爱 / 权益维护): the owning app's verbose_name."""
        return str(apps.get_app_config(self.app_label).verbose_name)

    @property
    def natural_key(self) -> tuple[str, ...]:
        for constraint in self.model._meta.constraints:
            if constraint.name.endswith("_natural_key"):
                return tuple(constraint.fields)
        raise LookupError(f"{self.model.__name__} declares no natural_key(...) constraint")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    @property
    def choice_fields(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "choice")

    @property
    def sum_fields(self) -> tuple[str, ...]:
        """Counts and amounts: the columns a list totals."""
        return tuple(c.name for c in self.columns if c.kind in ("count", "amount"))

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def perm(self, action: str) -> str:
        """The permission string for add, change, delete, view, import or export."""
        return f"{self.app_label}.{action}_{self.slug}"


def register(*, columns: tuple[str, ...], search: tuple[str, ...] = (), personal: tuple[str, ...] = ()):
    """Class decorator that enters a ledger model in the registry, in the data dictionary's order."""

    def decorate(model):
        ledger = Ledger(
            model=model,
            field_names=tuple(columns),
            search_fields=tuple(search),
            personal_fields=tuple(personal),
        )
        _REGISTRY.append(ledger)
        model.ledger = ledger
        return model

    return decorate


def all_ledgers() -> list[Ledger]:
    """Every ledger, ordered as in the data dictionary (app order of INSTALLED_APPS, then declaration)."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_REGISTRY, key=lambda ledger: order.get(ledger.app_label, 99))


def get_ledger(key: str) -> Ledger:
    """A ledger by its slug (model name) or its sheet name."""
    for ledger in all_ledgers():
        if key in (ledger.slug, ledger.sheet_name):
            return ledger
    raise LookupError(key)


def areas() -> list[tuple[str, list[Ledger]]]:
    """The three work areas with their ledgers, in order."""
    grouped: dict[str, list[Ledger]] = {}
    for ledger in all_ledgers():
        grouped.setdefault(ledger.area, []).append(ledger)
    return list(grouped.items())

"""The sheet registry: one declaration per sheet drives the admin, import, template, exports, forms and lists.

Every sheet of the unit workbook is a `SheetSpec`: a model plus the columns the sheet holds, in the
data dictionary's order. The two core registers (组织单位, 阵地) are declared on their models with
`@register_sheet(columns=..., key=...)`; a ledger is a `Ledger`, the kind of sheet a work area adds,
declared with one line, `@register(columns=..., search=..., personal=...)`. Everything a user reads
comes from the model: the sheet name is the model's verbose_name, each column header a field's
verbose_name, the choices the field's choices, a ledger's natural key its `natural_key(...)`
constraint, its work area the app's verbose_name. What a column holds is its `ColumnKind`.

Sheets are found by lookup (`get_sheet(Unit)`, `get_sheet("阵地")`, `get_ledger("onlinelesson")`),
never by holding on to one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.apps import apps
from django.db import models

from youthwork.fields import AmountField, CountField, MultiChoiceField

_REGISTRY: list[SheetSpec] = []


class ColumnKind(StrEnum):
    """What a column holds, and so how it is read from a cell, checked, written, shown and totalled."""

    TEXT = "text"
    DATE = "date"
    COUNT = "count"  # a whole number of people, events… (totalled)
    AMOUNT = "amount"  # money in 元, two decimals (totalled)
    CHOICE = "choice"  # one of the field's choices (是/否 for a yes/no field)
    MULTICHOICE = "multichoice"  # several labels of a MultiChoiceField
    UNIT = "unit"  # a foreign key to a Unit, named by 编码 or name
    VENUE = "venue"  # a foreign key to a Venue, named by name

    @property
    def numeric(self) -> bool:
        """Counts and amounts: right-aligned, grouped by thousands, totalled in lists."""
        return self in (ColumnKind.COUNT, ColumnKind.AMOUNT)

    @property
    def related(self) -> bool:
        """A unit or a venue: stored as its id, shown and read by its name."""
        return self in (ColumnKind.UNIT, ColumnKind.VENUE)


@dataclass(frozen=True)
class Column:
    name: str  # model field name
    header: str  # the dictionary's Chinese column name
    required: bool
    kind: ColumnKind
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    default: object = None

    @classmethod
    def from_field(cls, f: models.Field) -> Column:
        if isinstance(f, MultiChoiceField):
            kind, choices = ColumnKind.MULTICHOICE, tuple(f.labels)
        elif f.choices:
            kind, choices = ColumnKind.CHOICE, tuple(value for value, _label in f.choices)
        elif isinstance(f, CountField):
            kind, choices = ColumnKind.COUNT, ()
        elif isinstance(f, AmountField):
            kind, choices = ColumnKind.AMOUNT, ()
        elif isinstance(f, models.DateField):
            kind, choices = ColumnKind.DATE, ()
        elif isinstance(f, models.BooleanField):
            kind, choices = ColumnKind.CHOICE, ("是", "否")
        elif isinstance(f, models.ForeignKey):
            kind = ColumnKind.UNIT if f.related_model._meta.model_name == "unit" else ColumnKind.VENUE
            choices = ()
        else:
            kind, choices = ColumnKind.TEXT, ()
        has_default = f.has_default() and not isinstance(f, MultiChoiceField)
        required = not f.blank and not has_default and not isinstance(f, models.BooleanField)
        return cls(
            name=f.name,
            header=str(f.verbose_name),
            required=required,
            kind=kind,
            choices=choices,
            max_length=getattr(f, "max_length", None) if kind == ColumnKind.TEXT else None,
            default=f.get_default() if has_default else None,
        )


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook: a model, its columns in the dictionary's order, the key that finds a row's record."""

    model: type[models.Model]
    field_names: tuple[str, ...]
    declared_key: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    personal_fields: tuple[str, ...] = ()  # personal information of minors: masked without permission

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """The sheet's columns in the dictionary's order (read from the model once the app registry is ready)."""
        return tuple(Column.from_field(self.model._meta.get_field(name)) for name in self.field_names)

    @property
    def name(self) -> str:
        """The sheet's name in the workbook, the model's verbose_name (组织单位, 网上团队课 …)."""
        return str(self.model._meta.verbose_name)

    @property
    def slug(self) -> str:
        return self.model._meta.model_name

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def key(self) -> tuple[str, ...]:
        """The columns that together find a row's stored record (an import updates it instead of adding one)."""
        return self.declared_key

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    @property
    def choice_fields(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == ColumnKind.CHOICE)

    @property
    def sum_fields(self) -> tuple[str, ...]:
        """Counts and amounts: the columns a list totals."""
        return tuple(c.name for c in self.columns if c.kind.numeric)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def perm(self, action: str) -> str:
        """The permission string for add, change, delete, view, import, export (or view_personal)."""
        return f"{self.app_label}.{action}_{self.slug}"


@dataclass(frozen=True)
class Ledger(SheetSpec):
    """A sheet of records a work area keeps (a LedgerRecord model): dated, of a unit, counted by the report."""

    @property
    def area(self) -> str:
        """The work area (思想引领 / 关心关爱 / 权益维护): the owning app's verbose_name."""
        return str(apps.get_app_config(self.app_label).verbose_name)

    @cached_property
    def key(self) -> tuple[str, ...]:
        """The natural key: the fields of the model's `natural_key(...)` constraint."""
        for constraint in self.model._meta.constraints:
            if constraint.name.endswith("_natural_key"):
                return tuple(constraint.fields)
        raise LookupError(f"{self.model.__name__} declares no natural_key(...) constraint")


def register_sheet(*, columns: tuple[str, ...], key: tuple[str, ...]):
    """Class decorator that enters a core register (组织单位, 阵地) in the registry as a sheet of the workbook."""

    def decorate(model):
        _REGISTRY.append(SheetSpec(model=model, field_names=tuple(columns), declared_key=tuple(key)))
        return model

    return decorate


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


def all_sheets() -> list[SheetSpec]:
    """Every sheet in import order: the core registers (组织单位, then 阵地) first, so that a ledger row may
    name a unit or venue of the same workbook, then the ledgers in the data dictionary's order."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_REGISTRY, key=lambda sheet: (isinstance(sheet, Ledger), order.get(sheet.app_label, len(order))))


def all_ledgers() -> list[Ledger]:
    """Every ledger, ordered as in the data dictionary (app order of INSTALLED_APPS, then declaration)."""
    return [sheet for sheet in all_sheets() if isinstance(sheet, Ledger)]


def get_sheet(key) -> SheetSpec:
    """A sheet by itself, its model, its name (组织单位) or its slug (unit)."""
    if isinstance(key, SheetSpec):
        return key
    for sheet in all_sheets():
        if key in (sheet.model, sheet.name, sheet.slug):
            return sheet
    raise LookupError(key)


def get_ledger(key) -> Ledger:
    """A ledger by its slug (model name), its sheet name or its model."""
    sheet = get_sheet(key)
    if not isinstance(sheet, Ledger):
        raise LookupError(key)
    return sheet


def areas() -> list[tuple[str, list[Ledger]]]:
    """The three work areas with their ledgers, in order."""
    grouped: dict[str, list[Ledger]] = {}
    for ledger in all_ledgers():
        grouped.setdefault(ledger.area, []).append(ledger)
    return list(grouped.items())

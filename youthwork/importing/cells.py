"""The workbook's sheets and their django-import-export resources, generated from the ledger registry.

A `Sheet` is one sheet of the unit workbook: the two core registers (`组织单位`, `阵地`) and the
fourteen ledgers, in the data dictionary's order, with their columns (header, kind, required,
choices, default) and natural key read from the models. `resource_for(...)` makes the resource of a
sheet from that declaration; nothing here is written per ledger.

The widgets are where a cell becomes a value: they apply the dictionary's cleaning rules (trim,
full-width digits, zero-width characters, thousands separators, the five date forms and Excel serial
numbers, multi-choice separators) and resolve units and venues from tables loaded once per import.
They raise ValueError with the reason a staff member reads. Model rules (counts >= 0, two decimals,
multi-choice labels, 入团入队仪式 only for schools, locks) stay on the models; the importer asks them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.db import models
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from youthwork import access, privacy
from youthwork.ledgers import Column, Ledger, all_ledgers
from youthwork.models import Unit, Venue
from youthwork.spreadsheets import safe_text

# --- cleaning a cell ------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the ideographic space; the rest of free text
# (Chinese punctuation such as ，and（）) is kept as typed.
_FULL_WIDTH_ALNUM = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}
_MINUS = {0x2212: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D, 0xFE63: 0x2D}


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.translate(_ZERO_WIDTH).strip())


def clean_text(value) -> str:
    """Free text: trimmed, control and zero-width characters removed, full-width digits and letters made ASCII."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        value = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return safe_text(str(value)).translate(_ZERO_WIDTH).translate(_FULL_WIDTH_ALNUM).strip()


def normalise(value) -> str:
    """A code, label, number or date typed as text: NFKC (all full-width forms), zero-width removed, trimmed."""
    return unicodedata.normalize("NFKC", clean_text(value)).translate(_MINUS).strip()


def _reason_value(value) -> str:
    text = clean_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_DATE_FORMS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
_SERIAL = re.compile(r"\d{1,5}")


def parse_date(value, date1904: bool = False) -> dt.date:
    """A date cell, an Excel serial number, or text in one of the five forms; anything else is refused.

    Year, month and day are always read in that order, so day and month are never swapped. Which dates
    a record may have (2000-01-01 to today) is the model field's rule (youthwork.fields.LedgerDateField),
    checked with the rest of the row, so the importer says what the portal and the admin say.
    """
    result = None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        result = _from_serial(value, date1904)
    elif isinstance(value, str):
        text = normalise(value)
        if _SERIAL.fullmatch(text):
            result = _from_serial(int(text), date1904)
        for form in _DATE_FORMS:
            match = form.fullmatch(text)
            if match:
                try:
                    result = dt.date(*(int(part) for part in match.groups()))
                except ValueError:
                    result = None
                break
    if result is None:
        raise ValueError(f"日期无法识别:{_reason_value(value)}")
    return result


def _from_serial(serial, date1904: bool) -> dt.date | None:
    if not math.isfinite(serial) or serial < 1 or serial > 80000:
        return None
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return epoch + dt.timedelta(days=int(serial))


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(value, header: str, kind: str) -> Decimal:
    """A number cell or text like `1,234`, `１２３４`, `12.50`; a reason naming the column otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{header}应为{kind}:{_reason_value(value)}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{header}应为{kind}:{_reason_value(value)}")
        # Excel stores numbers as binary floats: 0.1 + 0.2 comes back as 0.30000000000000004.
        return Decimal(repr(round(value, 9)))
    text = normalise(value)
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(f"{header}应为{kind}:{_reason_value(value)}")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{header}应为{kind}:{_reason_value(value)}") from exc


MULTI_CHOICE_SEPARATORS = re.compile(r"[、,;/]")  # after NFKC, ，；／ have become , ; /


# --- units and venues, loaded once per import -----------------------------------------------------


class UnitNotFound(ValueError):
    """No editable unit has that 编码 or name."""


class VenueOutOfScope(ValueError):
    """A venue outside the user's units: usable only by a record that already names it."""

    def __init__(self, message: str, venue: Venue):
        super().__init__(message)
        self.venue = venue


class UnitDirectory:
    """Every unit, loaded in one query, found by 单位编码 or by a name that is unique in the user's scope."""

    def __init__(self, user=None):
        self.user = user
        self.full_scope = user is None or access.sees_everything(user)
        self.reload()

    def reload(self):
        self.by_id: dict[int, Unit] = {unit.pk: unit for unit in Unit.objects.all()}
        if self.full_scope:
            self.editable: set[int] | None = None
        else:
            self.editable = set(access.editable_units(self.user).values_list("pk", flat=True))
        self._index()

    def _index(self):
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in self.by_id.values():
            self._enter(unit)

    def _enter(self, unit: Unit):
        if unit.code:
            self.by_code[normalise(unit.code)] = unit
        self.by_name.setdefault(normalise(unit.name), []).append(unit)

    def add(self, unit: Unit):
        """A unit created or changed during the import (the index follows its new name and code)."""
        old = self.by_id.get(unit.pk)
        if old is not None:
            if old.code and self.by_code.get(normalise(old.code)) is old:
                del self.by_code[normalise(old.code)]
            self.by_name[normalise(old.name)].remove(old)
        self.by_id[unit.pk] = unit
        if self.editable is not None:
            self.editable.add(unit.pk)
        self._enter(unit)

    def can_edit(self, unit: Unit) -> bool:
        return self.editable is None or unit.pk in self.editable

    def _missing(self, text: str) -> UnitNotFound:
        if self.full_scope:
            return UnitNotFound(f"单位“{text}”不存在")
        return UnitNotFound(f"单位“{text}”不存在,或不在您的管理范围内")

    def resolve(self, value) -> Unit:
        """The editable unit a cell names (by 编码, else by a unique name), or ValueError with the reason."""
        text = normalise(value)
        unit = self.by_code.get(text)
        if unit is not None:
            if not self.can_edit(unit):
                raise self._missing(text)
            return unit
        candidates = [unit for unit in self.by_name.get(text, ()) if self.can_edit(unit)]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(f"单位“{text}”有多个,请填写单位编码")
        raise self._missing(text)

    def find_any(self, value) -> Unit | None:
        """The unit a cell names among all units, whatever the scope (None if absent or ambiguous)."""
        text = normalise(value)
        if text in self.by_code:
            return self.by_code[text]
        candidates = self.by_name.get(text, [])
        return candidates[0] if len(candidates) == 1 else None

    def label(self, unit_id) -> str:
        """How an export names a unit: its name, or its 编码 when the name is shared."""
        unit = self.by_id.get(unit_id)
        if unit is None:
            return ""
        if unit.code and len(self.by_name.get(normalise(unit.name), ())) > 1:
            return unit.code
        return unit.name


class VenueDirectory:
    """The venues of the user's units, loaded in one query, found by name."""

    def __init__(self, user=None, units: UnitDirectory | None = None):
        self.user = user
        self.units = units
        self.reload()

    def reload(self):
        # Every venue by id (an export names a record's venue even if it belongs to another unit);
        # by name only the venues the user may use, as the admin's venue choices.
        self.by_id: dict[int, Venue] = {venue.pk: venue for venue in Venue.objects.all()}
        usable = self.by_id.values()
        if self.user is not None and not access.sees_everything(self.user):
            allowed = set(access.scope(Venue.objects.all(), self.user).values_list("pk", flat=True))
            usable = [venue for venue in usable if venue.pk in allowed]
        self.by_name: dict[str, list[Venue]] = {}
        for venue in usable:
            self.by_name.setdefault(normalise(venue.name), []).append(venue)

    def resolve(self, value, unit: Unit | None) -> Venue:
        text = normalise(value)
        found = self._pick(self.by_name.get(text, []), unit, text)
        if found is not None:
            return found
        if self.user is None or access.sees_everything(self.user):
            raise ValueError(f"阵地“{text}”不存在,请先在阵地表中登记")
        message = f"阵地“{text}”不存在或不在您的管理范围内,请先在阵地表中登记"
        outside = [venue for venue in self.by_id.values() if normalise(venue.name) == text]
        try:
            other = self._pick(outside, unit, text)
        except ValueError:
            other = None
        if other is not None:
            raise VenueOutOfScope(message, other)
        raise ValueError(message)

    def _pick(self, candidates: list[Venue], unit: Unit | None, text: str) -> Venue | None:
        if len(candidates) > 1 and unit is not None and self.units is not None:
            # The same name in several units: the row's own unit, else its nearest ancestor.
            def path_of(venue):
                owner = self.units.by_id.get(venue.unit_id)
                return owner.path if owner else ""

            related = [venue for venue in candidates if unit.path.startswith(path_of(venue))]
            if related:
                longest = max(len(path_of(venue)) for venue in related)
                candidates = [venue for venue in related if len(path_of(venue)) == longest]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(f"阵地“{text}”有多个,无法确定是哪个单位的阵地,请先在阵地表中改用不同的名称")
        return None

    def label(self, venue_id) -> str:
        venue = self.by_id.get(venue_id)
        return venue.name if venue else ""


class Lookups:
    """What the widgets of one import or export share: the user, units and venues, the date system."""

    def __init__(self, user=None):
        self.user = user
        self.units = UnitDirectory(user)
        self.venues = VenueDirectory(user, self.units)
        self.date1904 = False


# --- widgets --------------------------------------------------------------------------------------


class CellWidget(widgets.Widget):
    """Cleans one column's cells (ValueError with the reason) and renders values for export.

    Repeated cells (the same unit, choice or date on thousands of rows) are cleaned once.
    """

    def __init__(self, column: Column):
        widgets.Widget.__init__(self, coerce_to_string=False)
        self.column = column
        self.lookups: Lookups | None = None
        self._memo: dict = {}

    def bind(self, lookups: Lookups):
        self.lookups = lookups
        self._memo = {}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            key = (type(value), value)
            hash(key)
        except TypeError:
            return self.convert(value)
        cached = self._memo.get(key)
        if cached is None:
            try:
                cached = (True, self.convert(value))
            except ValueError as exc:
                cached = (False, exc)
            if len(self._memo) < 100_000:
                self._memo[key] = cached
        ok, result = cached
        if not ok:
            raise result
        return result

    def convert(self, value):
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        return value

    def display(self, value) -> str:
        """The value as the import preview shows it."""
        rendered = self.render(value)
        if rendered is None:
            return ""
        if isinstance(rendered, dt.date):
            return rendered.isoformat()
        return str(rendered)


class TextWidget(CellWidget):
    def convert(self, value):
        text = clean_text(value)
        limit = self.column.max_length
        if limit and len(text) > limit:
            raise ValueError(f"{self.column.header}不能超过{limit}个字(现有{len(text)}个字)")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodeWidget(TextWidget):
    """单位编码: normalised like every identifier (full-width forms, spaces)."""

    def convert(self, value):
        return super().convert(normalise(value))


class DateWidget(CellWidget):
    def convert(self, value):
        return parse_date(value, self.lookups.date1904 if self.lookups else False)


class CountWidget(CellWidget):
    def convert(self, value):
        number = parse_number(value, self.column.header, "整数")
        if number != number.to_integral_value():
            raise ValueError(f"{self.column.header}应为整数:{_reason_value(value)}")
        return int(number)  # a negative or too large count is left to the model, which names the column


class AmountWidget(CellWidget):
    def convert(self, value):
        number = parse_number(value, self.column.header, "数字")
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
        return number.normalize()  # 12.50 -> 12.5; a third decimal is left to the model's rule


class ChoiceWidget(CellWidget):
    def convert(self, value):
        text = normalise(value)
        if text not in self.column.choices:
            labels = "、".join(self.column.choices)
            raise ValueError(f"{self.column.header}只能填写:{labels};“{_reason_value(value)}”不在其中")
        return text


class YesNoWidget(ChoiceWidget):
    """A yes/no column (提供食宿): 是 or 否."""

    def convert(self, value):
        if isinstance(value, bool):
            return value
        return super().convert(value) == "是"

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class MultiChoiceWidget(CellWidget):
    """Labels separated by 、 , ， ; ； or /; which labels are allowed is the model field's rule."""

    def convert(self, value):
        return [label.strip() for label in MULTI_CHOICE_SEPARATORS.split(normalise(value)) if label.strip()]

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class UnitWidget(CellWidget, widgets.ForeignKeyWidget):
    """A unit by 单位编码 or unique 单位名称, resolved from the table loaded once (no query per row)."""

    def __init__(self, column: Column):
        CellWidget.__init__(self, column)
        self.model, self.field, self.use_natural_foreign_keys, self.key_is_id = Unit, "pk", False, True

    def convert(self, value):
        return self.lookups.units.resolve(value)

    def render(self, value, obj=None, **kwargs):
        return self.lookups.units.label(value) if value else ""


class VenueWidget(CellWidget, widgets.ForeignKeyWidget):
    """A venue by name; when several units have one of that name, the row's unit or its nearest ancestor's."""

    def __init__(self, column: Column):
        CellWidget.__init__(self, column)
        self.model, self.field, self.use_natural_foreign_keys, self.key_is_id = Venue, "pk", False, True

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        unit = (row or {}).get("unit")
        return self.lookups.venues.resolve(value, unit if isinstance(unit, Unit) else None)

    def render(self, value, obj=None, **kwargs):
        return self.lookups.venues.label(value) if value else ""


def widget_for(column: Column, field: models.Field) -> CellWidget:
    if isinstance(field, models.BooleanField):
        return YesNoWidget(column)
    if column.name == "code" and field.model is Unit:
        return CodeWidget(column)
    return {
        "text": TextWidget,
        "date": DateWidget,
        "count": CountWidget,
        "amount": AmountWidget,
        "choice": ChoiceWidget,
        "multichoice": MultiChoiceWidget,
        "unit": UnitWidget,
        "venue": VenueWidget,
    }[column.kind](column)


# --- the sheets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: a model, its columns in the dictionary's order, its natural key."""

    model: type[models.Model]
    field_names: tuple[str, ...]
    key: tuple[str, ...]
    ledger: Ledger | None = None

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        if self.ledger is not None:
            return self.ledger.columns
        return tuple(Column.from_field(self.model._meta.get_field(name)) for name in self.field_names)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [column.header for column in self.columns if column.required]

    def perm(self, action: str) -> str:
        """The permission to import or export this sheet (app_label.import_model)."""
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


UNITS_SHEET = Sheet(Unit, ("name", "parent", "unit_type", "code"), key=("code",))
VENUES_SHEET = Sheet(
    Venue, ("name", "unit", "venue_type", "opened_on", "provides_lodging", "note"), key=("unit", "name")
)
INSTRUCTIONS_SHEET = "填表说明"


@functools.cache
def sheets() -> tuple[Sheet, ...]:
    """Every sheet in import order: 组织单位 and 阵地 first, then the ledgers in the dictionary's order."""
    ledgers = tuple(Sheet(ledger.model, ledger.field_names, ledger.natural_key, ledger) for ledger in all_ledgers())
    return (UNITS_SHEET, VENUES_SHEET, *ledgers)


def get_sheet(key) -> Sheet:
    """A sheet by its name, its model, its ledger or the ledger's slug."""
    if isinstance(key, Sheet):
        return key
    if isinstance(key, Ledger):
        key = key.model
    for sheet in sheets():
        if key in (sheet.model, sheet.name, sheet.model._meta.model_name):
            return sheet
    raise LookupError(key)


# --- resources ------------------------------------------------------------------------------------


class SheetResource(resources.ModelResource):
    """The resource of one sheet. Importing goes through youthwork.importing (one engine for the admin's
    per-ledger import and the whole-workbook import); exporting writes what that engine reads back."""

    sheet: Sheet

    def __init__(self, user=None, lookups: Lookups | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._lookups = lookups

    def bind_lookups(self) -> Lookups:
        """Load units and venues once (one query each) and hand them to every widget of this resource."""
        if self._lookups is None:
            self._lookups = Lookups(self.user)
        for field in self.fields.values():
            if field.widget.lookups is not self._lookups:
                field.widget.bind(self._lookups)
        return self._lookups

    def column_fields(self) -> dict[str, fields.Field]:
        """Model field name -> resource field, in the sheet's column order, widgets bound to the lookups."""
        self.bind_lookups()
        return {column.name: self.fields[column.name] for column in self.sheet.columns}

    # Import: the engine reads the raw sheet and answers with counts, errors and the first rows.
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        from youthwork.importing import engine as importing

        user = kwargs.get("user") or self.user
        outcome = importing.import_sheets(
            [(self.sheet, importing.raw_sheet_of(dataset, self.sheet))],
            user,
            dry_run,
            file_name=kwargs.get("file_name") or "",
        )
        return importing.as_import_export_result(outcome)

    # Export: native values (dates, numbers), the names the importer resolves, personal data masked.
    def before_export(self, queryset, **kwargs):
        self.bind_lookups()  # units and venues are named from tables loaded once, not a query per row
        self._hidden = privacy.hidden_fields(self.user, self.sheet)

    def export_field(self, field, instance, **kwargs):
        value = field.get_value(instance)
        if self.get_field_name(field) in self._hidden:
            return privacy.mask_name(value)
        return field.widget.render(value)

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = self.sheet.name

    @classmethod
    def get_display_name(cls):
        return cls.sheet.name


_RESOURCES: dict[type, type[SheetResource]] = {}


def resource_for(key) -> type[SheetResource]:
    """The django-import-export resource of a sheet (by name, model, ledger or slug), made once."""
    sheet = get_sheet(key)
    if sheet.model not in _RESOURCES:
        declared = {}
        for column in sheet.columns:
            field = sheet.field(column.name)
            declared[column.name] = fields.Field(
                attribute=field.attname, column_name=column.header, widget=widget_for(column, field)
            )
        meta = type(
            "Meta",
            (),
            {
                "model": sheet.model,
                "fields": tuple(sheet.field_names),
                "export_order": tuple(sheet.field_names),
                "import_id_fields": tuple(sheet.key),
                "name": sheet.name,
            },
        )
        name = f"{sheet.model.__name__}Resource"
        _RESOURCES[sheet.model] = type(
            name, (SheetResource,), {**declared, "Meta": meta, "sheet": sheet, "__module__": __name__}
        )
    return _RESOURCES[sheet.model]


# --- the admin's file format ----------------------------------------------------------------------


class SheetXLSX(XLSX):
    """XLSX for one sheet: import reads that sheet (or a one-sheet file) as the importer reads a
    workbook; export writes native dates and numbers and guards formula-like text (spreadsheets.py)."""

    sheet: Sheet | None = None

    def create_dataset(self, in_stream):
        from youthwork.importing import engine as importing

        return importing.sheet_dataset(in_stream, self.sheet)

    def export_data(self, dataset, **kwargs):
        from youthwork import workbooks

        return workbooks.dataset_to_xlsx(dataset, self.sheet)


@functools.cache
def format_for(sheet: Sheet) -> type[SheetXLSX]:
    return type(f"{sheet.model.__name__}XLSX", (SheetXLSX,), {"sheet": sheet})

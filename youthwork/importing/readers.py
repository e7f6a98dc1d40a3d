"""A column's reader: how a cell of that column becomes a value, and how a value is written back.

One reader class per ColumnKind (youthwork.ledgers), made for a sheet's columns by `readers_for`. A
reader cleans a cell with the rules of youthwork.importing.cells (ValueError with the reason, naming
the column), resolves units and venues from the tables an import loads once (Lookups), and renders a
stored value as the importer reads it back (exports, the import preview). The admin's
django-import-export widgets wrap these readers (youthwork.admin.resources); nothing here knows them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models

from youthwork.importing.cells import (
    MULTI_CHOICE_SEPARATORS,
    clean_text,
    is_blank,
    normalise,
    parse_date,
    parse_number,
    reason_value,
)
from youthwork.importing.directories import Lookups
from youthwork.ledgers import Column, ColumnKind, SheetSpec
from youthwork.models import Unit


class CellReader:
    """Cleans one column's cells (ValueError with the reason) and renders values for export.

    Repeated cells (the same unit, choice or date on thousands of rows) are cleaned once. The memo holds
    at most MEMO_SIZE cells and starts again when full: a column of distinct texts (a theme, a name) would
    otherwise keep a copy of every cell of the sheet, while the repeated ones are soon cached again.
    """

    MEMO_SIZE = 20_000

    def __init__(self, column: Column):
        self.column = column
        self.lookups: Lookups | None = None
        self._memo: dict = {}

    def bind(self, lookups: Lookups) -> CellReader:
        self.lookups = lookups
        self._memo = {}
        return self

    def clean(self, value, row=None):
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
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = cached
        ok, result = cached
        if not ok:
            raise result
        return result

    def convert(self, value):
        raise NotImplementedError

    def render(self, value):
        return value

    def display(self, value) -> str:
        """The value as the import preview shows it."""
        rendered = self.render(value)
        if rendered is None:
            return ""
        if isinstance(rendered, dt.date):
            return rendered.isoformat()
        return str(rendered)


class TextReader(CellReader):
    def convert(self, value):
        text = clean_text(value)
        limit = self.column.max_length
        if limit and len(text) > limit:
            raise ValueError(f"{self.column.header}不能超过{limit}个字(现有{len(text)}个字)")
        return text

    def render(self, value):
        return value or ""


class CodeReader(TextReader):
    """单位编码: normalised like every identifier (full-width forms, spaces)."""

    def convert(self, value):
        return super().convert(normalise(value))


class DateReader(CellReader):
    def convert(self, value):
        return parse_date(value, self.lookups.date1904 if self.lookups else False)


class CountReader(CellReader):
    def convert(self, value):
        number = parse_number(value, self.column.header, "整数")
        if number != number.to_integral_value():
            raise ValueError(f"{self.column.header}应为整数:{reason_value(value)}")
        return int(number)  # a negative or too large count is left to the model, which names the column


class AmountReader(CellReader):
    def convert(self, value):
        number = parse_number(value, self.column.header, "数字")
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
        return number.normalize()  # 12.50 -> 12.5; a third decimal is left to the model's rule


class ChoiceReader(CellReader):
    def convert(self, value):
        text = normalise(value)
        if text not in self.column.choices:
            labels = "、".join(self.column.choices)
            raise ValueError(f"{self.column.header}只能填写:{labels};“{reason_value(value)}”不在其中")
        return text


class YesNoReader(ChoiceReader):
    """A yes/no column (提供食宿): 是 or 否."""

    def convert(self, value):
        if isinstance(value, bool):
            return value
        return super().convert(value) == "是"

    def render(self, value):
        return "是" if value else "否"


class MultiChoiceReader(CellReader):
    """Labels separated by 、 , ， ; ； or /; which labels are allowed is the model field's rule."""

    def convert(self, value):
        return [label.strip() for label in MULTI_CHOICE_SEPARATORS.split(normalise(value)) if label.strip()]

    def render(self, value):
        return "、".join(value or [])


class UnitReader(CellReader):
    """A unit by 单位编码 or unique 单位名称, resolved from the table loaded once (no query per row)."""

    def convert(self, value):
        return self.lookups.units.resolve(value)

    def render(self, value):
        return self.lookups.units.label(value) if value else ""


class VenueReader(CellReader):
    """A venue by name; when several units have one of that name, the row's unit or its nearest ancestor's."""

    def clean(self, value, row=None):
        if is_blank(value):
            return None
        unit = (row or {}).get("unit")
        return self.lookups.venues.resolve(value, unit if isinstance(unit, Unit) else None)

    def render(self, value):
        return self.lookups.venues.label(value) if value else ""


READERS: dict[ColumnKind, type[CellReader]] = {
    ColumnKind.TEXT: TextReader,
    ColumnKind.DATE: DateReader,
    ColumnKind.COUNT: CountReader,
    ColumnKind.AMOUNT: AmountReader,
    ColumnKind.CHOICE: ChoiceReader,
    ColumnKind.MULTICHOICE: MultiChoiceReader,
    ColumnKind.UNIT: UnitReader,
    ColumnKind.VENUE: VenueReader,
}


def reader_for(column: Column, field: models.Field) -> CellReader:
    """The reader of a column: by its kind, a yes/no field's 是/否, a unit's 编码 normalised like an identifier."""
    if isinstance(field, models.BooleanField):
        return YesNoReader(column)
    if column.name == "code" and field.model is Unit:
        return CodeReader(column)
    return READERS[column.kind](column)


def readers_for(sheet: SheetSpec, lookups: Lookups) -> dict[str, CellReader]:
    """A fresh reader for every column of the sheet (model field name -> reader), bound to one import's lookups."""
    return {column.name: reader_for(column, sheet.field(column.name)).bind(lookups) for column in sheet.columns}

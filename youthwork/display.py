"""How a record's values read on the pages: numbers grouped, amounts with two decimals, names of minors masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from youthwork.ledgers import Column, ColumnKind
from youthwork.privacy import mask_name


def format_count(value) -> str:
    return "" if value is None else f"{int(value):,}"


def format_amount(value) -> str:
    if value is None:
        return ""
    # SQLite sums decimals in floating point: round to cents before formatting (see shared/MEASURED.md).
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def unit_choice(unit) -> str:
    """A unit where one is chosen from many (the admin's dropdowns and their search): its parent, its name and its
    code, so that two schools of one name are told apart (甲街道团工委 › 甲区第一小学(A1S)). Reads unit.parent."""
    name = f"{unit.name}({unit.code})"
    return f"{unit.parent.name} › {name}" if unit.parent_id else name


def format_value(column: Column, value) -> str:
    if value is None or value == "":
        return ""
    if column.kind == ColumnKind.COUNT:
        return format_count(value)
    if column.kind == ColumnKind.AMOUNT:
        return format_amount(value)
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


@dataclass(frozen=True)
class Cell:
    column: Column
    text: str

    @property
    def numeric(self) -> bool:
        return self.column.kind.numeric


def cells(record, columns, *, masked: tuple[str, ...] = ()) -> list[Cell]:
    """The record's values as text, column by column; `masked` columns read as 张**."""
    row = []
    for column in columns:
        value = getattr(record, column.name)
        text = mask_name(value) if column.name in masked else format_value(column, value)
        row.append(Cell(column, text))
    return row

"""What happened to a record: who changed it, when, and which columns from what to what.

The records are django-simple-history's (every ledger, Unit and Venue has a `history`; see
youthwork.models.History). Requests record their user through HistoryRequestMiddleware; the importer and
load_demo write their history in bulk with the importing user and a reason (导入工作簿 <file name>,
演示数据). This module turns one record's historical rows into entries for the admin's history page and
the portal's 修改记录, with the columns' Chinese headers and values formatted as on the pages; the
personal columns a user may not read are masked there too. Who may see a record's history is who may see
the record (youthwork.access): callers look the record up in scope first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from youthwork.display import format_value
from youthwork.ledgers import Column
from youthwork.privacy import mask_name

ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class Change:
    header: str
    old: str
    new: str


@dataclass
class Entry:
    """One historical row: the change it records against the row before it."""

    row: models.Model
    action: str
    # None: the row before is not recorded (a record that existed before its history was kept).
    changes: list[Change] | None

    @property
    def when(self) -> dt.datetime:
        return self.row.history_date

    @property
    def user(self):
        return self.row.history_user

    @property
    def reason(self) -> str:
        return self.row.history_change_reason or ""


def columns(model: type[models.Model]) -> list[Column]:
    """The recorded columns as users know them: the ledger's in the dictionary's order, else the model's fields."""
    ledger = getattr(model, "ledger", None)
    if ledger is not None:
        return list(ledger.columns)
    tracked = {field.name for field in model.history.model.tracked_fields}
    return [
        Column.from_field(field)
        for field in model._meta.concrete_fields
        if field.name in tracked and field.editable and not field.primary_key
    ]


def rows_of(obj_or_model, pk=None) -> models.QuerySet:
    """The historical rows of one record (newest first), with their users."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    pk = obj_or_model.pk if pk is None else pk
    return model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")


def entries(model: type[models.Model], rows, *, masked: tuple[str, ...] = ()) -> list[Entry]:
    """Entries for historical rows of one record of `model` (any order; returned newest first).

    The oldest row given is compared with the row recorded before it (one query) unless it is the
    creation; related units and venues are named with one query per related model. `masked`: columns
    whose values read 张** (names of minors for users without the permission).
    """
    rows = sorted(rows, key=lambda row: (row.history_date, row.history_id))
    if not rows:
        return []
    earlier = _row_before(model, rows[0]) if rows[0].history_type != "+" else None
    shown = columns(model)
    names = _related_names(model, shown, [*rows, *([earlier] if earlier else [])])
    found = []
    previous = earlier
    for row in rows:
        changes: list[Change] | None = []
        if row.history_type == "~":
            if previous is None:
                changes = None
            else:
                changes = [
                    Change(column.header, *(_text(column, value, names, masked) for value in (old, new)))
                    for column in shown
                    if (old := _value(previous, column)) != (new := _value(row, column))
                ]
        found.append(Entry(row, ACTIONS.get(row.history_type, row.history_type), changes))
        previous = row
    found.reverse()
    return found


def _row_before(model, row):
    pk_name = model._meta.pk.attname
    earlier = Q(history_date__lt=row.history_date) | Q(history_date=row.history_date, history_id__lt=row.history_id)
    rows = model.history.filter(earlier, **{pk_name: getattr(row, pk_name)})
    return rows.order_by("-history_date", "-history_id").first()


def _attname(column: Column) -> str:
    return f"{column.name}_id" if column.kind.related else column.name


def _value(row, column: Column):
    value = getattr(row, _attname(column))
    return None if value == "" or value == [] else value


def _related_names(model, shown: list[Column], rows) -> dict[tuple[str, object], str]:
    """(column name, pk) -> name of the unit or venue, for every unit and venue the rows mention."""
    names: dict[tuple[str, object], str] = {}
    for column in shown:
        if not column.kind.related:
            continue
        related = model._meta.get_field(column.name).related_model
        ids = {pk for row in rows if (pk := getattr(row, _attname(column))) is not None}
        for pk, name in related._default_manager.filter(pk__in=ids).values_list("pk", "name"):
            names[(column.name, pk)] = name
    return names


def _text(column: Column, value, names, masked) -> str:
    if value is None:
        return ""
    if column.name in masked:
        return mask_name(value)
    if column.kind.related:
        return names.get((column.name, value), f"已删除(编号{value})")
    if isinstance(value, bool):
        return "是" if value else "否"
    return format_value(column, value)


def bulk_create_recorded(objs, model, *, user, reason: str, date: dt.datetime, batch_size: int = 1000):
    """bulk_create the records, then copy them into their history inside the database.

    simple_history's bulk_create_with_history builds one historical model instance a row in Python,
    which doubled an import's write time; here each batch's history is one INSERT … SELECT of the rows
    just written, with the same columns, user, reason and date (history_type "+").
    """
    if not connection.features.can_return_rows_from_bulk_insert:  # no ids back: the library finds them
        return bulk_create_with_history(
            objs, model, batch_size=batch_size, default_user=user, default_change_reason=reason, default_date=date
        )
    created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    pks = [obj.pk for obj in created]
    history_model = model.history.model
    tracked = history_model.tracked_fields
    history_columns = {
        "history_date": models.Value(date, output_field=models.DateTimeField()),
        "history_change_reason": models.Value(reason, output_field=models.CharField()),
        "history_type": models.Value("+", output_field=models.CharField()),
        "history_user_id": models.Value(getattr(user, "pk", None), output_field=models.BigIntegerField()),
    }
    target = [history_model._meta.get_field(f.name).column for f in tracked] + list(history_columns)
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(quote(c) for c in target)}) "
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            select = (
                model._base_manager.filter(pk__in=pks[start : start + batch_size])
                .annotate(**{f"_h_{name}": value for name, value in history_columns.items()})
                .order_by("pk")
                .values_list(*[f.attname for f in tracked], *[f"_h_{name}" for name in history_columns])
            )
            sql, params = select.query.sql_with_params()
            cursor.execute(into + sql, params)
    return created

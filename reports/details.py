"""The annex's 明细 sheets: the records behind a report's figures, one sheet per ledger.

A report's figures read the records of its unit with all its descendants dated in the period, and for
the 今年以来 figures from 1 January of the period's year (a range across New Year: the range itself;
youthwork.metrics.Slice.span). Each sheet lists exactly those records, with their id (记录编号, the id
of the portal's record page), the path of their unit from the top of the tree, every column of the
ledger, and whether the record falls in the period (本期) or only in 今年以来.

Names of minors (a ledger's personal columns) read masked, 王**, unless the reader may read them
(youthwork.privacy); a file built for no one in particular (定稿, which anyone with the report may download)
masks them too. Records are read with `iterator()` and written as they come: memory stays flat however
many there are.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from reports.document import DetailSheet
from youthwork import privacy
from youthwork.ledgers import ColumnKind, Ledger, all_ledgers
from youthwork.metrics import Slice
from youthwork.models import PATH_STEP, Unit
from youthwork.periods import Period

SHEET_PREFIX = "明细-"
CHUNK = 2000
IN_PERIOD, YTD_ONLY = "本期", "今年以来"
KINDS = {ColumnKind.COUNT: "count", ColumnKind.AMOUNT: "amount", ColumnKind.DATE: "date"}


def unit_paths(unit: Unit) -> dict[str, str]:
    """{unit path: 团市委/甲区团委/甲街道团工委} for the unit's subtree, named from the top of the tree (one query)."""
    segments = unit.path.split("/")[:-1]
    ancestors = ["/".join(segments[: depth + 1]) + "/" for depth in range(len(segments))]
    rows = Unit.objects.filter(Q(path__in=ancestors) | Q(path__startswith=unit.path)).values_list("path", "name")
    names = dict(rows)
    step = PATH_STEP + 1
    return {
        path: "/".join(names.get(path[:end], "") for end in range(step, len(path) + 1, step))
        for path in names
        if path.startswith(unit.path)
    }


def hidden_for(user, ledger: Ledger) -> tuple[str, ...]:
    """The personal columns masked in the file: all of them when it is built for no one (user None)."""
    return ledger.personal_fields if user is None else privacy.hidden_fields(user, ledger)


def _value(column, value, masked: bool):
    if masked:
        return privacy.mask_name(value)
    if column.kind == ColumnKind.MULTICHOICE:
        return "、".join(value or [])
    return value


def _rows(ledger: Ledger, scope: Slice, paths: dict[str, str], hidden: tuple[str, ...]) -> Iterator[list]:
    lookups = [f"{column.name}__name" if column.kind.related else column.name for column in ledger.columns]
    records = (
        scope.records(ledger.model, ytd=True)
        .order_by("date", "pk")
        .values_list("pk", "unit__path", *lookups)
        .iterator(chunk_size=CHUNK)
    )
    for pk, path, *values in records:
        date = values[ledger.field_names.index("date")]
        cells = [
            _value(column, value, column.name in hidden) for column, value in zip(ledger.columns, values, strict=True)
        ]
        yield [pk, paths.get(path, ""), *cells, IN_PERIOD if date in scope.period else YTD_ONLY]


def detail_sheets(period: Period, unit: Unit, user=None) -> list[DetailSheet]:
    """One 明细 sheet per ledger of the records the report's figures read (rows read lazily, once)."""
    scope = Slice(period, unit)
    paths = unit_paths(unit)
    sheets = []
    for ledger in all_ledgers():
        columns = [
            ("记录编号", "id"),
            ("单位路径", "text"),
            *((column.header, KINDS.get(column.kind, "text")) for column in ledger.columns),
            ("计入期间", "text"),
        ]
        title = f"{unit.name}{period.label}{ledger.name}明细(含下级单位)"
        rows = _rows(ledger, scope, paths, hidden_for(user, ledger))
        sheets.append(DetailSheet(f"{SHEET_PREFIX}{ledger.name}"[:31], title, columns, rows))
    return sheets

"""Checks on a quarter's figures, shown before 报送 and while reviewing: warnings, never refusals.

1. 异常值: a record's value more than OUTLIER_FACTOR times the median of the same unit's values of that
   ledger and column in the four quarters before, when the unit has records of the ledger in each of them;
2. 疑似重复: the same activity recorded by a unit and by its parent (same ledger, date and title, participant
   counts within half of each other) — the city's figures would count it twice;
3. 人数异常: more than CROWD_LIMIT participants for one 主题团日 or one 讲座;
4. 领域缺报: no record of a work area the unit reported in each of the two quarters before.

Each check reads the whole scope at once (checks 1-3: one query per ledger concerned; check 4: three
counting queries), never one query per record or per unit. A warning may be marked 已核实 with a note
(CheckedFlag, by its key).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from submissions.models import CheckedFlag
from youthwork.ledgers import ColumnKind, Ledger, all_ledgers
from youthwork.metrics import record_counts
from youthwork.periods import Period

OUTLIER_FACTOR = 5
HISTORY_QUARTERS = 4
CROWD_LIMIT = 5000
CROWD_KINDS = ("主题团日", "讲座")  # a choice equal to, or ending in, one of these is one event


@dataclass
class Flag:
    key: str
    check: str
    unit_path: str
    unit_name: str
    message: str
    url: str = ""
    checked: CheckedFlag | None = field(default=None)


def _record_url(ledger: Ledger, pk: int) -> str:
    return reverse("portal:ledger_detail", args=[ledger.slug, pk])


def _numeric(ledger: Ledger):
    return [column for column in ledger.columns if column.kind in (ColumnKind.COUNT, ColumnKind.AMOUNT)]


def _title_column(ledger: Ledger):
    for column in ledger.columns:
        if column.kind == ColumnKind.TEXT and column.name not in ledger.personal_fields and column.name != "note":
            return column
    return None


def _in(root, period: Period, ledger: Ledger):
    return ledger.model._default_manager.filter(
        unit__path__startswith=root.path, date__gte=period.start, date__lte=period.end
    )


def outliers(root, period: Period) -> list[Flag]:
    quarters = [period]
    for _ in range(HISTORY_QUARTERS):
        quarters.append(quarters[-1].previous())
    span = Period(quarters[-1].start, period.end, "range")
    flags = []
    for ledger in all_ledgers():
        columns = _numeric(ledger)
        if not columns:
            continue
        names = [column.name for column in columns]
        rows = _in(root, span, ledger).values_list("pk", "unit_id", "unit__path", "unit__name", "date", *names)
        history: dict[tuple, list] = defaultdict(list)
        quarters_seen: dict[int, set] = defaultdict(set)
        current = []
        for pk, unit_id, path, unit_name, date, *values in rows:
            if date >= period.start:
                current.append((pk, unit_id, path, unit_name, values))
                continue
            quarters_seen[unit_id].add(next(q.code for q in quarters if date in q))
            for column, value in zip(columns, values, strict=True):
                if value is not None:
                    history[unit_id, column.name].append(value)
        for pk, unit_id, path, unit_name, values in current:
            if len(quarters_seen[unit_id]) < HISTORY_QUARTERS:
                continue
            for column, value in zip(columns, values, strict=True):
                past = history.get((unit_id, column.name))
                if value is None or not past:
                    continue
                median = statistics.median(past)
                if median > 0 and value > OUTLIER_FACTOR * median:
                    flags.append(
                        Flag(
                            key=f"outlier:{ledger.slug}:{pk}:{column.name}",
                            check="异常值",
                            unit_path=path,
                            unit_name=unit_name,
                            message=(
                                f"{ledger.name}的“{column.header}”为{value:g},超过本单位前四个季度中位数"
                                f"({median:g})的{OUTLIER_FACTOR}倍"
                            ),
                            url=_record_url(ledger, pk),
                        )
                    )
    return flags


def duplicates(root, period: Period) -> list[Flag]:
    flags = []
    for ledger in all_ledgers():
        title = _title_column(ledger)
        if title is None:
            continue
        count = next((column for column in ledger.columns if column.kind == ColumnKind.COUNT), None)
        fields = ["pk", "unit_id", "unit__parent_id", "unit__path", "unit__name", "date", title.name]
        if count is not None:
            fields.append(count.name)
        scope = Q(unit__path__startswith=root.path) | Q(unit_id=root.parent_id)
        queryset = ledger.model._default_manager.filter(scope, date__gte=period.start, date__lte=period.end)
        groups: dict[tuple, list] = defaultdict(list)
        for row in queryset.values_list(*fields):
            text = (row[6] or "").strip()
            if text:
                groups[row[5], text].append(row)
        for (date, text), rows in groups.items():
            for child in rows:
                for parent in rows:
                    if child[2] != parent[1]:
                        continue
                    if count is not None and not _overlap(child[7], parent[7]):
                        continue
                    flags.append(
                        Flag(
                            key=f"duplicate:{ledger.slug}:{child[0]}:{parent[0]}",
                            check="疑似重复",
                            unit_path=child[3],
                            unit_name=child[4],
                            message=(
                                f"{ledger.name}{date:%Y-%m-%d}“{text}”同时由{child[4]}和上级单位{parent[4]}填报,"
                                "汇总时可能重复计算"
                            ),
                            url=_record_url(ledger, child[0]),
                        )
                    )
    return flags


def _overlap(one, other) -> bool:
    """Participant counts that may be the same people: both given and within half of the larger."""
    if not one or not other:
        return False
    return min(one, other) * 2 >= max(one, other)


def crowds(root, period: Period) -> list[Flag]:
    flags = []
    for ledger in all_ledgers():
        counts = [column for column in ledger.columns if column.kind == ColumnKind.COUNT]
        kinds = [
            column
            for column in ledger.columns
            if column.kind == ColumnKind.CHOICE and any(c.endswith(CROWD_KINDS) for c in column.choices)
        ]
        if not counts or not kinds:
            continue
        event = Q()
        for column in kinds:
            event |= Q(**{f"{column.name}__in": [c for c in column.choices if c.endswith(CROWD_KINDS)]})
        crowd = Q()
        for column in counts:
            crowd |= Q(**{f"{column.name}__gt": CROWD_LIMIT})
        names = [column.name for column in counts]
        kind_names = [column.name for column in kinds]
        rows = _in(root, period, ledger).filter(event, crowd)
        for pk, path, unit_name, *values in rows.values_list("pk", "unit__path", "unit__name", *kind_names, *names):
            kind = next(value for value in values[: len(kinds)] if value and value.endswith(CROWD_KINDS))
            for column, value in zip(counts, values[len(kinds) :], strict=True):
                if value is not None and value > CROWD_LIMIT:
                    flags.append(
                        Flag(
                            key=f"crowd:{ledger.slug}:{pk}:{column.name}",
                            check="人数异常",
                            unit_path=path,
                            unit_name=unit_name,
                            message=f"一场{kind}的“{column.header}”为{value:,},超过{CROWD_LIMIT:,},请核实",
                            url=_record_url(ledger, pk),
                        )
                    )
    return flags


def missing_areas(parent, units, period: Period) -> list[Flag]:
    """领域缺报 of `units` (children of `parent`, or `parent` itself), from three counting queries."""
    before = period.previous()
    counts = [record_counts(quarter, parent) for quarter in (period, before, before.previous())]

    def records(quarter_counts, area, unit) -> int:
        buckets = quarter_counts.get(area, {})
        if unit.pk == parent.pk:
            return sum(buckets.values())
        return buckets.get(unit.path, 0)

    areas = list(dict.fromkeys(ledger.area for ledger in all_ledgers()))
    flags = []
    for unit in units:
        for area in areas:
            now, one, two = (records(quarter_counts, area, unit) for quarter_counts in counts)
            if not now and one and two:
                flags.append(
                    Flag(
                        key=f"missing:{unit.pk}:{area}",
                        check="领域缺报",
                        unit_path=unit.path,
                        unit_name=unit.name,
                        message=f"{unit.name}本季度没有“{area}”的台账记录,而前两个季度都有",
                        url=_area_url(area, unit, period),
                    )
                )
    return flags


def _area_url(area: str, unit, period: Period) -> str:
    ledger = next(ledger for ledger in all_ledgers() if ledger.area == area)
    query = urlencode({"unit": unit.pk, "date_from": f"{period.start:%Y-%m-%d}", "date_to": f"{period.end:%Y-%m-%d}"})
    return f"{reverse('portal:ledger_list', args=[ledger.slug])}?{query}"


def flags_of(root, units, period: Period, *, parent=None) -> list[Flag]:
    """Every warning of the quarter in `root`'s subtree, plus 领域缺报 of `units` (children of `parent`,
    default `root`), with their 已核实 marks."""
    flags = [
        *outliers(root, period),
        *duplicates(root, period),
        *crowds(root, period),
        *missing_areas(parent or root, units, period),
    ]
    checked = {
        mark.key: mark
        for mark in CheckedFlag.objects.filter(period_start=period.start, key__in=[flag.key for flag in flags])
        .select_related("checked_by")
    }
    for flag in flags:
        flag.checked = checked.get(flag.key)
    return flags


def within(flags: list[Flag], unit) -> list[Flag]:
    return [flag for flag in flags if flag.unit_path.startswith(unit.path)]

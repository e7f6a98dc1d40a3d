"""Shared machinery of the work-area metrics, and the figures that span every ledger.

Each work-area app (a youthwork.areas.WorkAreaConfig, e.g. activities) has a `metrics.py` that computes its own
figures with the pieces here. Everything is an ORM aggregate grouped in the database: the number of
queries depends on the figures asked for, never on the number of records or units.

Grouping by unit. A figure is computed either for the whole scope (a unit and its descendants) or for
each *direct child* of the unit (the Excel annex, the dashboard). Both are the same GROUP BY on a
prefix of the materialised unit path (`Slice`): the scope's own path length groups everything into
one bucket; one step longer groups by direct child, and the unit's own records keep the unit's path
(the "本级" bucket). Results are keyed by that path.

Public API (used by the report and the portal's dashboard):
- `Slice(period, unit, by_child=False)`: what is being measured; `.keys()` lists the bucket paths.
- `children(unit)`: the direct child units, in tree order.
- `record_counts(period, unit, ledgers=None)`: {area: {bucket path: records}} by direct child, one query.
- `activity_by_area(period, unit)`: rows of records per area and direct child unit (with 本级).
- `pending_units(period, unit, ledgers=None)`: {area: [direct child units with no record in that area]}
  ("待报送").
- `monthly(ledgers, reach, period, unit)`: records and people reached per month (months without
  records included with zeros).
- `venue_figures(period, unit, by_child=False)`: 希望家园 demonstration sites and venue utilisation.
- `record_span(unit_ids)`, `quarters_with_records(unit_ids)`: the quarters from the earliest record of a scope to its
  latest (the period lists), read from the indexes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, RowNumber, Substr

from youthwork.ledgers import ColumnKind, Ledger, all_ledgers
from youthwork.models import PATH_STEP, Unit, Venue
from youthwork.periods import FIRST_YEAR, LAST_YEAR, Period

OWN_LEVEL = "本级"
NAMES_KEPT = 5  # names kept per list figure; one more is fetched so that text can say 等


@dataclass(frozen=True)
class Source:
    """The records a figure is computed from: one ledger, the list filters that pick them, and what of them.

    The figure's aggregate (`aggregate()`) and its link to the ledger list (`list_filters()`) are both
    made from this one declaration, so the list a figure links to is the records it counts: the list's
    totals line shows the figure (its record count, or the sum of `column`). `where` holds choice filters
    the ledger list offers ((field, value) pairs). A figure the list cannot total exactly (a distinct
    count, a condition on free text) declares `exact=False`: it links to the records it is drawn from,
    and says the list's totals are not the figure.
    """

    ledger: str  # the ledger's slug
    column: str = ""  # the count or amount column summed; empty: the figure counts records
    where: tuple[tuple[str, str], ...] = ()
    exact: bool = True

    @property
    def condition(self) -> Q:
        return Q(*self.where)

    def aggregate(self, within: Q | None = None):
        """The figure's ORM aggregate over a queryset of the ledger (`within`: the part of it the figure reads)."""
        condition = self.condition & within if within is not None else self.condition
        condition = condition or None  # an empty Q is no filter
        if self.column:
            return Sum(self.column, filter=condition)
        return Count("pk", filter=condition)

    def list_filters(self, span: Period, unit) -> dict[str, str]:
        """The ledger list's query of these records: the unit with its descendants, the dates, the choices."""
        return {
            "unit": str(unit.pk),
            "date_from": span.start.isoformat(),
            "date_to": span.end.isoformat(),
            **dict(self.where),
        }


class FigureKind(StrEnum):
    """What a figure's value is, and so how it reads in the report, the annex and the dashboard."""

    COUNT = "count"  # a whole number
    AMOUNT = "amount"  # money in 元 (Decimal)
    RATE = "rate"  # [part, whole]
    TEXT = "text"  # a list of names
    DOCUMENTS = "documents"  # a list of {"title", "partners"}


@dataclass(frozen=True)
class Figure:
    """One figure a work area contributes: its key in the figures dict and how it reads.

    `name` is what it counts (主题团日), `unit` its measure (场; empty when the name says it, as in
    参学人次), `span` 本期 or 今年以来 (empty for the state at the period's end, as for 学校).
    """

    key: str
    name: str
    kind: FigureKind  # declarations may write its value ("count"); checked and made a FigureKind here
    unit: str = ""
    span: str = "本期"
    compare: bool = False  # a headline figure: a fall against the previous period is worth reporting
    distinct: bool = False  # counts each one once over the whole scope: not the sum of its parts
    seasonal: bool = False  # its work has a season (summer teaching, drowning patrols): never compared
    # with the quarter before, only with the same period of last year
    source: Source | None = None  # the ledger records it is computed from (None: not records of one ledger)

    def __post_init__(self):
        object.__setattr__(self, "kind", FigureKind(self.kind))  # a misspelt kind fails at import

    @property
    def label(self) -> str:
        """The Excel annex column header: 主题团日(场,本期)."""
        details = ",".join(part for part in (self.unit, self.span) if part)
        return f"{self.name}({details})" if details else self.name

    @property
    def ytd(self) -> bool:
        return self.span == "今年以来"

    def dates(self, period: Period) -> Period:
        """The dates the figure reads: the period, or 今年以来 up to its end."""
        return period.year_to_date() if self.ytd else period

    def aggregate(self, scope: Slice | None = None):
        """The figure's aggregate from its source; with `scope`, over a queryset spanning the period and
        今年以来 (Slice.records(..., ytd=True)), limited to the figure's own dates."""
        within = None if scope is None else (scope.in_ytd if self.ytd else scope.in_period)
        return self.source.aggregate(within)

    def empty(self):
        """The value of the figure where there are no records."""
        return {FigureKind.COUNT: 0, FigureKind.AMOUNT: Decimal("0.00"), FigureKind.RATE: [0, 0]}.get(self.kind, [])


def aggregates(figures, *keys: str, scope: Slice | None = None) -> dict:
    """{figure key: aggregate} of the named figures, from their sources (see Figure.aggregate)."""
    by_key = {figure.key: figure for figure in figures}
    return {key: by_key[key].aggregate(scope) for key in keys}


class FigureTable(dict):
    """{bucket path: {figure key: value}}, every bucket holding every figure (empty where no records)."""

    def __init__(self, figures):
        super().__init__()
        self.figures = tuple(figures)

    def __missing__(self, bucket: str) -> dict:
        entry = {figure.key: figure.empty() for figure in self.figures}
        self[bucket] = entry
        return entry

    def put(self, key: str, values: dict[str, object]) -> FigureTable:
        """Set one figure from {bucket path: value}."""
        for bucket, value in values.items():
            self[bucket][key] = value
        return self

    def fill(self, grouped: dict[str, dict]) -> FigureTable:
        """Copy aggregates into the table; None (no rows to sum) stays the figure's empty value."""
        for bucket, values in grouped.items():
            entry = self[bucket]
            for key, value in values.items():
                if value is not None:
                    entry[key] = value
        return self


class Slice:
    """A period and a unit (with its descendants), measured whole or by direct child unit.

    `ytd` is 今年以来 (1 January of the period's year to its end); `span` covers both the period and
    `ytd`, so that one query can aggregate both with `filter=slice.in_period` / `slice.in_ytd`.
    """

    def __init__(self, period: Period, unit: Unit, by_child: bool = False):
        self.period = period
        self.unit = unit
        self.by_child = by_child
        self.ytd = period.year_to_date()
        self.span = Period(min(period.start, self.ytd.start), period.end)
        self.prefix_length = len(unit.path) + ((PATH_STEP + 1) if by_child else 0)
        self._shared_names: set[str] | None = None

    def names(self, queryset, field: str, order_by=None, limit=NAMES_KEPT) -> dict[str, list[str]]:
        """{bucket path: the leading distinct values of a text column} (see `top`)."""
        rows = self.top(queryset, field, order_by=order_by, limit=limit)
        return {bucket: [row[field] for row in entries] for bucket, entries in rows.items()}

    def labels(self, queryset, field: str, drop=()) -> dict[str, list[str]]:
        """{bucket path: the distinct labels used in a choice or multi-choice column, in the choices' order}."""
        model_field = queryset.model._meta.get_field(field)
        choices = getattr(model_field, "options", None) or model_field.choices
        result = {}
        for bucket, rows in self.grouped_values(queryset.exclude(**{field: ""}), field).items():
            used = [label for row in rows for label in (row[field] if isinstance(row[field], list) else [row[field]])]
            result[bucket] = in_choice_order([label for label in used if label not in drop], choices)
        return result

    def unit_names(self, queryset, order_by=None, limit=NAMES_KEPT) -> dict[str, list[str]]:
        """{bucket path: [unit names]} of the units the records belong to, most records first.

        A name that several units share (two towns each with a 中心小学) is prefixed with its parent's
        place name (白沙镇中心小学), so that the text names one school.
        """
        order = order_by or [F("records").desc(), Min("unit__path").asc()]
        rows = self.top(queryset, "unit__name", "unit__parent__name", order_by=order, limit=limit)
        shared = self.shared_names()
        return {
            bucket: [unit_label(row["unit__name"], row["unit__parent__name"], shared) for row in entries]
            for bucket, entries in rows.items()
        }

    def shared_names(self) -> set[str]:
        """Unit names that more than one unit has (one query, once per Slice)."""
        if self._shared_names is None:
            duplicated = Unit.objects.values("name").annotate(units=Count("pk")).filter(units__gt=1).order_by()
            self._shared_names = {row["name"] for row in duplicated}
        return self._shared_names

    def bucket(self, path_field: str = "unit__path"):
        """The GROUP BY expression: the unit path cut at the scope's (or its children's) depth."""
        return Substr(path_field, 1, self.prefix_length)

    @property
    def in_period(self) -> Q:
        return Q(date__gte=self.period.start, date__lte=self.period.end)

    @property
    def in_ytd(self) -> Q:
        return Q(date__gte=self.ytd.start, date__lte=self.ytd.end)

    def records(self, model, *, ytd: bool = False):
        """The model's records of the scope dated in the period (or the span of period and 今年以来)."""
        return model.objects.in_period(self.span if ytd else self.period).within(self.unit).order_by()

    def grouped(self, queryset, path_field: str = "unit__path", **aggregates) -> dict[str, dict]:
        """{bucket path: {aggregate name: value}} in one query."""
        rows = queryset.annotate(_bucket=self.bucket(path_field)).values("_bucket").annotate(**aggregates).order_by()
        return {row.pop("_bucket"): row for row in rows}

    def grouped_values(self, queryset, *fields: str, order_by=(), path_field="unit__path", **aggregates):
        """{bucket path: [row dicts of the distinct `fields` with their aggregates]} in one query."""
        rows = (
            queryset.annotate(_bucket=self.bucket(path_field))
            .values("_bucket", *fields)
            .annotate(**aggregates)
            .order_by(*order_by, *fields)
        )
        result: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            result[row.pop("_bucket")].append(row)
        return result

    def top(self, queryset, *fields: str, partition=(), order_by=None, limit=NAMES_KEPT, path_field="unit__path"):
        """{bucket path: [row dicts]}: the leading distinct values of `fields` in each bucket (and partition).

        Rows are ranked in the database (ROW_NUMBER over the grouped rows: by record count, then by
        the fields, unless `order_by` says otherwise), so however many distinct names there are, only
        `limit` + 1 per group come back: enough to name a few and know whether to add 等.
        """
        ranking = order_by or [F("records").desc(), *(F(field).asc() for field in fields)]
        rows = (
            queryset.annotate(_bucket=self.bucket(path_field))
            .values("_bucket", *partition, *fields)
            .annotate(records=Count("pk"))
            .annotate(
                _rank=Window(RowNumber(), partition_by=[F("_bucket"), *(F(p) for p in partition)], order_by=ranking)
            )
            .filter(_rank__lte=limit + 1)
            .order_by("_bucket", *partition, "_rank")
        )
        result: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            row.pop("_rank")
            result[row.pop("_bucket")].append(row)
        return result


def record_span(unit_ids: list[int] | None) -> tuple[dt.date, dt.date] | None:
    """The earliest and the latest date of the records of these units (access.visible_unit_ids; None: every
    unit), in one query; None when there is no record.

    Each ledger's MIN and MAX are read from an index (on the date, or on unit and date for a scope
    below the city), never by scanning the ledger. A record stored before the date rule (dated 0354 by
    a mistyped 2023.5.4) is left out, so only quarters a user could ask for are offered.
    """
    parts = [
        (ledger.model.objects.all() if unit_ids is None else ledger.model.objects.filter(unit__in=unit_ids))
        .filter(date__gte=dt.date(FIRST_YEAR, 1, 1), date__lte=dt.date(LAST_YEAR, 12, 31))
        .order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(first=Min("date"), last=Max("date"))
        .values_list("first", "last")
        for ledger in all_ledgers()
    ]
    if not parts:
        return None
    rows = [row for row in parts[0].union(*parts[1:], all=True) if row[0] is not None]
    if not rows:
        return None
    return min(first for first, _last in rows), max(last for _first, last in rows)


def quarters_in_span(span: tuple[dt.date, dt.date] | None) -> list[Period]:
    """The quarters from the one of the earliest record to the one of the latest, newest first."""
    if span is None:
        return []
    quarters, quarter = [], Period.quarter_of(span[0])
    while quarter.start <= span[1]:
        quarters.append(quarter)
        quarter = Period.quarter_of(quarter.end + dt.timedelta(days=1))
    return quarters[::-1]


def quarters_with_records(unit_ids: list[int] | None) -> list[Period]:
    """The quarters of the records of these units (the period lists), newest first, read from the indexes."""
    return quarters_in_span(record_span(unit_ids))


def in_choice_order(labels, choices) -> list[str]:
    """The distinct labels in the order of the field's choices (unknown ones last)."""
    order = [value for value, _label in choices]
    return sorted(set(labels), key=lambda label: order.index(label) if label in order else len(order))


_UNIT_SUFFIX = ("团(工)委", "团\uff08工\uff09委", "团工委", "团委")


def place_name(name: str) -> str:
    """A unit's place name: 白沙镇团委 → 白沙镇, 城关街道团工委 → 城关街道."""
    for suffix in _UNIT_SUFFIX:
        if name.endswith(suffix) and name != suffix:
            return name[: -len(suffix)]
    return name


def unit_label(name: str, parent_name: str | None, shared: set[str]) -> str:
    """The unit's name, prefixed with its parent's place name when other units share the name."""
    if name in shared and parent_name:
        prefix = place_name(parent_name)
        return name if name.startswith(prefix) else prefix + name
    return name


def children(unit: Unit) -> list[Unit]:
    """The unit's direct children in tree order (one query)."""
    return list(Unit.objects.filter(parent=unit).order_by("path"))


def _area_ledgers(ledgers) -> list[Ledger]:
    return list(ledgers) if ledgers is not None else all_ledgers()


def record_counts(period: Period, unit: Unit, ledgers=None) -> dict[str, dict[str, int]]:
    """{area: {bucket path: records}} of the period by direct child unit, in one UNION query."""
    part_slice = Slice(period, unit, by_child=True)
    parts = [
        part_slice.records(ledger.model)
        .annotate(_area=Value(ledger.area), _bucket=part_slice.bucket())
        .values("_area", "_bucket")
        .annotate(records=Count("pk"))
        .order_by()
        for ledger in _area_ledgers(ledgers)
    ]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not parts:
        return {}
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["_area"]][row["_bucket"]] += row["records"]
    return {area: dict(buckets) for area, buckets in counts.items()}


def _areas(ledgers) -> list[str]:
    seen: list[str] = []
    for ledger in _area_ledgers(ledgers):
        if ledger.area not in seen:
            seen.append(ledger.area)
    return seen


def activity_by_area(period: Period, unit: Unit, ledgers=None) -> list[dict]:
    """One row per direct child unit (and 本级 when the unit itself has records): its records per area.

    Rows: {"unit": Unit or None (本级), "name": str, "areas": {area: records}, "total": records}.
    """
    counts = record_counts(period, unit, ledgers)
    areas = _areas(ledgers)
    rows = []
    own = {area: counts.get(area, {}).get(unit.path, 0) for area in areas}
    if any(own.values()):
        rows.append({"unit": None, "name": f"{unit.name}({OWN_LEVEL})", "areas": own, "total": sum(own.values())})
    for child in children(unit):
        per_area = {area: counts.get(area, {}).get(child.path, 0) for area in areas}
        rows.append({"unit": child, "name": child.name, "areas": per_area, "total": sum(per_area.values())})
    return rows


def pending_units(period: Period, unit: Unit, ledgers=None) -> dict[str, list[Unit]]:
    """待报送: for each area, the direct child units with no record of that area in the period."""
    counts = record_counts(period, unit, ledgers)
    kids = children(unit)
    return {area: [child for child in kids if not counts.get(area, {}).get(child.path)] for area in _areas(ledgers)}


def months(period: Period) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, in order."""
    result, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def monthly(ledgers, reach: dict[str, str], period: Period, unit: Unit) -> list[dict]:
    """Records and people reached per month of the period, over the given ledgers (one UNION query).

    `reach` maps a ledger's slug to the count column that says how many young people its records
    reach (参学人次, 参与人数, 惠及人次...); ledgers without one add records but no people.
    Rows: {"month": "2023-04", "records": int, "people": int}.
    """
    scope = Slice(period, unit)
    parts = []
    for ledger in ledgers:
        people_field = reach.get(ledger.slug)
        people = Coalesce(Sum(people_field), 0) if people_field else Value(0, output_field=IntegerField())
        parts.append(
            scope.records(ledger.model)
            .annotate(_year=ExtractYear("date"), _month=ExtractMonth("date"))
            .values("_year", "_month")
            .annotate(records=Count("pk"), people=people)
            .order_by()
        )
    totals: dict[tuple[int, int], list[int]] = {key: [0, 0] for key in months(period)}
    if parts:
        for row in parts[0].union(*parts[1:], all=True):
            key = (row["_year"], row["_month"])
            if key in totals:
                totals[key][0] += row["records"]
                totals[key][1] += row["people"] or 0
    return [
        {"month": f"{year}-{month:02d}", "records": records, "people": people}
        for (year, month), (records, people) in totals.items()
    ]


def venue_ledgers() -> list[Ledger]:
    """The ledgers whose records may name the venue (活动阵地) they used."""
    return [ledger for ledger in all_ledgers() if any(column.kind == ColumnKind.VENUE for column in ledger.columns)]


VENUE_FIGURES = (
    Figure("hope_homes", "希望家园示范点", "count", "个", ""),
    Figure("hope_homes_new_ytd", "新建希望家园", "count", "个", "今年以来"),
    Figure("hope_homes_lodging", "可提供食宿的希望家园", "count", "个", ""),
    Figure("hope_home_names", "希望家园", "text", "", ""),
    Figure("venues_open", "已启用阵地", "count", "个", ""),
    Figure("venues_used", "有活动记录的阵地", "count", "个"),
    Figure("venue_utilisation", "阵地利用率", "rate"),
    Figure("unused_venue_names", "无活动记录的阵地", "text"),
    Figure("unused_venue_types", "无活动记录的阵地类型", "text"),
    Figure("hope_home_places", "希望家园所在街道和名称", "text", "", ""),
)
_STREET_TYPES = (Unit.Type.TOWN,)


def _street(row: dict) -> str:
    """The street (镇街) a venue is in, as its place name: its unit's when a town, else its parent's."""
    if row["unit__unit_type"] in _STREET_TYPES:
        return place_name(row["unit__name"])
    if row["unit__parent__unit_type"] in _STREET_TYPES:
        return place_name(row["unit__parent__name"])
    return ""


def _hope_home_place(row: dict) -> str:
    """A 希望家园 as its street says it: 城关街道阳光社区 (the venue's name without 希望家园, after its street)."""
    site = (
        row["name"][: -len("希望家园")]
        if row["name"].endswith("希望家园") and row["name"] != "希望家园"
        else row["name"]
    )
    street = _street(row)
    return site if not street or site.startswith(street) else street + site


def venue_figures(period: Period, unit: Unit, by_child: bool = False) -> dict[str, dict]:
    """{bucket path: venue figures} for the scope's venues opened by the period's end (one query).

    A venue is used when at least one record of the period names it (every ledger with a 活动阵地
    column counts); the utilisation rate is used ÷ open, kept as the pair [used, open].
    """
    scope = Slice(period, unit, by_child)
    used = {
        f"_used_{index}": Exists(
            ledger.model.objects.filter(venue=OuterRef("pk"), date__gte=period.start, date__lte=period.end)
        )
        for index, ledger in enumerate(venue_ledgers())
    }
    rows = (
        Venue.objects.filter(unit__path__startswith=unit.path, opened_on__lte=period.end)
        .annotate(_bucket=scope.bucket(), **used)
        .order_by("unit__path", "name")
        .values(
            "_bucket",
            "name",
            "venue_type",
            "opened_on",
            "provides_lodging",
            "unit__name",
            "unit__unit_type",
            "unit__parent__name",
            "unit__parent__unit_type",
            *used,
        )
    )
    figures: dict[str, dict] = {}
    for row in rows:
        entry = figures.setdefault(row["_bucket"], empty_venue_figures())
        entry["venues_open"] += 1
        if any(row[name] for name in used):
            entry["venues_used"] += 1
        else:
            entry["unused_venue_names"].append(row["name"])
            entry["unused_venue_types"] = in_choice_order(
                [*entry["unused_venue_types"], row["venue_type"]], Venue.Type.choices
            )
        if row["venue_type"] == Venue.Type.HOPE_HOME:
            entry["hope_homes"] += 1
            entry["hope_home_names"].append(row["name"])
            entry["hope_home_places"].append(_hope_home_place(row))
            entry["hope_homes_lodging"] += int(row["provides_lodging"])
            entry["hope_homes_new_ytd"] += int(row["opened_on"] >= scope.ytd.start)
    for entry in figures.values():
        entry["venue_utilisation"] = [entry["venues_used"], entry["venues_open"]]
    return figures


def empty_venue_figures() -> dict:
    """Venue figures of a bucket without venues."""
    return {
        "hope_homes": 0,
        "hope_homes_new_ytd": 0,
        "hope_homes_lodging": 0,
        "hope_home_names": [],
        "venues_open": 0,
        "venues_used": 0,
        "venue_utilisation": [0, 0],
        "unused_venue_names": [],
        "unused_venue_types": [],
        "hope_home_places": [],
    }


class AreaMetrics:
    """The dashboard-facing API every work area offers, over that area's ledgers in the registry.

    Each area module makes one (`area = AreaMetrics("activities", REACH)`) and exposes its methods as
    module functions, so that every area answers the same questions the same way.
    """

    def __init__(self, app_label: str, reach: dict[str, str]):
        self.app_label = app_label
        self.reach = dict(reach)

    @property
    def ledgers(self) -> list[Ledger]:
        return [ledger for ledger in all_ledgers() if ledger.app_label == self.app_label]

    @property
    def name(self) -> str:
        """The work area's Chinese name (思想引领, 关心关爱, 权益维护)."""
        return self.ledgers[0].area

    def monthly(self, period: Period, unit: Unit) -> list[dict]:
        """Records and people reached per month of the period: [{"month", "records", "people"}]."""
        return monthly(self.ledgers, self.reach, period, unit)

    def record_counts(self, period: Period, unit: Unit) -> dict[str, int]:
        """{bucket path: records of the area in the period} by direct child unit (本级 = the unit's path)."""
        return record_counts(period, unit, self.ledgers).get(self.name, {})

    def by_child(self, period: Period, unit: Unit) -> list[dict]:
        """Rows {"unit", "name", "records"} per direct child unit (and 本级 when it has records)."""
        return [
            {"unit": row["unit"], "name": row["name"], "records": row["total"]}
            for row in activity_by_area(period, unit, self.ledgers)
        ]

    def pending_units(self, period: Period, unit: Unit) -> list[Unit]:
        """待报送: the direct child units with no record of this area in the period."""
        return pending_units(period, unit, self.ledgers).get(self.name, [])

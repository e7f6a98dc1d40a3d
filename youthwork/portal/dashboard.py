"""The dashboard at "/": the user's scope, one quarter (or half year, or year) at a glance.

Each key figure links to the ledger list of the records it counts (youthwork.portal.links), built
from the figure's own declaration.

Every figure comes from the work areas' metrics modules (each area's metrics.py, as its WorkAreaConfig
declares it, and youthwork/metrics.py), the same functions the report is built from,
so the dashboard and the report never disagree. This module only chooses what to show and lays it
out; its own queries find the span of quarters that have records (for the period switcher) and the
latest records, each with an index (the earliest and latest date, the newest rows of each ledger).

What it shows of a scope (the figures of a quarter, the quarters with records, the latest records) is
computed once and then read from the cache until a write changes the scope (youthwork.figure_cache):
a second look at the same quarter reads a handful of rows, however many records there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from submissions.overview import dashboard_context as submissions_context
from youthwork import access, figure_cache, formatting
from youthwork import metrics as common_metrics
from youthwork.addresses import address
from youthwork.areas import WorkAreaConfig, work_areas
from youthwork.ledgers import ColumnKind, Ledger, all_ledgers
from youthwork.metrics import Figure, FigureKind, quarters_in_span, record_span
from youthwork.periods import Period, PeriodError, offered_periods
from youthwork.portal import charts as charts_module
from youthwork.portal.charts import Series, bar_chart, column_chart
from youthwork.portal.links import FigureLink, figure_link
from youthwork.versions import scope_key

LATEST = 8

FUNDS_COLOR = "#2e8b57"


# ---------------------------------------------------------------------------------------------- period


DASHBOARD_KINDS = ("quarter", "half", "year")


def selected_period(request) -> tuple[Period, str | None]:
    """The quarter, half year or year asked for (?period=2023Q2, 2023H1, 2023), else the current quarter;
    with a message when the text is wrong."""
    current = Period.quarter_of(timezone.localdate())
    text = request.GET.get("period", "").strip()
    if not text:
        return current, None
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        return current, f"{exc},已显示本季度"
    if period.kind not in DASHBOARD_KINDS:
        return current, f"概览按季度、半年或全年显示(例如 2023Q2、2023H1、2023),而不是“{text}”;已显示本季度"
    return period, None


def period_choices(period: Period, with_records: list[Period]) -> list[tuple[str, list[Period]]]:
    """The chooser's periods, grouped as the report's chooser groups them (youthwork.periods.offered_periods):
    the quarters with records, the current one and the one shown, and the half years and years they fall in."""
    today = timezone.localdate()
    return offered_periods({Period.quarter_of(today), Period.quarter_of(period.start), *with_records}, today)


def following(period: Period) -> Period | None:
    """The period of the same kind just after this one (the next quarter, half year or year); None when it has not
    begun (no 下一季度 past the current quarter: it can hold no record)."""
    day = period.end + dt.timedelta(days=1)
    after = {"half": Period.half_of, "year": Period.year_of}.get(period.kind, Period.quarter_of)(day)
    return None if after.is_future(timezone.localdate()) else after


def period_words(period: Period) -> dict[str, str]:
    """How the page names the period and the one before: 本季度 / 上季度, or their labels for a half year or year."""
    if period.kind == "quarter":
        return {"this": "本季度", "before": "上季度", "kind": "季度"}
    return {"this": period.label, "before": period.previous().label, "kind": "半年" if period.kind == "half" else "年"}


# --------------------------------------------------------------------------------------- key figures


@dataclass
class KeyFigure:
    figure: Figure
    now: object
    before: object
    link: FigureLink | None = None

    @property
    def label(self) -> str:
        counted = self.figure.unit and self.figure.kind == FigureKind.COUNT
        return self.figure.name + (f"({self.figure.unit})" if counted else "")

    def _text(self, value) -> str:
        return formatting.amount(value) if self.figure.kind == FigureKind.AMOUNT else formatting.count(value)

    @property
    def text(self) -> str:
        return self._text(self.now)

    @property
    def before_text(self) -> str:
        return self._text(self.before)

    @property
    def trend(self) -> str:
        """up, down or same, against the previous quarter."""
        now, before = formatting.to_decimal(self.now), formatting.to_decimal(self.before)
        return "up" if now > before else "down" if now < before else "same"


@dataclass
class AreaSummary:
    area: WorkAreaConfig
    name: str
    color: str
    records: int
    records_before: int
    figures: list[KeyFigure]
    ledgers: list[Ledger]

    @property
    def app_label(self) -> str:
        return self.area.label

    @property
    def records_trend(self) -> str:
        return "up" if self.records > self.records_before else "down" if self.records < self.records_before else "same"


def dashboard_figures(period: Period, unit) -> dict:
    """Every figure the dashboard shows of the unit's scope for the quarter, as plain data (what is cached).

    {"rows_now", "rows_before": records per direct child unit and area (activity_by_area, with each
    unit as {"pk", "name"}), "areas": {app label: {"now", "before": key figures, "monthly": 今年以来 by
    month, "amounts": the area's monthly amounts, if it declares a chart of them}}}.
    """
    previous, ytd = period.previous(), period.year_to_date()
    areas = {}
    for area in work_areas():
        module = area.metrics
        now = module.compute(period, unit)[unit.path]
        before = module.compute(previous, unit)[unit.path]
        entry = {
            "now": {key: now[key] for key in area.key_figures},
            "before": {key: before[key] for key in area.key_figures},
            "monthly": module.monthly(ytd, unit),
        }
        if area.amount_chart:
            entry["amounts"] = getattr(module, area.amount_chart[1])(ytd, unit)
        areas[area.label] = entry
    return {
        "rows_now": _plain_rows(common_metrics.activity_by_area(period, unit)),
        "rows_before": _plain_rows(common_metrics.activity_by_area(previous, unit)),
        "areas": areas,
    }


def _plain_rows(rows: list[dict]) -> list[dict]:
    """activity_by_area's rows with each unit as {"pk", "name"}, to be cached."""
    return [{**row, "unit": row["unit"] and {"pk": row["unit"].pk, "name": row["unit"].name}} for row in rows]


def area_summaries(figures: dict, user, period: Period, unit) -> list[AreaSummary]:
    rows_now, rows_before = figures["rows_now"], figures["rows_before"]
    summaries = []
    for area in work_areas():
        name, values = area.title, figures["areas"][area.label]
        by_key = {figure.key: figure for figure in area.metrics.FIGURES}
        summaries.append(
            AreaSummary(
                area=area,
                name=name,
                color=area.colour,
                records=sum(row["areas"].get(name, 0) for row in rows_now),
                records_before=sum(row["areas"].get(name, 0) for row in rows_before),
                figures=[
                    KeyFigure(
                        by_key[key],
                        values["now"][key],
                        values["before"][key],
                        figure_link(by_key[key], period, unit, user),
                    )
                    for key in area.key_figures
                ],
                ledgers=[
                    ledger
                    for ledger in all_ledgers()
                    if ledger.app_label == area.label and user.has_perm(ledger.perm("view"))
                ],
            )
        )
    return summaries


# -------------------------------------------------------------------------------------------- charts


def _month_label(month: str) -> str:
    return f"{int(month[5:])}月"


def charts(period: Period, figures: dict) -> dict:
    """The dashboard's charts: 今年以来 month by month (the quarter highlighted), and the quarter by area and unit.

    They are drawn from the scope's figures alone (nothing of the user's), so they are cached with them.
    """
    areas, rows_now = work_areas(), figures["rows_now"]
    names = [area.title for area in areas]
    monthly = [figures["areas"][area.label]["monthly"] for area in areas]
    months = [row["month"] for row in next(iter(monthly), [])]
    labels = [_month_label(month) for month in months]
    quarter = [i for i, month in enumerate(months) if dt.date.fromisoformat(f"{month}-01") in period]
    records = [
        Series(a.title, [row["records"] for row in rows], a.colour) for a, rows in zip(areas, monthly, strict=True)
    ]
    people = [
        Series(a.title, [row["people"] for row in rows], a.colour) for a, rows in zip(areas, monthly, strict=True)
    ]
    amounts = next((area for area in areas if area.amount_chart), None)
    year = f"{period.end.year}年"
    this = period_words(period)["this"]
    units = [row["name"] for row in rows_now]
    return {
        "records": column_chart(f"{year}各月台账记录(条)", labels, records, formatting.count, highlight=quarter),
        "people": column_chart(f"{year}各月参与人次", labels, people, formatting.count, highlight=quarter),
        "funds": amount_chart(amounts, figures["areas"][amounts.label]["amounts"], year, labels, quarter)
        if amounts
        else None,
        "areas": bar_chart(
            f"{this}各工作领域活动(条)",
            names,
            [Series("台账记录", [sum(row["areas"].get(name, 0) for row in rows_now) for name in names], "#6c757d")],
            formatting.count,
        ),
        "units": bar_chart(
            f"{this}各下级单位活动(条)",
            units,
            [Series(a.title, [row["areas"].get(a.title, 0) for row in rows_now], a.colour) for a in areas],
            formatting.count,
        )
        if units
        else None,
    }


CHARTS_TEMPLATE = "portal/_charts.html"
# What the charts are rendered with: a change to any of them renders the cached charts afresh (figure_cache).
CHARTS_TEMPLATES = (CHARTS_TEMPLATE, "portal/_chart.html")


def dashboard_entry(period: Period, unit) -> dict:
    """What is cached of a quarter's dashboard: its figures, and its charts as finished HTML.

    The charts are hundreds of SVG shapes; drawing them is most of the page's work, and they change only
    when the figures do, so they are drawn once per data version, not once per look.
    """
    figures = dashboard_figures(period, unit)
    html = render_to_string(CHARTS_TEMPLATE, {"charts": charts(period, figures)})
    return {"figures": figures, "charts": str(html)}


def amount_chart(area: WorkAreaConfig, amounts: list[dict], year: str, labels: list[str], quarter: list[int]):
    """The monthly amounts an area declares (关心关爱: 募集资金), as a column chart."""
    label, _function = area.amount_chart
    series = [Series(label, [row["amount"] for row in amounts], FUNDS_COLOR)]
    return column_chart(f"{year}各月{label}(元)", labels, series, formatting.amount, highlight=quarter)


# ------------------------------------------------------------------------------------ latest records


def _summary_field(ledger: Ledger) -> str:
    """The column that best names a record in a one-line list: its first free text, else its first choice."""
    for kind in (ColumnKind.TEXT, ColumnKind.CHOICE):
        for column in ledger.columns:
            if column.kind == kind and column.name not in ledger.personal_fields and column.name != "note":
                return column.name
    return "note"


def latest_rows(unit_ids: list[int] | None, ledgers: list[Ledger], limit: int = LATEST) -> list[tuple]:
    """(slug, pk, date, created_at, unit name, summary) of the records most recently entered in the ledgers,
    in the user's scope (access.visible_unit_ids): each ledger's newest `limit` (read from an index on
    created_at), merged.

    One UNION query where the database takes a LIMIT in each part (PostgreSQL), else one per ledger.
    """
    parts = [
        access.scope_by_ids(ledger.model.objects.all(), unit_ids)
        .annotate(
            slug=Value(ledger.slug, output_field=CharField()),
            summary=Cast(F(_summary_field(ledger)), CharField()),
            unit_name=F("unit__name"),
        )
        .order_by("-created_at", "-pk")
        .values_list("slug", "pk", "date", "created_at", "unit_name", "summary")[:limit]
        for ledger in ledgers
    ]
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))
    else:
        rows = [row for part in parts for row in part]
    return sorted(rows, key=lambda row: (row[3], row[1]), reverse=True)[:limit]


def latest_records(rows: list[tuple], ledgers: list[Ledger]) -> list[dict]:
    """The latest rows as the page lists them, each with its ledger and link."""
    by_slug = {ledger.slug: ledger for ledger in ledgers}
    return [
        {
            "ledger": by_slug[slug],
            "date": date,
            "created_at": created_at,
            "unit": unit_name,
            "summary": summary or "",
            "url": address("portal:ledger_detail", slug, pk),
        }
        for slug, pk, date, created_at, unit_name, summary in rows
    ]


# ------------------------------------------------------------------------------------------ the report


def report_button(user, unit, period: Period) -> dict:
    """The button to a quarter's report of the user's unit: the quarter shown once it is over, else the
    last finished one. It opens the report (or its draft, built from the data), one click from the Word file."""
    if unit is None or not user.has_perm("reports.view_workreport"):
        return {}
    today = timezone.localdate()
    quarter = period if period.is_finished(today) else Period.last_finished_quarter(today)
    query = urlencode({"period": quarter.code, "unit": unit.pk})
    return {"report_period": quarter, "report_url": f"{address('reports:draft')}?{query}"}


# ---------------------------------------------------------------------------------------------- view


CARDS_TEMPLATE = "portal/_area_cards.html"
SOURCES = (__name__, charts_module.__name__)


def area_cards(figures: dict, user, period: Period, unit) -> str:
    """The cards of the work areas as HTML: their key figures (linked to the records they count, if the user
    may view that ledger) and the ledgers the user may view."""
    context = {
        "areas": area_summaries(figures, user, period, unit),
        "words": period_words(period),
        "quarter_filter": f"date_from={period.start:%Y-%m-%d}&date_to={period.end:%Y-%m-%d}",
    }
    return str(render_to_string(CARDS_TEMPLATE, context))


def scope_data(user, unit, period: Period, ledgers: list[Ledger]) -> dict:
    """What the dashboard shows of the user's scope, from the cache where the scope has not changed since.

    The scope is the user's home unit's subtree (everything, for the city), so its key is that unit's. The
    area cards also depend on which ledgers the user may view (`ledgers`: their links): they are cached for
    each such set, so the users of one role share them.
    """
    unit_ids = cache(lambda: access.visible_unit_ids(user))  # read once, and only if something is computed
    viewable = ",".join(ledger.slug for ledger in ledgers)
    entries = {
        "span": lambda: record_span(unit_ids()),
        f"latest:{viewable}": lambda: latest_rows(unit_ids(), ledgers),
    }
    if unit is None:  # no unit to key the scope by (an account without a unit, a database without units)
        return {name.split(":")[0]: compute() for name, compute in entries.items()}
    entries[f"dashboard:{period.code}"] = lambda: dashboard_entry(period, unit)
    version = scope_key(unit)
    found = figure_cache.cached_as(version, entries, sources=SOURCES, templates=CHARTS_TEMPLATES)
    data = {name.split(":")[0]: value for name, value in found.items()}
    name = f"cards:{period.code}:{viewable}"
    cards = {name: lambda: area_cards(data["dashboard"]["figures"], user, period, unit)}
    data["cards"] = figure_cache.cached_as(version, cards, sources=SOURCES, templates=(CARDS_TEMPLATE,))[name]
    return data


@login_required
def dashboard(request):
    user = request.user
    period, period_error = selected_period(request)
    unit = access.home_unit(user)
    viewable = [ledger for ledger in all_ledgers() if user.has_perm(ledger.perm("view"))]
    data = scope_data(user, unit, period, viewable)
    with_records = quarters_in_span(data["span"])
    context = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(period, with_records),
        "latest_with_records": next((p for p in with_records if p != period), None),
        "previous": period.previous(),
        "next": following(period),
        "words": period_words(period),
        "latest": latest_records(data["latest"], viewable),
        "addable": [ledger for ledger in all_ledgers() if user.has_perm(ledger.perm("add"))],
        **report_button(user, unit, period),
        **submissions_context(user, period),  # the 报送情况 box and the user's reminders
    }
    if unit is not None:
        rows_now = data["dashboard"]["figures"]["rows_now"]
        context.update(
            {
                # Rendered by CARDS_TEMPLATE and CHARTS_TEMPLATE, which escape what they write; cached as strings.
                "cards_html": mark_safe(data["cards"]),
                "charts_html": mark_safe(data["dashboard"]["charts"]),
                "no_records": not any(sum(row["areas"].values()) for row in rows_now),
            }
        )
    return render(request, "portal/dashboard.html", context)

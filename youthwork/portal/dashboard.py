"""The dashboard at "/": the user's scope, one quarter at a glance.

Every figure comes from the work areas' metrics modules (each area's metrics.py, as its WorkAreaConfig
declares it, and youthwork/metrics.py), the same functions the report is built from,
so the dashboard and the report never disagree. This module only chooses what to show and lays it
out; the quarters that have records (for the period switcher) come from youthwork.metrics too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from youthwork import access, formatting
from youthwork import metrics as common_metrics
from youthwork.areas import WorkAreaConfig, work_areas
from youthwork.ledgers import Ledger, all_ledgers
from youthwork.metrics import Figure, quarters_with_records
from youthwork.periods import Period, PeriodError
from youthwork.portal.charts import Series, bar_chart, column_chart

LATEST = 8

FUNDS_COLOR = "#2e8b57"


# ---------------------------------------------------------------------------------------------- period


def selected_period(request) -> tuple[Period, str | None]:
    """The quarter asked for (?period=2023Q2), else the current one; with a message when the text is wrong."""
    current = Period.quarter_of(timezone.localdate())
    text = request.GET.get("period", "").strip()
    if not text:
        return current, None
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        return current, f"{exc},已显示本季度"
    if period.kind != "quarter":
        return current, f"概览按季度显示,请选择一个季度(例如 2023Q2),而不是“{text}”;已显示本季度"
    return period, None


def period_choices(period: Period, with_records: list[Period]) -> list[Period]:
    today = Period.quarter_of(timezone.localdate())
    return sorted({today, period, *with_records}, reverse=True)


# --------------------------------------------------------------------------------------- key figures


@dataclass
class KeyFigure:
    figure: Figure
    now: object
    before: object

    @property
    def label(self) -> str:
        return self.figure.name + (f"({self.figure.unit})" if self.figure.unit and self.figure.kind == "count" else "")

    def _text(self, value) -> str:
        return formatting.amount(value) if self.figure.kind == "amount" else formatting.count(value)

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


def area_summaries(period: Period, unit, user, rows_now, rows_before) -> list[AreaSummary]:
    previous = period.previous()
    summaries = []
    for area in work_areas():
        module, name = area.metrics, area.title
        by_key = {figure.key: figure for figure in module.FIGURES}
        now = module.compute(period, unit)[unit.path]
        before = module.compute(previous, unit)[unit.path]
        summaries.append(
            AreaSummary(
                area=area,
                name=name,
                color=area.colour,
                records=sum(row["areas"].get(name, 0) for row in rows_now),
                records_before=sum(row["areas"].get(name, 0) for row in rows_before),
                figures=[KeyFigure(by_key[key], now[key], before[key]) for key in area.key_figures],
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


def charts(period: Period, unit, summaries: list[AreaSummary], rows_now: list[dict]) -> dict:
    """The dashboard's charts: 今年以来 month by month (the quarter highlighted), and the quarter by area and unit."""
    ytd = period.year_to_date()
    monthly = {s.name: s.area.metrics.monthly(ytd, unit) for s in summaries}
    months = [row["month"] for row in next(iter(monthly.values()), [])]
    labels = [_month_label(month) for month in months]
    quarter = [i for i, month in enumerate(months) if dt.date.fromisoformat(f"{month}-01") in period]
    records = [Series(s.name, [row["records"] for row in monthly[s.name]], s.color) for s in summaries]
    people = [Series(s.name, [row["people"] for row in monthly[s.name]], s.color) for s in summaries]
    amounts = next((s.area for s in summaries if s.area.amount_chart), None)
    year = f"{period.end.year}年"
    units = [row["name"] for row in rows_now]
    return {
        "records": column_chart(f"{year}各月台账记录(条)", labels, records, formatting.count, highlight=quarter),
        "people": column_chart(f"{year}各月参与人次", labels, people, formatting.count, highlight=quarter),
        "funds": amount_chart(amounts, ytd, unit, year, labels, quarter) if amounts else None,
        "areas": bar_chart(
            "本季度各工作领域活动(条)",
            [s.name for s in summaries],
            [Series("台账记录", [s.records for s in summaries], "#6c757d")],
            formatting.count,
        ),
        "units": bar_chart(
            "本季度各下级单位活动(条)",
            units,
            [Series(s.name, [row["areas"].get(s.name, 0) for row in rows_now], s.color) for s in summaries],
            formatting.count,
        )
        if units
        else None,
    }


def amount_chart(area: WorkAreaConfig, ytd: Period, unit, year: str, labels: list[str], quarter: list[int]):
    """The monthly amounts an area declares (关心关爱: 募集资金), as a column chart."""
    label, function = area.amount_chart
    amounts = getattr(area.metrics, function)(ytd, unit)
    series = [Series(label, [row["amount"] for row in amounts], FUNDS_COLOR)]
    return column_chart(f"{year}各月{label}(元)", labels, series, formatting.amount, highlight=quarter)


# ------------------------------------------------------------------------------------ latest records


def _summary_field(ledger: Ledger) -> str:
    """The column that best names a record in a one-line list: its first free text, else its first choice."""
    for kind in ("text", "choice"):
        for column in ledger.columns:
            if column.kind == kind and column.name not in ledger.personal_fields and column.name != "note":
                return column.name
    return "note"


def latest_records(user, limit: int = LATEST) -> list[dict]:
    """The records most recently entered in any ledger the user may view, in one UNION query."""
    ledgers = [ledger for ledger in all_ledgers() if user.has_perm(ledger.perm("view"))]
    if not ledgers:
        return []
    parts = [
        access.scope(ledger.model.objects.all(), user)
        .order_by()
        .annotate(
            slug=Value(ledger.slug, output_field=CharField()),
            summary=Cast(F(_summary_field(ledger)), CharField()),
            unit_name=F("unit__name"),
        )
        .values_list("slug", "pk", "date", "created_at", "unit_name", "summary")
        for ledger in ledgers
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    by_slug = {ledger.slug: ledger for ledger in ledgers}
    rows = []
    for slug, pk, date, created_at, unit_name, summary in combined.order_by("-created_at", "-pk")[:limit]:
        rows.append(
            {
                "ledger": by_slug[slug],
                "date": date,
                "created_at": created_at,
                "unit": unit_name,
                "summary": summary or "",
                "url": reverse("portal:ledger_detail", args=[slug, pk]),
            }
        )
    return rows


# ------------------------------------------------------------------------------------------ the report


def report_button(user, unit, period: Period) -> dict:
    """The button to a quarter's report of the user's unit: the quarter shown once it is over, else the
    last finished one. It opens the report (or its draft, built from the data), one click from the Word file."""
    if unit is None or not user.has_perm("reports.view_workreport"):
        return {}
    today = timezone.localdate()
    quarter = period if period.is_finished(today) else Period.last_finished_quarter(today)
    query = urlencode({"period": quarter.code, "unit": unit.pk})
    return {"report_period": quarter, "report_url": f"{reverse('reports:draft')}?{query}"}


# ---------------------------------------------------------------------------------------------- view


@login_required
def dashboard(request):
    user = request.user
    period, period_error = selected_period(request)
    unit = access.home_unit(user)
    with_records = quarters_with_records(user)
    context = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(period, with_records),
        "latest_with_records": next((p for p in with_records if p != period), None),
        "previous": period.previous(),
        "next": Period.quarter_of(period.end + dt.timedelta(days=1)),
        "latest": latest_records(user),
        "addable": [ledger for ledger in all_ledgers() if user.has_perm(ledger.perm("add"))],
        **report_button(user, unit, period),
    }
    if unit is not None:
        rows_now = common_metrics.activity_by_area(period, unit)
        rows_before = common_metrics.activity_by_area(period.previous(), unit)
        summaries = area_summaries(period, unit, user, rows_now, rows_before)
        pending = common_metrics.pending_units(period, unit)
        has_children = any(row["unit"] is not None for row in rows_now)
        context.update(
            {
                "areas": summaries,
                "charts": charts(period, unit, summaries, rows_now),
                "has_children": has_children,
                "pending": [(s, pending.get(s.name, [])) for s in summaries],
                "own_missing": [s.name for s in summaries if not s.records],
                "no_records": not any(s.records for s in summaries),
                "quarter_filter": f"date_from={period.start:%Y-%m-%d}&date_to={period.end:%Y-%m-%d}",
            }
        )
    return render(request, "portal/dashboard.html", context)

"""The dashboard at "/": the user's scope, one quarter at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from youthwork import access
from youthwork.ledgers import Ledger, all_ledgers
from youthwork.periods import Period, PeriodError

LATEST = 8


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
        ledger = by_slug[slug]
        rows.append(
            {
                "ledger": ledger,
                "date": date,
                "created_at": created_at,
                "unit": unit_name,
                "summary": summary or "",
                "url": reverse("portal:ledger_detail", args=[slug, pk]),
            }
        )
    return rows


def selected_period(request) -> tuple[Period, str | None]:
    """The quarter asked for (?period=2023Q2), else the current one; with a message when the text is wrong."""
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = Period.parse(text)
        except PeriodError as exc:
            return Period.quarter_of(timezone.localdate()), str(exc)
        if period.kind == "quarter":
            return period, None
        return Period.quarter_of(timezone.localdate()), f"概览按季度显示,请选择一个季度(例如 2023Q2),而不是“{text}”"
    return Period.quarter_of(timezone.localdate()), None


@login_required
def dashboard(request):
    period, period_error = selected_period(request)
    unit = access.home_unit(request.user)
    context = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "latest": latest_records(request.user),
    }
    return render(request, "portal/dashboard.html", context)

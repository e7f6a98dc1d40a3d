"""The pages of 报送与审核: the quarter's overview (/submissions/), a unit's quarter, and the moves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from submissions import checks, overview, services
from submissions.models import CheckedFlag, deadline_of
from youthwork import access
from youthwork.ledgers import all_ledgers
from youthwork.locks import is_lock_conflict
from youthwork.models import Unit
from youthwork.periods import Period, PeriodError

ACTIONS = {
    "submit": services.Action.SUBMIT,
    "withdraw": services.Action.WITHDRAW,
    "approve": services.Action.APPROVE,
    "return": services.Action.RETURN,
}
ACTION_SLUGS = {label: slug for slug, label in ACTIONS.items()}


@login_required
@permission_required("submissions.view_submission", raise_exception=True)
def submission_list(request):
    period, error = overview.selected_quarter(request)
    state = request.GET.get("state", "")
    rows = overview.rows_for(request.user, period)
    context = {
        "period": period,
        "period_error": error,
        "deadline": deadline_of(period),
        "deadline_days": settings.SUBMISSION_DEADLINE_DAYS,
        "rows": overview.filter_rows(rows, state),
        "all_rows": rows,
        "state": state,
        "states": overview.STATE_FILTERS,
        "areas": list(dict.fromkeys(ledger.area for ledger in all_ledgers())),
        "periods": [period.previous().previous(), period.previous(), period, _next(period)],
        "action_slugs": ACTION_SLUGS,
    }
    return render(request, "submissions/list.html", context)


def _next(period: Period) -> Period:
    return Period.quarter_of(period.end + dt.timedelta(days=1))


def _unit_and_period(request, unit_id: int, code: str) -> tuple[Unit, Period]:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not access.can_see_unit(request.user, unit):
        raise Http404("没有找到这个单位")
    try:
        period = Period.parse(code)
    except PeriodError as error:
        raise Http404(str(error)) from error
    if period.kind != "quarter":
        raise Http404("报送按季度进行")
    return unit, period


@login_required
@permission_required("submissions.view_submission", raise_exception=True)
def submission_detail(request, unit_id: int, code: str):
    unit, period = _unit_and_period(request, unit_id, code)
    submission = services.find(unit, period)
    state = services.state_of(submission)
    flags = checks.flags_of(unit, [unit], period)
    query = urlencode({"unit": unit.pk, "date_from": f"{period.start:%Y-%m-%d}", "date_to": f"{period.end:%Y-%m-%d}"})
    ledgers = []
    for ledger in all_ledgers():
        if not request.user.has_perm(ledger.perm("view")):
            continue
        count = ledger.model._default_manager.filter(
            unit__path__startswith=unit.path, date__gte=period.start, date__lte=period.end
        ).count()
        url = f"{reverse('portal:ledger_list', args=[ledger.slug])}?{query}"
        ledgers.append({"ledger": ledger, "count": count, "url": url})
    context = {
        "unit": unit,
        "period": period,
        "submission": submission,
        "state": state,
        "late": submission.is_late() if submission else timezone.localdate() > deadline_of(period),
        "deadline": deadline_of(period),
        "events": submission.events.select_related("user") if submission else [],
        "flags": flags,
        "ledgers": ledgers,
        "actions": services.allowed_actions(request.user, unit, state),
        "action_slugs": ACTION_SLUGS,
        "may_check": services.may_submit(request.user, unit) or services.is_reviewer_of(request.user, unit),
        "has_records": any(row["count"] for row in ledgers),
    }
    return render(request, "submissions/detail.html", context)


@require_POST
@login_required
def submission_move(request, unit_id: int, code: str, action: str):
    if action not in ACTIONS:
        raise Http404("没有这种操作")
    unit, period = _unit_and_period(request, unit_id, code)
    label = ACTIONS[action]
    try:
        submission = services.move(
            request.user,
            unit,
            period,
            label,
            reason=request.POST.get("reason", ""),
            no_records=bool(request.POST.get("no_records")),
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    except (IntegrityError, OperationalError) as error:
        if isinstance(error, OperationalError) and not is_lock_conflict(error):
            raise
        # Two first submissions at once: the other one created the row; nothing was changed by this one.
        messages.error(request, f"“{unit}”{period.label}的报送状态刚刚已被他人修改,请查看后再操作")
    else:
        messages.success(request, f"“{unit}”{period.label}:{label}成功,当前状态为{submission.state}")
    return redirect(_next_url(request, unit, period))


def _next_url(request, unit, period: Period) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/submissions/"):
        return target
    return reverse("submissions:detail", args=[unit.pk, period.code])


@require_POST
@login_required
def flag_check(request, unit_id: int, code: str):
    """已核实: mark one warning of the unit's quarter as checked, with a note."""
    unit, period = _unit_and_period(request, unit_id, code)
    if not (services.may_submit(request.user, unit) or services.is_reviewer_of(request.user, unit)):
        messages.error(request, f"只有{unit}的录入员、管理员或上级单位的管理员可以核实{unit}的数据提示")
        return redirect("submissions:detail", unit.pk, period.code)
    key = request.POST.get("key", "")
    if key not in {flag.key for flag in checks.flags_of(unit, [unit], period)}:
        messages.error(request, "这条数据提示已不存在(记录可能已修改),请刷新页面")
        return redirect("submissions:detail", unit.pk, period.code)
    note = request.POST.get("note", "").strip()
    CheckedFlag.objects.update_or_create(
        period_start=period.start,
        key=key,
        defaults={"note": note, "checked_by": request.user, "checked_at": timezone.now()},
    )
    messages.success(request, "已标记为已核实")
    return redirect("submissions:detail", unit.pk, period.code)


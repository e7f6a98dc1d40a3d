"""Who is reminded of what (send_reminders mails it; the dashboard shows the same text to each user)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from submissions import overview
from submissions.models import Submission
from youthwork.models import Unit, User

State = Submission.State


def _users_with(unit_ids, perm: str) -> list[User]:
    users = User.objects.filter(unit_id__in=unit_ids, is_active=True).exclude(email="").select_related("unit")
    return [user for user in users.order_by("unit__path", "username") if user.has_perm(perm)]


def reminders(today: dt.date) -> list[tuple[User, list[str]]]:
    """(user, lines) for everyone to remind on `today` about the last finished quarter."""
    period = overview.reminder_period(today)
    lines: dict[int, list[str]] = defaultdict(list)
    users: dict[int, User] = {}
    if overview.is_reminding(period, today):
        done = set(
            Submission.objects.filter(period_start=period.start, state__in=Submission.LOCKING).values_list(
                "unit_id", flat=True
            )
        )
        reporting = Unit.objects.filter(parent__isnull=False).exclude(pk__in=done).values_list("pk", flat=True)
        for user in _users_with(reporting, "submissions.submit_submission"):
            users[user.pk] = user
            lines[user.pk] += [note for note in overview.reminders_for(user, today) if "等待审核" not in note]
    waiting = Submission.objects.filter(period_start=period.start, state=State.SUBMITTED).values_list(
        "unit__parent_id", flat=True
    )
    for user in _users_with(set(waiting), "submissions.review_submission"):
        users[user.pk] = user
        notes = overview.reminders_for(user, today)
        lines[user.pk] += [note for note in notes if "等待审核" in note]
    return [(users[pk], found) for pk, found in lines.items() if found]


def subject(lines: list[str]) -> str:
    reviewing = all("等待审核" in line for line in lines)
    return "报送审核提醒:" + ("有下级单位的报送等待审核" if reviewing else "请按时报送季度数据")



import datetime as dt
import html

import pytest

from activities.models import OnlineLesson
from tests.factories import make_record, make_user
from youthwork.roles import ADMIN, CLERK

QUARTER = "2023Q2"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def move(client, unit, action, code=QUARTER, **data):
    return client.post(f"/submissions/{unit.pk}/{code}/{action}/", data, follow=True)


@pytest.fixture
def town(cast):
    """The cast with a town's clerk and 管理员 and a record of the town's school in 2023Q2."""
    cast.town_clerk = make_user("town_clerk", cast.town_a, CLERK)
    cast.town_admin = make_user("town_admin", cast.town_a, ADMIN)
    cast.lesson = make_record(
        OnlineLesson, cast.school_a, dt.date(2023, 5, 4), column="其他", issue="甲", participants=1
    )
    return cast

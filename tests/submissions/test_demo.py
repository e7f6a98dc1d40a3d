import io

from django.core.management import call_command
from django.utils import timezone

from submissions.models import CheckedFlag, Submission
from youthwork.models import User
from youthwork.periods import Period


def test_the_demo_shows_every_state_of_the_last_finished_quarter_and_flags_once(db, client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    period = Period.last_finished_quarter(timezone.localdate())
    states = set(Submission.objects.filter(period_start=period.start).values_list("state", flat=True))
    assert states == {"已通过", "已报送", "已退回"}
    returned = Submission.objects.get(state="已退回")
    assert returned.return_reason and returned.events.count() == 2
    assert CheckedFlag.objects.count() == 1
    client.force_login(User.objects.get(username="staff"))
    page = client.get(f"/submissions/?period={period.code}").content.decode()
    assert "待核实" in page and "已通过" in page

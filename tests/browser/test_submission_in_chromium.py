"""A unit's 录入员 submits a quarter, the city's 管理员 approves it and returns it, in Chromium."""

from submissions.models import Submission
from youthwork.models import Unit

QUARTER = "2023Q2"


def test_a_clerk_submits_the_quarter_the_city_approves_then_returns_it_and_the_clerk_submits_again(browser):
    district = Unit.objects.get(code="D01")
    page = browser.login("staff")
    page.get_by_role("link", name="报送情况", exact=True).click()
    page.wait_for_url("**/submissions/")
    browser.goto(f"/submissions/{district.pk}/{QUARTER}/")
    page.get_by_role("button", name="报送", exact=True).click()
    page.get_by_role("alert").filter(has_text="报送成功").wait_for()
    assert Submission.objects.get(unit=district, period_code=QUARTER).state == Submission.State.SUBMITTED

    page = browser.login("admin")
    browser.goto(f"/submissions/{district.pk}/{QUARTER}/")
    page.get_by_role("button", name="审核通过").click()
    page.get_by_role("alert").filter(has_text="审核通过成功").wait_for()
    assert Submission.objects.get(unit=district, period_code=QUARTER).state == Submission.State.APPROVED

    page.get_by_placeholder("退回原因").fill("请补录六月的主题团日")
    page.get_by_role("button", name="退回").click()
    page.get_by_role("alert").filter(has_text="退回成功").wait_for()
    submission = Submission.objects.get(unit=district, period_code=QUARTER)
    assert submission.state == Submission.State.RETURNED

    page = browser.login("staff")
    browser.goto(f"/submissions/{district.pk}/{QUARTER}/")
    assert page.get_by_text("请补录六月的主题团日").first.is_visible()
    page.get_by_role("button", name="报送", exact=True).click()
    page.get_by_role("alert").filter(has_text="报送成功").wait_for()
    assert Submission.objects.get(unit=district, period_code=QUARTER).state == Submission.State.SUBMITTED

"""The Content-Security-Policy as Chromium enforces it: the pages people use, the portal's and the admin's
(django-import-export's import and export pages included), run and look right without one violation."""

import re

from activities.models import ThemeDay
from reports.models import WorkReport
from youthwork.models import Unit, User

# Record every violation the browser reports on the page, before any of the page's own code runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
}, true);
"""


class Violations:
    """Violations reported by `securitypolicyviolation` events and by the console, page after page."""

    def __init__(self, browser):
        self.page = browser.page
        self.console = []
        browser.context.add_init_script(LISTEN)
        self.page.on(
            "console",
            lambda message: self.console.append(message.text) if "Content Security Policy" in message.text else None,
        )
        self.page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))

    def of_this_page(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || ['the listener did not run']") + self.console


def test_portal_and_admin_pages_run_under_the_policy_without_a_violation(browser):
    city = Unit.objects.get(code="C00")
    report = WorkReport.objects.create(unit=city, period_code="2023Q2", created_by=User.objects.get(username="admin"))
    record = ThemeDay.objects.order_by("pk").first()
    page = browser.login("admin")
    violations = Violations(browser)

    def visit(path: str) -> None:
        response = browser.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")

    def assert_clean(path: str) -> None:
        assert violations.of_this_page() == [], path

    for path in (
        "/?period=2023Q2",
        "/ledgers/themeday/",
        "/ledgers/themeday/new/",
        f"/ledgers/themeday/{record.pk}/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        "/admin/",
        "/admin/activities/themeday/",
        f"/admin/activities/themeday/{record.pk}/history/",
        "/admin/youthwork/importupload/",
    ):
        visit(path)
        assert_clean(path)

    # The dashboard's colours (SVG fills, no style attributes) are drawn.
    visit("/?period=2023Q2")
    assert page.locator(".dashboard-area .area-color rect").first.get_attribute("fill").startswith("#")
    assert page.locator(".dashboard-area .area-color").first.bounding_box()["height"] == 4

    # The report page's stylesheet applies (it used to be an inline <style>).
    visit(f"/reports/{report.pk}/")
    font = page.locator("article.report-document").evaluate("(node) => getComputedStyle(node).fontFamily")
    assert "仿宋" in font
    assert_clean("report detail")

    # The admin's change form with its date widget and its JavaScript at work.
    path = f"/admin/activities/themeday/{record.pk}/change/"
    visit(path)
    page.locator(".datetimeshortcuts a").first.click()  # 今天
    page.locator(".datetimeshortcuts .date-icon").first.click()
    assert page.locator(".calendarbox").first.is_visible()
    page.keyboard.press("Escape")
    assert_clean(path)

    # The admin changelist's action bar (its JavaScript counts the ticked rows).
    path = "/admin/activities/themeday/"
    visit(path)
    page.locator("input.action-select").first.check()
    assert "1" in page.locator(".action-counter").inner_text()
    assert_clean(path)

    # django-import-export's import page, and its export page whose 全选 toggle is the inline handler the policy
    # allows by its hash: it still unticks every column.
    path = "/admin/activities/themeday/import/"
    visit(path)
    assert page.locator("input[type=file]").count() == 1
    assert_clean(path)
    path = "/admin/activities/themeday/export/"
    visit(path)
    columns = page.locator("input[type=checkbox][name^='themedayresource_']")
    assert columns.count() > 3 and all(box.is_checked() for box in columns.all())
    page.locator("input.select-toggle").uncheck()
    assert not any(box.is_checked() for box in columns.all())
    assert_clean(path)


def test_an_injected_inline_script_is_blocked(browser):
    """What the policy is for: markup that gets into a page cannot run script."""
    page = browser.login("staff")
    violations = Violations(browser)
    browser.goto("/ledgers/themeday/")
    page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.innerHTML = '<img src="x" onerror="window.__ran = true">';
            document.body.appendChild(box);
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__ran") is None
    assert any(re.match(r"script-src", violation) for violation in violations.of_this_page())

"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the tests skip with the reason; with CI set (CI=true) they fail instead,
so that CI cannot pass without running them. A failing test leaves a screenshot of its page in
test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 740}
DEMO_PASSWORD = "youthwork-demo"
DEMO_TODAY = dt.date(2023, 12, 31)  # the demo's records then cover 2022Q4 to 2023Q4: the tests name 2023's quarters
DASHBOARD = re.compile(r"^https?://[^/]+/$")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: the browser tests need Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; in CI (CI is set) they must run, not skip", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told that this (test-only) use is safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(live_server, request):
    """The demo city of `manage.py load_demo` behind a live server (the database is flushed after each test).

    Loaded as on DEMO_TODAY, so the records are 2023's; `@pytest.mark.demo_today(None)` loads it as on the
    real today (the demo a user sees on the day they load it)."""
    marker = request.node.get_closest_marker("demo_today")
    today = marker.args[0] if marker else DEMO_TODAY
    call_command("load_demo", *(["--today", today.isoformat()] if today else []), stdout=io.StringIO())
    return live_server


class Browser:
    """A page of a fresh browser context (its own cookies) and a few steps every test takes."""

    def __init__(self, chromium, base_url: str):
        self.chromium = chromium
        self.base_url = base_url
        self.context = None
        self.page = None

    def open(self, viewport=DESKTOP):
        if self.context is not None:
            self.context.close()
        self.context = self.chromium.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        return self.page

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def login(self, username: str, viewport=DESKTOP):
        page = self.open(viewport)
        page.goto(self.url("/"))
        assert "/accounts/login/" in page.url
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(DASHBOARD)
        return page

    def horizontal_overflow(self) -> int:
        """How many pixels the page is wider than the window (0: no horizontal scroll)."""
        return self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def close(self):
        if self.context is not None:
            self.context.close()


@pytest.fixture
def browser(chromium, demo):
    session = Browser(chromium, demo.url)
    yield session
    session.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of the page of a browser test that failed (test-artifacts/<test>.png)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    session = item.funcargs.get("browser")
    page = getattr(session, "page", None)
    if page is None or page.is_closed():
        return
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # the page may have crashed: say so, keep the original failure
        report.sections.append(("screenshot", f"no screenshot: {exc}"))
    else:
        report.sections.append(("screenshot", f"{path} ({page.url})"))

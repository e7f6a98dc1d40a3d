"""Content-Security-Policy, Referrer-Policy and idle sessions, through HTTP requests.

An injected <script> or onclick="…" must not run: the policy allows scripts only from the site's own files, and
the pages keep to it, so that it can stay that strict. The browser's own verdict is in
tests/browser/test_csp_in_chromium.py."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ThemeDay
from reports.models import WorkReport
from tests.factories import make_record
from youthwork.sessions import REFRESHED_AT

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
EXPORT_PAGE = "/admin/activities/themeday/export/"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def pages(cast):
    """Every kind of page the portal and the admin serve, for the city's superuser."""
    record = make_record(ThemeDay, cast.school_a, theme="主题团日")
    record.theme = "改过的主题"
    record.save()
    report = WorkReport.objects.create(unit=cast.city, period_code="2023Q2", created_by=cast.superuser)
    return [
        "/?period=2023Q2",
        "/ledgers/themeday/",
        "/ledgers/themeday/new/",
        f"/ledgers/themeday/{record.pk}/",
        f"/ledgers/themeday/{record.pk}/edit/",
        f"/ledgers/themeday/{record.pk}/delete/",
        "/reports/",
        "/reports/new/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        "/accounts/password/",
        "/admin/",
        "/admin/activities/themeday/",
        "/admin/activities/themeday/add/",
        f"/admin/activities/themeday/{record.pk}/change/",
        f"/admin/activities/themeday/{record.pk}/history/",
        f"/admin/activities/themeday/{record.pk}/delete/",
        "/admin/activities/themeday/import/",
        EXPORT_PAGE,
        "/admin/youthwork/unit/",
        "/admin/youthwork/importupload/",
        "/admin/reports/workreport/",
        "/admin/password_change/",
        "/no-such-page/",
    ]


def test_every_page_is_sent_with_a_policy_that_allows_only_the_sites_own_scripts(login, cast, pages):
    client = login(cast.superuser)
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"], url
        assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["script-src"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
        assert response["Referrer-Policy"] == "same-origin", url


def test_no_page_holds_inline_script_event_handlers_or_style_attributes(login, cast, pages):
    client = login(cast.superuser)
    for url in pages:
        page = client.get(url).content.decode()
        assert not INLINE_SCRIPT.findall(page), url
        assert "javascript:" not in page, url
        handlers = [code for _tag, _quote, code in HANDLER.findall(page)]
        styles = [style for _quote, style in STYLE_ATTRIBUTE.findall(page)]
        if url == EXPORT_PAGE:
            # django-import-export's own template; the policy allows exactly these by their hashes.
            assert set(handlers) == set(settings.CSP_ALLOWED_INLINE_HANDLERS), handlers
            assert set(styles) == set(settings.CSP_ALLOWED_INLINE_STYLES), styles
        else:
            assert handlers == [] and styles == [], (url, handlers, styles)


def test_the_login_lockout_and_error_pages_keep_to_the_policy_too(client, cast):
    for _ in range(5):
        locked = client.post("/accounts/login/", {"username": "clerk_a", "password": "guess"})
    for response in (client.get("/accounts/login/"), locked):
        assert directives(response)["script-src"][0] == "'self'"
        page = response.content.decode()
        assert not INLINE_SCRIPT.findall(page) and not HANDLER.findall(page) and not STYLE_ATTRIBUTE.findall(page)
        assert '<script src="/static/youthwork/portal.js"></script>' in page


def test_the_report_asks_before_finalising_through_a_data_attribute_not_inline_code(login, cast):
    report = WorkReport.objects.create(unit=cast.city, period_code="2023Q2", created_by=cast.superuser)
    page = login(cast.superuser).get(f"/reports/{report.pk}/").content.decode()
    assert re.search(r'<form method="post" action="/reports/\d+/finalise/"[^>]*data-confirm="定稿后[^"]*锁定', page)
    assert "onsubmit" not in page and "return confirm" not in page


def test_portal_and_admin_pages_load_the_one_portal_script(login, cast):
    client = login(cast.superuser)
    assert '<script src="/static/youthwork/portal.js"></script>' in client.get("/").content.decode()
    assert '<script src="/static/youthwork/portal.js" defer></script>' in client.get("/admin/").content.decode()
    script = client.get("/static/youthwork/portal.js")
    assert script.status_code == 200 and b"data-confirm" in b"".join(script.streaming_content)


def test_logging_in_starts_an_8_hour_session(client, cast):
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response.cookies["sessionid"]["max-age"] == 8 * 3600


def test_a_request_moves_the_session_end_to_8_hours_after_it_once_the_last_move_is_minutes_old(login, cast):
    client = login(cast.clerk_a)
    assert "sessionid" not in client.get("/").cookies  # the login just moved it
    session = client.session
    session[REFRESHED_AT] -= settings.SESSION_REFRESH_SECONDS + 1  # as if the last request were minutes ago
    session.set_expiry(None)
    session.save()
    cookie = client.get("/ledgers/themeday/").cookies["sessionid"]
    assert cookie["max-age"] == 8 * 3600
    assert client.session.get_expiry_age() == 8 * 3600


def test_a_page_read_soon_after_the_last_one_writes_no_session(login, cast):
    client = login(cast.clerk_a)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ledgers/themeday/")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []


def test_a_session_idle_past_its_age_must_log_in_again(login, cast, settings):
    client = login(cast.clerk_a)
    client.get("/")
    session = client.session
    session.set_expiry(-1)  # as if the idle time ran out
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

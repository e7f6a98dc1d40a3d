"""Guessing passwords: 5 failed logins for one user name from one address lock that pair for 30 minutes
(django-axes, settings AXES_*; the address from youthwork/security.py), on the portal's and the admin's login."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

PASSWORD = "pw-for-tests-1"  # tests.factories.make_user
PORTAL = "/accounts/login/"
ADMIN = "/admin/login/"


def attempt(client, password: str, username: str = "clerk_a", url: str = PORTAL, **headers):
    return client.post(url, {"username": username, "password": password}, **headers)


def fail(client, times: int, username: str = "clerk_a", url: str = PORTAL, **headers):
    return [attempt(client, f"guess-{n}", username, url, **headers) for n in range(times)]


def assert_locked_page(response, username: str = "clerk_a"):
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page
    assert f"用户名“{username}”从本机连续5次登录失败" in page and "已锁定30分钟" in page
    assert "Account locked" not in page and "sessionid" not in response.cookies


def test_the_fifth_wrong_password_locks_the_user_with_a_chinese_page(client, cast):
    responses = fail(client, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert all("请输入一个正确的" in r.content.decode() for r in responses[:4])
    assert_locked_page(responses[4])


def test_the_right_password_does_not_open_a_locked_account(client, cast):
    fail(client, 5)
    assert_locked_page(attempt(client, PASSWORD))
    assert client.get("/").status_code == 302  # still not logged in


def test_the_admin_login_counts_and_locks_the_same_way(client, cast):
    fail(client, 3, url=ADMIN)
    fail(client, 1)
    assert_locked_page(attempt(client, "guess", url=ADMIN))
    assert_locked_page(attempt(client, PASSWORD, url=ADMIN))
    assert_locked_page(attempt(client, PASSWORD))


def test_the_lock_ends_after_30_minutes(client, cast):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_trying_during_the_lock_does_not_prolong_it(client, cast):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert_locked_page(attempt(client, "one-more-guess"))
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert attempt(client, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, cast):
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    responses = fail(client, 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_holds_one_user_at_one_address_only(client, cast):
    fail(client, 5, REMOTE_ADDR="198.51.100.7")
    # The same user from the office's address, another user from the guesser's address: both log in.
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.20").status_code == 302
    client.post("/accounts/logout/")
    assert attempt(client, PASSWORD, username="admin_a", REMOTE_ADDR="198.51.100.7").status_code == 302


def test_without_a_proxy_a_forged_x_forwarded_for_does_not_give_a_fresh_address(client, cast):
    responses = [
        attempt(client, "guess", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(5)
    ]
    assert_locked_page(responses[-1])


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return {"REMOTE_ADDR": "10.0.0.1"}  # every request reaches the app from the proxy


def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(client, cast, one_proxy):
    # The guesser adds a different forged entry each time; the proxy appends the real address last.
    responses = [
        attempt(client, "guess", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7", **one_proxy) for n in range(5)
    ]
    assert_locked_page(responses[-1])
    # The same user from another client behind the same proxy is not locked out.
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.20", **one_proxy)
    assert response.status_code == 302


def test_behind_one_proxy_the_proxys_own_address_is_not_one_lock_for_everybody(client, cast, one_proxy):
    fail(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.7", **one_proxy)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **one_proxy)
    assert response.status_code == 302

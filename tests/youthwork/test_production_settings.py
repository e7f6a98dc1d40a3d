"""Production settings, in real processes with a controlled environment (nothing of the test run's leaks in):
without DJANGO_DEBUG=1 the portal runs as production, refuses to start without a secret key, and passes
`manage.py check --deploy` at warning level with HTTPS-only cookies, the HTTPS redirect and HSTS on."""

import json
import os
import subprocess
import sys

from django.conf import settings

KEY = "k3y-for-the-production-settings-test-5a0f9c2e7d41b86e3f0a9d7c6b5e4f3a2b1c0d9e8f7"
PRODUCTION = {"DJANGO_SECRET_KEY": KEY, "DJANGO_ALLOWED_HOSTS": "tw.example.gov.cn"}

SHOW_SETTINGS = """
import json
from django.conf import settings as s
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY",
         "SESSION_COOKIE_AGE", "SESSION_REFRESH_SECONDS", "AXES_FAILURE_LIMIT", "TRUSTED_PROXY_COUNT"]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """`python manage.py <args>` with only PATH and the given variables: a fresh server's environment."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "youthwork.settings", **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def settings_of(**environment: str) -> dict:
    result = manage("shell", "-c", SHOW_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_server_started_without_a_secret_key_refuses_to_start_and_says_what_to_set():
    for environment in ({}, {"DJANGO_DEBUG": "0"}, {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}):
        result = manage("check", **environment)
        assert result.returncode != 0
        assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
        assert "token_urlsafe" in result.stderr  # how to make one


def test_production_with_a_key_and_hosts_passes_the_deployment_check_at_warning_level():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_on_https_only_cookies_the_redirect_hsts_and_an_8_hour_idle_session():
    values = settings_of(**PRODUCTION)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # X-Forwarded-Proto is believed only when configured
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600 and values["SESSION_REFRESH_SECONDS"] <= 600
    assert values["AXES_FAILURE_LIMIT"] == 5 and values["TRUSTED_PROXY_COUNT"] == 0


def test_a_plain_http_request_in_production_is_redirected_and_an_https_one_gets_hsts_and_secure_cookies():
    script = """
from django.test import Client
plain = Client().get("/accounts/login/")
print("plain", plain.status_code, plain["Location"])
secure = Client().get("/accounts/login/", secure=True)
print("secure", secure.status_code, secure["Strict-Transport-Security"], secure["Referrer-Policy"])
print("cookie", secure.cookies["csrftoken"]["secure"])
"""
    result = manage("shell", "-c", script, **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "testserver"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "plain 301 https://testserver/accounts/login/" in lines
    assert "secure 200 max-age=31536000; includeSubDomains; preload same-origin" in lines
    assert "cookie True" in lines


def test_behind_a_tls_proxy_that_redirects_itself_each_protection_can_be_switched_off_and_the_https_header_named():
    values = settings_of(
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SESSION_IDLE_HOURS="2",
        DJANGO_TRUSTED_PROXY_COUNT="1",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_AGE"] == 2 * 3600
    assert values["TRUSTED_PROXY_COUNT"] == 1


def test_the_proxys_https_header_makes_a_request_secure_and_no_redirect_loop_follows():
    script = """
from django.test import Client
response = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
print("proxied", response.status_code, response.wsgi_request.is_secure())
"""
    proxy = {"DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    result = manage("shell", "-c", script, **{**PRODUCTION, **proxy})
    assert result.returncode == 0, result.stderr
    assert "proxied 200 True" in result.stdout.splitlines()


def test_a_number_typed_wrong_in_the_environment_stops_the_start_naming_the_variable():
    result = manage("check", **PRODUCTION, DJANGO_SESSION_IDLE_HOURS="8h")
    assert result.returncode != 0
    assert "DJANGO_SESSION_IDLE_HOURS must be a whole number, not '8h'" in result.stderr


def test_a_laptop_with_django_debug_1_needs_no_key_and_speaks_plain_http():
    values = settings_of(DJANGO_DEBUG="1")
    assert values["DEBUG"] is True
    assert not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 0

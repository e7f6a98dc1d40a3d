"""Login lockout (django-axes): which address a login comes from, and the page a locked-out login gets.

The settings are in youthwork/settings.py (AXES_*, TRUSTED_PROXY_COUNT); README, Security, explains them.
"""

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address a request comes from.

    Without a reverse proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR: X-Forwarded-For is whatever the client
    typed. Behind N proxies that each append the address they received the request from to X-Forwarded-For, the
    N-th entry from the right is the one the outermost proxy saw; anything left of it came from the client and is
    ignored. A request with fewer entries did not come through the proxies and counts by REMOTE_ADDR.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The Chinese 账号已锁定 page (status 429) for the portal's and the admin's login."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "lockout_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)

"""Idle sessions without a database write on every request.

A session ends SESSION_COOKIE_AGE (8 hours) after the user's last request. Django's way to say so,
SESSION_SAVE_EVERY_REQUEST, writes the session row (an UPDATE and a COMMIT) on every page, even a
read: under quarter-end load every dashboard view waited for a disk flush (bench/load.py). Here the
session is saved again only when its last save is more than SESSION_REFRESH_SECONDS old, so the end
moves with the user's requests to within that many seconds, and a page read inside the window writes
nothing.
"""

from __future__ import annotations

import time

from django.conf import settings

REFRESHED_AT = "_refreshed_at"  # when the session's expiry was last moved (seconds since the epoch)


def start_the_clock(sender, request, user, **kwargs) -> None:
    """On login (user_logged_in): the new session is saved with the login, its clock moved now."""
    if hasattr(request, "session"):
        request.session[REFRESHED_AT] = int(time.time())


class RollingSessionMiddleware:
    """After SessionMiddleware: marks a non-empty session for saving when its expiry is due to move."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (an anonymous visitor) has nothing to keep alive; one just flushed (logout) is empty.
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: SessionMiddleware saves it with a new expiry and cookie
        return response

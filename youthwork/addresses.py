"""Django's reverse() of an address, worked out once per process.

A page names the same addresses over and over: every ledger in the navigation, in the dashboard's
新增记录 menu and its cards, every figure's list. reverse() costs about 40 µs a call on our servers, so
the dashboard spent some 3 ms of each request (78 calls) finding the same strings again.

The answer depends on the view's name and arguments, the URLconf and the script prefix (the path a
deployment is mounted under); all of them are part of the memo's key, so a test that changes the URLconf
or a server mounted under a prefix gets its own answers.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf: str, viewname: str, args: tuple[str, ...]) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)


def address(viewname: str, *args) -> str:
    """reverse(viewname, args=args), from the memo after the first time."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(get_script_prefix(), urlconf, viewname, tuple(str(arg) for arg in args))

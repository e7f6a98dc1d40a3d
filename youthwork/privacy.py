"""Names of minors: the one place that decides who may read the personal columns, and how they read otherwise.

A ledger declares its personal columns in its register line (`personal=("student_name",)`); reading
them takes the ledger's `view_personal` permission. Without it a personal column reads 王** (the mask
hides the name's length too) and may not be used to filter, search, sort or look records up, anywhere:
a filter or a count answers a question about the hidden value, and enough questions recover it. The
admin, the portal, the exports and the history ask here; pages that show the names are not cached.

The core module: it imports no admin, portal or report module.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control

from youthwork.ledgers import Ledger, SheetSpec

MASK = "**"


def _ledger_of(ledger_or_model) -> SheetSpec | None:
    """The sheet of a sheet (a ledger, 组织单位, 阵地), a ledger model or a record (None: nothing personal)."""
    if isinstance(ledger_or_model, SheetSpec):
        return ledger_or_model
    ledger = getattr(ledger_or_model, "ledger", None)
    return ledger if isinstance(ledger, Ledger) else None


def personal_fields(ledger_or_model) -> tuple[str, ...]:
    ledger = _ledger_of(ledger_or_model)
    return ledger.personal_fields if ledger is not None else ()


def may_read_personal(user, ledger_or_model) -> bool:
    """Whether the user may read (and so filter, search and sort by) the personal columns.

    True where there are none. `user` None is a process run on the server by its operator (a
    management command), which reads what it writes.
    """
    ledger = _ledger_of(ledger_or_model)
    if ledger is None or not ledger.personal_fields or user is None:
        return True
    return bool(getattr(user, "is_active", False)) and user.has_perm(ledger.perm("view_personal"))


def hidden_fields(user, ledger_or_model) -> tuple[str, ...]:
    """The personal columns the user may not read: shown masked, never a filter, search term or ordering."""
    return () if may_read_personal(user, ledger_or_model) else personal_fields(ledger_or_model)


def search_fields(user, ledger: Ledger) -> list[str]:
    """What a user's search text is matched against: the unit's name, the ledger's search columns, and
    its personal columns only for users who may read them (a search is a lookup: a hit tells the name)."""
    hidden = hidden_fields(user, ledger)
    return ["unit__name", *ledger.search_fields, *(name for name in ledger.personal_fields if name not in hidden)]


def shows_personal(user, ledger_or_model) -> bool:
    """Whether a page of this ledger may show the user unmasked names (it is then not to be cached)."""
    return bool(personal_fields(ledger_or_model)) and may_read_personal(user, ledger_or_model)


def mask_name(name) -> str:
    """王小明 → 王**, 王五 → 王**: the first character only, so neither the name nor its length is told."""
    name = str(name or "").strip()
    return name[:1] + MASK if name else ""


def keep_private(response):
    """Mark a response that shows names of minors: no shared cache keeps it, no cache stores it."""
    patch_cache_control(response, private=True, no_store=True)
    return response

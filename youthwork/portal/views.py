"""The ledger pages: one list, detail, create, edit and delete view for every ledger of the registry."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from youthwork import access, actions, figure_cache, history, privacy, search
from youthwork.display import cells, format_amount, format_count
from youthwork.importing.cells import parse_typed_date
from youthwork.ledgers import ColumnKind, Ledger, get_ledger
from youthwork.locks import covering_lock, lock_checker
from youthwork.portal.forms import FilterForm, record_form_class
from youthwork.portal.links import TOTAL_PARAMETER

PAGE_SIZE = 30

ACTION_NAMES = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def ledger_or_404(slug: str) -> Ledger:
    try:
        ledger = get_ledger(slug)
    except LookupError as exc:
        raise Http404("没有这个台账") from exc
    if ledger.slug != slug:  # sheet names are for the importer; URLs use the slug
        raise Http404("没有这个台账")
    return ledger


def require(user, ledger: Ledger, action: str) -> None:
    if not user.has_perm(ledger.perm(action)):
        raise PermissionDenied(f"您没有{ACTION_NAMES[action]}“{ledger.name}”记录的权限")


def _with_related(ledger: Ledger):
    related = [c.name for c in ledger.columns if c.kind.related]
    return ledger.model.objects.select_related(*related)


def records(ledger: Ledger, user):
    """The ledger's records the user may see, with the units and venues they name."""
    return access.scope(_with_related(ledger), user)


def get_record(ledger: Ledger, user, pk: int):
    """The record if the user may see it; a 404 that confirms nothing otherwise."""
    return access.get_object_or_404(_with_related(ledger), user, pk=pk)


def _masked(ledger: Ledger, user) -> tuple[str, ...]:
    return privacy.hidden_fields(user, ledger)


def private_if_personal(view):
    """A ledger page that may show the user names of minors is kept out of every cache (youthwork.privacy)."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        response = view(request, slug, *args, **kwargs)
        if privacy.shows_personal(request.user, ledger_or_404(slug)):
            privacy.keep_private(response)
        return response

    return wrapper


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _list_url(ledger: Ledger) -> str:
    return reverse("portal:ledger_list", args=[ledger.slug])


def _detail_urls(request, ledger: Ledger):
    """pk -> the record's detail page with `next` back to this very list: the URL reversed once per page,
    not once per row (what the template's {% url %} and request.get_full_path|urlencode did for each row)."""
    sentinel = "2147483647"
    head, _, tail = reverse("portal:ledger_detail", args=[ledger.slug, int(sentinel)]).rpartition(sentinel)
    back = quote(request.get_full_path(), safe="/")  # the template's urlencode filter
    return lambda pk: f"{head}{pk}{tail}?next={back}"


def _totals(ledger: Ledger, queryset, form: FilterForm, search_fields: list[str]) -> dict:
    """The row count (`_count`) and the column totals of every filtered row, not just the page: one
    aggregate query, or a read of the cache when the same list was totalled since its units last changed.

    The entry is keyed by what decides the rows: the ledger, the filters as read (unit, dates, choices,
    search words) and the columns searched (privacy: users who may not read names of minors search
    fewer), under the digest of the user's visible units (youthwork.versions.units_key), which the form
    read first, before the filters were read and the search looked up unit names: every write to a record
    of those units, or to the units, since then gives a new key. A search across another table than the
    units (a venue's name, should a ledger search one) reads rows those versions do not cover: not cached.
    """

    def aggregate():
        return queryset.aggregate(_count=Count("pk"), **{name: Sum(name) for name in ledger.sum_fields})

    if not form.is_bound:
        filters, words = None, []
    elif form.is_valid():
        data = form.cleaned_data
        words = data["q"].split()
        filters = (
            data["unit"].pk if data["unit"] else None,
            data["date_from"],
            data["date_to"],
            [(name, data.get(name) or "") for name in form.choice_names],
            words,
        )
    else:
        return aggregate()  # no rows (and no query)
    units = form.units
    if not units or (words and search.reads_beyond_units(search_fields)):
        return aggregate()
    question = (ledger.slug, filters, search_fields, ledger.sum_fields)
    return dict(figure_cache.cached_over_units(units, "list", question, aggregate, sources=(__name__,)))


def _search_labels(ledger: Ledger, fields: list[str]) -> list[str]:
    return ["单位名称", *(ledger.column(n).header for n in fields if n in ledger.field_names and n != "note")]


@login_required
@private_if_personal
def ledger_list(request, slug):
    ledger = ledger_or_404(slug)
    require(request.user, ledger, "view")
    masked = _masked(ledger, request.user)
    # Searching a column is looking it up: names of minors only for users who may read them.
    search_fields = privacy.search_fields(request.user, ledger)
    queryset = records(ledger, request.user)
    labels = _search_labels(ledger, search_fields)
    form = FilterForm(request.GET or None, ledger=ledger, user=request.user, search_labels=labels)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            queryset = queryset.within(data["unit"])
        if data["date_from"]:
            queryset = queryset.filter(date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(date__lte=data["date_to"])
        for name in form.choice_names:
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data["q"].strip():
            queryset = search.matching(queryset, search_fields, data["q"])
    elif form.is_bound:
        queryset = queryset.none()

    totals = _totals(ledger, queryset, form, search_fields)
    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.count = totals.pop("_count")
    page = paginator.get_page(request.GET.get("page"))

    columns = [c for c in ledger.columns if c.name != "note"]
    check = lock_checker()
    detail_url = _detail_urls(request, ledger)
    rows = [
        {
            "url": detail_url(record.pk),
            "cells": cells(record, columns, masked=masked),
            "locked": check(record.unit, record.date),  # the lock's reason, shown on the badge
        }
        for record in page.object_list
    ]
    # A figure's link (youthwork.portal.links) names the column whose total is the figure: it is marked.
    marked = request.GET.get(TOTAL_PARAMETER, "")
    total_cells = []
    for column in columns:
        text = None
        if column.name in totals:
            value = totals[column.name] or 0
            text = format_amount(value) if column.kind == ColumnKind.AMOUNT else format_count(value)
        total_cells.append({"column": column, "text": text, "marked": column.name == marked})
    return render(
        request,
        "portal/ledger_list.html",
        {
            "ledger": ledger,
            "form": form,
            "columns": columns,
            "rows": rows,
            "page": page,
            "total_cells": total_cells,
            "has_totals": bool(ledger.sum_fields),
            "can_add": request.user.has_perm(ledger.perm("add")),
            "filtered": any(request.GET.get(name) for name in form.fields),
            "filter_errors": [error for errors in form.errors.values() for error in errors] if form.is_bound else [],
        },
    )


def _lock_link(user, record) -> dict | None:
    """The page of what locks the record (a final report…), if the user may open it (to read it, or to reopen it)."""
    lock = covering_lock(record.unit, record.date)
    if lock is None or not user.has_perm(lock.source_permission()) or not access.can_see_unit(user, lock.unit):
        return None
    url = lock.source_url()
    return {"url": url, "label": f"查看该{lock.content_type.model_class()._meta.verbose_name}"} if url else None


def _detail_context(request, ledger: Ledger, record, lock: str | None, *, with_history: bool = True):
    masked = _masked(ledger, request.user)
    # 修改记录: the record was found in the user's scope, so its history is theirs to read (names masked alike).
    changes = history.entries(ledger.model, history.rows_of(record), masked=masked) if with_history else []
    return {
        "ledger": ledger,
        "record": record,
        "cells": cells(record, ledger.columns, masked=masked),
        "lock": lock,
        "lock_link": _lock_link(request.user, record) if lock else None,
        "can_change": not lock and request.user.has_perm(ledger.perm("change")),
        "can_delete": not lock and access.delete_refusal(request.user, record) is None,
        "back": _safe_next(request, _list_url(ledger)),
        "history": changes,
    }


@login_required
@private_if_personal
def ledger_detail(request, slug, pk):
    ledger = ledger_or_404(slug)
    require(request.user, ledger, "view")
    record = get_record(ledger, request.user, pk)
    return render(request, "portal/ledger_detail.html", _detail_context(request, ledger, record, record.locked_by()))


def _save_and_redirect(request, ledger: Ledger, form, verb: str):
    """Save the valid form and redirect; None (the form now carries the error) if the database refused it."""
    if form.instance.pk is not None and not form.has_changed():
        # Nothing to write, and nothing for the record's history (修改记录) to show.
        record = form.instance
        messages.info(request, f"“{ledger.name}”记录没有改动:{record.unit} {record.date:%Y-%m-%d}")
        return redirect(_safe_next(request, _list_url(ledger)))
    try:
        with transaction.atomic():
            record = form.save()
    except IntegrityError:
        # The form checked the natural key, but a second request (a double click, or a colleague at the
        # same moment) saved the same key in between. The database's own text, which can hold a
        # child's name, is neither shown nor logged.
        key = ledger.key
        form.add_error(None, form.instance.unique_error_message(ledger.model, key))
        return None
    messages.success(request, f"已{verb}“{ledger.name}”记录:{record.unit} {record.date:%Y-%m-%d}")
    if "_addanother" in request.POST:
        # The next record of a batch typed from paper is most often of the same unit and day.
        query = urlencode({"date": f"{record.date:%Y-%m-%d}", "unit": record.unit_id})
        return redirect(f"{reverse('portal:ledger_create', args=[ledger.slug])}?{query}")
    return redirect(_safe_next(request, _list_url(ledger)))


def _new_record_initial(request) -> dict:
    """A new record starts on today and the user's unit, or on the day and unit of the one just saved
    (保存并继续新增 passes them in the address; anything there that does not read or is not editable is ignored)."""
    editable = access.editable_units(request.user)
    home = access.home_unit(request.user)
    initial = {"date": timezone.localdate()}
    if home is not None and editable.filter(pk=home.pk).exists():
        initial["unit"] = home.pk
    if (date := parse_typed_date(request.GET.get("date", ""))) is not None:
        initial["date"] = date
    unit = request.GET.get("unit", "")
    if unit.isdigit() and editable.filter(pk=int(unit)).exists():
        initial["unit"] = int(unit)
    return initial


@login_required
@private_if_personal
@require_http_methods(["GET", "POST"])
def ledger_create(request, slug):
    ledger = ledger_or_404(slug)
    require(request.user, ledger, "add")
    form_class = record_form_class(ledger)
    if request.method == "POST":
        # Validated and saved in one transaction: the lock check in validation holds until the save.
        with transaction.atomic():
            form = form_class(request.POST, user=request.user)
            if form.is_valid() and (response := _save_and_redirect(request, ledger, form, "新增")):
                return response
    else:
        form = form_class(initial=_new_record_initial(request), user=request.user)
    return render(
        request,
        "portal/ledger_form.html",
        {"ledger": ledger, "form": form, "record": None, "back": _safe_next(request, _list_url(ledger))},
    )


@login_required
@private_if_personal
@require_http_methods(["GET", "POST"])
def ledger_edit(request, slug, pk):
    ledger = ledger_or_404(slug)
    require(request.user, ledger, "view")
    record = get_record(ledger, request.user, pk)
    require(request.user, ledger, "change")
    if lock := record.locked_by():
        # A record covered by a final report is shown read-only; nothing posted is applied.
        return render(request, "portal/ledger_detail.html", _detail_context(request, ledger, record, lock))
    # Users who may not read the names of minors edit the rest of the record; the name stays as it is.
    form_class = record_form_class(ledger, hide=_masked(ledger, request.user))
    if request.method == "POST":
        with transaction.atomic():
            form = form_class(request.POST, instance=record, user=request.user)
            if form.is_valid() and (response := _save_and_redirect(request, ledger, form, "修改")):
                return response
    else:
        form = form_class(instance=record, user=request.user)
    return render(
        request,
        "portal/ledger_form.html",
        {"ledger": ledger, "form": form, "record": record, "back": _safe_next(request, _list_url(ledger))},
    )


@login_required
@private_if_personal
@require_http_methods(["GET", "POST"])
def ledger_delete(request, slug, pk):
    ledger = ledger_or_404(slug)
    require(request.user, ledger, "view")
    record = get_record(ledger, request.user, pk)
    if lock := record.locked_by():
        return render(request, "portal/ledger_detail.html", _detail_context(request, ledger, record, lock))
    if refusal := access.delete_refusal(request.user, record):
        raise PermissionDenied(refusal)
    if request.method == "POST":
        label = f"{record.unit} {record.date:%Y-%m-%d}"
        try:
            actions.delete(record, request.user)  # checks the lock again, under the units' locks
        except ValidationError as exc:
            context = _detail_context(request, ledger, record, exc.messages[0])
            return render(request, "portal/ledger_detail.html", context)
        messages.success(request, f"已删除“{ledger.name}”记录:{label}")
        return redirect(_safe_next(request, _list_url(ledger)))
    context = _detail_context(request, ledger, record, None, with_history=False)
    return render(request, "portal/ledger_delete.html", context)

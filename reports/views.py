"""The report pages for 领导 and 管理员: list, new, preview, edit, finalise, reopen, download.

Every page scopes through youthwork.access: a report of a unit outside the user's subtree is a 404.
What a role may do is its permission (reports.add/change/view/finalise/reopen_workreport); reopening
a final report is for the city level only.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from reports import jobs as report_jobs
from reports.builder import build_file
from reports.compose import build, default_text, has_records, previous_report, proposals_for, text_of
from reports.document import Document
from reports.figures import collect
from reports.forms import ItemFormSets, NewReportForm, ReportTextForm, period_notes
from reports.models import WorkReport, report_file_name
from reports.permissions import may_reopen
from reports.render import docx, html
from reports.sources import source_rows
from submissions.overview import finalise_refusal, report_context
from youthwork import access, file_jobs, privacy
from youthwork.ledgers import all_ledgers
from youthwork.locks import is_lock_conflict

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _report(request, pk, *, files: bool = False) -> WorkReport:
    queryset = WorkReport.objects.select_related("unit", "finalised_by")
    if not files:
        queryset = queryset.without_files()
    return access.get_object_or_404(queryset, request.user, pk=pk)


@login_required
@permission_required("reports.view_workreport", raise_exception=True)
def report_list(request):
    reports = access.scope(WorkReport.objects.without_files().select_related("unit", "finalised_by"), request.user)
    return render(request, "reports/list.html", {"reports": reports.order_by("-period_end", "unit__path")})


def _notes(period, unit, figures) -> list[str]:
    """The banner over a report: an unfinished or future period, a scope without records."""
    notes = period_notes(period, timezone.localdate())
    if not has_records(figures):
        notes.append(f"{unit.name}{period.name}没有任何台账记录,报告只写明“本期未填报台账记录”。")
    return notes


def _chosen(request):
    """(period, unit, None) from ?period=&unit= (the chooser's fields), or (None, None, chooser) to show again."""
    chooser = NewReportForm(request.GET or None, user=request.user)
    if request.GET and chooser.is_valid():
        return chooser.cleaned_data["period"], chooser.cleaned_data["unit"], None
    return None, None, chooser


@login_required
@permission_required("reports.view_workreport", raise_exception=True)
def report_draft(request):
    """A period's report of a unit before anyone saved it: the preview, built from the data, with its
    downloads (file names say 草稿). An existing report of the unit and period is opened instead."""
    period, unit, chooser = _chosen(request)
    if chooser is not None:
        existing = getattr(chooser, "existing", None)
        if existing is not None and access.can_see_unit(request.user, existing.unit):
            return redirect("reports:detail", existing.pk)
        return render(request, "reports/new.html", {"chooser": chooser})
    figures = collect(period, unit)
    document = build(period, unit, figures=figures)
    query = urlencode({"period": period.code, "unit": unit.pk})
    context = {
        "document": document,
        **html.context(document),
        "period": period,
        "unit": unit,
        "notes": _notes(period, unit, figures),
        "query": query,
        "may_add": request.user.has_perm("reports.add_workreport"),
        "sources": source_rows(figures, period, unit, request.user),
        **report_context(period, unit),  # 以下单位数据尚未审核通过
    }
    return render(request, "reports/draft.html", context)


@login_required
@permission_required("reports.view_workreport", raise_exception=True)
def report_draft_download(request, fmt):
    """The .docx or .xlsx of a report nobody saved yet, built from the current data (named …(草稿))."""
    if fmt not in CONTENT_TYPES:
        raise Http404("没有这种格式的文件")
    period, unit, chooser = _chosen(request)
    if chooser is not None:
        existing = getattr(chooser, "existing", None)
        if existing is not None and access.can_see_unit(request.user, existing.unit):
            return redirect(f"{reverse('reports:download', args=[existing.pk, fmt])}?{request.GET.urlencode()}")
        return render(request, "reports/new.html", {"chooser": chooser}, status=400)
    rows = report_jobs.records_read(period, unit)
    if file_jobs.is_large(rows):  # built by a background job; its page offers the file
        title = f"{unit.name}{period.label}({fmt.upper()}草稿,{rows:,}条记录)"
        params = {"period": period.code, "unit": unit.pk, "fmt": fmt, "rows": rows}
        job = file_jobs.start_file_job(request.user, title, "reports.jobs.build_report_file", params)
        return file_jobs.job_page(job)
    content, _unused = build_file(period, unit, fmt, gaps_appendix=bool(request.GET.get("gaps")), user=request.user)
    name = report_file_name(unit.name, period, fmt, draft=True)
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
    return _private_if_names(response, request.user, fmt)


def _private_if_names(response, user, fmt: str):
    """A draft annex whose 明细 sheets show the reader names of minors is kept out of every cache."""
    if fmt == "xlsx" and any(privacy.shows_personal(user, ledger) for ledger in all_ledgers()):
        privacy.keep_private(response)
    return response


@login_required
@permission_required("reports.add_workreport", raise_exception=True)
def report_new(request):
    """Step 1: a period and a unit. Step 2: the text, with the data's problems and last period's plans offered."""
    chooser = NewReportForm(request.GET or None, user=request.user)
    if not (request.GET and chooser.is_valid()):
        existing = getattr(chooser, "existing", None)
        if existing is not None and access.can_see_unit(request.user, existing.unit):
            if request.method == "POST":
                messages.warning(request, f"“{existing}”已经存在,这次填写的内容没有保存,请在该报告中修改")
            else:
                messages.info(request, f"“{existing}”已经存在,已为您打开")
            return redirect("reports:detail", existing.pk)
        return render(request, "reports/new.html", {"chooser": chooser})

    period, unit = chooser.cleaned_data["period"], chooser.cleaned_data["unit"]
    draft = WorkReport(unit=unit, period_code=period.code)
    if request.method == "POST":
        form = ReportTextForm(request.POST, instance=draft)
        items = ItemFormSets(request.POST, instance=draft)
        if form.is_valid() and items.is_valid():
            try:
                with transaction.atomic():
                    report = form.save(commit=False)
                    report.unit, report.period_code, report.created_by = unit, period.code, request.user
                    report.full_clean()
                    report.save()
                    items.save(report)
            except (ValidationError, IntegrityError):
                # Someone created the same unit's report for this period since the form was opened.
                existing = WorkReport.objects.filter(unit=unit, period_code=period.code).first()
                if existing is None:
                    raise
                messages.warning(request, f"“{existing}”刚刚已由他人创建,这次填写的内容没有保存,请在该报告中修改")
                return redirect("reports:detail", existing.pk)
            messages.success(request, f"已创建“{report}”")
            return redirect("reports:detail", report.pk)
    else:
        figures = collect(period, unit)
        proposals = proposals_for(figures)
        carried = previous_report(period, unit)
        text = default_text(period, unit, figures, proposals, carried)
        draft.title, draft.opening, draft.signing_unit = text.title, text.opening, text.signing_unit
        form = ReportTextForm(instance=draft)
        items = ItemFormSets(instance=draft, problems=text.problems, plans=text.plans)
        if carried is not None:
            messages.info(request, f"已带入“{carried}”的下一步工作打算,请逐条保留、修改或删除")
    notes = period_notes(period, timezone.localdate())
    return render(
        request,
        "reports/edit.html",
        {"form": form, "items": items, "draft": draft, "period": period, "unit": unit, "is_new": True, "notes": notes},
    )


@login_required
@permission_required("reports.view_workreport", raise_exception=True)
def report_detail(request, pk):
    report = _report(request, pk)
    notes, sources = [], []
    if report.is_final and report.frozen_document:
        document = Document.from_dict(WorkReport.objects.values_list("frozen_document", flat=True).get(pk=pk))
    else:
        figures = collect(report.period, report.unit)
        document = build(report.period, report.unit, text_of(report), figures)
        notes = _notes(report.period, report.unit, figures)
        sources = source_rows(figures, report.period, report.unit, request.user)
    records = 0 if report.is_final else report_jobs.records_counted(report)  # cached with the figures
    context = {
        "notes": notes,
        "sources": sources,
        "records": records,
        "built_by_job": file_jobs.is_large(records),
        "report": report,
        "document": document,
        **html.context(document),
        "may_edit": not report.is_final and request.user.has_perm("reports.change_workreport"),
        "may_finalise": not report.is_final and request.user.has_perm("reports.finalise_workreport"),
        "may_reopen": report.is_final and may_reopen(request.user),
        "lock_message": report.lock_reason if report.is_final else "",
        **(report_context(report.period, report.unit) if not report.is_final else {}),
    }
    return render(request, "reports/detail.html", context)


@login_required
@permission_required("reports.change_workreport", raise_exception=True)
def report_edit(request, pk):
    report = _report(request, pk)
    if report.is_final:
        messages.error(request, f"“{report}”已定稿,不能修改;如需修改请联系市级管理员退回")
        return redirect("reports:detail", report.pk)
    form = ReportTextForm(request.POST or None, instance=report)
    items = ItemFormSets(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        with transaction.atomic():
            form.save()
            items.save(report)
        messages.success(request, "已保存")
        return redirect("reports:detail", report.pk)
    document = build(report.period, report.unit, text_of(report))
    return render(
        request,
        "reports/edit.html",
        {"form": form, "items": items, "report": report, "document": document, "is_new": False},
    )


@require_POST
@login_required
@permission_required("reports.finalise_workreport", raise_exception=True)
def report_finalise(request, pk):
    report = _report(request, pk)
    if report.is_final:
        messages.info(request, f"“{report}”已经定稿")
    elif warning := finalise_refusal(report, request.POST):  # not all units approved: asks to confirm
        messages.warning(request, warning)
    else:
        try:
            report.finalise(request.user)
        except OperationalError as error:
            if not is_lock_conflict(error):
                raise
            # An import held some of the report's units while waiting for one 定稿 had locked; the database
            # stopped 定稿 so that the import could finish. Nothing was stored.
            messages.error(request, f"“{report}”定稿时有人正在导入本范围的数据,没有定稿,请稍后再试")
            return redirect("reports:detail", report.pk)
        messages.success(
            request, f"“{report}”已定稿:数据和文件已保存,{report.period_label}的相关台账记录已锁定,不能再修改"
        )
    return redirect("reports:detail", report.pk)


@require_POST
@login_required
def report_reopen(request, pk):
    report = _report(request, pk)
    if not may_reopen(request.user):
        raise PermissionDenied("只有市级管理员可以退回定稿")
    if report.is_final:
        report.reopen()
        messages.success(request, f"“{report}”已退回为草稿,相关台账记录可以修改")
    return redirect("reports:detail", report.pk)


@login_required
@permission_required("reports.view_workreport", raise_exception=True)
def report_download(request, pk, fmt):
    """The .docx or .xlsx: a final report's stored bytes, or a draft built from the current data."""
    if fmt not in CONTENT_TYPES:
        raise Http404("没有这种格式的文件")
    report = _report(request, pk, files=fmt in CONTENT_TYPES)
    gaps_appendix = bool(request.GET.get("gaps"))
    if report.is_final and getattr(report, f"frozen_{fmt}", None) and not (gaps_appendix and fmt == "docx"):
        content = bytes(getattr(report, f"frozen_{fmt}"))
    elif report.is_final and report.frozen_document:
        # The final text with its 数据缺口 page: rendered from the frozen document, not from today's data.
        frozen = WorkReport.objects.values_list("frozen_document", flat=True).get(pk=pk)
        content = docx.render(Document.from_dict(frozen), gaps_appendix=True)
    else:
        rows = report_jobs.records_counted(report)
        if file_jobs.is_large(rows):  # built by a background job; its page offers the file
            title = f"{report}({fmt.upper()},{rows:,}条记录)"
            params = {"report": report.pk, "fmt": fmt, "rows": rows}
            job = file_jobs.start_file_job(request.user, title, "reports.jobs.build_report_file", params)
            return file_jobs.job_page(job)
        content, _notes = build_file(report.period, report.unit, fmt, gaps_appendix=gaps_appendix, user=request.user)
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=report.file_name(fmt), content_type=CONTENT_TYPES[fmt]
    )
    return _private_if_names(response, request.user, fmt)

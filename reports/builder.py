"""Building a report's outputs: figures -> document and annex -> .docx, .xlsx and HTML bytes.

The one place that puts the layers together (figures.py, compose.py, render/); 定稿 (reports.models),
the pages and `manage.py build_report` call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from reports import figures as report_figures
from reports.compose import build, build_annex, text_of
from reports.details import detail_sheets
from reports.document import Document, ReportText
from reports.render import docx, html, xlsx
from youthwork.models import Unit
from youthwork.periods import Period


@dataclass
class Outputs:
    figures: dict
    document: Document
    docx: bytes
    xlsx: bytes


def build_outputs(period: Period, unit: Unit, report=None, text: ReportText | None = None) -> Outputs:
    """Everything a report produces from the current data: figures, document, .docx and .xlsx bytes.

    The figures are computed afresh, not read from the cache: 定稿 stores what it reads here under the
    locks it holds (reports.models.WorkReport.finalise).
    """
    figures = report_figures.compute(period, unit)
    if report is not None:
        text = text_of(report)
    document = build(period, unit, text, figures)
    annex = build_annex(period, unit, figures, report_figures.compute_by_unit(period, unit))
    # The stored file is downloaded by whoever may read the report: names of minors are masked in it.
    details = detail_sheets(period, unit, user=None)
    return Outputs(
        figures=_jsonable(figures), document=document, docx=docx.render(document), xlsx=xlsx.render(annex, details)
    )


def _jsonable(value):
    """Figures as stored: Decimal amounts as strings with two decimals, everything else as is."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


FORMATS = ("docx", "xlsx", "html")


def build_file(period: Period, unit: Unit, fmt: str, gaps_appendix: bool = False, user=None) -> tuple[bytes, list[str]]:
    """One output built from the current data, without saving anything, and notes for the caller.

    When a report record exists for the unit and period its text (opening, highlight, problems,
    plans, signature) is used; otherwise the defaults a new report would start with. The notes end
    with the document's 数据缺口 (`数据缺口:…`), which `gaps_appendix` also puts on a last page of the .docx.
    The .xlsx's 明细 sheets show names of minors only if `user` may read them (None: masked).
    """
    WorkReport = apps.get_model("reports", "WorkReport")
    report = (
        WorkReport.objects.without_files()
        .filter(unit=unit, period_start=period.start, period_end=period.end)
        .prefetch_related("problems", "plans")
        .first()
    )
    notes = []
    if report is not None and report.is_final:
        notes.append(f"注意:“{report}”已定稿,这里按当前数据重新生成;定稿时的文件请在报告页面下载")
    # The figures the preview showed, from the cache unless the data changed since (reports.figures).
    if fmt == "xlsx":
        figures, by_unit = report_figures.collect_with_annex(period, unit)
        return xlsx.render(build_annex(period, unit, figures, by_unit), detail_sheets(period, unit, user)), notes
    figures = report_figures.collect(period, unit)
    document = build(period, unit, text_of(report) if report else None, figures)
    notes += [f"数据缺口:{gap}" for gap in document.gaps]
    if fmt == "docx":
        return docx.render(document, gaps_appendix=gaps_appendix), notes
    return html.render(document).encode("utf-8"), notes

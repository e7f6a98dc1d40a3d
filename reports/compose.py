"""Figures + narrative + the editor's text -> the report's document tree, and the annex's tables.

The wording is the narrative templates (templates/reports/narrative/, read by reports.narrative); the
work areas' sections are those each area's WorkAreaConfig declares, in INSTALLED_APPS order. The result
is plain data (reports.document) that the renderers under reports/render/ lay out.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.utils import timezone

from reports import figures as report_figures
from reports.document import (
    Annex,
    AnnexColumn,
    AnnexSheet,
    Block,
    Document,
    Item,
    Proposal,
    ReportText,
)
from reports.narrative import clean, numeral, render, sentence, tidy
from youthwork import formatting
from youthwork.areas import work_areas
from youthwork.metrics import NAMES_KEPT, FigureKind
from youthwork.models import Unit
from youthwork.periods import Period

SECTION_TITLES = ("当前工作开展情况", "工作亮点", "存在的主要问题", "下一步工作打算")
_ORDINAL_START = re.compile(r"^[一二三四五六七八九十]+是")


def narrative_context(figures: dict) -> dict:
    pending_units: list[str] = []
    for entry in figures["pending"]:
        pending_units += [name for name in entry["units"] if name not in pending_units]
    context = {"f": figures, "changes": report_figures.changes(figures), "pending_units": pending_units}
    for area in work_areas():
        context.update(area.narrative_values(figures))
    return context


def proposals_for(figures: dict, context: dict | None = None) -> list[Proposal]:
    """Problems the data suggests, each with the plan answering it (templates/reports/narrative/proposals.txt)."""
    narrative = render("proposals", context or narrative_context(figures))
    proposals: list[Proposal] = []
    for item in narrative.items:
        entry = Item(tidy(item.heading), item.text)
        if item.kind == "problem":
            proposals.append(Proposal(entry))
        elif proposals and proposals[-1].plan is None:
            proposals[-1].plan = entry
    return proposals


def default_opening(figures: dict) -> str:
    """The opening paragraph a new report starts with (templates/reports/narrative/opening.txt)."""
    return render("opening", {"f": figures}).text


def previous_report(period: Period, unit: Unit):
    """The report of the same unit for the previous period (final preferred), whose plans carry over."""
    WorkReport = apps.get_model("reports", "WorkReport")
    previous = period.previous()
    candidates = WorkReport.objects.without_files().filter(
        unit=unit, period_start=previous.start, period_end=previous.end
    )
    return candidates.prefetch_related("plans").first()  # at most one: one report per unit and period


def default_text(period: Period, unit: Unit, figures: dict, proposals: list[Proposal], carried=None) -> ReportText:
    """A new report's text: the default opening, the data's problems, last period's plans and the data's plans."""
    WorkReport = apps.get_model("reports", "WorkReport")
    plans = [Item(plan.heading, plan.text) for plan in (carried.plans.all() if carried else [])]
    headings = {plan.heading for plan in plans}
    plans += [p.plan for p in proposals if p.plan and p.plan.heading not in headings]
    return ReportText(
        title=WorkReport.DEFAULT_TITLE,
        opening=default_opening(figures),
        problems=[p.problem for p in proposals],
        plans=plans,
        signing_unit=unit.name,
        signing_date=None,
    )


def text_of(report) -> ReportText:
    """The editable text of a saved report."""
    return ReportText(
        title=report.title,
        opening=report.opening,
        highlight=report.highlight,
        problems=[Item(item.heading, item.text) for item in report.problems.all()],
        plans=[Item(item.heading, item.text) for item in report.plans.all()],
        signing_unit=report.signing_unit or report.unit.name,
        signing_date=report.signing_date,
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in clean(text).split("\n") if line.strip()]


def _items(items: list[Item]) -> list[Block]:
    blocks = []
    for index, item in enumerate([item for item in items if clean(item.heading).strip()], start=1):
        heading = clean(item.heading).strip()
        lead = f"({numeral(index)}){heading}"
        if heading[-1] not in "。;\uff1b\uff01\uff1f":
            lead += "。"
        paragraphs = _paragraphs(item.text) or [""]
        blocks.append(Block("paragraph", paragraphs[0], lead=lead))
        blocks += [Block("paragraph", paragraph) for paragraph in paragraphs[1:]]
    return blocks


def _highlight(narrative, editor_text: str) -> list[str]:
    data = ""
    if narrative.points and any(point.text for point in narrative.points):
        data = (sentence(narrative.lead) if narrative.lead else "") + narrative.numbered()
    paragraphs = _paragraphs(editor_text)
    if data and paragraphs and _ORDINAL_START.match(paragraphs[0]):
        return [data.rstrip("。") + ";" + sentence(paragraphs[0]), *paragraphs[1:]]
    return ([data] if data else []) + paragraphs


def build(period: Period, unit: Unit, text: ReportText | None = None, figures: dict | None = None) -> Document:
    """The report of `unit` for `period`: figures from the ledgers, wording from the narrative templates."""
    figures = figures if figures is not None else report_figures.collect(period, unit)
    context = narrative_context(figures)
    proposals = proposals_for(figures, context)
    text = text or default_text(period, unit, figures, proposals, previous_report(period, unit))
    gaps: list[str] = []
    blocks: list[Block] = []
    if opening := clean(text.opening).strip():
        blocks += [Block("paragraph", paragraph) for paragraph in _paragraphs(opening)]
    sections: list[tuple[str, list[Block]]] = []

    work: list[Block] = []
    areas = [render(name, context) for area in work_areas() for name in area.narrative]
    kept = [area for area in areas if area.numbered()]
    for index, area in enumerate(kept, start=1):
        work += [Block("heading2", f"({numeral(index)}){area.heading}"), Block("paragraph", area.numbered())]
    for area in areas:
        gaps += area.gaps
    sections.append((SECTION_TITLES[0], work))

    highlight = render("highlight", context)
    gaps += highlight.gaps
    sections.append((SECTION_TITLES[1], [Block("paragraph", p) for p in _highlight(highlight, text.highlight)]))
    sections.append((SECTION_TITLES[2], _items(text.problems)))
    sections.append((SECTION_TITLES[3], _items(text.plans)))

    number = 0
    for title, content in sections:
        if not content:
            gaps.append(f"{title}:没有内容,这一部分未写入")
            continue
        number += 1
        blocks.append(Block("heading1", f"{numeral(number)}、{title}"))
        blocks += content

    for block in blocks:
        block.text, block.lead = clean(block.text), clean(block.lead)
    for proposal in proposals:
        for item in (proposal.problem, proposal.plan):
            if item is not None:
                item.heading, item.text = clean(item.heading), clean(item.text)
    signing_date = text.signing_date or timezone.localdate()
    return Document(
        title=clean(text.title).strip() or apps.get_model("reports", "WorkReport").DEFAULT_TITLE,
        unit_name=unit.name,
        period_code=period.code,
        period_label=period.label,
        blocks=blocks,
        signing_unit=clean(text.signing_unit).strip() or unit.name,
        signing_date=signing_date.isoformat(),
        gaps=[clean(gap) for gap in gaps],
        proposals=proposals,
    )


# The Excel annex -------------------------------------------------------------------------------


def _cell(figure, value):
    if figure.kind == FigureKind.RATE:
        return formatting.ratio(*value) if value and value[1] else None
    if figure.kind == FigureKind.AMOUNT:
        return formatting.round_amount(value)
    if figure.kind == FigureKind.TEXT:
        names = [str(name) for name in value or []]
        shown = names[:NAMES_KEPT]
        return "、".join(shown) + ("等" if len(names) > len(shown) else "")
    if figure.kind == FigureKind.DOCUMENTS:
        return "、".join(clean(doc["title"]) for doc in value or [])
    return value or 0


def _annex_kind(figure) -> FigureKind:
    """How the annex column reads: documents are listed by title, as text."""
    return FigureKind.TEXT if figure.kind == FigureKind.DOCUMENTS else figure.kind


def build_annex(period: Period, unit: Unit, figures: dict | None = None, by_unit: dict | None = None) -> Annex:
    """The Excel annex: per work area (and venues) one row per direct child unit, 本级 and 合计.

    The 合计 row is the report's own figures (computed over the whole scope); the rows are the same
    figures computed per child unit (`by_unit`, reports.figures.collect_by_unit's, read if not given).
    """
    figures = figures if figures is not None else report_figures.collect(period, unit)
    by_unit = by_unit if by_unit is not None else report_figures.collect_by_unit(period, unit)
    sheets = []
    keys = [*report_figures.areas(), report_figures.VENUES]
    for key in keys:
        declared = report_figures.area_figures(key)
        name = report_figures.area_title(key)
        columns = [
            AnnexColumn(figure.label, _annex_kind(figure), _additive(figure))
            for figure in declared
        ]
        empty = {figure.key: figure.empty() for figure in declared}
        rows = []
        for row in by_unit["rows"]:
            values = by_unit[key].get(row["key"])
            if values is None and row["key"] == unit.path:
                continue  # no 本级 row when the unit itself has nothing of this area
            values = values or empty
            rows.append((row["name"], [_cell(figure, values[figure.key]) for figure in declared]))
        total = [_cell(figure, figures[key][figure.key]) for figure in declared]
        notes = []
        if any(not column.additive for column in columns):
            distinct = "、".join(column.label for column in columns if not column.additive)
            notes.append(f"{distinct}:合计按全范围去重计算,同一对象出现在多个单位时只计一次,因此可能小于各行之和。")
        sheets.append(AnnexSheet(name, f"{unit.name}{period.label}{name}工作数据", columns, rows, total, notes))
    sheets.append(_activity_sheet(period, unit, figures))
    return Annex(
        title=f"{unit.name}{period.label}工作情况报告附表",
        unit_name=unit.name,
        period_label=period.label,
        period_range=f"{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}(今年以来:{period.year_to_date().start:%Y-%m-%d}起)",
        sheets=sheets,
    )


def _additive(figure) -> bool:
    return not figure.distinct


def _activity_sheet(period: Period, unit: Unit, figures: dict) -> AnnexSheet:
    names = report_figures.area_titles()
    columns = [AnnexColumn(f"{title}(条)", FigureKind.COUNT) for title in [*names, "合计"]]
    rows = [(row["name"], [row["areas"][area] for area in names] + [row["total"]]) for row in figures["activity"]]
    total = [sum(row[1][index] for row in rows) for index in range(len(columns))]
    notes = [f"{entry['area']}待报送(本期没有记录):{'、'.join(entry['units'])}" for entry in figures["pending"]] or [
        f"各直属单位本期在{numeral(len(names))}个工作领域均有记录。"
    ]
    return AnnexSheet("报送情况", f"{unit.name}{period.label}台账报送情况", columns, rows, total, notes)

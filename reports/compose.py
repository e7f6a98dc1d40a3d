"""Figures + narrative + the editor's text -> the report's document tree, and the annex's tables.

The wording is the narrative templates (templates/reports/narrative/, read by reports.narrative); the
work areas' sections are those each area's WorkAreaConfig declares, in INSTALLED_APPS order. The result
is plain data (reports.document) that the renderers under reports/render/ lay out.
"""

from __future__ import annotations

import datetime as dt
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
from youthwork.metrics import OWN_LEVEL as NAMES_OWN_LEVEL
from youthwork.models import Unit
from youthwork.periods import Period

SECTION_TITLES = ("当前工作开展情况", "工作亮点", "存在的主要问题", "下一步工作打算")
_ORDINAL_START = re.compile(r"^[一二三四五六七八九十]+是")


def _end_text(period: Period) -> str:
    """截至 what: 9月底 (a month's last day), 2月15日, with the year when the period crosses New Year."""
    end = period.end
    year = f"{end.year}年" if period.crosses_years else ""
    if (end + dt.timedelta(days=1)).day == 1:
        return f"{year}{end.month}月底"
    return f"{year}{end.month}月{end.day}日"


def _previous_word(period: Period) -> str:
    """How the text calls the period before: 上季度, 上半年 (before 下半年), 去年下半年, 上年, 上期."""
    if period.kind == "quarter":
        return "上季度"
    if period.kind == "half":
        return "上半年" if period.start.month == 7 else "去年下半年"
    return "上年" if period.kind == "year" else "上期"


def period_words(period: Period, today: dt.date | None = None) -> dict:
    """The vocabulary a report of `period` is written in, as of `today` (the day it is built).

    name      2023年第三季度, 2023年上半年, 2023年全年, 2023年11月1日至2024年2月29日
    this      本季度 / 上半年 / 下半年 / 全年 / 本期: what the period's own figures are called
    as_of     截至9月底 for a finished period, 目前 while it runs (a state at the period's end)
    since     今年以来; 本期 for a range across New Year, whose cumulative figures are its own
    finished  whether the period is over; previous  上季度 …; last_year  the same period last year's name
    """
    today = today or timezone.localdate()
    finished = period.is_finished(today)
    this = {"quarter": "本季度", "year": "全年", "range": "本期"}.get(period.kind)
    if this is None:
        this = "上半年" if period.start.month == 1 else "下半年"
    return {
        "name": period.name,
        "this": this,
        "finished": finished,
        "as_of": f"截至{_end_text(period)}" if finished else "目前",
        "since": "本期" if period.crosses_years else "今年以来",
        "previous": _previous_word(period),
        "previous_name": period.previous().name,
        "last_year": period.same_last_year().name,
    }


MIN_BASE = 5  # a decline from fewer than five (3 场 to 1 场) is chance, not a problem to report
MIN_FALL = report_figures.MIN_FALL
_MEASURES = (("人次", "人次"), ("人数", "人"), ("岗位数", "个"), ("学生数", "人"), ("儿童数", "名"))


def _measure(figure) -> str:
    """The measure word a figure's numbers carry: its unit, else the one its name ends with (惠及人次 → 人次)."""
    if figure.unit:
        return figure.unit
    return next((word for suffix, word in _MEASURES if figure.name.endswith(suffix)), "")


def _amount_or_count(figure, value) -> str:
    if figure.kind == "amount":
        return formatting.amount(value)
    return formatting.count(value) + _measure(figure)


def declines(figures: dict, words: dict) -> list[dict]:
    """The headline figures that fell, as the report states them: one entry per basis of comparison.

    A figure is compared with the same period of last year (同比) where last year has a value; else
    with the period before (环比), except a seasonal one (summer teaching, drowning patrols), which the
    previous quarter says nothing about. A fall of less than a tenth, or from a base under MIN_BASE,
    is not a problem. Figures of one activity (关爱活动, 关爱活动惠及人次) make one clause.
    Each entry: {"basis": "同比" or "环比", "against": the compared period's name,
    "clauses": ["关心关爱方面,关爱活动由12场降至5场,惠及人次由1116人次降至306人次", …], "activities": [names]}.
    """
    period = Period.parse(figures["period"]["code"])
    by_basis: dict[str, dict] = {}
    for key, module in report_figures.areas().items():
        area = report_figures.area_title(key)
        now_values = figures[key]
        last_year = figures.get("last_year", {}).get(key, {})
        before = figures["previous"].get(key, {})
        for figure in module.FIGURES:
            if not figure.compare or figure.kind not in ("count", "amount") or figure.span != "本期":
                continue
            now = now_values.get(figure.key) or 0
            if last_year.get(figure.key):
                basis, base, word = "同比", last_year[figure.key], "去年同期"
            elif not figure.seasonal and period.kind != "year":
                basis, base, word = "环比", before.get(figure.key) or 0, words["previous"]
            else:
                continue
            base_number = formatting.to_decimal(base)
            if base_number < MIN_BASE or (base_number - formatting.to_decimal(now)) / base_number < MIN_FALL:
                continue
            against = words["last_year"] if basis == "同比" else words["previous_name"]
            entry = by_basis.setdefault(basis, {"basis": basis, "against": against, "areas": {}})
            activities = entry["areas"].setdefault(area, [])
            parent = next((a for a in activities if figure.name.startswith(a["name"])), None)
            name = figure.name[len(parent["name"]) :] if parent else figure.name
            name = "服务" + name if name in ("人次", "人数") else name
            if now:
                clause = f"{name}由{_amount_or_count(figure, base)}降至{_amount_or_count(figure, now)}"
            else:
                clause = f"{name}{word}{_amount_or_count(figure, base)},{words['this']}没有记录"
            if parent:
                parent["clauses"].append(clause)
            else:
                activities.append({"name": figure.name, "clauses": [clause]})
    result = []
    for basis in ("同比", "环比"):
        if basis not in by_basis:
            continue
        entry = by_basis[basis]
        clauses, names = [], []
        for area, activities in entry.pop("areas").items():
            clauses.append(f"{area}方面," + ";".join(",".join(a["clauses"]) for a in activities))
            names += [a["name"] for a in activities]
        result.append({**entry, "clauses": clauses, "activities": names})
    return result


def _runs_12355(figures: dict) -> bool:
    """Whether the scope works with a 12355 desk: the city, or 12355 services in the compared periods."""
    key = "legal_education"
    if figures["unit"]["type"] == Unit.Type.CITY:
        return True
    return any(figures.get(span, {}).get(key, {}).get("psych_12355_services") for span in ("previous", "last_year"))


def _underused(venues: dict) -> bool:
    used, opened = venues["venue_utilisation"]
    return bool(opened) and used * 2 < opened


def narrative_context(figures: dict, today: dt.date | None = None) -> dict:
    pending_units: list[str] = []
    for entry in figures["pending"]:
        pending_units += [name for name in entry["units"] if name not in pending_units]
    words = period_words(Period.parse(figures["period"]["code"]), today)
    found = declines(figures, words)
    context = {
        "f": figures,
        "p": words,
        "declines": found,
        "declined_activities": [name for entry in found for name in entry["activities"]],
        "pending_units": pending_units,
        "runs_12355": _runs_12355(figures),
        "venues_underused": _underused(figures["venues"]),
        "has_records": has_records(figures),
    }
    for area in work_areas():
        context.update(area.narrative_values(figures))
    return context


def has_records(figures: dict) -> bool:
    """Whether the scope has any ledger record dated in the period."""
    return any(row["total"] for row in figures["activity"])


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
    """The opening paragraph a new report starts with (templates/reports/narrative/opening.txt); it names the period."""
    return render("opening", {"f": figures, "p": period_words(Period.parse(figures["period"]["code"]))}).text


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
    """Numbered items: (一)HEADING。text; a single item is not numbered ((一) with no (二) reads wrong)."""
    kept = [item for item in items if clean(item.heading).strip()]
    blocks = []
    for index, item in enumerate(kept, start=1):
        heading = clean(item.heading).strip()
        lead = heading if heading[-1] in "。;\uff1b\uff01\uff1f" else heading + "。"
        paragraphs = _paragraphs(item.text) or [""]
        if len(kept) == 1:
            blocks.append(Block("paragraph", lead + paragraphs[0]))
        else:
            blocks.append(Block("paragraph", paragraphs[0], lead=f"({numeral(index)}){lead}"))
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
    if not context["has_records"]:
        # Figures of earlier months (今年以来) alone would make a fragment: say plainly that nothing was filed.
        work.append(Block("paragraph", f"{unit.name}本期未填报台账记录。"))
        gaps.append(f"台账记录:{period.label}没有任何台账记录,“当前工作开展情况”只写明未填报")
    elif len(kept) == 1:
        work.append(Block("paragraph", sentence(kept[0].heading) + kept[0].numbered()))
    else:
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
    title = clean(text.title).strip() or apps.get_model("reports", "WorkReport").DEFAULT_TITLE
    first = next((block.text for block in blocks if block.kind == "paragraph"), "")
    named = any(name in title or name in first for name in {period.name, period.label})
    return Document(
        title=title,
        unit_name=unit.name,
        period_code=period.code,
        period_label=period.label,
        subtitle="" if named else f"({period.name})",
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
        period_range=_period_range(period),
        sheets=sheets,
    )


def _period_range(period: Period) -> str:
    dates = f"{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}"
    if period.crosses_years:
        return f"{dates}(跨年期间:“今年以来”的数据即本期数据)"
    return f"{dates}(今年以来:{period.year_to_date().start:%Y-%m-%d}起)"


def _additive(figure) -> bool:
    return not figure.distinct


def _activity_sheet(period: Period, unit: Unit, figures: dict) -> AnnexSheet:
    names = report_figures.area_titles()
    columns = [AnnexColumn(f"{title}(条)", FigureKind.COUNT) for title in [*names, "合计"]]
    rows = [(row["name"], [row["areas"][area] for area in names] + [row["total"]]) for row in figures["activity"]]
    total = [sum(row[1][index] for row in rows) for index in range(len(columns))]
    notes = [f"{entry['area']}待报送(本期没有记录):{'、'.join(entry['units'])}" for entry in figures["pending"]]
    children = [row for row in rows if not row[0].endswith(f"({NAMES_OWN_LEVEL})")]
    if not children:
        notes.append(f"{unit.name}没有直属单位,本表只列本级的记录。")
    elif not notes:
        notes.append(f"{len(children)}个直属单位本期在{numeral(len(names))}个工作领域均有记录。")
    if not any(row[1][-1] for row in rows):
        notes.append(f"{unit.name}及下级单位本期没有填报台账记录。")
    return AnnexSheet("报送情况", f"{unit.name}{period.label}台账报送情况", columns, rows, total, notes)

"""Every figure of a work-status report, collected from the work areas in a fixed number of queries.

`collect(period, unit)` returns one plain, JSON-serialisable dict (amounts are Decimal: serialise
with DjangoJSONEncoder) that the narrative templates read:

    period    code, label (2023年第二季度), start, end, ytd_start, year, previous_label
    unit      name, code, type; words: how the scope reads in text (全市, 我市, 我委)
    <area label>  each work area's figures for the whole scope, keyed by its app label (see each area's
              metrics.FIGURES; the areas are those of youthwork.areas.work_areas())
    venues    希望家园 and venue utilisation (youthwork.metrics.VENUE_FIGURES)
    previous  the same areas for the previous period (for "down against the previous period")
    last_year the same areas for the same period of last year (同比; for a year, the previous period)
    pending   [{"area", "units"}]: direct child units without a record of the area in the period
    activity  [{"name", "areas": {area: records}, "total"}]: records per direct child unit and area

`collect_by_unit(period, unit)` returns the same area and venue figures per direct child unit
(plus the unit's own records as 本级) for the Excel annex; its totals are `collect`'s figures, computed
over the whole scope rather than added up, so distinct counts (students aided, schools) stay right.

Both are computed together once per (unit, period) and then read from the cache until a write changes
the unit's scope (youthwork.figure_cache): the preview, the Word file and the Excel annex of a report
share one build of its figures. `compute` and `compute_by_unit` compute them afresh (定稿 does, under
its locks).
"""

from __future__ import annotations

from functools import partial
from types import ModuleType

from youthwork import figure_cache, metrics
from youthwork.areas import work_area, work_areas
from youthwork.models import Unit
from youthwork.periods import Period

COMPARED_KINDS = (metrics.FigureKind.COUNT, metrics.FigureKind.AMOUNT)  # a fall in these is worth reporting

VENUES = "venues"


def areas() -> dict[str, ModuleType]:
    """The work areas' metrics modules by app label (the key of their figures), in INSTALLED_APPS order."""
    return {area.label: area.metrics for area in work_areas()}


def area_titles() -> list[str]:
    """The work areas' titles (思想引领, …), as the record counts and the reporting overview name them."""
    return [area.title for area in work_areas()]


def area_title(key: str) -> str:
    """The title of an area key (or 阵地 for the venues)."""
    return "阵地" if key == VENUES else work_area(key).title


def area_figures(key: str) -> tuple[metrics.Figure, ...]:
    """The figure declarations of an area key (or of the venues)."""
    return metrics.VENUE_FIGURES if key == VENUES else work_area(key).metrics.FIGURES


def scope_words(unit: Unit) -> dict[str, str]:
    """How the scope reads in text: whole (全市), place (我市), we (我委), name."""
    name, kind = unit.name, unit.unit_type
    if kind == Unit.Type.CITY:
        whole, place = "全市", "我市"
    elif kind == Unit.Type.DISTRICT:
        whole, place = ("全县", "我县") if "县" in name else ("全区", "我区")
    elif kind == Unit.Type.TOWN:
        whole, place = ("全镇", "我镇") if "镇" in name and "街道" not in name else ("全街道", "我街道")
    elif kind == Unit.Type.SCHOOL:
        whole, place = "全校", "我校"
    elif kind == Unit.Type.COMMUNITY:
        whole, place = "全社区", "我社区"
    else:
        whole, place = "全单位", "我单位"
    we = place if kind in (Unit.Type.SCHOOL, Unit.Type.COMMUNITY, Unit.Type.INSTITUTION, Unit.Type.OTHER) else "我委"
    return {"whole": whole, "place": place, "we": we, "name": name}


def _period(period: Period) -> dict:
    return {
        "code": period.code,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "ytd_start": period.year_to_date().start.isoformat(),
        "year": period.end.year,
        "previous_label": period.previous().label,
    }


def collect(period: Period, unit: Unit) -> dict:
    """Every figure of the report of `unit` (with its descendants) for `period` (cached: see the module)."""
    return collect_with_annex(period, unit)[0]


def collect_by_unit(period: Period, unit: Unit) -> dict:
    """The figures per direct child unit for the annex (cached: see the module; `compute_by_unit`)."""
    return collect_with_annex(period, unit)[1]


def collect_with_annex(period: Period, unit: Unit) -> tuple[dict, dict]:
    """`collect` and `collect_by_unit`: one build of a report's figures, for its preview, Word file and annex.

    Built together (and cached as one entry), so whichever of the three is asked for first builds what
    the other two read.
    """
    key = f"report:{period.code}"
    return figure_cache.cached(unit, {key: partial(_build, period, unit)}, sources=(__name__,))[key]


def _build(period: Period, unit: Unit) -> tuple[dict, dict]:
    return compute(period, unit), compute_by_unit(period, unit)


def compute(period: Period, unit: Unit) -> dict:
    """Every figure of the report of `unit` (with its descendants) for `period`, computed from the ledgers."""
    previous = period.previous()
    last_year = period.same_last_year()
    counts = metrics.record_counts(period, unit)
    kids = metrics.children(unit)
    titles = area_titles()
    figures = {
        "period": _period(period),
        "unit": {"name": unit.name, "code": unit.code or "", "type": unit.unit_type, "words": scope_words(unit)},
        "venues": metrics.venue_figures(period, unit).get(unit.path) or metrics.empty_venue_figures(),
        "previous": {"period": _period(previous)},
        "last_year": {"period": _period(last_year)},
        "pending": [],
        "activity": [],
    }
    for key, module in areas().items():
        figures[key] = module.compute(period, unit)[unit.path]
        figures["previous"][key] = module.compute(previous, unit)[unit.path]
        same = previous == last_year  # a year's previous period is last year's
        figures["last_year"][key] = figures["previous"][key] if same else module.compute(last_year, unit)[unit.path]
    for area in titles:
        missing = [child.name for child in kids if not counts.get(area, {}).get(child.path)]
        if missing:
            figures["pending"].append({"area": area, "units": missing})
    own = {area: counts.get(area, {}).get(unit.path, 0) for area in titles}
    rows = [(f"{unit.name}({metrics.OWN_LEVEL})", own)] if any(own.values()) else []
    rows += [(child.name, {area: counts.get(area, {}).get(child.path, 0) for area in titles}) for child in kids]
    figures["activity"] = [{"name": name, "areas": per, "total": sum(per.values())} for name, per in rows]
    return figures


def compute_by_unit(period: Period, unit: Unit) -> dict:
    """The figures per direct child unit for the annex: {"rows": [...], key: {bucket: figures}}.

    rows: [{"key": bucket path, "name": str}] — 本级 first, then the direct children in tree order.
    """
    result: dict = {"rows": [{"key": unit.path, "name": f"{unit.name}({metrics.OWN_LEVEL})"}]}
    result["rows"] += [{"key": child.path, "name": child.name} for child in metrics.children(unit)]
    for key, module in areas().items():
        result[key] = dict(module.compute(period, unit, by_child=True))
    result[VENUES] = metrics.venue_figures(period, unit, by_child=True)
    return result


MIN_FALL = 0.1  # a fall smaller than a tenth is noise, not a problem to report


def changes(figures: dict) -> list[dict]:
    """The period's counts and amounts that fell by a tenth or more against the previous period.

    Biggest fall first. Only headline 本期 figures compare (Figure.compare; 今年以来 ones always grow
    within a year, and a fall in one headline should not be reported four times over). Each entry:
    {"area", "key", "name", "unit", "kind", "previous", "current"}.
    """
    found = []
    for key, module in areas().items():
        area = area_title(key)
        current, before = figures[key], figures["previous"].get(key, {})
        for figure in module.FIGURES:
            if not figure.compare or figure.kind not in COMPARED_KINDS or figure.span != "本期":
                continue
            was, now = before.get(figure.key) or 0, current.get(figure.key) or 0
            if was and (was - now) / was >= MIN_FALL:
                found.append(
                    {
                        "area": area,
                        "key": figure.key,
                        "name": figure.name,
                        "unit": figure.unit,
                        "kind": figure.kind,
                        "previous": was,
                        "current": now,
                        "fall": (was - now) / was,
                    }
                )
    found.sort(key=lambda entry: (-entry["fall"], entry["name"]))
    for entry in found:
        entry["fall"] = round(float(entry["fall"]), 3)
    return found

"""Charts drawn as inline SVG on the server: no chart library, no CDN, readable at 375 px and at 1366 px.

Horizontal positions are percentages of the chart's width and vertical ones are pixels, so a chart
stretches to its column while its text keeps its size. Every bar carries a <title> (the exact
figure on hover or long-press), and every chart ships its numbers as a table for those who would
rather read them (and for screen readers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]
    color: str


@dataclass
class Bar:
    x: float  # percent of the width
    width: float  # percent
    y: float  # px
    height: float  # px
    color: str
    title: str


@dataclass
class Label:
    x: float  # percent (column charts) or px
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""


@dataclass
class Chart:
    kind: str  # "columns" or "bars"
    title: str
    height: int
    series: list[Series]
    categories: list[str]
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    grid: list[Label] = field(default_factory=list)  # y: px of the line, text: its value
    bands: list[Bar] = field(default_factory=list)  # highlighted categories
    table: list[list[str]] = field(default_factory=list)  # category, each series' value, total
    empty: bool = False

    plot_left: float = 11.0
    plot_right: float = 99.0

    @property
    def table_header(self) -> list[str]:
        return ["", *(s.name for s in self.series), *(["合计"] if len(self.series) > 1 else [])]


def axis_step(maximum: float, whole: bool) -> float:
    """The gap between the four grid lines: 1, 2, 2.5 or 5 times a power of ten, whole for counts."""
    raw = maximum / 4
    if raw <= 0:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * power
        if whole and (step < 1 or step != int(step)):
            continue
        if step >= raw:
            return step
    return 10 * power


def _totals(series: Sequence[Series], count: int) -> list[Number]:
    return [sum((s.values[i] for s in series), 0) for i in range(count)]


def _table(categories, series, fmt) -> list[list[str]]:
    totals = _totals(series, len(categories))
    rows = []
    for index, category in enumerate(categories):
        row = [category, *(fmt(s.values[index]) for s in series)]
        if len(series) > 1:
            row.append(fmt(totals[index]))
        rows.append(row)
    return rows


PLOT_LEFT = 11.0  # percent kept for the value axis labels
PLOT_RIGHT = 99.0


def column_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[Number], str],
    *,
    highlight: Sequence[int] = (),
    height: int = 220,
) -> Chart:
    """Stacked columns, one per category (a month), with the total above each column."""
    top, bottom = 18, height - 24
    plot = bottom - top
    totals = _totals(series, len(categories))
    whole = not any(isinstance(v, Decimal) for s in series for v in s.values)
    step = axis_step(float(max(totals, default=0)), whole)
    ceiling = step * 4
    chart = Chart("columns", title, height, list(series), list(categories))
    chart.table = _table(categories, series, fmt)
    chart.empty = not any(totals)
    for line in range(5):
        value = int(step * line) if whole else Decimal(str(step * line))
        chart.grid.append(Label(PLOT_LEFT - 1, bottom - plot * line / 4, fmt(value), "end"))
    band = (PLOT_RIGHT - PLOT_LEFT) / max(len(categories), 1)
    for index, category in enumerate(categories):
        left = PLOT_LEFT + band * index
        if index in highlight:
            chart.bands.append(Bar(left, band, top - 14, plot + 14 + 22, "", ""))
        stacked = 0.0
        for s in series:
            value = float(s.values[index])
            if value <= 0:
                continue
            height_px = plot * value / ceiling
            chart.bars.append(
                Bar(
                    left + band * 0.2,
                    band * 0.6,
                    bottom - stacked - height_px,
                    height_px,
                    s.color,
                    f"{category} {s.name}:{fmt(s.values[index])}",
                )
            )
            stacked += height_px
        center = left + band / 2
        chart.labels.append(Label(center, bottom + 16, category))
        if totals[index]:
            chart.labels.append(Label(center, bottom - stacked - 4, fmt(totals[index]), css="value"))
    return chart


def bar_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], fmt: Callable[[Number], str], *, row: int = 40
) -> Chart:
    """Stacked horizontal bars, one per category (a unit, an area), its name above the bar."""
    totals = _totals(series, len(categories))
    ceiling = float(max(totals, default=0)) or 1
    height = row * len(categories) + 4
    chart = Chart("bars", title, height, list(series), list(categories))
    chart.table = _table(categories, series, fmt)
    chart.empty = not any(totals)
    width = 86.0  # percent of the width the longest bar takes; the rest holds its total
    for index, category in enumerate(categories):
        top = row * index
        chart.labels.append(Label(0, top + 14, category, "start"))
        stacked = 0.0
        for s in series:
            value = float(s.values[index])
            if value <= 0:
                continue
            length = width * value / ceiling
            title = f"{category} {s.name}:{fmt(s.values[index])}"
            chart.bars.append(Bar(stacked, length, top + 20, 14, s.color, title))
            stacked += length
        chart.labels.append(Label(stacked + 1, top + 32, fmt(totals[index]), "start", "value"))
    return chart

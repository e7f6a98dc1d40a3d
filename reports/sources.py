"""The report preview's 数据来源 panel: every number of the report's figures, each with a link to its records.

The numbers are the report's own figures (reports.figures.collect, the ones the text is written from);
each link is built from the figure's declaration (youthwork.metrics.Figure.source, through
youthwork.portal.links), so the ledger list it opens totals the same number. A figure that is not a sum
or count over one ledger's records (schools in the organisation register, venues, coverage rates) has
no link and says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports import figures as report_figures
from youthwork.display import format_amount, format_count
from youthwork.metrics import Figure, FigureKind
from youthwork.periods import Period
from youthwork.portal.links import FigureLink, figure_link

SHOWN_KINDS = (FigureKind.COUNT, FigureKind.AMOUNT)


@dataclass
class SourceRow:
    figure: Figure
    value: object
    link: FigureLink | None

    @property
    def text(self) -> str:
        """The number as the ledger list's totals line writes it (1,234 / 8,650.00)."""
        return format_amount(self.value) if self.figure.kind == FigureKind.AMOUNT else format_count(self.value)

    @property
    def origin(self) -> str:
        """Where a figure without a link comes from."""
        if self.figure.source is not None:
            return "无权查看该台账"
        return "阵地登记" if self.figure in report_figures.area_figures(report_figures.VENUES) else "组织单位登记"


def source_rows(figures: dict, period: Period, unit, user) -> list[tuple[str, list[SourceRow]]]:
    """[(area title, rows)]: the report's counts and amounts of every area (and the venues), with their links."""
    groups = []
    for key in [*report_figures.areas(), report_figures.VENUES]:
        values = figures.get(key, {})
        rows = [
            SourceRow(figure, values.get(figure.key, figure.empty()), figure_link(figure, period, unit, user))
            for figure in report_figures.area_figures(key)
            if figure.kind in SHOWN_KINDS
        ]
        groups.append((report_figures.area_title(key), rows))
    return groups

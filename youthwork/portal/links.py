"""Links from a figure to the ledger list of the records it counts, built from the figure's declaration.

A figure of a work area (youthwork.metrics.Figure) names its `source`: one ledger, the choice filters
that pick its records, and the column it sums (or none: it counts records). The same declaration makes
the figure's aggregate and, here, the list's query (the unit with its descendants, the figure's dates,
本期 or 今年以来, and the choices), so the list's totals line shows the figure. The dashboard and the
report preview link their figures through `figure_link`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.http import urlencode

from youthwork.addresses import address
from youthwork.ledgers import get_ledger
from youthwork.metrics import Figure
from youthwork.periods import Period

TOTAL_PARAMETER = "total"  # the column whose total the figure is (the list marks it); not a filter


@dataclass(frozen=True)
class FigureLink:
    url: str
    exact: bool  # the list's totals line is the figure (else: the records it is drawn from)
    column: str  # the column whose total it is; empty: the record count

    @property
    def title(self) -> str:
        """What following the link shows, for the link's title."""
        if not self.exact:
            return "查看数据来源记录(该数字按去重或文字条件计算,不等于清单合计)"
        return "查看数据来源记录(清单合计即此数字)"


def figure_link(figure: Figure, period: Period, unit, user) -> FigureLink | None:
    """The link to the records behind `figure` of `unit` (with its descendants) for `period`, or None when it
    is not drawn from one ledger's records, or the user may not view that ledger."""
    source = figure.source
    if source is None or unit is None:
        return None
    ledger = get_ledger(source.ledger)
    if not user.has_perm(ledger.perm("view")):
        return None
    query = source.list_filters(figure.dates(period), unit)
    if source.exact and source.column:
        query[TOTAL_PARAMETER] = source.column
    url = f"{address('portal:ledger_list', ledger.slug)}?{urlencode(query)}"
    return FigureLink(url=url, exact=source.exact, column=source.column)

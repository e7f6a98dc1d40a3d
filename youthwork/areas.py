"""Work areas declare themselves: the AppConfig base every work-area app (思想引领, 关心关爱, 权益维护 …) uses.

An area's apps.py says what the rest of the project needs to know about it, and the core, the
dashboard, the roles, the admin site's grouping and the report iterate over `work_areas()` (in
INSTALLED_APPS order) instead of naming the areas. Adding a fourth area is a new app with such a config
(and its metrics.py and demo.py, the shape the three areas share) plus a line in INSTALLED_APPS.

What an area declares:

- `verbose_name`: its title (思想引领), the name the portal, the admin and the report show.
- `colour`: its colour in the dashboard's charts (fixed, so that every chart agrees).
- `metrics_module`: the module computing its figures (FIGURES, compute, monthly, …; see youthwork.metrics).
- `key_figures`: keys of its FIGURES the dashboard shows as the area's key figures (本期).
- `amount_chart`: optional (series label, function of the metrics module) for the dashboard's monthly
  amounts chart, e.g. ("募集资金", "funds_by_month").
- `narrative`: its section templates in the report's 当前工作开展情况 (templates/reports/narrative/<name>.txt).
- `demo_module`: the module whose `rows(demo)` adds the area's demo rows (see youthwork.demo).
- `narrative_values(figures)`: extra values its narrative templates read (none by default).
"""

from __future__ import annotations

from functools import cached_property
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


class WorkAreaConfig(AppConfig):
    colour: str = "#6c757d"
    metrics_module: str = ""
    key_figures: tuple[str, ...] = ()
    amount_chart: tuple[str, str] | None = None
    narrative: tuple[str, ...] = ()
    demo_module: str = ""

    @property
    def title(self) -> str:
        return str(self.verbose_name)

    @cached_property
    def metrics(self) -> ModuleType:
        return import_module(self.metrics_module or f"{self.name}.metrics")

    def demo_rows(self, demo) -> None:
        """Add the area's demo rows through `demo.add(sheet, unit code, date, **fields)`."""
        import_module(self.demo_module or f"{self.name}.demo").rows(demo)

    def narrative_values(self, figures: dict) -> dict:
        """Values the narrative templates read besides the figures (a subclass adds its own)."""
        return {}


def work_areas() -> list[WorkAreaConfig]:
    """Every installed work area, in the order of INSTALLED_APPS."""
    return [config for config in apps.get_app_configs() if isinstance(config, WorkAreaConfig)]


def work_area(label: str) -> WorkAreaConfig:
    """The work area with this app label (LookupError when there is none)."""
    for config in work_areas():
        if config.label == label:
            return config
    raise LookupError(f"没有名为“{label}”的工作领域")

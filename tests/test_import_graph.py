"""The project's modules import one way: no circles anywhere, and the core below the admin, the portal and reports.

The graph is read from the source files with `ast`: every import in them, at module level and inside
functions (an import moved into a function still closes a circle; it only hides it until run time),
and `import_module("...")` with a literal name. Relative imports are resolved against the package.
A package's `__init__` is the module of the package's own name (`youthwork.admin`); importing a
submodule is an edge to that submodule only, not to the packages around it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("youthwork", "activities", "assistance", "legal_education", "reports", "submissions")
# The layers above the core: youthwork/admin/ and youthwork/portal/ inside the core app, and the reports app.
ABOVE_THE_CORE = ("youthwork.admin", "youthwork.portal", "reports", "submissions")
# Wiring, not core: the settings and the root URLconf name every app; the AppConfig names the admin site.
WIRING = {"youthwork.settings", "youthwork.urls", "youthwork.wsgi", "youthwork.apps"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {
    _module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str | None, level: int, importer: str) -> str | None:
    """The absolute name of `from <level dots><module> import ...` written in `importer`."""
    if level == 0:
        return module
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _project_module(name: str) -> str | None:
    """The project module a dotted name is or lies in (`youthwork.ledgers.register` -> youthwork.ledgers)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str) -> set[str]:
    """The project modules that module `name` imports, anywhere in its file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node.module, node.level, name)
            # `from package import submodule` imports the submodule; `from module import name`, the module.
            targets = [f"{module}.{alias.name}" for alias in node.names] if module else []
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                targets = [node.args[0].value]
        found.update(module for target in targets if (module := _project_module(target)) is not None)
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def models_looked_up_by(name: str) -> set[str]:
    """The app labels whose models module `name` looks up by name (`apps.get_model("reports", "WorkReport")`)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value.split(".")[0])
    return found


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the modules around it (the first repeated at the end), or None."""
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> list[str] | None:
        state[name] = "open"
        for imported in sorted(graph.get(name, ())):
            if state.get(imported) == "open":
                return [*trail[trail.index(imported) :], imported]
            if imported not in state and (circle := visit(imported, [*trail, imported])):
                return circle
        state[name] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (circle := visit(start, [start])):
            return circle
    return None


def _within(name: str, prefixes) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def test_the_graph_is_read_from_every_package_of_the_project():
    for expected in ("youthwork.ledgers", "youthwork.importing.engine", "youthwork.admin", "reports.compose"):
        assert expected in GRAPH
    assert "youthwork.importing.engine" in GRAPH["youthwork.admin.resources"]
    # A circle hidden in a function is found like any other.
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_of_the_project_imports_one_that_imports_it_back():
    circle = find_circle(GRAPH)
    assert circle is None, "import circle: " + " -> ".join(circle)


def test_the_core_imports_nothing_from_the_admin_the_portal_or_reports():
    # Nor does it look a report's model up by name: the core reads PeriodLocks, never their owners.
    core = [name for name in GRAPH if name.startswith("youthwork") and not _within(name, ABOVE_THE_CORE)]
    assert {"youthwork.models", "youthwork.importing.engine", "youthwork.display", "youthwork.locks"} <= set(core)
    offenders = {
        name: sorted(
            [imported for imported in GRAPH[name] if _within(imported, ABOVE_THE_CORE)]
            + [f"get_model({label!r})" for label in models_looked_up_by(name) if label in ("reports", "submissions")]
        )
        for name in core
        if name not in WIRING
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_import_runs_below_the_admin_and_the_registry_below_the_import():
    importing = [name for name in GRAPH if _within(name, ("youthwork.importing",))]
    assert importing, "youthwork.importing is a package"
    for name in importing:
        assert not {imported for imported in GRAPH[name] if _within(imported, ("youthwork.admin",))}, name
    registry = {"youthwork.ledgers", "youthwork.models", "youthwork.fields"}
    for name in registry:
        assert not {imported for imported in GRAPH[name] if _within(imported, ("youthwork.importing",))}, name

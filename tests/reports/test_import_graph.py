"""The report's layers import one way: document <- render, compose <- orchestration (builder) <- pages and admin.

The graph is read from the source files, every import in them (also inside functions, so that a circle
cannot be hidden by importing late).
"""

import ast
from pathlib import Path

import reports

PACKAGE = Path(reports.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}


def _imports(path: Path) -> set[str]:
    """The modules of the reports package that a file imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if name in MODULES}
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _circle() -> list[str] | None:
    """One import circle among the report's modules, as the list of modules around it, or None."""
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> list[str] | None:
        state[name] = "open"
        for imported in sorted(GRAPH[name]):
            if state.get(imported) == "open":
                return [*trail[trail.index(imported) :], imported] if imported in trail else [name, imported]
            if imported not in state and (circle := visit(imported, [*trail, imported])):
                return circle
        state[name] = "done"
        return None

    for start in sorted(GRAPH):
        if start not in state and (circle := visit(start, [start])):
            return circle
    return None


def test_no_module_of_the_report_imports_one_that_imports_it_back():
    assert {"reports.document", "reports.compose", "reports.builder", "reports.permissions"} <= set(GRAPH)
    assert _circle() is None, " -> ".join(_circle())


def test_the_renderers_read_only_the_document_tree_of_the_report():
    renderers = [name for name in GRAPH if name.startswith("reports.render.")]
    assert sorted(renderers) == ["reports.render.docx", "reports.render.html", "reports.render.xlsx"]
    for name in renderers:
        assert GRAPH[name] <= {"reports.document"}, (name, GRAPH[name])


def test_the_admin_takes_who_may_reopen_from_the_permissions_not_from_the_pages():
    assert "reports.views" not in GRAPH["reports.admin"]
    assert "reports.permissions" in GRAPH["reports.admin"] and "reports.permissions" in GRAPH["reports.views"]

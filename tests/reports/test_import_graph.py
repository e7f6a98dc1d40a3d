"""The report's layers import one way: document <- render, compose <- orchestration (builder) <- pages and admin.

The graph is read from the source files, every import in them (also inside functions, so that a circle
cannot be hidden by importing late).
"""

from tests.test_import_graph import GRAPH as PROJECT_GRAPH
from tests.test_import_graph import find_circle

# The report's modules and their imports among themselves (the whole project's graph: tests/test_import_graph.py).
GRAPH = {
    name: {imported for imported in imports if imported.startswith("reports")}
    for name, imports in PROJECT_GRAPH.items()
    if name.startswith("reports") and ".migrations" not in name
}


def test_no_module_of_the_report_imports_one_that_imports_it_back():
    assert {"reports.document", "reports.compose", "reports.builder", "reports.permissions"} <= set(GRAPH)
    circle = find_circle(GRAPH)
    assert circle is None, " -> ".join(circle)


def test_the_renderers_read_only_the_document_tree_of_the_report():
    renderers = [name for name in GRAPH if name.startswith("reports.render.")]
    assert sorted(renderers) == ["reports.render.docx", "reports.render.html", "reports.render.xlsx"]
    for name in renderers:
        assert GRAPH[name] <= {"reports.document"}, (name, GRAPH[name])


def test_the_admin_takes_who_may_reopen_from_the_permissions_not_from_the_pages():
    assert "reports.views" not in GRAPH["reports.admin"]
    assert "reports.permissions" in GRAPH["reports.admin"] and "reports.permissions" in GRAPH["reports.views"]

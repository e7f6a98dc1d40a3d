"""The HTML renderer: the same document as the Word file, as a standalone page (build_report --format html)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.document import Document, split_title

# The report page links this stylesheet; the standalone file carries it inside, to read without the site.
STYLESHEET = "youthwork/report.css"


def context(document: Document) -> dict:
    return {"document": document, "title_lines": split_title(document.title)}


def render(document: Document) -> str:
    stylesheet = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    return render_to_string("reports/standalone.html", {**context(document), "stylesheet": stylesheet})

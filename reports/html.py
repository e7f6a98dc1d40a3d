"""The HTML renderer: the same document as the Word file, as a standalone page (build_report --format html)."""

from django.template.loader import render_to_string

from reports.builder import Document
from reports.docx import split_title


def context(document: Document) -> dict:
    return {"document": document, "title_lines": split_title(document.title)}


def render(document: Document) -> str:
    return render_to_string("reports/standalone.html", context(document))

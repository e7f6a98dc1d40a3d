"""A file sent to the browser under its Chinese name.

Every download (exports, error workbooks, the annex, reports, templates) names its file with RFC 6266's
`filename*=utf-8''…`, which browsers read; a non-ASCII `filename="…"` goes out as an RFC 2047
encoded-word (`=?utf-8?b?…?=`), which they do not, and the file saved as `download.xlsx`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def name_file(response: HttpResponse, file_name: str) -> HttpResponse:
    """Set the response's attachment file name."""
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


def attachment(content: bytes, file_name: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """The bytes as a download named `file_name`."""
    return name_file(HttpResponse(content, content_type=content_type), file_name)

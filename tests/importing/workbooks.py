"""Real .xlsx files for the import tests, written with openpyxl, and a way to run the command."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from youthwork.resources import get_sheet


def xlsx(sheets: dict[str, list[list]], *, formulas: dict[str, dict[str, str]] | None = None) -> bytes:
    """A workbook with one sheet per entry, rows written as given (a cell may be a date, a number, text).

    `formulas` puts formulas into cells ({"网上团队课": {"F3": "=1+1"}}); openpyxl saves them without a
    cached value, as a program that never opened the file in Excel would.
    """
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref, formula in (formulas or {}).get(name, {}).items():
            sheet[ref] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header(sheet_name: str) -> list[str]:
    """The dictionary's header row of a sheet."""
    return get_sheet(sheet_name).headers


def save(tmp_path: Path, data: bytes, name: str = "工作簿.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_import(path: Path, *args: str) -> tuple[int, list[str], str]:
    """Run `manage.py import_workbook PATH ...`: (exit status, stdout lines, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_workbook", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue().splitlines(), err.getvalue()


def export(client, model_admin_url: str, resource) -> bytes:
    """Export every column of a sheet through its admin (django-import-export), as the test client's user."""
    data = {"format": "0", "resource": "0"}
    for name in resource.fields:
        data[f"{resource.__name__.lower()}_{name}"] = "on"
    response = client.post(f"{model_admin_url}export/", data)
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def rows_of(content: bytes):
    """The title and the cell values of the first sheet of an .xlsx."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    return sheet.title, [[cell.value for cell in row] for row in sheet.iter_rows()]

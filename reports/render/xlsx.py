"""The Excel annex renderer: lays out reports.document's Annex, one sheet per work area (and venues, and
the reporting overview), one row per unit and a 合计 row, numbers as numbers with formats.

Every cell is written through youthwork.spreadsheets.set_cell, like the exports: a unit or event
named `=HYPERLINK(...)` stays text (quotePrefix), never a formula, also in the file frozen at 定稿."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.document import Annex
from youthwork.spreadsheets import set_cell

FORMATS = {"count": "#,##0", "amount": "#,##0.00", "rate": "0.0%"}
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _write(ws, row: int, column: int, value, number_format: str | None = None):
    return set_cell(ws.cell(row, column), value, number_format)


def render(annex: Annex) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in annex.sheets:
        ws = book.create_sheet(sheet.name)
        width = len(sheet.columns) + 1
        _write(ws, 1, 1, sheet.title).font = Font(name=FONT, size=14, bold=True)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        _write(ws, 2, 1, f"填报单位:{annex.unit_name}    期间:{annex.period_range}").font = Font(name=FONT, size=10)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

        header_row = 3
        headers = ["单位", *(column.label for column in sheet.columns)]
        for index, header in enumerate(headers, start=1):
            cell = _write(ws, header_row, index, header)
            cell.font = Font(name=FONT, bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[header_row].height = 45

        rows = [*sheet.rows, ("合计", sheet.total)]
        for offset, (name, values) in enumerate(rows, start=1):
            row = header_row + offset
            is_total = offset == len(rows)
            name_cell = _write(ws, row, 1, name)
            name_cell.font = Font(name=FONT, bold=is_total)
            name_cell.border = BORDER
            for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True), start=2):
                if column.kind in FORMATS:
                    cell = _write(ws, row, index, value, FORMATS[column.kind])
                else:
                    cell = _write(ws, row, index, _cell_text(value))
                cell.font = Font(name=FONT, bold=is_total)
                cell.border = BORDER
                if column.kind in FORMATS:
                    cell.alignment = Alignment(horizontal="right", vertical="top")
                else:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if is_total:
                    cell.fill = TOTAL_FILL
            if is_total:
                name_cell.fill = TOTAL_FILL

        note_row = header_row + len(rows) + 2
        for note in sheet.notes:
            _write(ws, note_row, 1, note).font = Font(name=FONT, size=10, italic=True)
            note_row += 1

        ws.column_dimensions["A"].width = 24
        for index, column in enumerate(sheet.columns, start=2):
            ws.column_dimensions[get_column_letter(index)].width = 30 if column.kind not in FORMATS else 14
        ws.freeze_panes = ws.cell(header_row + 1, 2)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.print_title_rows = f"{header_row}:{header_row}"

    book.properties.title = annex.title
    book.properties.creator = annex.unit_name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

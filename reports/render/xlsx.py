"""The Excel annex renderer: lays out reports.document's Annex, one sheet per work area (and venues, and
the reporting overview), one row per unit and a 合计 row, numbers as numbers with formats.

After them, one 明细 sheet per ledger lists the records behind the figures (reports.details), written
row by row as the database yields them.

Every cell is written through youthwork.spreadsheets.set_cell, like the exports: a unit or event
named `=HYPERLINK(...)` stays text (quotePrefix), never a formula, also in the file frozen at 定稿."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.document import Annex, DetailSheet
from youthwork.spreadsheets import append_row, set_cell

FORMATS = {"count": "#,##0", "amount": "#,##0.00", "rate": "0.0%"}
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _cell(ws, value, number_format: str | None = None, **style):
    """A write-only cell through the safe writer, with its style (font, fill, border, alignment)."""
    cell = set_cell(WriteOnlyCell(ws), value, number_format)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def render(annex: Annex, details: Iterable[DetailSheet] = ()) -> bytes:
    """The annex as .xlsx bytes: its summary sheets, then the 明细 sheets (`details`), written row by row
    (a write-only workbook: however many records the 明细 sheets list, memory stays flat)."""
    book = Workbook(write_only=True)
    for sheet in annex.sheets:
        _summary_sheet(book, annex, sheet)
    for detail in details:
        _detail_sheet(book, annex, detail)
    book.properties.title = annex.title
    book.properties.creator = annex.unit_name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_sheet(book, annex: Annex, sheet) -> None:
    ws = book.create_sheet(sheet.name)
    width = len(sheet.columns) + 1
    # Set before the first row: a write-only sheet writes its columns and panes ahead of its rows.
    ws.column_dimensions["A"].width = 24
    for index, column in enumerate(sheet.columns, start=2):
        ws.column_dimensions[get_column_letter(index)].width = 30 if column.kind not in FORMATS else 14
    header_row = 3
    ws.freeze_panes = f"B{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.row_dimensions[header_row].height = 45

    ws.append([_cell(ws, sheet.title, font=Font(name=FONT, size=14, bold=True))])
    ws.append([_cell(ws, f"填报单位:{annex.unit_name}    期间:{annex.period_range}", font=Font(name=FONT, size=10))])
    last = get_column_letter(width)
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")

    headers = ["单位", *(column.label for column in sheet.columns)]
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(name=FONT, bold=True)
    ws.append([_cell(ws, header, font=bold, fill=HEADER_FILL, border=BORDER, alignment=centred) for header in headers])

    rows = [*sheet.rows, ("合计", sheet.total)]
    for offset, (name, values) in enumerate(rows, start=1):
        is_total = offset == len(rows)
        font = Font(name=FONT, bold=is_total)
        fill = {"fill": TOTAL_FILL} if is_total else {}
        cells = [_cell(ws, name, font=font, border=BORDER, **fill)]
        for column, value in zip(sheet.columns, values, strict=True):
            if column.kind in FORMATS:
                alignment = Alignment(horizontal="right", vertical="top")
                cells.append(
                    _cell(ws, value, FORMATS[column.kind], font=font, border=BORDER, alignment=alignment, **fill)
                )
            else:
                alignment = Alignment(wrap_text=True, vertical="top")
                cells.append(_cell(ws, _cell_text(value), font=font, border=BORDER, alignment=alignment, **fill))
        ws.append(cells)

    ws.append([])
    for note in sheet.notes:
        ws.append([_cell(ws, note, font=Font(name=FONT, size=10, italic=True))])


def _detail_sheet(book, annex: Annex, detail: DetailSheet) -> None:
    """One 明细 sheet: a title line, the headers, then one row per record, as the database yields them."""
    ws = book.create_sheet(detail.name)
    for index, (_header, kind) in enumerate(detail.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 14 if kind in FORMATS else 22
    ws.freeze_panes = "C3"
    ws.print_title_rows = "2:2"
    ws.append([_cell(ws, f"{detail.title}    期间:{annex.period_range}", font=Font(name=FONT, size=12, bold=True))])
    bold = Font(name=FONT, bold=True)
    ws.append([_cell(ws, header, font=bold, fill=HEADER_FILL, border=BORDER) for header, _kind in detail.columns])
    formats = {index: FORMATS[kind] for index, (_header, kind) in enumerate(detail.columns) if kind in FORMATS}
    written = 0
    for values in detail.rows:
        append_row(ws, values, formats)
        written += 1
    if not written:
        ws.append([_cell(ws, "本期和今年以来没有记录")])

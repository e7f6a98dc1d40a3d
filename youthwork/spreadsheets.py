"""Reading uploaded .xlsx workbooks and writing safe ones.

Reading uses python-calamine (about ten times faster than openpyxl). Calamine returns a formula's
cached value, but a formula saved without one (a file written by a program, never opened and saved in
Excel) reads as an empty cell, and an error value (#DIV/0!) reads as empty too. Both must become row
errors, never empty values, so each sheet's XML is scanned for formula and error cells with byte
searches: a sheet without formulas costs one decompression and one search, not a second parse.

Writing: every workbook this project produces (admin exports, blank templates, report annexes) goes
through `set_cell`/`append_row`, so that text which Excel could take for a formula is stored as text,
control characters are removed and numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree

from django.conf import settings

NO_CACHED_VALUE = "公式没有计算结果,请在Excel中保存后重新上传"
DATE_FORMAT = "yyyy-mm-dd"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class WorkbookUnreadable(Exception):
    """The file cannot be read as an .xlsx workbook (the message says why, in Chinese)."""


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_MEGABYTES * 1024 * 1024


@dataclass
class RawSheet:
    """The cells of one sheet as read, before any cleaning.

    `rows` yields one list per Excel row starting at row 1; a row's first cell is in column
    `first_column` (0 = A). `problems` maps (Excel row, 0-based column) to the reason a cell cannot be
    used (a formula without a cached value, an error value).
    """

    name: str
    rows: Iterator[list] | list[list]
    first_column: int = 0
    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    date1904: bool = False


class Workbook:
    """An opened .xlsx: its sheet names in workbook order and each sheet's raw cells on demand."""

    def __init__(self, data: bytes):
        self._zip, self._book = _open(data)
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._paths, self.date1904 = _sheet_paths(self._zip)

    def sheet(self, name: str) -> RawSheet:
        import python_calamine

        try:
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.iter_rows()
            first_column = sheet.start[1] if sheet.start else 0
        except python_calamine.CalamineError as exc:
            raise WorkbookUnreadable(f"工作表“{name}”已损坏,无法读取") from exc
        problems = {}
        path = self._paths.get(name)
        if path is not None:
            try:
                problems = scan_problem_cells(self._zip.read(path))
            except (KeyError, zipfile.BadZipFile, ValueError) as exc:
                raise WorkbookUnreadable(f"工作表“{name}”已损坏,无法读取") from exc
        return RawSheet(name=name, rows=rows, first_column=first_column, problems=problems, date1904=self.date1904)


def open_workbook(data: bytes) -> Workbook:
    """Open an uploaded workbook, or raise WorkbookUnreadable with a message a staff member understands."""
    return Workbook(data)


def _open(data: bytes):
    import python_calamine

    limit = max_upload_bytes()
    if len(data) > limit:
        size = len(data) / 1024 / 1024
        raise WorkbookUnreadable(
            f"文件太大({size:.1f}MB),超过{settings.IMPORT_MAX_MEGABYTES}MB的上限,请分成几个工作簿上传"
        )
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise WorkbookUnreadable("工作簿设置了打开密码,请在Excel中取消密码后重新上传")
        raise WorkbookUnreadable("这是旧版Excel(.xls)文件,请在Excel中另存为.xlsx格式后重新上传")
    if not data.startswith(b"PK"):
        raise WorkbookUnreadable("文件不是Excel工作簿(.xlsx格式),请在Excel中另存为.xlsx格式后重新上传")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookUnreadable("工作簿已损坏,无法读取,请在Excel中打开并另存后重新上传") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookUnreadable("文件不是Excel工作簿(.xlsx格式),请在Excel中另存为.xlsx格式后重新上传")
    # A zip bomb: a few MB that unpack to gigabytes.
    if unpacked > 20 * limit:
        raise WorkbookUnreadable(f"工作簿解压后太大,超过{20 * settings.IMPORT_MAX_MEGABYTES}MB,请分成几个工作簿上传")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise WorkbookUnreadable("工作簿设置了打开密码,请在Excel中取消密码后重新上传") from exc
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise WorkbookUnreadable("工作簿已损坏,无法读取,请在Excel中打开并另存后重新上传") from exc
    return archive, book


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Sheet name -> path of its XML part inside the zip, and whether dates count from 1904."""
    try:
        workbook_path = "xl/workbook.xml"
        if "_rels/.rels" in archive.namelist():
            for rel in ElementTree.fromstring(archive.read("_rels/.rels")):
                if rel.get("Type", "").endswith("/officeDocument"):
                    workbook_path = rel.get("Target", workbook_path).lstrip("/")
        base = posixpath.dirname(workbook_path)
        rels_path = posixpath.join(base, "_rels", posixpath.basename(workbook_path) + ".rels")
        targets = {}
        for rel in ElementTree.fromstring(archive.read(rels_path)):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        root = ElementTree.fromstring(archive.read(workbook_path))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
        raise WorkbookUnreadable("工作簿已损坏,无法读取,请在Excel中打开并另存后重新上传") from exc
    paths, date1904 = {}, False
    for element in root.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "0").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
            if rid in targets:
                paths[element.get("name")] = posixpath.normpath(targets[rid])
    return paths, date1904


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def scan_problem_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """Cells of a sheet's XML that hold a formula without a cached value, or an error value.

    Byte searches only: a sheet without formulas or errors costs one pass of `bytes.find`.
    """
    prefix_match = re.search(rb"<(\w+:)?sheetData\b", xml)
    if prefix_match is None:
        return {}
    prefix = prefix_match.group(1) or b""
    formula = re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")
    has_formula = formula.search(xml, prefix_match.end()) is not None
    has_error = b't="e"' in xml
    if not has_formula and not has_error:
        return {}
    cell_open, cell_close = b"<" + prefix + b"c", b"</" + prefix + b"c>"
    value_open, value_close = b"<" + prefix + b"v", b"</" + prefix + b"v>"
    starts = set()
    if has_formula:
        for match in formula.finditer(xml, prefix_match.end()):
            starts.add(xml.rfind(cell_open, 0, match.start()))
    if has_error:
        for match in re.finditer(re.escape(cell_open) + rb'\s[^>]*\bt="e"', xml):
            starts.add(match.start())
    problems = {}
    for start in sorted(starts):
        tag_end = xml.find(b">", start)
        tag = xml[start:tag_end]
        ref = _CELL_REF.search(tag)
        if ref is None:  # cells without a reference (allowed by the format, written by few programs)
            return _scan_by_parsing(xml)
        end = xml.find(cell_close, tag_end)
        body = xml[tag_end:end] if end != -1 else b""
        type_match = _TYPE.search(tag)
        cell_type = type_match.group(1) if type_match else b"n"
        value = _value(body, value_open, value_close)
        position = (int(ref.group(2)), _column_index(ref.group(1)))
        if cell_type == b"e":
            problems[position] = f"单元格是错误值{(value or b'').decode(errors='replace')},请在Excel中修正后重新上传"
        elif not value and cell_type not in (b"str", b"inlineStr", b"s"):
            problems[position] = NO_CACHED_VALUE
    return problems


def _value(body: bytes, value_open: bytes, value_close: bytes) -> bytes | None:
    start = body.find(value_open)
    if start == -1:
        return None
    content_start = body.find(b">", start) + 1
    if body[content_start - 2 : content_start] == b"/>":
        return b""
    return body[content_start : body.find(value_close, content_start)].strip()


def _scan_by_parsing(xml: bytes) -> dict[tuple[int, int], str]:
    """The slow, complete scan for sheets whose cells carry no reference: positions are counted."""
    problems = {}
    row_number = 0
    root = ElementTree.fromstring(xml)
    for row in (e for e in root.iter() if _local(e.tag) == "row"):
        row_number = int(row.get("r") or row_number + 1)
        column = -1
        for cell in (c for c in row if _local(c.tag) == "c"):
            ref = cell.get("r")
            if ref:
                letters = re.match(r"[A-Z]+", ref).group(0)
                column = _column_index(letters.encode())
            else:
                column += 1
            children = {_local(child.tag): child for child in cell}
            cell_type = cell.get("t", "n")
            value = children["v"].text if "v" in children else None
            if cell_type == "e":
                problems[(row_number, column)] = f"单元格是错误值{value or ''},请在Excel中修正后重新上传"
            elif "f" in children and not (value or "").strip() and cell_type not in ("str", "inlineStr", "s"):
                problems[(row_number, column)] = NO_CACHED_VALUE
    return problems


# --- writing --------------------------------------------------------------------------------------

# Characters Excel cannot store (and openpyxl refuses), plus DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Text starting with one of these could be taken for a formula by Excel, or by a program reading a CSV
# saved from the sheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text with control characters removed (tab, line feed and carriage return are kept)."""
    return _CONTROL.sub("", text)


def set_cell(cell, value, number_format: str | None = None):
    """Store a value in an openpyxl cell so that Excel shows exactly it.

    Text that starts like a formula is stored as a string cell with the `quotePrefix` style: that is
    what Excel itself saves when a user types '=..., so Excel and WPS show the text, never evaluate it,
    and keep it text when the cell is edited; the value is unchanged, so an export imports back as it
    was. Numbers stay numbers, dates become date cells.
    """
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = number_format or "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, int | float | Decimal) or value is None:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format
    else:
        text = safe_text(str(value))
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def append_row(worksheet, values, number_formats=None):
    """Append one row of values to a worksheet (normal or write-only) through set_cell."""
    from openpyxl.cell import WriteOnlyCell

    number_formats = number_formats or {}
    cells = [set_cell(WriteOnlyCell(worksheet), value, number_formats.get(i)) for i, value in enumerate(values)]
    worksheet.append(cells)
    return cells

"""Reading uploaded .xlsx workbooks and writing safe ones.

Reading uses python-calamine (about ten times faster than openpyxl). Calamine returns a formula's
cached value, but a formula saved without one (a file written by a program, never opened and saved in
Excel) reads as an empty cell, and an error value (#DIV/0!) reads as empty too. Both must become row
errors, never empty values, so each sheet's XML is scanned for formula and error cells with byte
searches: a sheet without formulas costs one decompression and one search, not a second parse.

Before either reader touches an upload, `inspect_upload` measures it from the zip and the XML alone
(stdlib zlib and a streaming expat pass with handlers that only count, never keep text): the declared
and the actual unpacked size of every part, a DOCTYPE (entity expansion), each sheet's declared
`<dimension>` and the largest cell reference actually used, the longest text of a cell (shared, inline
or a formula's result) and the text the reader would materialise. A crafted file (two cells A1 and
XFD1048576, a 190 MB string that deflates to 200 KB) is refused before calamine allocates for it.

Writing: every workbook this project produces (admin exports, blank templates, report annexes) goes
through `set_cell`/`append_row`, so that text which Excel could take for a formula is stored as text,
control characters are removed and numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree
from xml.parsers import expat

from django.conf import settings

from youthwork.ledgers import all_sheets

NO_CACHED_VALUE = "公式没有计算结果,请在Excel中保存后重新上传"
DATE_FORMAT = "yyyy-mm-dd"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


DAMAGED = "工作簿已损坏,无法读取,请在Excel中打开并另存后重新上传"


class WorkbookUnreadable(Exception):
    """The file cannot be read as an .xlsx workbook (the message says why, in Chinese)."""


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_MEGABYTES * 1024 * 1024


@dataclass
class RawSheet:
    """The cells of one sheet as read, before any cleaning.

    `rows` yields one list per Excel row starting at row 1, and may be iterated again (the import reads
    a sheet's unit cells first, then its rows); a row's first cell is in column `first_column` (0 = A).
    `problems` maps (Excel row, 0-based column) to the reason a cell cannot be used (a formula without a
    cached value, an error value).
    """

    name: str
    rows: Iterable[list]
    first_column: int = 0
    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    date1904: bool = False
    height: int | None = None  # the number of rows, when the reader knows it (for progress)


class SheetRows:
    """A calamine sheet's rows as lists, each iteration from the first row (calamine holds the cells)."""

    def __init__(self, sheet):
        self.sheet = sheet

    def __iter__(self) -> Iterator[list]:
        return self.sheet.iter_rows()


class Workbook:
    """An opened .xlsx: its sheet names in workbook order and each sheet's raw cells on demand."""

    def __init__(self, data: bytes):
        self._zip, self._book, self._paths, self.date1904, self._marked = _open(data)
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def sheet(self, name: str) -> RawSheet:
        import python_calamine

        try:
            sheet = self._book.get_sheet_by_name(name)
            rows = SheetRows(sheet)
            first_column = sheet.start[1] if sheet.start else 0
            height = sheet.height
        except python_calamine.CalamineError as exc:
            raise WorkbookUnreadable(f"工作表“{name}”已损坏,无法读取") from exc
        problems = {}
        path = self._paths.get(name)
        # The upload's measuring pass saw whether the sheet holds a formula or an error value at all; only
        # then is its XML read whole (a 240,000-row sheet is 100 MB of XML).
        if path is not None and (path in self._marked or path not in self._marked.scanned):
            try:
                problems = scan_problem_cells(self._zip.read(path))
            except (KeyError, zipfile.BadZipFile, ValueError) as exc:
                raise WorkbookUnreadable(f"工作表“{name}”已损坏,无法读取") from exc
        return RawSheet(
            name=name, rows=rows, first_column=first_column, problems=problems, date1904=self.date1904, height=height
        )


def open_workbook(data: bytes) -> Workbook:
    """Open an uploaded workbook, or raise WorkbookUnreadable with a message a staff member understands."""
    return Workbook(data)


def _open(data: bytes):
    import python_calamine

    archive = check_container(data)
    paths, date1904, marked = inspect_upload(data, archive)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise WorkbookUnreadable("工作簿设置了打开密码,请在Excel中取消密码后重新上传") from exc
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise WorkbookUnreadable(DAMAGED) from exc
    return archive, book, paths, date1904, marked


def check_container(data: bytes) -> zipfile.ZipFile:
    """The cheap checks of an upload (its size, an .xls or a password, the zip's directory), in milliseconds:
    what a request may ask before it hands the file to a background job, which reads the rest."""
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
        raise WorkbookUnreadable(DAMAGED) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookUnreadable("文件不是Excel工作簿(.xlsx格式),请在Excel中另存为.xlsx格式后重新上传")
    # A zip bomb: a few MB that unpack to gigabytes (the actual sizes are checked by inspect_upload).
    if unpacked > 20 * limit:
        raise _too_big_unpacked()
    return archive


def _too_big_unpacked() -> WorkbookUnreadable:
    return WorkbookUnreadable(f"工作簿解压后太大,超过{20 * settings.IMPORT_MAX_MEGABYTES}MB,请分成几个工作簿上传")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _workbook_part(archive: zipfile.ZipFile) -> str:
    """The path of the workbook part, as `_rels/.rels` names it (the root relationships must be safe to parse)."""
    workbook_path = "xl/workbook.xml"
    if "_rels/.rels" in archive.namelist():
        for rel in ElementTree.fromstring(archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_path = rel.get("Target", workbook_path).lstrip("/")
    return workbook_path


def _rels_part(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _sheet_paths(archive: zipfile.ZipFile) -> tuple[dict[str, str], bool, list[str]]:
    """Sheet name -> path of its XML part inside the zip, whether dates count from 1904, and the
    shared strings part(s)."""
    try:
        workbook_path = _workbook_part(archive)
        base = posixpath.dirname(workbook_path)
        targets, shared = {}, []
        for rel in ElementTree.fromstring(archive.read(_rels_part(workbook_path))):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            targets[rel.get("Id")] = target
            if rel.get("Type", "").endswith("/sharedStrings"):
                shared.append(posixpath.normpath(target))
        root = ElementTree.fromstring(archive.read(workbook_path))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
        raise WorkbookUnreadable(DAMAGED) from exc
    paths, date1904 = {}, False
    for element in root.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "0").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
            if rid in targets:
                paths[element.get("name")] = posixpath.normpath(targets[rid])
    return paths, date1904, shared


# --- measuring an upload before it is parsed ------------------------------------------------------

EXCEL_MAX_CELL_CHARACTERS = 32767  # the most text Excel itself lets one cell hold
COLUMN_SLACK = 50  # columns allowed beyond the template's widest sheet (序号, remarks, a user's helper columns)
ROWS_PER_MEGABYTE = 30_000  # a 10 MB workbook holds about 250,000 ledger rows; a little slack
TEXT_CHARACTERS_PER_MEGABYTE = 3_000_000  # the text cells of a workbook as the reader holds them
_CHUNK = 1 << 20
_XML_PARTS = (".xml", ".rels", ".vml")
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_LOCAL_HEADER = struct.Struct("<4s22xHH")


@dataclass(frozen=True)
class ReadLimits:
    unpacked_bytes: int  # all parts together, unpacked
    rows: int  # the last row a sheet may use
    columns: int  # the last column a sheet may use
    cells: int  # rows × columns from A1 to the last cell used (the reader allocates them all)
    cell_characters: int  # the text of one cell
    text_characters: int  # the text of every text cell of the workbook, as the reader materialises it


def read_limits() -> ReadLimits:
    """What an upload may hold: the IMPORT_MAX_* settings, 0 meaning derived from IMPORT_MAX_MEGABYTES
    and the widest sheet of the template."""
    widest = max(len(sheet.columns) for sheet in all_sheets())
    megabytes = max(settings.IMPORT_MAX_MEGABYTES, 1)
    rows = settings.IMPORT_MAX_ROWS or megabytes * ROWS_PER_MEGABYTE
    return ReadLimits(
        unpacked_bytes=20 * max_upload_bytes(),
        rows=rows,
        columns=settings.IMPORT_MAX_COLUMNS or widest + COLUMN_SLACK,
        cells=settings.IMPORT_MAX_CELLS or rows * widest,
        cell_characters=settings.IMPORT_MAX_CELL_CHARACTERS or EXCEL_MAX_CELL_CHARACTERS,
        text_characters=settings.IMPORT_MAX_TEXT_CHARACTERS or megabytes * TEXT_CHARACTERS_PER_MEGABYTE,
    )


def column_letters(index: int) -> str:
    """1 -> A, 16384 -> XFD."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ref(ref: str) -> tuple[int, int]:
    """The row and column of a reference: XFD1048576 -> (1048576, 16384); of a range A1:C9, its last cell."""
    match = _REF.fullmatch(ref.rpartition(":")[2].strip())
    if match is None:
        raise WorkbookUnreadable(DAMAGED)
    return int(match.group(2)), _column_index(match.group(1).encode()) + 1


def _row_number(text: str) -> int:
    if not text.isdigit():
        raise WorkbookUnreadable(DAMAGED)
    return int(text)


def inspect_upload(data: bytes, archive: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Measure every part of an upload before a reader parses it; refuse what no real workbook holds.

    Returns `_sheet_paths` (sheet name -> part, date1904), read once the parts it parses are measured, and
    the worksheet parts holding a formula or an error value (`Marked`: only those need scan_problem_cells).
    Raises WorkbookUnreadable naming the sheet (and cell) that is the problem.
    """
    scan = _Scan(data, archive, read_limits())
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise WorkbookUnreadable("工作簿设置了打开密码,请在Excel中取消密码后重新上传")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookUnreadable(DAMAGED)
    # What _sheet_paths parses whole is measured first; the shared strings before the sheets that use them.
    scan.part("_rels/.rels")
    try:
        workbook = _workbook_part(archive)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
        raise WorkbookUnreadable(DAMAGED) from exc
    scan.part(workbook)
    scan.part(_rels_part(workbook))
    paths, date1904, shared = _sheet_paths(archive)
    scan.part(next((name for name in shared if name in scan.names), "xl/sharedStrings.xml"), scan.shared_strings)
    # Every other part; a worksheet is known by its root element, wherever a relationship puts it, so a
    # reader that resolves paths its own way still reads only measured sheets.
    scan.sheet_names = {part: sheet for sheet, part in paths.items()}
    for info in archive.infolist():
        scan.part(info.filename)
    if scan.oversized_shared is not None:  # a string over the limit that no sheet shows
        raise scan.too_long("工作簿的共享文字表中有一段")
    return paths, date1904, scan.marked


class Marked(set):
    """The worksheet parts in which the measuring pass saw a formula or an error value; `scanned`: every part
    it read (a part it did not read is scanned in full, to be safe)."""

    def __init__(self):
        super().__init__()
        self.scanned: set[str] = set()


class _Stop(Exception):
    """Enough of a part was read."""


class _Scan:
    """One streaming pass over each part of an upload: zlib with a cap, then expat with counting handlers."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile, limits: ReadLimits):
        self.data = memoryview(data)
        self.archive = archive
        self.names = set(archive.namelist())
        self.limits = limits
        self.unpacked = 0
        self.done: set[str] = set()
        self.shared = array("L")  # the characters of each shared string, in order
        self.oversized_shared: int | None = None  # the first shared string over the limit (reading stops there)
        self.text = 0
        self.sheet_names: dict[str, str] = {}  # part -> sheet name
        self.marked = Marked()

    def part(self, name: str, handlers=None):
        if name in self.done or name not in self.names:
            return
        self.done.add(name)
        self.marked.scanned.add(name)
        parser = None
        if name.lower().endswith(_XML_PARTS):
            parser = expat.ParserCreate()
            parser.buffer_text = True  # one call per text, not one per character reference
            parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
            parser.StartDoctypeDeclHandler = _refuse_doctype
            parser.EntityDeclHandler = _refuse_doctype
            (handlers or self.generic(name))(parser)
        try:
            for chunk in self.unpack(self.archive.getinfo(name)):
                if parser is not None:
                    parser.Parse(chunk, False)
            if parser is not None:
                parser.Parse(b"", True)
        except _Stop:
            pass
        except expat.ExpatError as exc:
            raise WorkbookUnreadable(DAMAGED) from exc

    def unpack(self, info: zipfile.ZipInfo):
        """The part's bytes in chunks, decompressed here with a cap: a header that lies about the size is caught."""
        start = info.header_offset
        header = bytes(self.data[start : start + _LOCAL_HEADER.size])
        if len(header) < _LOCAL_HEADER.size:
            raise WorkbookUnreadable(DAMAGED)
        magic, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        start += _LOCAL_HEADER.size + name_length + extra_length
        raw = self.data[start : start + info.compress_size]
        if magic != b"PK\x03\x04" or len(raw) < info.compress_size:
            raise WorkbookUnreadable(DAMAGED)
        size, crc = 0, 0
        for chunk in _inflate(raw) if info.compress_type == zipfile.ZIP_DEFLATED else _pieces(raw):
            size += len(chunk)
            self.unpacked += len(chunk)
            if size > info.file_size:
                raise WorkbookUnreadable(
                    f"工作簿已损坏:其中的{info.filename}比记录的大小更大,请在Excel中打开并另存后重新上传"
                )
            if self.unpacked > self.limits.unpacked_bytes:
                raise _too_big_unpacked()
            crc = zlib.crc32(chunk, crc)
            yield chunk
        if size != info.file_size or crc != info.CRC:
            raise WorkbookUnreadable(DAMAGED)

    def too_long(self, where: str) -> WorkbookUnreadable:
        return WorkbookUnreadable(f"{where}的文字超过{self.limits.cell_characters:,}个字的上限,请检查后重新上传")

    def generic(self, name: str):
        """Any other part: no single text run may exceed the cell limit; a worksheet is measured as one."""
        limit, run = self.limits.cell_characters, [0]

        def tag(*_args):
            run[0] = 0

        def root(element, attrs):
            if element.rpartition(":")[2] == "worksheet":
                sheet = _SheetScan(self, self.sheet_names.get(name, name), name)
                sheet.install(parser[0])
                return sheet.start_handler(element, attrs)
            parser[0].StartElementHandler = tag
            return tag()

        def text(data):
            run[0] += len(data)
            if run[0] > limit:
                raise self.too_long(f"工作簿中的{name}")

        parser = [None]

        def install(expat_parser):
            parser[0] = expat_parser
            expat_parser.StartElementHandler, expat_parser.EndElementHandler = root, tag
            expat_parser.CharacterDataHandler = text

        return install

    def shared_strings(self, parser):
        """The shared strings: the length of each (every run of rich text counted); reading stops at one too long."""
        limit, state = self.limits.cell_characters, {"in": False, "chars": 0, "root": True}

        def start(name, _attrs):
            if state.pop("root", False) and name.rpartition(":")[2] != "sst":
                raise WorkbookUnreadable(DAMAGED)  # the shared strings relationship names another part
            if name.rpartition(":")[2] == "si":
                state["in"], state["chars"] = True, 0

        def end(name):
            if state["in"] and name.rpartition(":")[2] == "si":
                self.shared.append(state["chars"])
                state["in"] = False

        def text(data):
            state["chars"] += len(data)  # outside <si> too: no run longer than a cell
            if state["chars"] > limit:
                if state["in"]:
                    self.oversized_shared = len(self.shared)
                    raise _Stop
                raise self.too_long("工作簿的共享文字表")
            if not state["in"]:
                state["chars"] = 0

        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text


def _refuse_doctype(*_args):
    raise WorkbookUnreadable(
        "工作簿中含有文档类型声明(DOCTYPE),Excel不会写入这样的内容,请在Excel中打开并另存后重新上传"
    )


def _pieces(raw: memoryview):
    for start in range(0, len(raw), _CHUNK):
        yield bytes(raw[start : start + _CHUNK])


def _inflate(raw: memoryview):
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for start in range(0, len(raw), _CHUNK):
            chunk = inflater.decompress(raw[start : start + _CHUNK], _CHUNK)
            while True:
                if chunk:
                    yield chunk
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        rest = inflater.flush()
    except zlib.error as exc:
        raise WorkbookUnreadable(DAMAGED) from exc
    if rest:
        yield rest


_TEXT_TYPES = {"s", "str", "inlineStr"}


class _SheetScan:
    """A worksheet: its declared dimension, the last row and column used, each cell's text, the text in all.

    The handlers run once per element of sheets of a million cells: state lives in closures, a column's
    letters are converted once, and a cell's name is spelled only for a message.
    """

    def __init__(self, scan: _Scan, sheet: str, part: str = ""):
        self.scan, self.limits, self.sheet, self.part = scan, scan.limits, sheet, part

    def where(self, row: int, column: int) -> str:
        return f"工作表“{self.sheet}”单元格{column_letters(column)}{row}"

    def check_range(self, row: int, column: int, declared: str | None = None):
        cell = f"声明的数据范围{declared}" if declared else f"的单元格{column_letters(column)}{row}"
        where = f"工作表“{self.sheet}”{cell}"
        if row > self.limits.rows:
            raise WorkbookUnreadable(f"{where}用到了第{row:,}行,最多{self.limits.rows:,}行;请删除多余的行后重新上传")
        if column > self.limits.columns:
            raise WorkbookUnreadable(
                f"{where}用到了第{column:,}列({column_letters(column)}列),最多{self.limits.columns:,}列"
                f"({column_letters(self.limits.columns)}列);请删除多余的列后重新上传"
            )
        if row * column > self.limits.cells:
            raise WorkbookUnreadable(
                f"{where}使范围A1:{column_letters(column)}{row}达到{row * column:,}个单元格,"
                f"最多{self.limits.cells:,}个;请删除多余的行和列后重新上传"
            )

    def install(self, parser):  # one closure per handler, for speed
        scan, limits = self.scan, self.limits
        cell_limit, shared = limits.cell_characters, scan.shared
        rows, columns_limit, cells = limits.rows, limits.columns, limits.cells
        columns: dict[str, int] = {}  # column letters -> number
        # row, column, last row, last column, characters, in a cell, in a shared string's <v>
        state = [0, 0, 0, 0, 0, False, False]
        kind = [""]  # the cell's type
        index: list[str] = []  # a shared string's number, as read
        marked, part = scan.marked, self.part

        def start(local, attrs):
            if ":" in local:
                local = local.rpartition(":")[2]
            if local == "c":
                ref = attrs.get("r")
                if ref:
                    split = len(ref.rstrip("0123456789"))
                    column = columns.get(ref[:split])
                    if column is None or split == len(ref):
                        row, column = _ref(ref)
                        columns[ref[:split]] = column
                    else:
                        row = int(ref[split:])
                    state[0], state[1] = row, column
                else:
                    state[1] += 1
                if state[0] > state[2] or state[1] > state[3]:
                    state[2], state[3] = max(state[0], state[2]), max(state[1], state[3])
                    if state[2] > rows or state[3] > columns_limit or state[2] * state[3] > cells:
                        self.check_range(state[2], state[3])
                kind[0] = attrs.get("t", "n")
                if kind[0] == "e":
                    marked.add(part)
                state[4], state[5] = 0, True
            elif local == "v":
                state[6] = state[5] and kind[0] == "s"
            elif local == "f":
                marked.add(part)
            elif local == "row":
                number = attrs.get("r")
                state[0], state[1] = (_row_number(number) if number else state[0] + 1), 0
            elif local == "dimension" and attrs.get("ref"):
                row, column = _ref(attrs["ref"])
                self.check_range(row, column, attrs["ref"])
            elif not state[5]:
                state[4] = 0

        def end(local):
            if ":" in local:
                local = local.rpartition(":")[2]
            if local == "v":
                state[6] = False
            elif local == "c":
                chars = state[4]
                if index:
                    chars = shared_length("".join(index))
                    index.clear()
                if kind[0] in _TEXT_TYPES:
                    scan.text += chars
                    if scan.text > limits.text_characters:
                        raise WorkbookUnreadable(
                            f"工作簿的文字太多(读到{self.where(state[0], state[1])}时已超过"
                            f"{limits.text_characters:,}个字),请分成几个工作簿上传"
                        )
                state[4], state[5] = 0, False
            elif not state[5]:
                state[4] = 0

        def shared_length(number: str) -> int:
            try:
                position = int(number)
            except ValueError:
                return 0  # not a number: the reader refuses the cell
            if position == scan.oversized_shared:
                raise scan.too_long(self.where(state[0], state[1]))
            return shared[position] if 0 <= position < len(shared) else 0

        def text(data):
            if state[6]:
                index.append(data)  # a shared string's number (bounded by the check below)
            state[4] += len(data)
            if state[4] > cell_limit:
                raise scan.too_long(self.where(state[0], state[1]) if state[5] else f"工作表“{self.sheet}”")

        self.start_handler = start
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text


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

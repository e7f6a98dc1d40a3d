"""Real .xlsx files for the import tests, written with openpyxl, hostile ones written by hand with
zipfile (tiny files that claim or hold huge things), and ways to run the command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from youthwork.ledgers import get_sheet


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


# --- hostile workbooks, written by hand -----------------------------------------------------------


@dataclass(frozen=True)
class Long:
    """Text of `length` characters, streamed into the zip (deflate makes 190 MB of it about 200 KB)."""

    length: int
    char: str = "x"

    def chunks(self) -> Iterator[bytes]:
        piece = (self.char * (1 << 20)).encode()
        whole, rest = divmod(self.length, 1 << 20)
        for _ in range(whole):
            yield piece
        yield (self.char * rest).encode()


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}
WORKBOOK_RELS = _PARTS["xl/_rels/workbook.xml.rels"]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_xml(sheet: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def handmade_xlsx(
    cells: dict[str, object],
    *,
    sheet: str = "网上团队课",
    dimension: str | None = None,
    shared: bool = False,
    doctype: str = "",
    lie_about_size: bool = False,
    parts: dict[str, str] | None = None,
) -> bytes:
    """An .xlsx of one sheet written XML by hand: `cells` maps a reference ("XFD1048576") to a number,
    a text or a Long text, in row order. Text goes into the shared strings table (`shared`) or inline;
    `dimension` is the sheet's declared range; `doctype` is put before the sheet's root element;
    `lie_about_size` makes the zip's directory claim the sheet unpacks to 1 KB; `parts` replaces
    packaging parts by name ("xl/_rels/workbook.xml.rels": "...")."""
    strings: list[object] = []
    rows: dict[int, list[tuple[str, object]]] = {}
    for ref, value in cells.items():
        rows.setdefault(int(re.search(r"\d+", ref).group(0)), []).append((ref, value))

    def sheet_xml() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<worksheet xmlns="{_MAIN}">'.encode()
        if dimension:
            yield f'<dimension ref="{dimension}"/>'.encode()
        yield b"<sheetData>"
        for number, row in rows.items():
            yield f'<row r="{number}">'.encode()
            for ref, value in row:
                if isinstance(value, int | float):
                    yield f'<c r="{ref}"><v>{value}</v></c>'.encode()
                elif shared:
                    strings.append(value)
                    yield f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'.encode()
                else:
                    yield f'<c r="{ref}" t="inlineStr"><is><t>'.encode()
                    yield from _text(value)
                    yield b"</t></is></c>"
            yield b"</row>"
        yield b"</sheetData></worksheet>"

    def shared_xml() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}">'.encode()
        for value in strings:
            yield b"<si><t>"
            yield from _text(value)
            yield b"</t></si>"
        yield b"</sst>"

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PARTS, **(parts or {})}.items():
            archive.writestr(name, text)
        archive.writestr("xl/workbook.xml", _workbook_xml(sheet))
        for name, content in (("xl/worksheets/sheet1.xml", sheet_xml), ("xl/sharedStrings.xml", shared_xml)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in content():
                    part.write(piece)
    data = out.getvalue()
    if lie_about_size:
        data = _claim_size(data, "xl/worksheets/sheet1.xml", 1024)
    return data


def _text(value) -> Iterator[bytes]:
    if isinstance(value, Long):
        yield from value.chunks()
    else:
        yield escape(str(value)).encode()


def _claim_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with its central directory claiming `name` unpacks to `size` bytes (a lying header)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return _write_raw([(info, _raw(data, info)) for info in archive.infolist()], {name: size})


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    start = info.header_offset
    name_length, extra_length = (
        int.from_bytes(data[start + 26 : start + 28], "little"),
        int.from_bytes(data[start + 28 : start + 30], "little"),
    )
    begin = start + 30 + name_length + extra_length
    return data[begin : begin + info.compress_size]


def _write_raw(entries, claimed: dict[str, int]) -> bytes:
    """A zip of already-deflated entries; an entry named in `claimed` says it unpacks to that many bytes."""
    import struct

    out, directory = io.BytesIO(), io.BytesIO()
    for info, raw in entries:
        name = info.filename.encode()
        size = claimed.get(info.filename, info.file_size)
        offset = out.tell()
        fields = (20, 0, 8, 0, 0, info.CRC, len(raw), size, len(name))
        out.write(struct.pack("<4sHHHHHLLLHH", b"PK\x03\x04", *fields, 0) + name + raw)
        directory.write(struct.pack("<4sHHHHHHLLLHHHHHLL", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + name)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(listing), start, 0))
    return out.getvalue()


def run_measured(path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, float, float]:
    """Run `manage.py import_workbook PATH ...` in a fresh process: (exit status, stderr, seconds, peak MB).

    The peak is the process's own peak resident set size (ru_maxrss), written by a wrapper as it exits.
    """
    root = Path(__file__).resolve().parent.parent.parent
    peak_file = path.with_suffix(".peak")
    wrapper = (
        "import atexit, resource, runpy, sys\n"
        f"atexit.register(lambda: open({str(peak_file)!r}, 'w').write("
        "str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
        "sys.argv = ['manage.py', 'import_workbook', *sys.argv[1:]]\n"
        "runpy.run_path('manage.py', run_name='__main__')\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, str(path), *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.monotonic() - started
    peak_mb = int(peak_file.read_text()) / 1024  # ru_maxrss is in KB on Linux
    return done.returncode, done.stderr, seconds, peak_mb

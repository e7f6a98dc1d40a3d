"""django-import-export's side of the admin: the resource, widgets and file format of every sheet.

Each sheet of the registry (youthwork.ledgers) gets a generated resource (`resource_for`), whose
widgets wrap the importer's column readers (youthwork.importing.readers), and an XLSX format
(`format_for`). Importing through the admin's 导入 button runs the one engine
(youthwork.importing.engine), so it checks and says what `manage.py import_workbook` does; exporting
writes what that engine reads back, names of minors masked for users who may not read them. The upload
waits between preview and confirmation in the database (`DatabaseStorage`), only for its uploader.
Nothing here is written per sheet.
"""

from __future__ import annotations

import functools

import tablib
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from import_export.results import Error, Result, RowResult

from youthwork import privacy, workbooks
from youthwork.importing.directories import Lookups
from youthwork.importing.engine import ImportOutcome, import_sheets, raw_sheet_for
from youthwork.importing.readers import CellReader, reader_for
from youthwork.ledgers import SheetSpec, get_sheet
from youthwork.models import ImportUpload
from youthwork.spreadsheets import RawSheet, WorkbookUnreadable, open_workbook

# --- resources ------------------------------------------------------------------------------------


class CellWidget(widgets.Widget):
    """A django-import-export widget that renders (and cleans) with the importer's reader of its column."""

    def __init__(self, reader: CellReader):
        super().__init__(coerce_to_string=False)
        self.reader = reader

    def clean(self, value, row=None, **kwargs):
        return self.reader.clean(value, row)

    def render(self, value, obj=None, **kwargs):
        return self.reader.render(value)


class SheetResource(resources.ModelResource):
    """The resource of one sheet. Importing goes through youthwork.importing.engine (one engine for the admin's
    per-ledger import and the whole-workbook import); exporting writes what that engine reads back."""

    sheet: SheetSpec

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    # Import: the engine reads the raw sheet and answers with counts, errors and the first rows.
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        user = kwargs.get("user") or self.user
        outcome = import_sheets(
            [(self.sheet, raw_sheet_of(dataset, self.sheet))],
            user,
            dry_run,
            file_name=kwargs.get("file_name") or "",
        )
        return as_import_export_result(outcome)

    # Export: native values (dates, numbers), the names the importer resolves, personal data masked.
    def before_export(self, queryset, **kwargs):
        lookups = Lookups(self.user)  # units and venues are named from tables loaded once, not a query per row
        for field in self.fields.values():
            field.widget.reader.bind(lookups)
        self._hidden = privacy.hidden_fields(self.user, self.sheet)

    def export_field(self, field, instance, **kwargs):
        value = field.get_value(instance)
        if self.get_field_name(field) in self._hidden:
            return privacy.mask_name(value)
        return field.widget.render(value)

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = self.sheet.name

    @classmethod
    def get_display_name(cls):
        return cls.sheet.name


_RESOURCES: dict[type, type[SheetResource]] = {}


def resource_for(key) -> type[SheetResource]:
    """The django-import-export resource of a sheet (by the sheet, its model, name or slug), made once."""
    sheet = get_sheet(key)
    if sheet.model not in _RESOURCES:
        declared = {}
        for column in sheet.columns:
            field = sheet.field(column.name)
            declared[column.name] = fields.Field(
                attribute=field.attname, column_name=column.header, widget=CellWidget(reader_for(column, field))
            )
        meta = type(
            "Meta",
            (),
            {
                "model": sheet.model,
                "fields": tuple(sheet.field_names),
                "export_order": tuple(sheet.field_names),
                "import_id_fields": tuple(sheet.key),
                "name": sheet.name,
            },
        )
        name = f"{sheet.model.__name__}Resource"
        _RESOURCES[sheet.model] = type(
            name, (SheetResource,), {**declared, "Meta": meta, "sheet": sheet, "__module__": __name__}
        )
    return _RESOURCES[sheet.model]


def as_import_export_result(outcome: ImportOutcome) -> Result:
    """The engine's outcome as the django-import-export Result the admin's import views expect."""
    result = Result()
    for sheet in outcome.sheets:
        result.totals[RowResult.IMPORT_TYPE_NEW] += sheet.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] += sheet.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] += sheet.unchanged
        result.totals[RowResult.IMPORT_TYPE_ERROR] += sheet.error_rows
        result.total_rows += sheet.rows
    for error in outcome.errors:
        result.append_base_error(Error(ValueError(str(error))))
    result.outcome = outcome
    return result


# --- the file format ------------------------------------------------------------------------------


class SheetDataset(tablib.Dataset):
    """A tablib Dataset of one sheet's raw rows that keeps what the engine needs (problem cells, offset)."""

    def __init__(self, raw: RawSheet):
        rows = [list(cells) for cells in raw.rows]
        width = max((len(cells) for cells in rows), default=0)
        super().__init__(*(cells + [""] * (width - len(cells)) for cells in rows), title=raw.name)
        raw.rows = rows
        self.raw_sheet = raw


def sheet_dataset(data: bytes, sheet: SheetSpec | None) -> SheetDataset:
    """The sheet of an uploaded file to import into one sheet's admin: the sheet of that name, else the first."""
    return SheetDataset(raw_sheet_for(open_workbook(data), sheet))


def raw_sheet_of(dataset, sheet: SheetSpec) -> RawSheet:
    raw = getattr(dataset, "raw_sheet", None)
    if raw is not None:
        return raw
    rows = ([list(dataset.headers)] if dataset.headers else []) + [list(row) for row in dataset]
    return RawSheet(name=dataset.title or sheet.name, rows=rows)


class SheetXLSX(XLSX):
    """XLSX for one sheet: import reads that sheet (or a one-sheet file) as the importer reads a
    workbook; export writes native dates and numbers and guards formula-like text (spreadsheets.py)."""

    sheet: SheetSpec | None = None

    def create_dataset(self, in_stream):
        return sheet_dataset(in_stream, self.sheet)

    def export_data(self, dataset, **kwargs):
        return workbooks.dataset_to_xlsx(dataset, self.sheet)


@functools.cache
def format_for(sheet: SheetSpec) -> type[SheetXLSX]:
    return type(f"{sheet.model.__name__}XLSX", (SheetXLSX,), {"sheet": sheet})


# --- the upload between preview and confirmation --------------------------------------------------

class DatabaseStorage:
    """django-import-export's temporary storage kept in the database (youthwork.ImportUpload), so that
    the confirmation may reach another server process than the preview.

    An upload belongs to the user who sent it (`user`, given by the admin): only they can read or
    remove it. For anyone else a token, even a valid one, reads as an expired upload."""

    def __init__(self, user=None, **kwargs):
        self.user = user
        self.name = kwargs.get("name")
        self.read_mode = kwargs.get("read_mode", "rb")
        self.encoding = kwargs.get("encoding")

    def _own(self):
        if getattr(self.user, "pk", None) is None or not self.name:
            return ImportUpload.objects.none()
        return ImportUpload.objects.filter(token=self.name, user=self.user)

    def save(self, data):
        if getattr(self.user, "pk", None) is None:
            raise ValueError("an upload needs the user who sent it")
        content = data if isinstance(data, bytes) else data.encode()
        upload = ImportUpload.store(content, file_name="", user=self.user, status=ImportUpload.Status.DONE)
        self.name = upload.token

    def read(self):
        upload = self._own().first()
        if upload is None:
            raise WorkbookUnreadable("上传的文件已过期,请重新上传")
        return bytes(upload.content)

    def remove(self):
        self._own().delete()

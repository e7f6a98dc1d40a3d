"""The workbook import: one engine for the whole-workbook import and the admin's per-sheet import.

Rules (shared/DATA_DICTIONARY.md, "Common rules for every sheet"):
- sheets are recognised by exact name; 组织单位 and 阵地 are imported before the ledgers so that a
  ledger row may name a unit or venue created earlier in the same workbook;
- the header row is the first row holding all required headers (title rows above it are ignored);
  `序号` and unknown columns are ignored; blank rows and 合计/总计/小计 rows are skipped;
- cells are cleaned by the readers of the sheet's columns (youthwork.importing.readers); model rules
  come from the models (clean_fields() and clean(), with one preloaded lock checker);
- a natural key that exists updates that record; an unchanged row writes nothing;
- every record written gets its history row (django-simple-history): the importing user, the time of
  the import and the reason `导入工作簿 <file name>`; an unchanged row adds none;
- a workbook is one transaction: any error anywhere and nothing is written; every error names
  `工作表 <sheet> 第<row>行 <column>: <reason>` with the Excel row number the user sees.

Speed and memory: units, venues and locks are loaded with one query each per import; a sheet's rows are
read, cleaned, checked and written one batch (BATCH_SIZE rows) at a time, each batch with one query for
its stored records (by natural key) and bulk_create / bulk_update, then dropped, so memory follows a batch,
not the sheet nor the ledger; no query per row (except for 组织单位 rows, which are few, are read whole since
a parent may come after its children, and need their tree path).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import Q
from django.utils import timezone

from youthwork import actions
from youthwork.importing.cells import clean_text, is_blank, normalise
from youthwork.importing.directories import Lookups, UnitNotFound, VenueOutOfScope
from youthwork.importing.readers import readers_for
from youthwork.ledgers import ColumnKind, Ledger, SheetSpec, all_sheets
from youthwork.locks import hold_places, is_lock_conflict, lock_checker
from youthwork.models import Unit, Venue
from youthwork.spreadsheets import RawSheet, WorkbookUnreadable, open_workbook
from youthwork.workbooks import GUIDE_SHEETS

__all__ = ["ImportOutcome", "RowError", "WorkbookUnreadable", "import_sheets", "import_workbook"]

PREVIEW_ROWS = 10
PREVIEW_CHARACTERS = 50
BATCH_SIZE = 2000
TOTALS_WORDS = {"合计", "总计", "小计"}
IGNORED_HEADERS = {"序号"}
HEADER_LABEL = "表头"


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"工作表 {self.sheet} 第{self.row}行 {self.column}: {self.reason}"


@dataclass
class PreviewRow:
    row: int
    action: str  # 新增, 更新, 未变, 错误
    values: list[str]


@dataclass
class SheetResult:
    name: str
    headers: list[str] = field(default_factory=list)
    label: str = ""  # the sheet's name in the user's file (a ledger admin's import may read "Sheet1")
    header_row: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.error_rows

    def summary(self) -> str:
        return f"{self.name}: 新增 {self.created}, 更新 {self.updated}, 未变 {self.unchanged}, 错误 {self.error_rows}"


@dataclass
class ImportOutcome:
    sheets: list[SheetResult]
    unrecognised: list[str]
    errors: list[RowError]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and bool(self.sheets)

    def lines(self) -> list[str]:
        """What import_workbook prints: a line per sheet, the skipped sheets, then every error."""
        return [
            *(sheet.summary() for sheet in self.sheets),
            *(f"未识别的工作表: {name}" for name in self.unrecognised),
            *(str(error) for error in self.errors),
        ]


def import_workbook(data: bytes, user=None, dry_run: bool = False, file_name: str = "", **hooks) -> ImportOutcome:
    """Import every recognised sheet of an .xlsx workbook as `user` (None: full scope), all or nothing.

    `file_name` is recorded in the history of every record written. Raises WorkbookUnreadable when the
    bytes are not a readable .xlsx workbook. `hooks`: see import_sheets.
    """
    book = open_workbook(data)
    known = {sheet.name for sheet in all_sheets()}
    unrecognised = [name for name in book.sheet_names if name not in known and name not in GUIDE_SHEETS]
    items = [(sheet, _loader(book, sheet.name)) for sheet in all_sheets() if sheet.name in book.sheet_names]
    return import_sheets(items, user, dry_run, unrecognised, file_name=file_name, **hooks)


def _loader(book, name):
    return lambda: book.sheet(name)


def import_sheets(
    items: Iterable[tuple[SheetSpec, RawSheet | Callable[[], RawSheet]]],
    user=None,
    dry_run: bool = False,
    unrecognised: Iterable[str] = (),
    file_name: str = "",
    progress: Callable[..., None] | None = None,
    now: dt.datetime | None = None,
    finish: Callable[[ImportOutcome], bool] | None = None,
) -> ImportOutcome:
    """Import sheets (in the order given) in one transaction, rolled back on any error or a dry run.

    `progress(sheet=, phase=, done=, total=)` hears how far the import is (every few hundred rows);
    `now` is the history date of every record written (default: the start); `finish(outcome)` runs
    inside the transaction just before a real import commits, and returning False rolls it back (a
    background job records its end with its data: youthwork.import_runs).
    """
    run = _Run(user, dry_run, file_name, progress, now)
    try:
        with transaction.atomic():
            for sheet, raw in items:
                run.import_sheet(sheet, raw() if callable(raw) else raw)
            if run.errors or dry_run:
                transaction.set_rollback(True)
            elif finish is not None and not finish(ImportOutcome(run.results, list(unrecognised), [], dry_run)):
                transaction.set_rollback(True)
    except IntegrityError:
        # Someone else wrote the same natural key between our reading and our writing.
        sheet = run.results[-1].name if run.results else ""
        run.errors.append(RowError(sheet, run.current_row, HEADER_LABEL, "数据在导入过程中被其他人修改,请重新导入"))
    except OperationalError as error:
        if not is_lock_conflict(error):
            raise
        # Two imports (or an import and a 定稿) each held units the other wanted; the database stopped this one.
        sheet = run.results[-1].name if run.results else ""
        reason = "其他人正在导入或定稿同一范围的数据,本次导入没有写入任何数据,请稍后重新导入"
        run.errors.append(RowError(sheet, run.current_row, HEADER_LABEL, reason))
    return ImportOutcome(run.results, list(unrecognised), run.errors, dry_run)


# --- reading a sheet ------------------------------------------------------------------------------


def _header_text(value) -> str:
    """A header cell as compared with the dictionary: NFKC, no spaces, without a trailing * or †."""
    if is_blank(value) or not isinstance(value, str):
        return ""
    return re.sub(r"\s+", "", normalise(value)).rstrip("*†")


@dataclass
class _Row:
    number: int
    values: dict[str, object]
    errors: list[tuple[str, str]]
    cells: list[str]
    outside: list[tuple[str, str, str]] = field(default_factory=list)  # (field, header, reason)


class _Table:
    """A sheet after header detection: the columns found, and its data rows cleaned one at a time.

    The rows are not kept: `rows()` reads and cleans them as the import asks (a keyed sheet holds one
    batch at a time), `raw_rows()` gives the uncleaned cells again (the lock's first pass over the units).
    """

    def __init__(self, sheet: SheetSpec, header_row: int, columns: dict[int, object]):
        self.sheet = sheet
        self.header_row = header_row
        self.columns = columns  # cell index -> Column, in the sheet's column order
        self.readers: dict[str, object] = {}  # column name -> its reader (youthwork.importing.readers)
        self.raw: RawSheet | None = None
        self.height: int | None = None
        self.cleaned = 0  # rows cleaned so far (the first PREVIEW_ROWS keep their cells for the preview)
        self._clean: Callable | None = None

    @property
    def present(self) -> list[str]:
        return [column.name for column in self.columns.values()]

    def raw_rows(self) -> Iterator[tuple[int, list]]:
        """(Excel row number, cells) of every row below the header row, as read."""
        for number, cells in enumerate(self.raw.rows, 1):
            if number > self.header_row:
                yield number, cells

    def rows(self) -> Iterator[_Row]:
        """The data rows, cleaned (blank and totals rows skipped)."""
        return self._clean(self)


class _Run:
    PROGRESS_EVERY = 500  # rows between two progress reports

    def __init__(self, user, dry_run: bool, file_name: str = "", progress=None, now=None):
        self.user = user
        self.dry_run = dry_run
        self.reason = f"导入工作簿 {file_name}".strip()  # the history's change reason
        self.lookups = Lookups(user)
        self.check_lock = lock_checker()
        self.errors: list[RowError] = []
        self.results: list[SheetResult] = []
        self.now = now or timezone.now()
        self.current_row = 0
        self.label = ""
        self.progress = progress

    def report(self, phase: str, done: int, total: int | None):
        if self.progress is not None:
            self.progress(sheet=self.label, phase=phase, done=done, total=total)

    # errors and results

    def error(self, sheet: SheetSpec, row: int, column: str, reason: str):
        # Named as the user's file names it (an admin's per-sheet import may read a sheet called "Sheet1").
        self.errors.append(RowError(self.label or sheet.name, row, column, reason))

    def may_write(self) -> bool:
        return not self.dry_run and not self.errors

    def import_sheet(self, sheet: SheetSpec, raw: RawSheet):
        result = SheetResult(sheet.name, label=raw.name)
        self.results.append(result)
        self.label = raw.name
        if self.user is not None and not self.user.has_perm(sheet.perm("import")):
            self.error(sheet, 1, HEADER_LABEL, f"您没有导入“{sheet.name}”的权限")
            return
        self.lookups.date1904 = raw.date1904
        table = self.read(sheet, raw, readers_for(sheet, self.lookups))
        if table is None:
            return
        result.headers = [column.header for column in table.columns.values()]
        result.header_row = table.header_row
        if sheet.model is Unit:
            _UnitsImport(self, table, result).run()
        else:
            _KeyedImport(self, table, result).run()
            if sheet.model is Venue:
                self.lookups.venues.reload()

    def read(self, sheet: SheetSpec, raw: RawSheet, readers) -> _Table | None:
        """The sheet's header row and columns; its data rows are read later, as the import asks (_Table.rows)."""
        if iter(raw.rows) is raw.rows:  # a one-shot iterator: the rows are read more than once
            raw.rows = list(raw.rows)
        required = set(sheet.required_headers)
        by_header = {column.header: column for column in sheet.columns}
        table = None
        had_content = False
        for number, cells in enumerate(raw.rows, 1):
            texts = [_header_text(value) for value in cells]
            if required <= set(texts):
                table = self._header(sheet, number, texts, by_header)
                break
            had_content = had_content or any(texts) or any(not is_blank(value) for value in cells)
        if table is None:
            if had_content:  # an empty sheet has nothing to import; a sheet with content needs its headers
                wanted = "、".join(sheet.required_headers)
                self.error(sheet, 1, HEADER_LABEL, f"没有找到表头行:表头应包含{wanted}")
            return None
        if not table.columns:
            return None
        table.readers = {column.name: readers[column.name] for column in table.columns.values()}
        table.raw, table.height = raw, raw.height
        table._clean = self._data_rows
        return table

    def _data_rows(self, table: _Table) -> Iterator[_Row]:
        raw = table.raw
        offset, problems = raw.first_column, raw.problems
        mapped = list(table.columns)
        for number, cells in table.raw_rows():
            first = next((value for value in cells if not is_blank(value)), None)
            if isinstance(first, str) and re.sub(r"\s+", "", normalise(first)) in TOTALS_WORDS:
                continue  # a totals row
            width = len(cells)
            if all(index >= width or is_blank(cells[index]) for index in mapped) and not (
                problems and any((number, offset + index) in problems for index in mapped)
            ):
                continue  # a blank row (a 序号 typed down an empty form counts as blank)
            row = self._clean_row(table, cells, number, offset, problems)
            table.cleaned += 1
            yield row

    def _header(self, sheet: SheetSpec, number: int, texts: list[str], by_header) -> _Table:
        found: dict[str, int] = {}
        repeated = False
        for index, text in enumerate(texts):
            if text in by_header:
                if text in found:
                    self.error(sheet, number, text, f"表头中“{text}”出现了两次,请删除多余的一列")
                    repeated = True
                    continue
                found[text] = index
        if repeated:
            return _Table(sheet, number, {})
        order = {column.header: position for position, column in enumerate(sheet.columns)}
        return _Table(sheet, number, {found[h]: by_header[h] for h in sorted(found, key=order.__getitem__)})

    def _clean_row(self, table: _Table, cells, number, offset, problems) -> _Row:
        values: dict[str, object] = {}
        errors: list[tuple[str, str]] = []
        outside: list[tuple[str, str, str]] = []
        shown: list[str] = []
        width = len(cells)
        for index, column in table.columns.items():
            value = cells[index] if index < width else None
            if problems and (number, offset + index) in problems:
                errors.append((column.header, problems[(number, offset + index)]))
                shown.append("")
                continue
            if table.cleaned < PREVIEW_ROWS:
                shown.append("" if is_blank(value) else _preview_text(value))
            if table.sheet.model is Unit and column.name == "parent":
                values["parent"] = None if is_blank(value) else normalise(value)  # resolved row by row later
                continue
            try:
                cleaned = table.readers[column.name].clean(value, row=values)
            except VenueOutOfScope as exc:
                # Kept if the record already names this venue (an export imported back), an error otherwise.
                values[column.name] = exc.venue
                outside.append((column.name, column.header, str(exc)))
                continue
            except ValueError as exc:
                errors.append((column.header, str(exc)))
                continue
            if cleaned is None or cleaned == "" or cleaned == []:
                if column.required:
                    errors.append((column.header, f"请填写{column.header}"))
                    continue
                cleaned = _blank_value(table.sheet, column)
            values[column.name] = cleaned
        return _Row(number, values, errors, shown, outside)


def _preview_text(value) -> str:
    """A cell as the preview shows it: never more than PREVIEW_CHARACTERS of a long text."""
    text = clean_text(value)
    return text if len(text) <= PREVIEW_CHARACTERS else text[:PREVIEW_CHARACTERS] + "…"


def _blank_value(sheet: SheetSpec, column):
    if column.default is not None:
        return column.default
    model_field = sheet.field(column.name)
    if column.kind == ColumnKind.MULTICHOICE:
        return []
    if model_field.null:
        return None
    return "" if isinstance(model_field, models.CharField | models.TextField) else None


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _same(model_field: models.Field, old, new) -> bool:
    """Whether a stored value and a cleaned cell mean the same (10 and 10.00, a list and its labels)."""
    if isinstance(new, models.Model):
        new = new.pk
    if _is_empty(old) or _is_empty(new):
        return _is_empty(old) and _is_empty(new)
    if isinstance(model_field, models.ForeignKey):
        return old == new
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old) == Decimal(new)
    try:
        return model_field.get_prep_value(model_field.to_python(old)) == model_field.get_prep_value(
            model_field.to_python(new)
        )
    except ValidationError:
        return False


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _key_part(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


# --- sheets with a natural key: venues and the ledgers ---------------------------------------------


class _KeyedImport:
    def __init__(self, run: _Run, table: _Table, result: SheetResult):
        self.job = run
        self.table = table
        self.sheet = table.sheet
        self.model = table.sheet.model
        self.result = result
        self.fields = {column.name: self.sheet.field(column.name) for column in self.sheet.columns}
        self.present = table.present
        self.is_ledger = isinstance(self.sheet, Ledger)
        self.creates: list[models.Model] = []
        self.updates: list[tuple[tuple[str, ...], models.Model]] = []  # (the columns that changed, the record)
        self.stamp_fields = ["updated_by", "updated_at"] if self.is_ledger else []
        self.key_headers = "、".join(self.sheet.field(name).verbose_name for name in self.sheet.key)
        self.done = 0  # rows imported so far
        self.stored_any = True  # whether stored records may match (see lock())

    def header(self, name: str) -> str:
        return str(self.fields[name].verbose_name) if name in self.fields else HEADER_LABEL

    def key_of(self, values: dict) -> tuple:
        parts = []
        for name in self.sheet.key:
            if name in values:
                parts.append(_key_part(values[name]))
            else:
                parts.append(_key_part(_blank_value(self.sheet, self.sheet.column(name))))
        return tuple(parts)

    def stored_places(self, units: set[int], first: dt.date | None, last: dt.date | None) -> models.QuerySet:
        """The stored records the sheet's rows may update: in the rows' units (when the key holds the unit)
        and between their first and last date (when it holds the date)."""
        queryset = self.model._default_manager.all()
        if "unit" in self.sheet.key:
            queryset = queryset.filter(unit_id__in=units)
        if "date" in self.sheet.key and first is not None:
            queryset = queryset.filter(date__gte=first, date__lte=last)
        return queryset

    def lock(self):
        """Hold the units of the sheet's rows and of the stored records they may update, then check locks.

        A first pass reads only the unit and date cells (each distinct cell is cleaned once: cheap) to know
        which units to hold before anything is compared or written. Another import or a 定稿 over the same
        units waits until this import's transaction ends, and this one waits for theirs: the records are
        loaded after the wait, so an update made meanwhile is compared with, never silently overwritten or
        reported 未变 against an old copy.
        """
        units = self.job.lookups.units
        at = {column.name: index for index, column in self.table.columns.items()}
        row_units: set[int] = set()
        first = last = None
        for _number, cells in self.table.raw_rows():
            for name in ("unit", "date"):
                index = at.get(name)
                if index is None or index >= len(cells) or is_blank(cells[index]):
                    continue
                try:
                    value = self.table.readers[name].clean(cells[index])
                except ValueError:
                    continue  # the row's error is reported by the import itself
                if name == "unit":
                    row_units.add(value.pk)
                elif isinstance(value, dt.date):
                    first = value if first is None or value < first else first
                    last = value if last is None or value > last else last
        stored = self.stored_places(row_units, first, last) if row_units or "unit" not in self.sheet.key else None
        held = hold_places(row_units, stored)
        # Held, these places get no record but ours until the import ends: if they hold none now (a first import
        # of the period), no batch needs to look for stored records (a row repeating an earlier row's key is
        # named by `seen`).
        self.stored_any = stored is not None and stored.exists()
        for pk, unit in held.items():  # the directory was loaded before the wait: take the committed paths
            if pk in units.by_id:
                units.by_id[pk].path = unit.path
        self.job.check_lock = lock_checker()

    def load_existing(self, keys: list[tuple]) -> dict[tuple, dict]:
        """The stored records whose natural keys one batch of rows names, by key.

        One query per batch: each key column among the batch's values (the natural key's unique index
        serves it; a row-value IN over the whole key costs more to build and to plan); the few records it
        returns beyond the batch's exact keys are dropped. Memory follows the batch, not the sheet nor the
        ledger.
        """
        if not keys or not self.stored_any:
            return {}
        wanted = set(keys)
        queryset = self.model._default_manager.all()
        for position, name in enumerate(self.sheet.key):
            column = self.fields[name].attname
            values = {key[position] for key in wanted}
            condition = Q(**{f"{column}__in": values - {None}})
            if None in values:
                condition |= Q(**{f"{column}__isnull": True})
            queryset = queryset.filter(condition)
        names = list(self.fields)
        attnames = [self.fields[name].attname for name in names]
        key_at = [names.index(name) for name in self.sheet.key]
        existing = {}
        for pk, *stored in queryset.values_list("pk", *attnames):  # a batch's worth: no server-side cursor
            found = tuple(stored[index] for index in key_at)
            if found not in wanted:
                continue
            record = dict(zip(names, stored, strict=True))
            record["pk"] = pk
            existing[found] = record
        return existing

    def run(self):
        """Read, check and write the sheet one batch of rows at a time: nothing of a batch is kept after it,
        except each row's natural key (a later row with the same key is named as a duplicate)."""
        if self.is_ledger:
            self.lock()
        seen: dict[tuple, int] = {}
        batch: list[_Row] = []
        self.job.report(self.phase, 0, self.table.height)
        for row in self.table.rows():
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                self.import_batch(batch, seen)
                batch = []
        self.import_batch(batch, seen)

    @property
    def phase(self) -> str:
        return "检查" if self.job.dry_run else "写入"

    def import_batch(self, batch: list[_Row], seen: dict[tuple, int]):
        existing = self.load_existing([self.key_of(row.values) for row in batch if not row.errors])
        for row in batch:
            self.done += 1
            if self.done % self.job.PROGRESS_EVERY == 0:
                self.job.report(self.phase, row.number, self.table.height)
            self.job.current_row = row.number
            action = self.import_row(row, existing, seen)
            if len(self.result.preview) < PREVIEW_ROWS:
                self.result.preview.append(PreviewRow(row.number, action, self.preview_values(row)))
        self.flush()

    def preview_values(self, row: _Row) -> list[str]:
        if row.errors:
            return row.cells
        shown = []
        for column in self.table.columns.values():
            value = row.values.get(column.name)
            shown.append(
                self.table.readers[column.name].display(value.pk if isinstance(value, models.Model) else value)
            )
        return shown

    def fail(self, row: _Row, errors: list[tuple[str, str]]) -> str:
        order = {column.header: position for position, column in enumerate(self.sheet.columns)}
        for column, reason in sorted(errors, key=lambda error: order.get(error[0], len(order))):
            self.job.error(self.sheet, row.number, column, reason)
        self.result.error_rows += 1
        return "错误"

    def import_row(self, row: _Row, existing, seen) -> str:
        stored_for_key = existing.get(self.key_of(row.values)) if not row.errors else None
        for name, header, reason in row.outside:
            if stored_for_key is None or stored_for_key[name] != row.values[name].pk:
                row.errors.append((header, reason))
        if row.errors:
            # Name every bad cell: the model's rules still judge the cells that could be read.
            self.mark_seen(row, seen)
            bad = {column for column, _reason in row.errors}
            skip = {name for name in self.present if self.header(name) in bad}
            more = self.validate(self.build(row.values, None), None, skip)
            return self.fail(row, row.errors + [error for error in more if error[0] not in bad])
        key = self.key_of(row.values)
        if key in seen:
            return self.fail(row, [(self.key_headers, f"与第{seen[key]}行重复({self.key_headers}都相同)")])
        seen[key] = row.number
        stored = existing.get(key)
        units = self.job.lookups.units
        if stored is not None:
            if "unit" in self.fields and not units.can_edit(units.by_id[stored["unit"]]):
                return self.fail(row, [(self.key_headers, "这条记录已由您管理范围以外的单位登记,不能修改")])
            changed = tuple(n for n in self.present if not _same(self.fields[n], stored[n], row.values[n]))
            if not changed:
                self.result.unchanged += 1
                return "未变"
        instance = self.build(row.values, stored)
        errors = self.validate(instance, stored)
        if errors:
            return self.fail(row, errors)
        if stored is None:
            self.creates.append(instance)
            self.result.created += 1
            return "新增"
        self.updates.append((changed, instance))
        self.result.updated += 1
        return "更新"

    def mark_seen(self, row: _Row, seen):
        """A row with errors still claims its key when the key's cells are fine (a later duplicate is named)."""
        error_columns = {column for column, _reason in row.errors}
        if not any(self.header(name) in error_columns for name in self.sheet.key):
            seen.setdefault(self.key_of(row.values), row.number)

    def build(self, values: dict, stored: dict | None) -> models.Model:
        """The record as it will be: the stored values (or the model's defaults), then the sheet's cells."""
        instance = self.model()
        if stored is not None:
            for name, model_field in self.fields.items():
                setattr(instance, model_field.attname, stored[name])
            instance.pk = stored["pk"]
            instance._state.adding = False
            instance._stored_place = (self.job.lookups.units.by_id.get(stored.get("unit")), stored.get("date"))
        for name in self.present:
            if name in values:
                setattr(instance, name, values[name])
        if "unit" in self.fields and instance.unit_id and not isinstance(values.get("unit"), Unit):
            instance.unit = self.job.lookups.units.by_id[instance.unit_id]  # cached: model rules read it
        actions.stamp(instance, self.job.user, now=self.job.now)
        return instance

    def validate(self, instance: models.Model, stored: dict | None, skip=()) -> list[tuple[str, str]]:
        """The model's own rules, without a query per row: fields, clean(), locks (new and stored values).

        Foreign keys are not checked by the model (a query each); the readers resolved them from the
        loaded tables. `skip`: fields whose cells could not be read.
        """
        found: dict[str, list[str]] = {}
        related = {name for name, f in self.fields.items() if isinstance(f, models.ForeignKey)}
        checked = set(self.present) - related - set(skip)
        exclude = [f.name for f in self.model._meta.fields if f.name not in checked]
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            found.update(_messages(exc))
        if self.is_ledger:
            instance._lock_check = self.job.check_lock
        try:
            instance.clean()
        except ValidationError as exc:
            for name, messages in _messages(exc).items():
                if name not in found:
                    found[name] = messages
        if self.is_ledger and stored is not None and NON_FIELD_ERRORS not in found:
            old_unit = self.job.lookups.units.by_id.get(stored["unit"])
            if message := self.job.check_lock(old_unit, stored["date"]):
                found[NON_FIELD_ERRORS] = [message]
        errors = []
        for name, messages in found.items():
            if name == NON_FIELD_ERRORS:
                column = self.header("date") if "date" in self.fields else self.key_headers
            else:
                column = self.header(name)
            errors.extend((column, message) for message in messages)
        return errors

    def flush(self):
        # Venues are written even in a dry run or after an error (all is rolled back then) so that the
        # ledger rows naming a venue of this workbook are checked like in the real import.
        if self.is_ledger and not self.job.may_write():
            self.creates, self.updates = [], []
            return
        job = self.job
        # Changed rows are written grouped by the columns that changed: an UPDATE sets only those (with
        # bulk_update, each column set costs a CASE over the batch), while each history row records them all.
        groups: dict[tuple[str, ...], list[models.Model]] = {}
        for changed, instance in self.updates:
            groups.setdefault(changed, []).append(instance)
        creates = self.creates
        for changed, updates in groups.items() or [((), [])]:
            fields = [self.fields[name].attname for name in changed] + self.stamp_fields
            actions.write_batch(self.model, creates, updates, fields, user=job.user, reason=job.reason, date=job.now)
            creates = []
        self.creates, self.updates = [], []


# --- 组织单位: a tree, written row by row -------------------------------------------------------------


class _UnitsImport:
    """Units are matched by 单位编码, else by name under the same parent; parents may come later in
    the sheet. Each unit is saved on its own (its tree path needs its id), so later rows and sheets
    can name it. Written even in a dry run (and rolled back), so that ledger rows naming a new unit
    are checked too."""

    def __init__(self, run: _Run, table: _Table, result: SheetResult):
        self.job = run
        self.table = table
        self.sheet = table.sheet
        self.result = result
        self.units = run.lookups.units
        self.touched: dict[int, int] = {}  # unit pk -> row that set it
        self.actions: dict[int, str] = {}
        self.header = {column.name: column.header for column in self.sheet.columns}
        self.rows = list(table.rows())  # a parent may come after its children: every row is needed at once

    def run(self):
        first_error = len(self.job.errors)
        pending = []
        for row in self.rows:
            if row.errors:
                self.fail(row, row.errors)
            else:
                pending.append(row)
        while pending:
            waiting = []
            for row in pending:
                try:
                    parent = self.parent_of(row)
                except UnitNotFound as exc:
                    waiting.append((row, exc))
                    continue
                except ValueError as exc:
                    self.fail(row, [(self.header["parent"], str(exc))])
                    continue
                self.import_row(row, parent)
            if len(waiting) == len(pending):
                for row, exc in waiting:
                    self.fail(row, [(self.header["parent"], str(exc).replace("单位", "上级单位", 1))])
                break
            pending = [row for row, _exc in waiting]
        # Rows waiting for a parent were judged later: report in row order all the same.
        self.job.errors[first_error:] = sorted(self.job.errors[first_error:], key=lambda error: error.row)
        for row in self.rows:
            if len(self.result.preview) < PREVIEW_ROWS:
                self.result.preview.append(PreviewRow(row.number, self.actions.get(row.number, "错误"), row.cells))

    def fail(self, row: _Row, errors):
        for column, reason in errors:
            self.job.error(self.sheet, row.number, column, reason)
        self.result.error_rows += 1
        self.actions[row.number] = "错误"

    def existing_for(self, row: _Row, parent: Unit | None) -> Unit | None:
        code = row.values.get("code")
        if code and normalise(code) in self.units.by_code:
            return self.units.by_code[normalise(code)]
        name = normalise(row.values["name"])
        parent_id = parent.pk if parent else None
        siblings = [u for u in self.units.by_name.get(name, []) if u.parent_id == parent_id]
        return siblings[0] if siblings else None

    def parent_of(self, row: _Row) -> Unit | None:
        text = row.values.get("parent")
        if not text:
            return None
        try:
            return self.units.resolve(text)
        except UnitNotFound:
            # A unit may keep a parent outside the user's scope (a district's own row names the city).
            outside = self.units.find_any(text)
            if outside is not None and not self.units.can_edit(outside):
                unit = self.existing_for(row, outside)
                if unit is not None and unit.parent_id == outside.pk and self.units.can_edit(unit):
                    return outside
            raise

    def import_row(self, row: _Row, parent: Unit | None):
        values = row.values
        code = values.get("code") or None
        found = self.existing_for(row, parent)
        if found is None:
            unit, action = Unit(name=values["name"], parent=parent, unit_type=values["unit_type"], code=code), "新增"
        else:
            if found.pk in self.touched:
                self.fail(row, [(self.header["name"], f"与第{self.touched[found.pk]}行是同一个单位")])
                return
            if not self.units.can_edit(found):
                self.fail(row, [(self.header["code"], f"单位编码“{code}”已被您管理范围以外的单位使用")])
                return
            if code and found.code and normalise(found.code) != normalise(code):
                self.fail(row, [(self.header["name"], f"同一上级单位下已有同名单位(编码{found.code})")])
                return
            changes = {
                "name": values["name"],
                "parent_id": parent.pk if parent else None,
                "unit_type": values["unit_type"],
            }
            if code:
                changes["code"] = code
            if all(getattr(found, name) == value for name, value in changes.items()):
                self.done(row, found, "未变")
                return
            own = self.job.user is not None and found.pk == getattr(self.job.user, "unit_id", None)
            if own and not self.units.full_scope and changes["parent_id"] != found.parent_id:
                self.fail(row, [(self.header["parent"], "不能修改本单位的上级单位")])
                return
            unit, action = copy.copy(found), "更新"  # the directory keeps the stored unit until this one is valid
            for name, value in changes.items():
                setattr(unit, name, value)
            unit.parent = parent
        errors = self.validate(unit)
        if errors:
            self.fail(row, errors)
            return
        moved = found is not None and found.parent_id != unit.parent_id
        unit._history_user, unit._change_reason = self.job.user, self.job.reason
        unit._history_date = self.job.now  # like the bulk-written rows: the import's one date (撤销 finds it)
        unit.save()
        if moved:
            self.units.reload()  # the subtree's paths changed
        else:
            self.units.add(unit)
        self.done(row, unit, action)

    def done(self, row: _Row, unit: Unit, action: str):
        self.touched[unit.pk] = row.number
        self.actions[row.number] = action
        if action == "新增":
            self.result.created += 1
        elif action == "更新":
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    def validate(self, unit: Unit) -> list[tuple[str, str]]:
        """The model's rules (fields, clean()) and the two uniqueness rules, checked against the loaded tree."""
        found: dict[str, list[str]] = {}
        try:
            unit.clean_fields(exclude=["parent", "path"])
        except ValidationError as exc:
            found.update(_messages(exc))
        try:
            unit.clean()
        except ValidationError as exc:
            for name, messages in _messages(exc).items():
                found.setdefault(name, messages)
        name = normalise(unit.name)
        if any(u.pk != unit.pk and u.parent_id == unit.parent_id for u in self.units.by_name.get(name, [])):
            found.setdefault("name", ["同一上级单位下已有同名单位"])
        errors = []
        for field_name, messages in found.items():
            column = self.header.get(field_name, self.header["name"])
            errors.extend((column, message) for message in messages)
        return errors


def raw_sheet_for(book, sheet: SheetSpec | None) -> RawSheet:
    """The sheet of an opened workbook that one sheet's import reads: the sheet of that name, else the first."""
    names = [name for name in book.sheet_names if name not in GUIDE_SHEETS] or book.sheet_names
    if not names:
        raise WorkbookUnreadable("工作簿中没有工作表")
    name = sheet.name if sheet is not None and sheet.name in names else names[0]
    return book.sheet(name)

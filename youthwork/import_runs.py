"""Imports as background jobs, and what 导入记录 offers afterwards: the error workbook and 撤销.

An upload (youthwork.models.ImportUpload) is checked (a dry run) and, once its uploader confirms, imported,
each time by `import_job` in a worker (youthwork.jobs). The engine (youthwork.importing) runs as before,
in one transaction; the job hears its progress and writes its end (已完成, the counts, the errors) inside that
transaction, so a worker killed mid-import leaves neither data nor "已完成" behind, only a job whose heartbeat
stops (marked 失败, and retried from the same stored upload).

撤销 is a background job too (`undo_job`, one youthwork.models.ImportUndo per import: a second click finds it
queued or running and starts nothing). It finds what the import wrote from the history
(django-simple-history): every record it wrote carries the import's user, reason (导入工作簿 <file>) and one
date (`written_at`). Records it created are deleted, records it changed get the values of their history row
before the import, through youthwork.actions, 2,000 at a time, in one transaction that also marks the import
撤销 and the job done: refused as a whole (the job fails with the reason, and may be started again) if a
period lock (a final report, youthwork.locks) covers one of them, or if a record changed again after the import.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict

from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook

from youthwork import actions, jobs
from youthwork.importing.engine import ImportOutcome, RowError, import_sheets, import_workbook, raw_sheet_for
from youthwork.ledgers import all_sheets, get_sheet
from youthwork.models import ImportUndo, ImportUpload, LedgerRecord, Unit
from youthwork.spreadsheets import WorkbookUnreadable, append_row, open_workbook

SHOWN_ERRORS = 200  # the job page lists this many errors (and says how many there are)
ERROR_HEADER = "错误"
PROGRESS_ROWS = 2000  # an error workbook's job tells its progress every so many rows


@task()
def import_job(upload_id: int) -> None:
    """Check or import an upload (its stage says which), as one claimed job."""
    jobs.run(ImportUpload, upload_id, _run)


def start(upload: ImportUpload, stage: str) -> None:
    upload.stage = stage
    upload.save(update_fields=["stage"])
    jobs.start(upload, import_job)


def _run(claimed: jobs.Claimed) -> None:
    upload: ImportUpload = claimed.job
    user = upload.user
    if user is None or not user.is_active:
        claimed.fail("上传这个工作簿的用户已停用,不能导入")
        return
    dry_run = upload.stage == ImportUpload.Stage.CHECK
    now = timezone.now()

    def finish(outcome: ImportOutcome) -> bool:  # inside the import's transaction, just before it commits
        return claimed.succeed(result=summary(outcome), errors=[], written_at=now)

    hooks = {"progress": claimed.progress, "now": now, "finish": None if dry_run else finish}
    try:
        data = bytes(upload.content)
        if upload.sheet:
            sheet = get_sheet(upload.sheet)
            raw = raw_sheet_for(open_workbook(data), sheet)
            outcome = import_sheets([(sheet, raw)], user, dry_run, file_name=upload.file_name, **hooks)
        else:
            outcome = import_workbook(data, user=user, dry_run=dry_run, file_name=upload.file_name, **hooks)
    except WorkbookUnreadable as exc:  # what the request's cheap checks could not see (youthwork.spreadsheets)
        unreadable = {"ok": False, "written": False, "sheets": [], "unrecognised": [], "unreadable": str(exc)}
        claimed.succeed(result={**unreadable, "error_count": 0, "errors": []}, errors=[])
        return
    if not outcome.written:  # a check, or an import that found errors: nothing was written
        claimed.succeed(
            result=summary(outcome), errors=[[e.sheet, e.row, e.column, e.reason] for e in outcome.errors]
        )


def summary(outcome: ImportOutcome) -> dict:
    """What the job page and 导入记录 show of an outcome (JSON): counts per sheet, the first errors and rows."""
    return {
        "ok": outcome.ok,
        "written": outcome.written,
        "sheets": [
            {
                "name": sheet.name,
                "label": sheet.label or sheet.name,
                "headers": sheet.headers,
                "header_row": sheet.header_row,
                "created": sheet.created,
                "updated": sheet.updated,
                "unchanged": sheet.unchanged,
                "error_rows": sheet.error_rows,
                "rows": sheet.rows,
                "preview": [{"row": row.row, "action": row.action, "values": row.values} for row in sheet.preview],
            }
            for sheet in outcome.sheets
        ],
        "unrecognised": outcome.unrecognised,
        "error_count": len(outcome.errors),
        "errors": [str(error) for error in outcome.errors[:SHOWN_ERRORS]],
    }


# --- the error workbook ----------------------------------------------------------------------------


def error_workbook(upload: ImportUpload, progress=None) -> bytes:
    """The uploaded sheets the import read, every row as uploaded and in its order, with a 错误 column.

    `progress(sheet=…, phase=…, done=…, total=…)` is told of the rows written (a job's progress bar)."""
    found: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for sheet_label, row, column, reason in upload.errors:
        found[sheet_label][row].append(f"{column}: {reason}")
    book = open_workbook(bytes(upload.content))
    out = Workbook(write_only=True)
    for sheet in upload.result.get("sheets", []):
        label = sheet["label"]
        if label not in book.sheet_names:
            continue
        raw = book.sheet(label)
        errors = found.get(label, {})
        # The sheet's rows twice (calamine holds them): its width first, then each row as it is written.
        width = raw.first_column + max((len(cells) for cells in raw.rows), default=0)
        worksheet = out.create_sheet(label[:31])
        header_row = sheet.get("header_row") or 1
        for number, cells in enumerate(raw.rows, 1):
            if progress is not None and number % PROGRESS_ROWS == 1:
                progress(sheet=label, phase="生成错误工作簿", done=number - 1, total=raw.height)
            values = [None] * raw.first_column + [None if cell == "" else cell for cell in cells]
            values += [None] * (width - len(values))
            note = ERROR_HEADER if number == header_row and number not in errors else "; ".join(errors.get(number, []))
            append_row(worksheet, [*values, note or None])
    if not out.worksheets:
        out.create_sheet("错误")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def error_rows(upload: ImportUpload) -> list[RowError]:
    return [RowError(*error) for error in upload.errors]


# --- 撤销 ------------------------------------------------------------------------------------------


class Refused(Exception):
    """Why an import cannot be undone (a Chinese sentence)."""


def undo_refusal(upload: ImportUpload) -> str | None:
    if upload.undone_at is not None:
        return "这次导入已经撤销过了"
    if upload.stage != ImportUpload.Stage.IMPORT or upload.status != jobs.Status.DONE:
        return "只有已完成的导入可以撤销"
    if not upload.result.get("written") or upload.written_at is None:
        return "这次导入没有写入任何数据,无需撤销"
    return None


@task()
def undo_job(undo_id: int) -> None:
    """Undo an import, as one claimed job (youthwork.models.ImportUndo)."""
    jobs.run(ImportUndo, undo_id, _run_undo)


UNDO_RUNNING = "这次导入的撤销已经开始,请等它完成"


def start_undo(upload: ImportUpload, user) -> tuple[ImportUndo | None, str | None]:
    """Queue the 撤销 of an import as `user`: (its job, None), or (the job if any, why nothing was started).

    One job per import (a unique row): a second click, even at the same moment, finds it queued or running
    and starts nothing; a 撤销 that failed (refused, or its worker stopped) is queued again on the same row."""
    if message := undo_refusal(upload):
        return None, message
    unit = getattr(user, "unit", None)
    try:
        with transaction.atomic():
            undo, created = ImportUndo.objects.get_or_create(upload=upload, defaults={"user": user, "unit": unit})
    except IntegrityError:  # the other click created it between our get and our create
        return ImportUndo.objects.filter(upload=upload).first(), UNDO_RUNNING
    if not created:
        jobs.mark_stale(ImportUndo.objects.filter(pk=undo.pk))
        again = ImportUndo.objects.filter(pk=undo.pk, status=jobs.Status.FAILED).update(
            status=jobs.Status.QUEUED, user=user, unit=unit
        )
        if not again:
            undo.refresh_from_db()
            return undo, ("这次导入已经撤销过了" if undo.status == jobs.Status.DONE else UNDO_RUNNING)
    jobs.start(undo, undo_job)
    return undo, None


def _run_undo(claimed: jobs.Claimed) -> None:
    undo_record: ImportUndo = claimed.job
    user = undo_record.user
    if user is None or not user.is_active:
        claimed.fail("撤销这次导入的用户已停用")
        return
    message = undo(undo_record.upload, user, progress=claimed.progress, finish=claimed.succeed)
    if message:
        claimed.fail(message)


def undo(upload: ImportUpload, user, progress=None, finish=None) -> str | None:
    """Remove what the import created and restore what it changed, all or nothing: a refusal, or None.

    `progress(sheet=, phase=, done=, total=)` hears how far it is; `finish()` runs inside the transaction
    just before it commits, and returning False rolls it back (the job was declared dead meanwhile)."""
    if message := undo_refusal(upload):
        return message
    reason = f"撤销导入 {upload.file_name}".strip()
    now = timezone.now()
    try:
        with transaction.atomic():
            if not ImportUpload.objects.select_for_update().filter(pk=upload.pk, undone_at__isnull=True).exists():
                raise Refused("这次导入已经撤销过了")
            for model in _models_of(upload):
                _undo_model(model, upload, user, reason, now, progress)
            ImportUpload.objects.filter(pk=upload.pk).update(undone_at=now, undone_by=user)
            if finish is not None and not finish():
                transaction.set_rollback(True)
    except Refused as exc:
        return str(exc)
    return None


def _models_of(upload: ImportUpload) -> list[type[models.Model]]:
    """The models the import wrote, in the reverse of the import's order: ledgers, then venues, then units."""
    names = {sheet["name"] for sheet in upload.result.get("sheets", []) if sheet["created"] or sheet["updated"]}
    return [sheet.model for sheet in reversed(all_sheets()) if sheet.name in names]


def _undo_model(model, upload: ImportUpload, user, reason: str, now, progress=None) -> None:
    history = model.history
    pk_name = model._meta.pk.attname
    written = history.filter(
        history_date=upload.written_at,
        history_change_reason=f"导入工作簿 {upload.file_name}".strip(),
        history_user_id=upload.user_id,
    )
    created, changed = [], []
    for pk, kind in written.values_list(pk_name, "history_type").iterator(chunk_size=5000):
        (created if kind == "+" else changed).append(pk)
    every = created + changed
    for chunk in _chunks(every):
        later = history.filter(**{f"{pk_name}__in": chunk}, history_date__gt=upload.written_at)
        if first := later.select_related("history_user").order_by("history_date").first():
            raise Refused(
                f"不能撤销:{model._meta.verbose_name}“{first.instance}”在导入之后又被修改或删除过"
                f"({first.history_date:%Y-%m-%d %H:%M}),请先核对导入之后的修改"
            )
    name, total = str(model._meta.verbose_name), len(every)

    def done(count: int) -> None:
        if progress is not None:
            progress(sheet=name, phase="撤销", done=count, total=total)

    done(0)
    if issubclass(model, LedgerRecord):
        _undo_ledger(model, upload, created, changed, user, reason, now, done)
    else:
        _undo_one_by_one(model, created, _values_before(model, changed, upload.written_at), user, reason)
    done(total)


def _values_before(model, pks: list, when) -> dict:
    """pk -> the tracked values of its last history row before `when`."""
    fields = [f.attname for f in model.history.model.tracked_fields if not f.primary_key]
    pk_name = model._meta.pk.attname
    values = {}
    for chunk in _chunks(pks):
        rows = (
            model.history.filter(**{f"{pk_name}__in": chunk}, history_date__lt=when)
            .order_by(pk_name, "history_date", "history_id")
            .values_list(pk_name, *fields)
        )
        for pk, *stored in rows.iterator(chunk_size=5000):
            values[pk] = dict(zip(fields, stored, strict=True))  # the last one of each record wins
    missing = set(pks) - set(values)
    if missing:
        raise Refused(f"不能撤销:{len(missing)}条{model._meta.verbose_name}记录没有导入之前的修改记录,无法恢复")
    return values


def _undo_ledger(model, upload: ImportUpload, created: list, changed: list, user, reason: str, now, done) -> None:
    """Delete the created records and restore the changed ones, a chunk at a time (memory follows a chunk)."""
    count = 0
    for chunk in _chunks(created):
        if message := actions.delete_many(model._default_manager.filter(pk__in=chunk), user, reason=reason):
            raise Refused(f"不能撤销:{message}")
        count += len(chunk)
        done(count)
    for chunk in _chunks(changed):
        before = _values_before(model, chunk, upload.written_at)
        records = list(model._default_manager.filter(pk__in=chunk))
        fields: list[str] = []
        for record in records:
            values = before[record.pk]
            fields = list(values)
            for name, value in values.items():
                setattr(record, name, value)
        if message := actions.restore_many(model, records, fields, user=user, reason=reason, date=now):
            raise Refused(f"不能撤销:{message}")
        count += len(chunk)
        done(count)


def _undo_one_by_one(model, created: list, before: dict, user, reason: str) -> None:
    """Venues and units (few): each saved or deleted on its own, so their own guards run (locks, moves)."""
    from django.core.exceptions import ValidationError

    try:
        for record in model._default_manager.filter(pk__in=list(before)):
            for name, value in before[record.pk].items():
                setattr(record, name, value)
            if isinstance(record, Unit):
                record.parent = Unit.objects.filter(pk=record.parent_id).first()
            actions.save(record, user, reason=reason)
        doomed = list(model._default_manager.filter(pk__in=created))
        if model is Unit:
            doomed.sort(key=lambda unit: unit.path, reverse=True)  # children before their parents
        for record in doomed:
            actions.delete(record, user, reason=reason)
    except ValidationError as exc:
        raise Refused(f"不能撤销:{'; '.join(exc.messages)}") from exc
    except ProtectedError as exc:
        name = next(iter(exc.protected_objects), None)
        raise Refused(
            f"不能撤销:导入新增的{model._meta.verbose_name}已被其他记录使用({name}),请先处理这些记录"
        ) from exc


def _chunks(items: list, size: int = actions.CHUNK):
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk



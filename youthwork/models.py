"""Core registers: the organisation tree, venues, users, and the abstract base of every ledger."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from simple_history.models import HistoricalRecords

from youthwork.fields import LedgerDateField, NameField, NoteField
from youthwork.ledgers import register_sheet
from youthwork.locks import guard_move, guard_venue, guard_write, lock_checker
from youthwork.versions import bump_places, new_version, places, places_of

PATH_STEP = 7  # each unit adds "0000042/" to the materialised path


class History(HistoricalRecords):
    """django-simple-history's change records, named in Chinese (网上团队课修改记录) and without permissions
    of their own: whoever may see a record sees its history (youthwork.history)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["verbose_name"] = options["verbose_name_plural"] = f"{model._meta.verbose_name}修改记录"
        options["default_permissions"] = ()
        return options


@register_sheet(columns=("name", "parent", "unit_type", "code"), key=("code",))
class Unit(models.Model):
    """One node of the organisation tree (the dictionary's `组织单位`)."""

    class Type(models.TextChoices):
        CITY = "市级团委", "市级团委"
        DISTRICT = "区县团委", "区县团委"
        TOWN = "镇街团(工)委", "镇街团(工)委"
        SCHOOL = "学校", "学校"
        COMMUNITY = "社区", "社区"
        INSTITUTION = "机关企事业单位", "机关企事业单位"
        OTHER = "其他", "其他"

    name = NameField("单位名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit_type = models.CharField("单位类型", max_length=20, choices=Type.choices)
    code = models.CharField(
        "单位编码",
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": "单位编码已被其他单位使用"},
    )
    # Materialised path of zero-padded ids ("0000001/0000004/"): a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    # Changes with every write the figures of the unit's scope read (youthwork.versions); keys cached figures.
    data_version = models.BigIntegerField("数据版本", default=0, editable=False)

    # The path is derived from the parent (and written after the row by save()); the data version is not data.
    history = History(excluded_fields=["path", "data_version"])

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = "组织单位"
        ordering = ["path"]
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="unit_unique_name_under_parent",
                violation_error_message="同一上级单位下已有同名单位",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // (PATH_STEP + 1)

    @property
    def lineage(self) -> list[int]:
        """The ids from the root down to this unit, read from its path (no query)."""
        return [int(part) for part in self.path.split("/") if part]

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    def subtree(self):
        """This unit and all its descendants, in one query."""
        return Unit.objects.filter(path__startswith=self.path)

    def descendants(self):
        return self.subtree().exclude(pk=self.pk)

    def is_within(self, other: Unit) -> bool:
        return bool(self.path) and self.path.startswith(other.path)

    def clean(self):
        super().clean()
        self.code = (self.code or "").strip() or None
        if self.parent_id is None:
            roots = Unit.objects.filter(parent__isnull=True).exclude(pk=self.pk)
            if roots.exists():
                raise ValidationError({"parent": "请填写上级单位:只有市级团委(根单位)可以没有上级单位"})
        elif self.pk and self.parent.is_within(self):
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})
        if self.pk and Unit.objects.filter(pk=self.pk).exclude(parent_id=self.parent_id).exists():
            if message := self._move_refused():
                raise ValidationError({"parent": message})

    def _move_refused(self) -> str | None:
        """A move that would change what a PeriodLock froze is refused (youthwork.locks.guard_move).

        Checked under the units' locks, in the caller's transaction when there is one.
        """
        with transaction.atomic():
            return guard_move(self, self.parent)

    def _own_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:0{PATH_STEP}d}/"

    @transaction.atomic
    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip() or None
        # Every save is a new version of what the unit's figures read (its name, type, place in the tree),
        # written with the row: also when this instance was read before another write bumped the unit.
        self.data_version = new_version()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "data_version"}
        old_path = self.path
        if self.pk and old_path and self._own_path() != old_path and (message := self._move_refused()):
            raise ValidationError({"parent": message})
        super().save(*args, **kwargs)
        new_path = self._own_path()
        if new_path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:  # moved: rewrite the whole subtree's prefix in one statement
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )
            self.path = new_path


class PeriodLock(models.Model):
    """A period of a unit's subtree that may no longer change: its records, unit moves and counted venues.

    Owned by whatever froze the period (`source`: a final report at 定稿, later a submission), which
    creates it in the transaction that freezes and deletes it when it lets go (退回); an owner model
    declares `GenericRelation(PeriodLock)` so its locks go with it. The core reads only
    this table (youthwork.locks) and knows nothing of its owners: `reason` is the refusal users read.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    reason = models.TextField("锁定原因", help_text="拒绝修改时显示给用户的说明")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "期间锁定"
        verbose_name_plural = "期间锁定"
        ordering = ["start", "id"]
        default_permissions = ()  # created and removed by their owners only, never edited by hand
        indexes = [models.Index(fields=["content_type", "object_id"], name="periodlock_source")]

    def __str__(self) -> str:
        return self.reason

    def covers(self, unit, date: dt.date) -> bool:
        return unit is not None and date is not None and self.start <= date <= self.end and unit.is_within(self.unit)

    def counts_venue(self, unit, opened_on: dt.date | None) -> bool:
        """A venue opened by the lock's end in its subtree is counted by what the lock froze."""
        return unit is not None and opened_on is not None and opened_on <= self.end and unit.is_within(self.unit)

    def source_permission(self) -> str:
        """The permission that lets a user read the lock's owner (e.g. reports.view_workreport)."""
        return f"{self.content_type.app_label}.view_{self.content_type.model}"

    def source_url(self) -> str | None:
        """The owner's page, if it has one (the caller decides whether the user may open it)."""
        if self.content_type.model_class() is None:  # its app is gone
            return None
        get_url = getattr(self.source, "get_absolute_url", None)
        return get_url() if get_url else None


class GuardedWrites(models.Model):
    """A model whose every save and delete first asks `guard()`, inside the write's transaction.

    `guard(deleting=...)` locks the rows it needs (youthwork.locks) and answers why the write may not
    happen (a PeriodLock froze what it would change), or None. Forms and the importer ask the same
    in clean(); save() and delete() ask again, so a shell, a script or a future API is refused too.
    Then they write, and give new data versions to the units whose figures the write changed, as stored
    and as written (youthwork.versions), in the same transaction.
    """

    class Meta:
        abstract = True

    def guard(self, *, deleting: bool = False) -> str | None:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if message := self.guard():
                raise ValidationError(message)
            stored = self._stored_places()
            super().save(*args, **kwargs)
            bump_places(stored, places_of([self]))

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            if message := self.guard(deleting=True):
                raise ValidationError(message)
            stored = self._stored_places()
            deleted = super().delete(*args, **kwargs)
            bump_places(stored)
            return deleted

    def _stored_places(self) -> tuple[set[int], set[int]]:
        """The units and venues the stored row counts in (read under the units' locks the guard took)."""
        if self.pk is None:
            return set(), set()
        return places(type(self)._default_manager.filter(pk=self.pk))


@register_sheet(columns=("name", "unit", "venue_type", "opened_on", "provides_lodging", "note"), key=("unit", "name"))
class Venue(GuardedWrites):
    """A venue (`阵地`) where youth work takes place."""

    class Type(models.TextChoices):
        HOPE_HOME = "希望家园", "希望家园"
        YOUTH_HOME = "青年之家·红领巾之家", "青年之家·红领巾之家"
        PIONEER_BASE = "少先队校外实践教育基地", "少先队校外实践教育基地"
        OTHER = "其他", "其他"

    name = NameField("阵地名称", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="venues")
    venue_type = models.CharField("阵地类型", max_length=20, choices=Type.choices)
    opened_on = LedgerDateField("启用日期")
    provides_lodging = models.BooleanField("提供食宿", default=False)
    note = NoteField("备注")

    history = History()

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地"
        ordering = ["unit__path", "name"]
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="venue_unique_name_in_unit",
                violation_error_message="本单位已有同名阵地",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def guard(self, *, deleting: bool = False) -> str | None:
        """Lock this venue's units, then say why it may not be written (a PeriodLock counts it), or None."""
        with transaction.atomic():
            return guard_venue(self, deleting=deleting)

    def clean(self):
        super().clean()
        if self.unit_id and self.opened_on and (message := self.guard()):
            raise ValidationError(message)


class User(AbstractUser):
    """A portal user; what they see is decided by their unit (see access.py) and their role (group)."""

    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}({self.username})" if full else self.username

    @classmethod
    def named_by_records(cls, users) -> set[int]:
        """Ids of the users (a queryset or ids) that some record names as who created, changed or finalised
        it: every foreign key to a user that deleting the user would blank (SET_NULL), the history's
        history_user included. Such users are deactivated, never deleted, so the history keeps who."""
        named: set[int] = set()
        for relation in cls._meta.get_fields(include_hidden=True):  # related_name="+" relations are hidden
            if not relation.one_to_many or relation.concrete or relation.on_delete is not models.SET_NULL:
                continue
            column = relation.field.name
            found = relation.related_model._base_manager.filter(**{f"{column}__in": users})
            named.update(found.order_by().values_list(column, flat=True).distinct())
        return named


class LedgerQuerySet(models.QuerySet):
    def in_period(self, period):
        """Records dated within the period (a youthwork.periods.Period)."""
        return self.filter(date__gte=period.start, date__lte=period.end)

    def within(self, unit: Unit):
        """Records of the unit and all its descendants."""
        return self.filter(unit__path__startswith=unit.path)


class LedgerRecord(GuardedWrites):
    """The abstract base of the fifteen ledgers: who reported it, when it happened, who changed it.

    Its indexes are what the pages ask of every ledger (declared here once, so a new ledger gets them
    from makemigrations): the lists' order and date ranges across units (date, id), a unit's period
    (unit, date), the latest records entered (created_at, id). An index that only repeats the front of
    the natural key's unique index is left out (`_without_covered_indexes`); the unit's own foreign-key
    index is left out too, (unit, date) or the natural key starts with it. The searched text columns get
    trigram indexes on PostgreSQL (youthwork.search).
    """

    # db_index=False: the (unit, date) index or the natural key's unique index starts with the unit.
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    date = LedgerDateField("日期")
    note = NoteField("备注")
    created_by = models.ForeignKey(
        User,
        verbose_name="创建人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        User,
        verbose_name="修改人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = LedgerQuerySet.as_manager()
    # Every ledger gets its historical model; who and when are the history's own user and date.
    history = History(inherit=True, excluded_fields=["created_by", "created_at", "updated_by", "updated_at"])

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]
        # delete_own: delete a record one entered for one's own unit (youthwork.access.delete_refusal).
        default_permissions = ("add", "change", "delete", "delete_own", "view", "import", "export")
        indexes = [
            models.Index(fields=["-date", "-id"], name="%(class)s_date_id"),
            models.Index(fields=["unit", "date"], name="%(class)s_unit_date"),
            models.Index(fields=["-created_at", "-id"], name="%(class)s_created"),
        ]

    def __str__(self) -> str:
        try:
            unit = self.unit
        except Unit.DoesNotExist:  # a deleted record's history, after its unit was deleted too
            unit = f"已删除的单位(编号{self.unit_id})"
        return f"{self._meta.verbose_name} {unit} {self.date:%Y-%m-%d}"

    def unique_error_message(self, model_class, unique_check):
        # Django's "包含 填报单位，日期 和 类型 的 … 已经存在。" tells staff little about what to do.
        if len(unique_check) > 1:
            labels = "、".join(str(model_class._meta.get_field(name).verbose_name) for name in unique_check)
            return ValidationError(
                f"已有一条{labels}都相同的{model_class._meta.verbose_name}记录,请修改那条记录,不要重复填报",
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)

    def locked_by(self, check=None) -> str | None:
        """Why this record may not change (a PeriodLock covers it, as stored or as edited), or None.

        `check` is a youthwork.locks.lock_checker(); pass one when asking for many records.
        """
        check = check or lock_checker()
        if self.pk:
            # (unit, date) as stored: given by a caller that loaded it already (the importer), else asked.
            place = getattr(self, "_stored_place", None)
            if place is None:
                stored = type(self).objects.filter(pk=self.pk).select_related("unit").only("unit", "date").first()
                place = (stored.unit, stored.date) if stored else None
            if place and (message := check(*place)):
                return message
        if self.unit_id and self.date:
            return check(self.unit, self.date)
        return None

    def guard(self, *, deleting: bool = False) -> str | None:
        """Lock this record's units (as stored and as it will be written), then say why it may not change.

        Every write calls it inside its own transaction before writing (save() and delete() do), so a
        定稿 running at the same time either counts the write or makes it refuse (youthwork.locks).
        """
        stored = type(self)._default_manager.filter(pk=self.pk) if self.pk else None
        venues = [getattr(self, "venue_id", None)] if not deleting else []
        with transaction.atomic():
            return guard_write([(self.unit_id, self.date)], stored, venues)

    def clean(self):
        super().clean()
        # Bulk callers (the importer) hold the locks and hand over one preloaded youthwork.locks.lock_checker()
        # as `_lock_check`; the forms validate inside the write's transaction, which guard() locks.
        check = getattr(self, "_lock_check", None)
        if message := (self.locked_by(check) if check else self.guard()):
            raise ValidationError(message)


def _without_covered_indexes(sender, **kwargs):
    """Leave out a ledger's index whose columns are the first columns of one of its unique constraints.

    (unit, date) is declared for every ledger, but most natural keys start with the unit and the date,
    and their unique index serves the same lookups; a second index would only cost writes and space.
    """
    if not issubclass(sender, LedgerRecord) or sender._meta.abstract:
        return
    keys = [
        tuple(constraint.fields)
        for constraint in sender._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None
    ]

    def covered(index) -> bool:
        columns = tuple(index.fields)
        plain = columns and index.condition is None and not index.include and not index.opclasses
        return bool(plain) and all(not c.startswith("-") for c in columns) and any(
            key[: len(columns)] == columns for key in keys
        )

    sender._meta.indexes = [index for index in sender._meta.indexes if not covered(index)]


models.signals.class_prepared.connect(_without_covered_indexes, dispatch_uid="youthwork.ledger_indexes")


def activity_venue() -> models.ForeignKey:
    """The optional `活动阵地` column of several ledgers: the venue where the activity took place."""
    return models.ForeignKey(
        Venue, verbose_name="活动阵地", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


def natural_key(*fields: str) -> models.UniqueConstraint:
    """A ledger's natural key (the dictionary's † columns), declared once in the model's Meta.

    The database refuses a second record with the same key; the ledger registry reads the key from
    this constraint, and the importer updates the record that has it instead of adding another.
    """
    return models.UniqueConstraint(fields=list(fields), name="%(app_label)s_%(class)s_natural_key")


def _upload_token() -> str:
    return secrets.token_hex(16)


class Job(models.Model):
    """What a background job (youthwork.jobs) shows while it runs and after: its state, progress and heartbeat.

    Claimed by exactly one worker (a conditional update from 排队中 to 运行中); while it runs its worker
    writes `heartbeat` and `progress` every JOB_HEARTBEAT_SECONDS from a thread of its own; a job still
    运行中 whose heartbeat is older than JOB_STALE_SECONDS lost its worker and is marked 失败.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The user's unit when the job was started: who else may see the job (youthwork.access.scope).
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField("进度", default=dict, blank=True)  # {"sheet": …, "done": n, "total": n}
    heartbeat = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failure = models.TextField("失败原因", blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ImportUpload(Job):
    """One import: the uploaded workbook, its check (dry run) and its import, each run as a background job.

    The same record is 导入记录 (youthwork.admin.jobs): who, when, which file, the per-sheet counts, the
    errors, how long it took; the original file stays for download, the error workbook and 撤销
    (youthwork.import_runs). A check never confirmed is removed after a day. The upload is only
    confirmed, retried or spent by its uploader; `token` names it in django-import-export's
    temporary storage (youthwork.importing.DatabaseStorage).
    """

    class Stage(models.TextChoices):
        CHECK = "check", "检查"
        IMPORT = "import", "导入"

    KEEP = dt.timedelta(days=1)
    writes_in_one_transaction = True  # its progress cannot be written meanwhile on SQLite (youthwork.jobs)

    token = models.CharField(max_length=32, unique=True, default=_upload_token, editable=False)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    content = models.BinaryField("文件内容")
    # The sheet of a ledger admin's own import (its sheet, or the file's first); blank: the whole workbook.
    sheet = models.CharField("工作表", max_length=50, blank=True)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.CHECK)
    # Per-sheet counts, unrecognised sheets, the first errors and rows: youthwork.import_runs.outcome_summary.
    result = models.JSONField("结果", default=dict, blank=True)
    errors = models.JSONField("全部错误", default=list, blank=True)  # [[sheet, row, column, reason], …]
    # The time of the import's writes: the history date of every record it wrote (撤销 finds them by it).
    written_at = models.DateTimeField("导入时间", null=True, blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "导入工作簿"
        verbose_name_plural = "导入工作簿"
        ordering = ["-created_at", "-id"]
        default_permissions = ()  # who may import is the sheets' import permissions

    def __str__(self) -> str:
        return self.file_name or self.token

    @classmethod
    def store(cls, content: bytes, file_name: str = "", user=None, **fields) -> ImportUpload:
        cls.purge()
        return cls.objects.create(
            content=content, file_name=file_name[:255], user=user, unit=getattr(user, "unit", None), **fields
        )

    @classmethod
    def purge(cls):
        """Checks never confirmed (and django-import-export's waiting uploads) after a day; imports after
        IMPORT_KEEP_DAYS (0: kept)."""
        from django.conf import settings

        now = timezone.now()
        cls.objects.filter(created_at__lt=now - cls.KEEP, stage=cls.Stage.CHECK).exclude(
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).delete()
        if settings.IMPORT_KEEP_DAYS:
            cls.objects.filter(
                created_at__lt=now - dt.timedelta(days=settings.IMPORT_KEEP_DAYS), stage=cls.Stage.IMPORT
            ).exclude(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).delete()


class ImportRecord(ImportUpload):
    """导入记录: the imports a user may see (their units'), listed in the admin (youthwork.admin.jobs)."""

    class Meta:
        proxy = True
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        default_permissions = ()


class ImportUndo(Job):
    """The 撤销 of one import, run as a background job (youthwork.import_runs.undo_job): one per import, so two
    clicks never start two; a refused or failed 撤销 (a final report's lock, a record changed since) is queued
    again on the same row. The import is 已撤销 when `upload.undone_at` is set, in the 撤销's transaction."""

    upload = models.OneToOneField(ImportUpload, on_delete=models.CASCADE, related_name="undo_job")
    writes_in_one_transaction = True

    class Meta:
        verbose_name = "撤销导入"
        verbose_name_plural = "撤销导入"
        default_permissions = ()

    def __str__(self) -> str:
        return f"撤销 {self.upload}"


class FileJob(Job):
    """A file built in the background (a large admin export, a report's Word or Excel file), then downloaded
    from its job page. `builder` names the function that builds it (youthwork.jobs.run_file_job)."""

    title = models.CharField("任务", max_length=200)
    builder = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    query = models.BinaryField(null=True, blank=True)  # a pickled queryset's query (an export's rows)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField("文件", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.title

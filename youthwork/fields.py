"""Model fields shared by the ledgers, carrying the data dictionary's rules and Chinese messages.

The rules live on the model fields so that the admin, the portal forms and the importer all apply
them with the same message: dates from 2000-01-01 to today, counts whole numbers from 0 to 1,000,000,
amounts from 0 to 100,000,000 元 with at most two decimals, free text at most 2,000 characters,
multi-choice columns only the listed labels.

A CHECK constraint on the table backs the bounds the database can know (it cannot know "today", so
dates are held to 2000-01-01..2099-12-31 there): each ruled field adds its constraint to every
concrete model it is part of, so no ledger has to remember it.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

MULTI_CHOICE_JOINER = "、"

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_STORED_DATE = dt.date(2099, 12, 31)  # the database's bound; the rule for users is "today"
MAX_COUNT = 1_000_000
MAX_AMOUNT = Decimal(100_000_000)
MAX_TEXT = 2000


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@deconstructible
class DateRangeValidator:
    """A date users type: not before 2000-01-01 and not after today (asked at validation time)."""

    def __init__(self, label):
        self.label = str(label)

    def __call__(self, value):
        if value is None:
            return
        if value < EARLIEST_DATE:
            raise ValidationError(f"{self.label}不能早于{_chinese_date(EARLIEST_DATE)}", code="min_value")
        if value > timezone.localdate():
            raise ValidationError(f"{self.label}不能晚于今天", code="max_value")

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator) and other.label == self.label


@deconstructible
class TextLengthValidator:
    """At most `limit` characters, naming the column (the importer's TextWidget says the same)."""

    def __init__(self, label, limit):
        self.label, self.limit = str(label), limit

    def __call__(self, value):
        if value is not None and len(str(value)) > self.limit:
            raise ValidationError(f"{self.label}不能超过{self.limit}个字(现有{len(str(value))}个字)", code="max_length")

    def __eq__(self, other):
        return isinstance(other, TextLengthValidator) and (other.label, other.limit) == (self.label, self.limit)


class _CheckedField:
    """A field whose bounds the database also enforces: a named CHECK constraint on each concrete model."""

    def db_range(self) -> models.Q:
        raise NotImplementedError

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if cls._meta.abstract or cls._meta.proxy or cls._meta.swapped:
            return
        # Not on the models a migration renders (their constraints are the migration state's own), and not on
        # django-simple-history's change records, which must be able to record a value stored before the rules.
        if cls.__module__ == "__fake__" or "_history_excluded_fields" in cls.__dict__:
            return
        constraint_name = f"{cls._meta.app_label}_{cls._meta.model_name}_{name}_range"
        if any(c.name == constraint_name for c in cls._meta.constraints):
            return
        cls._meta.constraints = [
            *cls._meta.constraints,
            models.CheckConstraint(
                condition=self.db_range(),
                name=constraint_name,
                violation_error_message=self.range_message(),
            ),
        ]

    def range_message(self) -> str:
        raise NotImplementedError


class LedgerDateField(_CheckedField, models.DateField):
    """A date users type (the record's date, 结班日期, 启用日期): from 2000-01-01 to today."""

    @cached_property
    def validators(self):
        return [*super().validators, DateRangeValidator(self.verbose_name)]

    def db_range(self) -> models.Q:
        return models.Q(**{f"{self.name}__gte": EARLIEST_DATE, f"{self.name}__lte": LATEST_STORED_DATE})

    def range_message(self) -> str:
        return f"{self.verbose_name}应在{_chinese_date(EARLIEST_DATE)}至{_chinese_date(LATEST_STORED_DATE)}之间"


class _LengthRule:
    """At most max_length characters, said the same way by the model, the forms and the importer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # CharField.__init__ appends Django's own MaxLengthValidator to the computed list; compute it afresh.
        self.__dict__.pop("validators", None)

    @cached_property
    def validators(self):
        others = [v for v in super().validators if not isinstance(v, MaxLengthValidator)]
        return [*others, TextLengthValidator(self.verbose_name, self.max_length)]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(TextLengthValidator(self.verbose_name, self.max_length))
        return field


class NameField(_LengthRule, models.CharField):
    """A name or title (主题, 名称, 捐赠方 …) of at most the dictionary's length."""


class NoteField(_LengthRule, models.TextField):
    """Free text (备注) of at most 2,000 characters; Django checks a TextField's max_length only in forms."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs.setdefault("blank", True)
        super().__init__(verbose_name, **kwargs)


def _messages(verbose_name, kind: str) -> dict[str, str]:
    return {
        "null": f"请填写{verbose_name}",
        "blank": f"请填写{verbose_name}",
        "invalid": f"{verbose_name}应为{kind}",
    }


class CountField(_CheckedField, models.PositiveIntegerField):
    """A whole number from 0 to 1,000,000 (人数, 人次, 场次, 数量)."""

    def __init__(self, verbose_name=None, **kwargs):
        if verbose_name:
            kwargs.setdefault("validators", [MinValueValidator(0, message=f"{verbose_name}不能为负数")])
            kwargs.setdefault("error_messages", _messages(verbose_name, "整数"))
        super().__init__(verbose_name, **kwargs)

    @cached_property
    def validators(self):
        # The rule replaces the backend's integer range (far wider, and with a message naming no column).
        return [*self._validators, MaxValueValidator(MAX_COUNT, message=f"{self.verbose_name}不能超过{MAX_COUNT}")]

    def db_range(self) -> models.Q:
        return models.Q(**{f"{self.name}__gte": 0, f"{self.name}__lte": MAX_COUNT})

    def range_message(self) -> str:
        return f"{self.verbose_name}应在0至{MAX_COUNT}之间"

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # The form field's own checks would say "确保该值大于或等于0"; the model's say which figure.
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]
        field.validators.extend(self.validators)
        field.widget.attrs.setdefault("min", 0)
        field.widget.attrs.setdefault("max", MAX_COUNT)
        field.error_messages["invalid"] = f"{self.verbose_name}应为整数"
        return field


class _AmountDecimalValidator(DecimalValidator):
    def __init__(self, label, max_digits, decimal_places):
        super().__init__(max_digits, decimal_places)
        self.messages = {
            "invalid": f"{label}不是有效的数字",
            "max_digits": f"{label}的位数太多",
            "max_decimal_places": f"{label}最多保留两位小数",
            "max_whole_digits": f"{label}的数额太大",
        }


class AmountField(_CheckedField, models.DecimalField):
    """An amount in 元: a decimal from 0 to 100,000,000 with at most two decimal places."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        if verbose_name:
            kwargs.setdefault("validators", [MinValueValidator(Decimal(0), message=f"{verbose_name}不能为负数")])
            kwargs.setdefault("error_messages", _messages(verbose_name, "数字"))
        super().__init__(verbose_name, **kwargs)

    @cached_property
    def validators(self):
        return [
            *self.default_validators,
            *self._validators,
            MaxValueValidator(MAX_AMOUNT, message=f"{self.verbose_name}不能超过{MAX_AMOUNT}"),
            _AmountDecimalValidator(self.verbose_name, self.max_digits, self.decimal_places),
        ]

    def db_range(self) -> models.Q:
        return models.Q(**{f"{self.name}__gte": 0, f"{self.name}__lte": MAX_AMOUNT})

    def range_message(self) -> str:
        return f"{self.verbose_name}应在0至{MAX_AMOUNT}之间"

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators = [
            v for v in field.validators if not isinstance(v, DecimalValidator | MinValueValidator | MaxValueValidator)
        ]
        field.validators.extend(self.validators)
        field.widget.attrs.setdefault("min", 0)
        field.error_messages["invalid"] = f"{self.verbose_name}应为数字"
        return field


class ChoiceList(list):
    """The Python value of a multi-choice column: a list that reads as the labels joined by 、."""

    def __str__(self):
        return MULTI_CHOICE_JOINER.join(self)


class MultiChoiceField(models.CharField):
    """Several labels out of a fixed list, stored as one text joined by 、 in the list's order.

    Stored as text so that both PostgreSQL and SQLite can count records that name a label
    (`field__contains=label`) and so that exports read as the user typed them.
    """

    def __init__(self, verbose_name=None, options=(), **kwargs):
        self.options = [tuple(option) for option in options]
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["options"] = self.options
        return name, path, args, kwargs

    @property
    def labels(self) -> list[str]:
        return [value for value, _label in self.options]

    def _normalise(self, items) -> ChoiceList:
        chosen = {item.strip() for item in items if item and item.strip()}
        ordered = [value for value in self.labels if value in chosen]
        unknown = sorted(chosen - set(ordered))
        return ChoiceList(ordered + unknown)

    def to_python(self, value):
        if value is None or value == "":
            return ChoiceList()
        if isinstance(value, str):
            return self._normalise(value.split(MULTI_CHOICE_JOINER))
        return self._normalise(value)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return MULTI_CHOICE_JOINER.join(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        value = self.to_python(value)
        unknown = [item for item in value if item not in self.labels]
        if unknown:
            raise ValidationError(
                f"{self.verbose_name}只能填写:{MULTI_CHOICE_JOINER.join(self.labels)};"
                f"“{MULTI_CHOICE_JOINER.join(unknown)}”不在其中",
                code="invalid_choice",
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # CharField's MaxLengthValidator would measure the list, not the stored text.
        return super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.options,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "choices_form_class"):
            defaults.pop(key, None)
        return form_class(**defaults)


def refuse_stored_values_outside_the_rules(app_label: str):
    """A migration step to run before the app's CHECK constraints are added.

    A database written before the rules may hold a record dated 0354 (a mistyped 2023.5.4); adding the
    constraint would then fail with the database's own words. This step names the records to correct
    first (in the admin), and stops the migration until they are.
    """

    def check(apps, schema_editor):
        found = []
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name.startswith("historical"):  # change records keep what was stored
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, _CheckedField):
                    continue
                outside = model._default_manager.exclude(field.db_range()).exclude(**{f"{field.name}__isnull": True})
                found += [
                    f"{model._meta.verbose_name} id={pk} {field.verbose_name}={value}"
                    for pk, value in outside.values_list("pk", field.name)[:100]
                ]
        if found:
            raise RuntimeError(
                "以下记录的数值超出了允许的范围(日期2000年1月1日至2099年12月31日,人数不超过1000000,"
                "金额不超过100000000元),请先在管理后台改正,再运行 migrate:\n" + "\n".join(found)
            )

    return check

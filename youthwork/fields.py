"""Model fields shared by the ledgers, carrying the data dictionary's rules and Chinese messages.

The rules live on the model fields so that the admin, the portal forms and the importer all apply
them: counts are whole numbers >= 0, amounts are >= 0 with at most two decimals, multi-choice columns
accept only the listed labels.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property

MULTI_CHOICE_JOINER = "、"


def _messages(verbose_name, kind: str) -> dict[str, str]:
    return {
        "null": f"请填写{verbose_name}",
        "blank": f"请填写{verbose_name}",
        "invalid": f"{verbose_name}应为{kind}",
    }


class CountField(models.PositiveIntegerField):
    """A whole number >= 0 (人数, 人次, 场次, 数量)."""

    def __init__(self, verbose_name=None, **kwargs):
        if verbose_name:
            kwargs.setdefault("validators", [MinValueValidator(0, message=f"{verbose_name}不能为负数")])
            kwargs.setdefault("error_messages", _messages(verbose_name, "整数"))
        super().__init__(verbose_name, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # The form field's own min_value check would say "确保该值大于或等于0"; the model's says which figure.
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        field.validators.extend(self._validators)
        field.widget.attrs.setdefault("min", 0)
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


class AmountField(models.DecimalField):
    """An amount in 元: a decimal >= 0 with at most two decimal places."""

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
            _AmountDecimalValidator(self.verbose_name, self.max_digits, self.decimal_places),
        ]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators = [v for v in field.validators if not isinstance(v, DecimalValidator | MinValueValidator)]
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

"""Forms derived from a ledger's registry entry: the record form and the list's filter form."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from youthwork import access, actions
from youthwork.fields import EARLIEST_DATE
from youthwork.importing.cells import parse_number, parse_typed_date
from youthwork.ledgers import ColumnKind, Ledger
from youthwork.models import Unit, Venue
from youthwork.versions import units_key

DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker (type=date sends 2023-05-04)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class TypedDateInput(forms.DateInput):
    """A date typed as people write it (2023.5.4, 2023/5/4, 2023年5月4日), with a calendar button beside it.

    A text input: the browser's own date input accepts only its picker's format and sends nothing for anything
    else typed. portal.js adds the button (data-date-picker), which opens the browser's picker.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {"placeholder": "如 2023-05-04", "data-date-picker": "", **(attrs or {})}
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class TypedDateField(forms.DateField):
    """Reads the dates the importer reads (youthwork.importing.cells.parse_typed_date)."""

    widget = TypedDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            if (date := parse_typed_date(value)) is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return date
        return super().to_python(value)


class TypedNumberMixin:
    """Reads numbers as the importer does: 12,500, １２５００ and 1.2万 (youthwork.importing.cells.parse_number).

    A text input with a numeric keyboard on phones: the browser's number input drops such text silently and
    the user was told 请填写.
    """

    expected = "数字"
    inputmode = "decimal"

    def widget_attrs(self, widget):
        return {"inputmode": self.inputmode}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                value = str(parse_number(value, str(self.label), self.expected))
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class TypedIntegerField(TypedNumberMixin, forms.IntegerField):
    widget = forms.TextInput
    inputmode = "numeric"
    expected = "整数"


class TypedDecimalField(TypedNumberMixin, forms.DecimalField):
    widget = forms.TextInput


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read in one plain query.

    Django reads a ModelChoiceField's choices with QuerySet.iterator(), on PostgreSQL a server-side cursor:
    DECLARE, FETCH and CLOSE, three round trips for a few dozen units or venues on every list page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by their depth in the tree, so that a subtree reads as one."""

    iterator = ListedChoiceIterator

    def label_from_instance(self, obj: Unit) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class ReadUnitChoiceField(UnitChoiceField):
    """A unit chosen among units already read (`units`, set by the form): no query of its own to validate."""

    units: list[Unit] | None = None

    def to_python(self, value):
        if self.units is None or value in self.empty_values:
            return super().to_python(value)
        try:
            pk = Unit._meta.pk.to_python(value)  # what the query would have read: " 2" and "02" are 2
        except ValidationError:
            pk = None
        found = next((unit for unit in self.units if unit.pk == pk), None)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found


class VenueChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator

    def label_from_instance(self, obj: Venue) -> str:
        return f"{obj.name}({obj.unit.name})"


def _formfield(db_field: models.Field, **kwargs):
    if isinstance(db_field, models.DateField):
        kwargs["form_class"] = TypedDateField
        kwargs["widget"] = TypedDateInput()
    elif isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs["form_class"] = TypedIntegerField
    elif isinstance(db_field, models.DecimalField):
        kwargs["form_class"] = TypedDecimalField
    elif isinstance(db_field, models.ForeignKey) and db_field.related_model is Unit:
        kwargs["form_class"] = UnitChoiceField
    elif isinstance(db_field, models.ForeignKey) and db_field.related_model is Venue:
        kwargs["form_class"] = VenueChoiceField
    return db_field.formfield(**kwargs)


class LedgerRecordForm(forms.ModelForm):
    """The base of every ledger's form; the fields come from the registry (see record_form_class)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            label = field.label
            field.error_messages["required"] = (
                f"请选择{label}" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else f"请填写{label}"
            )
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label}无法识别,请按 2023-05-04、2023.5.4 或 2023年5月4日 填写"
                # The calendar (portal.js) offers only dates the model accepts (LedgerDateField), which checks again.
                field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
                field.widget.attrs.setdefault("max", timezone.localdate().isoformat())
            if isinstance(field, TypedIntegerField):
                field.error_messages["invalid"] = f"{label}应为整数,如 12500、12,500 或 1.2万"
            elif isinstance(field, TypedDecimalField):
                field.error_messages["invalid"] = f"{label}应为数字,如 3000、3,000.50 或 1.2万"
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = f"所选{label}不存在,或不在您的管理范围内"
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", "请选择" if field.required else "(不填)"), *field.choices[1:]]
            if name == "note":
                field.widget.attrs["rows"] = 2
        if isinstance(self.fields.get("unit"), forms.ModelChoiceField):
            self.fields["unit"].queryset = access.editable_units(user)
        if isinstance(self.fields.get("venue"), forms.ModelChoiceField):
            self.fields["venue"].queryset = access.scope(Venue.objects.select_related("unit"), user)
            self.fields["venue"].empty_label = "(不填)"
        if isinstance(self.fields.get("unit"), forms.ModelChoiceField):
            self.fields["unit"].empty_label = "请选择"

    def save(self, commit=True):
        record = super().save(commit=False)
        if not commit:
            actions.stamp(record, self.user)
            return record
        return actions.save(record, self.user)


def record_form_class(ledger: Ledger, *, hide: tuple[str, ...] = ()) -> type[LedgerRecordForm]:
    """The ModelForm of a ledger: its columns in the dictionary's order, minus `hide`."""
    fields = [name for name in ledger.field_names if name not in hide]
    return forms.modelform_factory(ledger.model, form=LedgerRecordForm, fields=fields, formfield_callback=_formfield)


class FilterForm(forms.Form):
    """The list's filters: unit (with its descendants), date range, the ledger's choice columns, text search."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    unit = ReadUnitChoiceField(label="单位(含下级)", queryset=Unit.objects.none(), required=False, empty_label="全部")
    date_from = forms.DateField(label="开始日期", required=False, widget=DateInput())
    date_to = forms.DateField(label="结束日期", required=False, widget=DateInput())

    def __init__(self, data, *, ledger: Ledger, user, search_labels: list[str]):
        super().__init__(data)
        self.ledger = ledger
        self.fields["unit"].queryset = access.visible_units(user)
        # The user's units are read once, before anything else: the select lists them, the unit filter is
        # validated against them and the list's totals are cached under their versions (portal.views._totals).
        self.units = self.fields["unit"].units = list(self.fields["unit"].queryset)
        self.fields["unit"].error_messages["invalid_choice"] = "所选单位不存在,或不在您的管理范围内"
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = f"{self.fields[name].label}不是有效的日期"
        self.fields["q"].widget.attrs["placeholder"] = "、".join(search_labels) if search_labels else "关键词"
        for column in ledger.columns:
            if column.kind == ColumnKind.CHOICE:
                self.fields[column.name] = forms.ChoiceField(
                    label=column.header,
                    required=False,
                    choices=[("", "全部"), *((choice, choice) for choice in column.choices)],
                )
                self.fields[column.name].error_messages["invalid_choice"] = f"{column.header}没有“%(value)s”这一项"

        # Bootstrap's classes on the widgets themselves: the list renders `{{ field }}` (portal/ledger_list.html);
        # crispy's field templates took a third of a list page's time under load (bench/load.py).
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def drawn_key(self) -> str:
        """Everything the fields show, for the list's template to keep their HTML (`{% cache %}`): the ledger's
        filters, the user's units (name and depth: versions.units_key), the searched columns' names, the values
        asked (which also decide the errors shown) and the language."""
        asked = sorted((name, self.data.getlist(name)) for name in self.fields if name in self.data)
        placeholder = self.fields["q"].widget.attrs["placeholder"]
        shown = (self.ledger.slug, units_key(self.units), placeholder, asked, get_language())
        return hashlib.sha256(repr(shown).encode()).hexdigest()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"  # the message below the field

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return cleaned

    @property
    def choice_names(self) -> list[str]:
        return list(self.ledger.choice_fields)

"""Forms of the report pages: choose a period and unit; edit the text, the problems and the plans."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max

from reports.models import PlanItem, ProblemItem, WorkReport
from youthwork import access
from youthwork.models import Unit
from youthwork.periods import Period, PeriodError


class NewReportForm(forms.Form):
    period = forms.CharField(
        label="期间",
        max_length=32,
        help_text="季度 2023Q2、半年 2023H1、全年 2023,或日期范围 2023-04-01:2023-06-30",
    )
    unit = forms.ModelChoiceField(label="报告单位", queryset=Unit.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.visible_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: "\u3000" * max(unit.depth - 1, 0) + unit.name
        home = access.home_unit(user)
        if home is not None and "unit" not in self.initial:
            self.initial["unit"] = home.pk

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as error:
            raise ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        period, unit = data.get("period"), data.get("unit")
        if period and unit:
            existing = WorkReport.objects.filter(unit=unit, period_start=period.start, period_end=period.end).first()
            if existing is not None:
                self.existing = existing
                raise ValidationError(f"{unit}{period.label}已有工作报告(状态:{existing.status}),请直接打开它")
        return data


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = WorkReport
        fields = ("title", "opening", "highlight", "signing_unit", "signing_date")
        widgets = {
            "opening": forms.Textarea(attrs={"rows": 4}),
            "highlight": forms.Textarea(attrs={"rows": 5}),
            "signing_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ItemForm(forms.ModelForm):
    """One problem or plan. An item offered by the system (from the data or from last period) is kept
    unless the editor ticks 删除, even if they do not change a word."""

    class Meta:
        fields = ("order", "heading", "text")
        widgets = {
            "order": forms.NumberInput(attrs={"min": 0, "class": "report-order"}),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False

    def has_changed(self):
        # A blank row stays blank whatever its order says; an offered item counts as kept.
        written = any(name in self.changed_data for name in ("heading", "text"))
        return bool(self.initial.get("heading")) or written


def item_formset(model, *, extra: int = 1):
    return forms.inlineformset_factory(
        WorkReport,
        model,
        form=ItemForm,
        fields=ItemForm.Meta.fields,
        widgets=ItemForm.Meta.widgets,
        extra=extra,
        can_delete=True,
    )


def _position(form) -> float:
    """Where an item goes: by its 序号; one whose 序号 was cleared goes last."""
    order = form.cleaned_data.get("order")
    return float("inf") if order is None else order


class ItemFormSets:
    """The 存在的主要问题 and 下一步工作打算 formsets of a report, saved in the editor's order."""

    def __init__(self, data=None, *, instance, problems=(), plans=()):
        self.problems = self._formset(ProblemItem, "problems", data, instance, list(problems))
        self.plans = self._formset(PlanItem, "plans", data, instance, list(plans))

    @staticmethod
    def _formset(model, prefix, data, instance, offered):
        # The offered items follow the saved ones, and the blank row shows the next number (after the
        # highest saved one): an item typed there goes last, as it appears, not first with the model's 0.
        last = 0
        if instance.pk:
            last = model.objects.filter(report=instance).aggregate(last=Max("order"))["last"] or 0
        initial = [
            {"order": last + index, "heading": item.heading, "text": item.text} for index, item in enumerate(offered, 1)
        ]
        initial.append({"order": last + len(offered) + 1})
        return item_formset(model, extra=len(offered) + 1)(data, instance=instance, prefix=prefix, initial=initial)

    def __iter__(self):
        return iter((self.problems, self.plans))

    def is_valid(self) -> bool:
        return all([self.problems.is_valid(), self.plans.is_valid()])

    def save(self, report) -> None:
        for formset in self:
            formset.instance = report
            kept = [form for form in formset.forms if form.has_changed() and not form.cleaned_data.get("DELETE")]
            formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            ordered = sorted(kept, key=lambda form: (_position(form), formset.forms.index(form)))
            for position, form in enumerate(ordered, start=1):
                item = form.instance
                item.report = report
                item.order = position
                item.save()

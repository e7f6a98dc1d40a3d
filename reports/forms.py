"""Forms of the report pages: choose a period and unit; edit the text, the problems and the plans."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from reports.models import PlanItem, ProblemItem, WorkReport
from youthwork import access
from youthwork.metrics import quarters_with_records
from youthwork.models import Unit
from youthwork.periods import Period, PeriodError, offered_periods

CUSTOM = "custom"


def period_notes(period: Period, today) -> list[str]:
    """What a leader must know about a period before reading or downloading its report."""
    if period.is_future(today):
        return [f"{period.name}尚未开始,报告中还没有这一期间的数据。"]
    if not period.is_finished(today):
        return [f"{period.name}尚未结束(截至今天),报告按目前的数据生成,期间结束前数据还会变化。"]
    return []


class NewReportForm(forms.Form):
    """The period is chosen, not typed: the quarters, half years and years with records (the last finished
    quarter preselected), or a custom date range. A period given as text in the address (`?period=2023年第三季度`,
    `2023 Q3`, `2023-Q3`) is read by the one parser, youthwork.periods."""

    period = forms.CharField(label="期间", max_length=32, widget=forms.Select)
    start = forms.DateField(
        label="自定义:开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="自定义:结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unit = forms.ModelChoiceField(label="报告单位", queryset=Unit.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.visible_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: "\u3000" * max(unit.depth - 1, 0) + unit.name
        home = access.home_unit(user)
        if home is not None and "unit" not in self.initial:
            self.initial["unit"] = home.pk
        today = timezone.localdate()
        groups = offered_periods(quarters_with_records(access.visible_unit_ids(user)), today)
        choices = [
            (
                group,
                [
                    (period.code, period.name + ("(未结束)" if not period.is_finished(today) else ""))
                    for period in periods
                ],
            )
            for group, periods in groups
        ]
        self.fields["period"].widget.choices = [
            *choices,
            ("自定义", [(CUSTOM, "自定义日期范围(填写下方的开始和结束日期)")]),
        ]
        self.fields["period"].help_text = "默认为最近一个已结束的季度;选择“自定义日期范围”时填写开始和结束日期"
        self.initial.setdefault("period", Period.last_finished_quarter(today).code)

    def clean_period(self) -> Period | str:
        text = self.cleaned_data["period"]
        if text == CUSTOM:
            return CUSTOM
        try:
            return Period.parse(text)
        except PeriodError as error:
            raise ValidationError(str(error)) from error

    def _custom_period(self, data) -> Period | None:
        start, end = data.get("start"), data.get("end")
        if not (start and end):
            self.add_error("start" if not start else "end", "选择自定义日期范围时,请填写开始日期和结束日期")
            return None
        try:
            return Period.parse(f"{start.isoformat()}:{end.isoformat()}")
        except PeriodError as error:
            self.add_error("end", str(error))
            return None

    def clean(self):
        data = super().clean()
        if data.get("period") == CUSTOM:
            data["period"] = self._custom_period(data)
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
        help_texts = {"signing_date": "默认为生成报告(定稿)的当天;改成其他日期即按所填日期落款"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date a report is built on is shown, so the leader sees what will be printed; left as shown,
        # nothing is stored and 定稿 prints its own day.
        if self.instance.signing_date is None:
            self.initial["signing_date"] = timezone.localdate()

    def clean_signing_date(self):
        if self.instance.signing_date is None and "signing_date" not in self.changed_data:
            return None
        return self.cleaned_data["signing_date"]


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

"""思想引领: the ideological-guidance ledgers."""

from django.core.exceptions import ValidationError
from django.db import models

from youthwork.fields import CountField, MultiChoiceField, NameField
from youthwork.ledgers import register
from youthwork.models import LedgerRecord, Unit, activity_venue, natural_key


@register(columns=("unit", "date", "column", "issue", "participants", "note"), search=("issue", "note"))
class OnlineLesson(LedgerRecord):
    class Column(models.TextChoices):
        YOUTH_STUDY = "青年大学习", "青年大学习"
        PIONEER_STUDY = "红领巾爱学习", "红领巾爱学习"
        OTHER = "其他", "其他"

    column = models.CharField("栏目", max_length=20, choices=Column.choices)
    issue = NameField("期次主题", max_length=200, blank=True, help_text="例如:2023年第12期")
    participants = CountField("参学人次")

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "网上团队课"
        constraints = [natural_key("unit", "date", "column", "issue")]


@register(
    columns=("unit", "date", "day_type", "theme", "occasion", "participants", "venue", "note"),
    search=("theme", "note"),
)
class ThemeDay(LedgerRecord):
    class DayType(models.TextChoices):
        LEAGUE = "主题团日", "主题团日"
        PIONEER = "主题队日", "主题队日"

    class Occasion(models.TextChoices):
        MAY_FOURTH = "五四", "五四"
        JUNE_FIRST = "六一", "六一"
        JULY_FIRST = "七一", "七一"
        NATIONAL_DAY = "国庆", "国庆"
        OTHER = "其他", "其他"

    day_type = models.CharField("类型", max_length=10, choices=DayType.choices)
    theme = NameField("主题", max_length=200)
    occasion = models.CharField("节点", max_length=10, choices=Occasion.choices, blank=True)
    participants = CountField("参与人数")
    venue = activity_venue()

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "主题团队日"
        constraints = [natural_key("unit", "date", "day_type", "theme")]


@register(columns=("unit", "date", "ceremony_type", "new_members", "note"), search=("note",))
class Ceremony(LedgerRecord):
    class CeremonyType(models.TextChoices):
        LEAGUE = "入团仪式", "入团仪式"
        PIONEER = "入队仪式", "入队仪式"

    ceremony_type = models.CharField("仪式类型", max_length=10, choices=CeremonyType.choices)
    new_members = CountField("新成员人数")

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "入团入队仪式"
        constraints = [natural_key("unit", "date", "ceremony_type")]

    def clean(self):
        super().clean()
        if self.unit_id and self.unit.unit_type != Unit.Type.SCHOOL:
            raise ValidationError({"unit": f"入团入队仪式只能由学校填报,“{self.unit}”不是学校"})


@register(
    columns=("unit", "date", "name", "contestants", "formats", "co_organisers", "note"),
    search=("name", "co_organisers", "note"),
)
class CounsellorContest(LedgerRecord):
    class Format(models.TextChoices):
        QUIZ = "现场答题", "现场答题"
        DEFENCE = "情景答辩", "情景答辩"
        SHOWCASE = "活动展示", "活动展示"
        OTHER = "其他", "其他"

    name = NameField("名称", max_length=200)
    contestants = CountField("参赛人数")
    formats = MultiChoiceField("比赛形式", options=Format.choices)
    co_organisers = NameField("联合主办单位", max_length=200, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "辅导员技能竞赛"
        constraints = [natural_key("unit", "date", "name")]

"""权益维护: the rights-protection ledgers."""

from django.db import models

from youthwork.fields import CountField, MultiChoiceField, NameField
from youthwork.ledgers import register
from youthwork.models import LedgerRecord, activity_venue, natural_key


@register(columns=("unit", "date", "form", "partners", "participants", "venue", "note"), search=("note",))
class LawEvent(LedgerRecord):
    class Form(models.TextChoices):
        EXPERT = "专家授课", "专家授课"
        LECTURE = "法治讲座", "法治讲座"
        MOCK_COURT = "模拟法庭", "模拟法庭"
        OTHER = "其他", "其他"

    class Partner(models.TextChoices):
        POLICE = "公安", "公安"
        PROCURATORATE = "检察", "检察"
        COURT = "法院", "法院"
        JUSTICE = "司法", "司法"
        EDUCATION = "教育", "教育"
        OTHER = "其他", "其他"

    form = models.CharField("形式", max_length=10, choices=Form.choices)
    partners = MultiChoiceField("合作部门", options=Partner.choices)
    participants = CountField("参与人数")
    venue = activity_venue()

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "法治宣教"
        constraints = [natural_key("unit", "date", "form")]


@register(columns=("unit", "date", "work_type", "quantity", "volunteers", "place", "note"), search=("place", "note"))
class SafetyWork(LedgerRecord):
    class WorkType(models.TextChoices):
        PATROL = "防溺水巡查", "防溺水巡查"
        CORDON = "设置警戒线", "设置警戒线"
        SIGN = "设立警示牌", "设立警示牌"
        EDUCATION = "安全教育", "安全教育"

    work_type = models.CharField("类型", max_length=10, choices=WorkType.choices)
    quantity = CountField("数量", help_text="巡查次数、警戒线处数、警示牌块数或教育场次")
    volunteers = CountField("志愿者人次", null=True, blank=True)
    place = NameField("地点", max_length=200, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "安全防护"
        constraints = [natural_key("unit", "date", "work_type", "place")]


@register(
    columns=("unit", "date", "service_type", "topic", "served", "provider", "venue", "staff", "note"),
    search=("topic", "provider", "staff", "note"),
)
class PsychService(LedgerRecord):
    class ServiceType(models.TextChoices):
        LECTURE = "心理讲座", "心理讲座"
        COUNSELLING = "个体咨询", "个体咨询"
        GROUP = "团体辅导", "团体辅导"
        HOTLINE = "热线服务", "热线服务"

    service_type = models.CharField("服务类型", max_length=10, choices=ServiceType.choices)
    topic = NameField("主题", max_length=200, blank=True)
    served = CountField("服务人次")
    provider = NameField("服务机构", max_length=100, blank=True, help_text="例如:12355青少年服务台")
    staff = NameField("主讲/服务人员", max_length=100, blank=True, help_text="例如:心理咨询师")
    venue = activity_venue()

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "心理健康服务"
        constraints = [natural_key("unit", "date", "service_type", "topic")]


@register(
    columns=("unit", "date", "publicity_type", "quantity", "reach", "theme", "channel", "note"), search=("note",)
)
class RightsPublicity(LedgerRecord):
    class PublicityType(models.TextChoices):
        POSTER = "海报张贴", "海报张贴"
        POST = "线上推文", "线上推文"
        OBSERVER = "志愿观察员招募", "志愿观察员招募"
        OTHER = "其他", "其他"

    class Theme(models.TextChoices):
        MANDATORY_REPORTING = "强制报告制度", "强制报告制度"
        SEXUAL_ABUSE = "预防性侵", "预防性侵"
        BULLYING = "防欺凌", "防欺凌"
        OTHER = "其他", "其他"

    class Channel(models.TextChoices):
        OFFLINE = "线下", "线下"
        POST = "线上推文", "线上推文"
        MINI_PROGRAM = "小程序", "小程序"
        OTHER = "其他", "其他"

    publicity_type = models.CharField("类型", max_length=10, choices=PublicityType.choices)
    # Optional, blank for records kept before they existed: the report states a theme or channel only from them.
    theme = models.CharField("宣传主题", max_length=10, choices=Theme.choices, blank=True)
    channel = models.CharField("宣传渠道", max_length=10, choices=Channel.choices, blank=True)
    quantity = CountField("数量", help_text="海报张数、推文篇数或观察员人数")
    reach = CountField("覆盖人次", null=True, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "权益宣传"
        constraints = [natural_key("unit", "date", "publicity_type")]


@register(
    columns=("unit", "date", "title", "partners", "doc_number", "area", "note"),
    search=("title", "partners", "doc_number"),
)
class JointDocument(LedgerRecord):
    class Area(models.TextChoices):
        GUIDANCE = "思想引领", "思想引领"
        CARE = "关心关爱", "关心关爱"
        RIGHTS = "权益维护", "权益维护"

    title = NameField("文件名称", max_length=300, help_text="例如:《关于开展2023年“法治进校园”活动的通知》")
    partners = NameField("联合发文单位", max_length=300, help_text="例如:市公安局、市检察院、市教育局")
    doc_number = NameField("文号", max_length=100, blank=True)
    area = models.CharField("工作领域", max_length=10, choices=Area.choices, default=Area.RIGHTS)

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "联合发文"
        constraints = [natural_key("date", "title")]

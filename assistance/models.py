"""关心关爱: the care-and-assistance ledgers."""

from django.core.exceptions import ValidationError
from django.db import models

from youthwork.fields import AmountField, CountField, LedgerDateField, MultiChoiceField, NameField
from youthwork.ledgers import register
from youthwork.models import LedgerRecord, Unit, activity_venue, natural_key


@register(columns=("unit", "date", "donor", "donor_type", "amount", "purpose", "note"), search=("donor", "note"))
class Donation(LedgerRecord):
    class DonorType(models.TextChoices):
        COMPANY = "爱心企业", "爱心企业"
        SOCIETY = "社会团体", "社会团体"
        FOUNDATION = "基金会", "基金会"
        PERSON = "个人", "个人"
        ALLOCATION = "上级拨付", "上级拨付"
        OTHER = "其他", "其他"

    class Purpose(models.TextChoices):
        SCHOLARSHIP = "助学金", "助学金"
        LIVING = "生活补助", "生活补助"
        WISH = "微心愿", "微心愿"
        OTHER = "其他", "其他"

    donor = NameField("捐赠方", max_length=200)
    donor_type = models.CharField("捐赠方类型", max_length=10, choices=DonorType.choices)
    amount = AmountField("金额(元)")
    purpose = models.CharField("用途", max_length=10, choices=Purpose.choices, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "希望工程募捐"
        constraints = [natural_key("unit", "date", "donor", "purpose")]


@register(
    columns=("unit", "date", "student_name", "school", "grade", "aid_type", "amount", "note"),
    search=("school", "note"),
    personal=("student_name",),
)
class StudentAid(LedgerRecord):
    class AidType(models.TextChoices):
        SCHOLARSHIP = "助学金", "助学金"
        LIVING = "生活补助", "生活补助"

    student_name = NameField("学生姓名", max_length=50)
    school = NameField("就读学校", max_length=100)
    grade = NameField("年级", max_length=20, blank=True)
    aid_type = models.CharField("资助类型", max_length=10, choices=AidType.choices)
    amount = AmountField("金额(元)")

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "资助学生"
        constraints = [natural_key("unit", "date", "student_name", "school", "aid_type")]
        permissions = [("view_personal_studentaid", "可以查看资助学生的姓名")]


@register(
    columns=("unit", "date", "name", "target", "beneficiaries", "goods_value", "venue", "note"),
    search=("name", "note"),
)
class CareEvent(LedgerRecord):
    class Target(models.TextChoices):
        LEFT_BEHIND = "留守儿童", "留守儿童"
        VULNERABLE = "困境儿童", "困境儿童"
        OTHER = "其他", "其他"

    name = NameField("活动名称", max_length=200, help_text="例如:情暖六一")
    target = models.CharField("关爱对象", max_length=10, choices=Target.choices, default=Target.LEFT_BEHIND)
    beneficiaries = CountField("惠及人次")
    goods_value = AmountField("物资价值(元)", null=True, blank=True)
    venue = activity_venue()

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "关爱活动"
        constraints = [natural_key("unit", "date", "name")]


@register(
    columns=(
        "unit",
        "name",
        "date",
        "end_date",
        "team",
        "volunteers",
        "children",
        "services",
        "venue",
        "note",
    ),
    search=("name", "team", "note"),
)
class TeachingSite(LedgerRecord):
    class Service(models.TextChoices):
        TUTORING = "课业辅导", "课业辅导"
        SAFETY = "安全教育", "安全教育"
        INTERESTS = "兴趣培养", "兴趣培养"
        OUTWARD = "素质拓展", "素质拓展"
        OTHER = "其他", "其他"

    # db_index=False like the base's: the natural key (unit, name, date) and (unit, date) start with it.
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    name = NameField("支教点名称", max_length=100)
    date = LedgerDateField("开班日期")
    end_date = LedgerDateField("结班日期", null=True, blank=True)
    team = NameField("志愿服务队", max_length=200, help_text="例如:XX学院大学生志愿服务队")
    volunteers = CountField("志愿者人数", null=True, blank=True)
    children = CountField("入班儿童数")
    services = MultiChoiceField("服务内容", options=Service.choices)
    venue = activity_venue()

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "支教点"
        constraints = [natural_key("unit", "name", "date")]

    def clean(self):
        super().clean()
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": "结班日期不能早于开班日期"})


@register(columns=("unit", "date", "post_type", "posts", "students", "work", "note"), search=("note",))
class HomeInternship(LedgerRecord):
    class PostType(models.TextChoices):
        GOVERNMENT = "政务实习", "政务实习"
        RURAL = "乡村振兴志愿", "乡村振兴志愿"
        COMPANY = "企业实践", "企业实践"
        OTHER = "其他", "其他"

    class Work(models.TextChoices):
        RURAL = "乡村振兴", "乡村振兴"
        TEACHING = "暑期支教", "暑期支教"
        GOVERNMENT = "政务实习", "政务实习"
        COMMUNITY = "社区服务", "社区服务"
        COMPANY = "企业实践", "企业实践"
        OTHER = "其他", "其他"

    post_type = models.CharField("岗位类型", max_length=10, choices=PostType.choices)
    posts = CountField("发布岗位数")
    students = CountField("到岗学生数")
    work = MultiChoiceField("工作内容", options=Work.choices)  # optional: blank for records kept before it

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "返家乡实践"
        constraints = [natural_key("unit", "date", "post_type")]


@register(
    columns=("unit", "date", "leader_name", "leader_post", "place", "content", "note"),
    search=("leader_name", "leader_post", "place", "content", "note"),
)
class LeaderVisit(LedgerRecord):
    """领导关心: a leader's visit to the unit's work (the report's 党委有重视)."""

    leader_name = NameField("领导姓名", max_length=50)
    leader_post = NameField("领导职务", max_length=100, help_text="例如:副市长、市委组织部副部长")
    place = NameField("走访地点(单位)", max_length=200, help_text="例如:阳光社区希望家园")
    content = NameField("内容", max_length=200, blank=True, help_text="例如:调研指导,看望支教志愿者")

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "领导关心"
        constraints = [natural_key("unit", "date", "leader_name", "place")]

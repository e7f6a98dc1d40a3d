from youthwork.fields import CountField, NameField
from youthwork.ledgers import register
from youthwork.models import LedgerRecord, natural_key


@register(columns=("unit", "date", "topic", "trainees", "note"), search=("topic", "note"))
class VolunteerTraining(LedgerRecord):
    topic = NameField("培训主题", max_length=200)
    trainees = CountField("参训人数")

    class Meta(LedgerRecord.Meta):
        verbose_name = verbose_name_plural = "志愿者培训"
        constraints = [natural_key("unit", "date", "topic")]

"""Every rule of the data dictionary is enforced by the models, with a Chinese message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities.models import Ceremony, CounsellorContest, OnlineLesson
from assistance.models import CareEvent, Donation, TeachingSite
from tests.factories import build_record, make_record, make_unit
from youthwork.ledgers import ColumnKind, all_ledgers
from youthwork.models import Unit

pytestmark = pytest.mark.django_db


def errors_of(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.message_dict


def build(model, unit, **fields):
    """An unsaved record with valid values, then the overrides."""
    return build_record(model, unit, dt.date(2023, 6, 30), **fields)


@pytest.mark.parametrize(
    ("ledger", "column"),
    [(ledger, column) for ledger in all_ledgers() for column in ledger.columns if column.kind == ColumnKind.COUNT],
    ids=lambda value: getattr(value, "header", None) or value.name,
)
def test_every_count_refuses_a_negative_number_naming_the_column(cast, ledger, column):
    unit = cast.school_a
    record = build(ledger.model, unit, **{column.name: -1})
    assert errors_of(record)[column.name] == [f"{column.header}不能为负数"]


@pytest.mark.parametrize(
    ("ledger", "column"),
    [(ledger, column) for ledger in all_ledgers() for column in ledger.columns if column.kind == ColumnKind.AMOUNT],
    ids=lambda value: getattr(value, "header", None) or value.name,
)
def test_every_amount_refuses_negatives_and_a_third_decimal(cast, ledger, column):
    record = build(ledger.model, cast.district_a, **{column.name: Decimal("-0.01")})
    assert errors_of(record)[column.name] == [f"{column.header}不能为负数"]
    record = build(ledger.model, cast.district_a, **{column.name: Decimal("12.345")})
    assert errors_of(record)[column.name] == [f"{column.header}最多保留两位小数"]
    record = build(ledger.model, cast.district_a, **{column.name: Decimal("352380.50")})
    record.full_clean()


@pytest.mark.parametrize(
    ("ledger", "column"),
    [(ledger, column) for ledger in all_ledgers() for column in ledger.columns if column.kind == ColumnKind.CHOICE],
    ids=lambda value: getattr(value, "header", None) or value.name,
)
def test_every_choice_column_refuses_a_label_outside_the_list(cast, ledger, column):
    record = build(ledger.model, cast.school_a, **{column.name: "随便写的"})
    message = errors_of(record)[column.name][0]
    assert message == "值 '随便写的' 不是有效选项。"


def test_a_multi_choice_column_accepts_listed_labels_and_names_the_unknown_one(cast):
    record = build(CounsellorContest, cast.district_a, formats=["现场答题", "情景答辩"])
    record.full_clean()
    record.formats = ["现场答题", "唱歌"]
    message = errors_of(record)["formats"][0]
    assert message.startswith("比赛形式只能填写:现场答题、情景答辩、活动展示、其他")
    assert "唱歌" in message


def test_multi_choice_values_are_stored_in_list_order_and_can_be_counted(cast):
    make_record(CounsellorContest, cast.district_a, formats=["活动展示", "现场答题"])
    make_record(CounsellorContest, cast.district_a, dt.date(2023, 6, 1), formats=["情景答辩"])
    stored = CounsellorContest.objects.order_by("date").first()
    assert stored.formats == ["现场答题", "活动展示"]
    assert str(stored.formats) == "现场答题、活动展示"
    assert CounsellorContest.objects.filter(formats__contains="现场答题").count() == 1


def test_required_columns_refuse_blanks(cast):
    record = build(OnlineLesson, cast.school_a, column="", participants=None)
    errors = errors_of(record)
    assert errors["column"] == ["此字段不能为空。"]
    assert errors["participants"] == ["请填写参学人次"]


def test_text_longer_than_the_dictionary_allows_is_refused(cast):
    record = build(OnlineLesson, cast.school_a, issue="期" * 201)
    assert "200" in errors_of(record)["issue"][0]


def test_ceremonies_are_only_for_schools(cast):
    record = build(Ceremony, cast.school_a)
    record.full_clean()
    record = build(Ceremony, cast.school_a)
    record.unit = cast.town_a
    assert errors_of(record)["unit"] == ["入团入队仪式只能由学校填报,“甲街道团工委”不是学校"]


def test_a_teaching_site_cannot_close_before_it_opens(cast):
    record = build(TeachingSite, cast.town_a, end_date=dt.date(2023, 6, 1))
    assert errors_of(record)["end_date"] == ["结班日期不能早于开班日期"]
    record.end_date = dt.date(2023, 6, 30)
    record.full_clean()


def test_empty_care_target_means_left_behind_children(cast):
    event = CareEvent(unit=cast.town_a, date=dt.date(2023, 6, 1), name="情暖六一", beneficiaries=30)
    event.full_clean()
    assert event.target == "留守儿童"


def test_a_second_record_with_the_same_natural_key_is_refused(cast):
    make_record(Donation, cast.district_a, donor="市慈善会", purpose="助学金", amount=Decimal("100"))
    twin = Donation(
        unit=cast.district_a,
        date=dt.date(2023, 5, 4),
        donor="市慈善会",
        donor_type="社会团体",
        amount=Decimal("200"),
        purpose="助学金",
    )
    message = errors_of(twin)["__all__"][0]
    assert message == "已有一条填报单位、日期、捐赠方、用途都相同的希望工程募捐记录,请修改那条记录,不要重复填报"


def test_only_the_root_unit_may_have_no_parent(cast):
    orphan = Unit(name="无上级单位", unit_type=Unit.Type.OTHER)
    assert errors_of(orphan)["parent"] == ["请填写上级单位:只有市级团委(根单位)可以没有上级单位"]


def test_a_unit_cannot_move_below_its_own_descendant(cast):
    cast.district_a.parent = cast.town_a
    assert errors_of(cast.district_a)["parent"] == ["上级单位不能是本单位或其下级单位"]


def test_unit_codes_are_unique(cast):
    twin = Unit(name="另一个单位", parent=cast.city, unit_type=Unit.Type.OTHER, code="A")
    assert errors_of(twin)["code"] == ["单位编码已被其他单位使用"]


def test_moving_a_unit_moves_its_whole_subtree(cast):
    school = cast.school_a
    cast.town_a.parent = cast.district_b
    cast.town_a.full_clean()
    cast.town_a.save()
    school.refresh_from_db()
    assert school.path.startswith(cast.district_b.path)
    assert set(cast.district_b.subtree()) == {cast.district_b, cast.town_a, school, cast.school_b}
    assert set(cast.district_a.subtree()) == {cast.district_a}


def test_empty_unit_codes_are_stored_as_null_so_many_units_may_lack_one(cast):
    make_unit("无编码一", cast.city, Unit.Type.OTHER, code="")
    make_unit("无编码二", cast.city, Unit.Type.OTHER, code="  ")
    assert Unit.objects.filter(code__isnull=True).count() == 2

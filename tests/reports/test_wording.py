"""The wording follows the period and the data (issue 10, §2): each test is named as the mistake it stops.

Read through the generated .docx (python-docx) or the preview page, as a leader reads them.
"""

import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal

import docx
import pytest
from django.utils import timezone

from activities.models import CounsellorContest, ThemeDay
from assistance.models import CareEvent, Donation, TeachingSite
from legal_education.models import LawEvent, PsychService
from reports.builder import build_file
from reports.compose import build
from reports.document import Item, ReportText
from tests.factories import make_record, make_unit, make_venue
from youthwork.models import Unit, Venue
from youthwork.periods import Period

D = dt.date


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def word(period: str, unit, **options) -> str:
    """The text of the .docx build_report would write, full-width punctuation folded to ASCII."""
    content, _notes = build_file(Period.parse(period), unit, "docx", **options)
    return plain("\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs))


def problems(period: str, unit) -> dict[str, str]:
    return {p.problem.heading: plain(p.problem.text) for p in build(Period.parse(period), unit).proposals}


@pytest.mark.parametrize(
    ("period", "name"),
    [
        ("2023Q3", "2023年第三季度"),
        ("2023H1", "2023年上半年"),
        ("2023", "2023年全年"),
        ("2023-11-01:2024-02-29", "2023年11月1日至2024年2月29日"),
    ],
)
def test_a_report_that_never_says_which_period_it_covers(town, period, name):
    title_and_opening = word(period, town.city).split("一、当前工作开展情况")[0]
    assert name in title_and_opening
    assert "现将" + name + "工作情况汇报如下" in title_and_opening


def test_an_edited_opening_without_the_period_still_names_it_under_the_title(town):
    document = build(
        Period.parse("2023H1"), town.city, ReportText(title="工作情况报告", opening="现将有关情况汇报如下:")
    )
    assert plain(document.subtitle) == "(2023年上半年)"
    assert plain(document.text).split("\n")[1] == "(2023年上半年)"


def test_a_finished_period_that_says_now(town):
    text = word("2023", town.city)
    assert "目前" not in text
    assert "全年共在甲街道、乙区2个支教点开班" in text
    assert "截至12月底已建立" in text and "截至12月底已有30名大学生返乡到岗实践" in text
    quarter = word("2023Q2", town.city)
    assert "目前" not in quarter and "本季度共在甲街道、乙区2个支教点开班" in quarter


def test_a_running_period_that_pretends_to_be_over(cast, settings):
    today = timezone.localdate()
    make_record(TeachingSite, cast.town_a, today, name="支教点", team="某学院志愿服务队", children=20, volunteers=3)
    text = word(Period.quarter_of(today).code, cast.city)
    assert "目前已在甲街道1个支教点开班" in text


def test_a_range_across_new_year_that_loses_novembers_funds(town):
    make_record(Donation, town.city, D(2023, 11, 20), donor="甲", donor_type="个人", amount=Decimal("3000"))
    make_record(Donation, town.city, D(2024, 1, 10), donor="乙", donor_type="个人", amount=Decimal("2000"))
    text = word("2023-11-01:2024-02-29", town.city)
    assert "本期累计募集、争取资金5000元" in text and "今年以来" not in text


def test_a_seasonal_ledger_compared_with_the_quarter_before(town):
    # Q2 had 2 teaching sites and 12 patrols; Q3 has none, and 2022Q3 had no records: nothing to compare.
    make_record(TeachingSite, town.town_a, D(2023, 5, 1), name="春季点", team="某队", children=10, volunteers=2)
    make_record(TeachingSite, town.town_a, D(2023, 5, 2), name="春季点2", team="某队", children=10, volunteers=2)
    make_record(TeachingSite, town.town_a, D(2023, 5, 3), name="春季点3", team="某队", children=10, volunteers=2)
    declines = problems("2023Q3", town.city).get("部分工作较上季度有所下降", "")
    assert "支教点" not in declines and "防溺水巡查" not in declines


def test_a_decline_from_a_tiny_base_reported_as_a_problem(town):
    # Theme days fell from 2 主题队日 to none: too few to call a decline.
    assert "主题队日" not in "".join(problems("2023Q3", town.city).values())


def test_a_decline_not_compared_with_the_same_quarter_of_last_year(town):
    for day in (1, 2, 3, 4, 5, 6):
        make_record(LawEvent, town.school_a, D(2022, 7, day), form="法治讲座", participants=50)
    make_record(LawEvent, town.school_a, D(2023, 7, 1), form="法治讲座", participants=50)
    found = problems("2023Q3", town.city)
    text = found["部分工作较上季度有所下降"] if "部分工作较上季度有所下降" in found else "".join(found.values())
    assert "与2022年第三季度相比,权益维护方面,法治宣教活动由6场降至1场" in text


def test_one_activity_told_twice_and_numbers_without_measure_words(town):
    for day in (1, 2, 3, 4, 5):
        make_record(CareEvent, town.town_a, D(2023, 4, day), name="关爱", beneficiaries=200)
    make_record(CareEvent, town.town_a, D(2023, 7, 1), name="关爱", beneficiaries=70)
    text = "".join(problems("2023Q3", town.city).values())
    assert "关心关爱方面,募集资金由25.24万元降至5000元;关爱活动由7场降至1场,惠及人次由1400人次降至70人次" in text
    assert "关心关爱方面关爱活动惠及人次" not in text
    assert not re.search(r"由\d+(\.\d+)?万?降至|上季度\d+(\.\d+)?万?,", text)  # every number has its measure word


def test_etc_after_a_single_item(town):
    text = word("2023Q3", town.city)  # nothing in Q3 yet: one mock trial only
    make_record(LawEvent, town.school_a, D(2023, 8, 1), form="模拟法庭", participants=40)
    text = word("2023Q3", town.city)
    assert "举办模拟法庭活动1场" in text and "模拟法庭等" not in text
    assert "资金" in text and "微心愿等资金" not in word("2023-07-01:2023-09-30", town.district_b)


def test_a_lone_first_item_numbered_without_a_second(town):
    document = build(
        Period.parse("2023Q2"),
        town.city,
        ReportText(title="T", opening="", problems=[Item("活动开展不多", "次数少。")]),
    )
    text = plain(document.text)
    assert "(一)活动开展不多" not in text and "\n活动开展不多。次数少。" in text
    community = make_unit("某社区", town.town_a, Unit.Type.COMMUNITY)
    make_record(LawEvent, community, D(2023, 5, 1), form="法治讲座", participants=30)
    work = plain(build(Period.parse("2023Q2"), community).text).split("一、当前工作开展情况")[1].split("二、")[0]
    assert "(一)" not in work and "\n抓牢权益维护,保障未成年人合法权益。" in work  # one area: no lone (一)


def test_a_single_unit_called_some_units(town):
    found = problems("2023-07-01:2023-07-31", town.city)  # 甲区 has a lesson, 乙区 a donation
    text = found["工作开展不够均衡"]
    assert "部分单位" in text  # two units are behind
    only_b = problems("2023-07-01:2023-07-31", town.district_b)
    assert all("部分单位" not in text for text in only_b.values())


def test_a_theme_not_held_on_the_occasion_named_before_it(town):
    make_record(ThemeDay, town.school_a, D(2023, 4, 2), day_type="主题团日", theme="一月之计", participants=9)
    make_record(ThemeDay, town.school_a, D(2023, 4, 3), day_type="主题团日", theme="一月之计", participants=9)
    text = word("2023Q2", town.city)
    assert "在“五四”“六一”期间" in text and "“学习二十大 永远跟党走 奋进新征程”等主题团日3场" in text


def test_co_organisers_of_a_contest_the_sentence_does_not_name(town):
    make_record(
        CounsellorContest, town.district_a, D(2023, 6, 1), name="区辅导员培训", contestants=10, co_organisers="区妇联"
    )
    text = word("2023Q2", town.city)
    assert "联合市教育局、市少工委举办2023年全市少先队辅导员职业技能素养大赛等2场竞赛、培训" in text
    assert "区妇联" not in text


def test_cadres_trained_counted_as_counsellors(town):
    make_record(CounsellorContest, town.city, D(2023, 6, 2), name="全市团干部培训班", contestants=40)
    text = word("2023Q2", town.city)
    assert "56名少先队辅导员" in text and "40名团干部参加培训" in text and "96名" not in text


def test_hope_homes_not_named_as_their_streets_say_them(cast):
    street = make_unit("城关街道团工委", cast.district_a, Unit.Type.TOWN)
    for name in ("阳光社区希望家园", "幸福小区希望家园"):
        make_venue(street, name, venue_type=Venue.Type.HOPE_HOME, opened_on=D(2023, 1, 5))
    text = word("2023Q2", cast.city)
    assert "已建立城关街道幸福小区、阳光社区2个“希望家园”示范点" in text


def test_the_venue_problem_above_half_use_or_with_venue_types_the_unit_lacks(town):
    assert "阵地利用不够" in problems("2023Q2", town.city)  # 1 of 3 used
    text = problems("2023Q2", town.city)["阵地利用不够"]
    assert "少先队校外实践教育基地" not in text and "“青年之家·红领巾之家”" in text
    make_record(CareEvent, town.school_a, D(2023, 6, 2), name="用阵地", beneficiaries=5, venue=town.youth_home)
    assert "阵地利用不够" not in problems("2023Q2", town.city)  # 2 of 3: above half


def test_the_12355_and_ceremony_problems_for_a_unit_that_has_neither(town):
    community = make_unit("某社区", town.town_a, Unit.Type.COMMUNITY)
    make_record(LawEvent, community, D(2023, 5, 1), form="法治讲座", participants=30)
    found = problems("2023Q2", community)
    assert "与12355青少年服务台对接不够" not in found and "仪式教育尚未全覆盖" not in found
    assert "与12355青少年服务台对接不够" in problems("2023Q3", town.city)  # the city runs the desk


def test_a_unit_without_records_gets_a_fragment(town):
    text = word("2023Q2", town.school_a2)
    work = text.split("一、当前工作开展情况")[1].split("二、")[0]
    assert work.strip() == "甲区第二小学本期未填报台账记录。"


def test_the_annex_claims_every_unit_reported_when_it_has_none(town):
    import openpyxl

    content, _notes = build_file(Period.parse("2023Q2"), town.school_a2, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["报送情况"]
    notes = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "均有记录" not in notes
    assert "没有直属单位" in notes and "本期没有填报台账记录" in notes


def test_data_gaps_only_on_the_page_not_on_request_in_the_word_file(town):
    plain_text = word("2023Q3", town.city)
    with_gaps = word("2023Q3", town.city, gaps_appendix=True)
    assert "附:数据缺口" not in plain_text
    appendix = with_gaps.split("附:数据缺口")[1]
    assert "1.主题团队日:本期没有记录" in appendix


def test_a_psych_service_of_one_kind_followed_by_etc(town):
    make_record(PsychService, town.school_a, D(2023, 8, 1), service_type="个体咨询", served=5, provider="社工站")
    text = word("2023Q3", town.city)
    assert "联合社会专业力量开展个体咨询心理健康服务1场次" in text

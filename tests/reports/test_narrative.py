"""The wording: the seed's sentences with real figures, gaps instead of XX, full-width punctuation."""

import datetime as dt
import re
import unicodedata

from activities.models import Ceremony
from reports.compose import build
from reports.document import Item, ReportText
from tests.factories import make_record
from youthwork.periods import Period

Q2 = Period.parse("2023Q2")


def plain(text: str) -> str:
    """The text with full-width punctuation folded to ASCII (NFKC), so tests can be typed plainly."""
    return unicodedata.normalize("NFKC", text)


def test_the_first_section_follows_the_seed_with_real_figures(town):
    text = plain(build(Q2, town.city).text)
    assert "(一)加强思想引领,引导未成年人向上向善" in text
    assert "一是深化思政教育。常态化开展“青年大学习”“红领巾爱学习”网上主题团、队课" in text
    assert "学生团员、少先队员累计参学量达3500人次" in text
    assert "二是加强仪式教育。在“五四”“六一”期间,动员全市共青团、少先队组织开展" in text
    assert "主题团日1场、“学习二十大 争做好队员”主题队日2场,参与团员、队员650人次" in text
    assert "全市2所中小学校开展2023年新共青团员入团仪式、新少先队员入队仪式,覆盖率66.7%(2/3所)" in text
    assert "三是提升育人水平。联合市教育局、市少工委举办2023年全市少先队辅导员职业技能素养大赛" in text
    assert "56名少先队辅导员以现场答题、情景答辩、活动展示的形式开展比拼" in text


def test_care_and_rights_sentences_carry_their_figures(town):
    text = plain(build(Q2, town.city).text)
    assert "今年以来累计募集、争取助学金、生活补助等资金35.24万元,资助贫困家庭学生2人" in text
    assert "开展“情暖六一”等关爱留守儿童、困境儿童活动2场,发放各类爱心物资价值8650元" in text
    assert "本季度共在甲街道、乙区2个支教点开班,为105名入班儿童提供课业辅导、安全教育、兴趣培养、素质拓展服务" in text
    assert "网上发布政务实习岗位50个" in text
    assert "联合市检察院印发《关于加强志愿服务与检察公益诉讼协作的意见》" in text
    assert "本季度在甲区第一小学、乙区第一中学举办专家授课、法治讲座、模拟法庭等活动4场" in text
    assert "拉设安全警戒线5处,竖立警示提示牌20块,组织青年志愿者36人次开展安全巡查12次" in text
    assert "对接市12355青少年服务台在乙区第一中学举办中考考前心理减压讲座" in text
    assert "线下张贴海报200张、线上转发推文12篇" in text and "覆盖3.5万人次" in text


def test_full_coverage_reads_as_such(town):
    make_record(Ceremony, town.school_a2, dt.date(2023, 6, 1), ceremony_type="入队仪式", new_members=20)
    text = plain(build(Q2, town.city).text)
    assert "全市各中小学校开展2023年新共青团员入团仪式、新少先队员入队仪式全覆盖" in text
    assert "覆盖率" not in text.split("二、工作亮点")[0]


def test_missing_data_is_left_out_and_listed_never_xx_or_zero(town):
    document = build(Period.parse("2023Q3"), town.city)
    text = plain(document.text)
    assert "XX" not in text and not re.search(r"(?<![\d.])0(场|人次)", text)
    gaps = "\n".join(document.gaps)
    assert "主题团队日:本期没有记录" in plain(gaps)
    assert "法治宣教:本期没有记录" in plain(gaps)
    ceremony = text.split("加强仪式教育。")[1].split("。")[0]
    assert "主题团日" not in ceremony and "覆盖率66.7%" in ceremony  # no theme day in Q3; coverage is 今年以来
    assert "累计参学量达1.35万人次" in text  # 今年以来 runs on with the July lesson (9999)


def test_a_lone_point_is_not_numbered(town):
    text = plain(build(Period.parse("2023Q3"), town.city).text)
    care = text.split("(二)")[1].split("(三)")[0]
    assert "一是" not in care and "二是" not in care


def test_sections_without_content_are_left_out_and_renumbered(town):
    empty = build(Period.parse("2021Q1"), town.city, ReportText(title="T", opening=""))
    assert [block.text for block in empty.blocks if block.kind == "heading1"] == ["一、当前工作开展情况"]
    assert [plain(gap).split(":")[0] for gap in empty.gaps[-3:]] == ["工作亮点", "存在的主要问题", "下一步工作打算"]
    only_plans = build(
        Period.parse("2021Q1"), town.city, ReportText(title="T", opening="", plans=[Item("打算", "内容")])
    )
    assert [plain(block.text) for block in only_plans.blocks if block.kind == "heading1"] == [
        "一、当前工作开展情况",  # 本期未填报台账记录
        "二、下一步工作打算",
    ]


def test_punctuation_is_full_width_and_control_characters_are_removed(town):
    text = ReportText(
        title="报告",
        opening='自专项行动开展以来,团市委"防教结合"\x0b工作:',
        problems=[Item("活动开展不多", "与12355服务台对接不够(次数少)。")],
    )
    document = build(Q2, town.city, text)
    opening = document.blocks[0].text
    assert "\x0b" not in opening and "\uff0c" in opening and "“防教结合”" in opening and opening.endswith("\uff1a")
    problem = next(block for block in document.blocks if block.text.startswith("活动开展不多"))
    assert problem.text.startswith("活动开展不多。与12355") and "\uff08次数少\uff09" in problem.text


def test_the_editors_highlight_continues_the_datas_points(town):
    text = ReportText(title="T", opening="", highlight="三是党委有重视。副市长专程看望志愿者。")
    document = build(Q2, town.city, text)
    highlight = plain(document.text.split("二、工作亮点")[1].split("三、")[0])
    assert "一是阵地有基础" in highlight and "二是队伍有保障" in highlight
    assert ";三是党委有重视。副市长专程看望志愿者。" in highlight


def test_problems_proposed_from_the_data(town):
    proposals = {p.problem.heading: plain(p.problem.text) for p in build(Q2, town.city).proposals}
    assert "阵地利用不够" in proposals and "利用率为33.3%" in proposals["阵地利用不够"]
    assert "甲小红领巾之家、乙区希望家园本季度没有活动记录" in proposals["阵地利用不够"]
    assert "仪式教育尚未全覆盖" in proposals and "甲区第二小学" in proposals["仪式教育尚未全覆盖"]
    q3 = {p.problem.heading: plain(p.problem.text) for p in build(Period.parse("2023Q3"), town.city).proposals}
    assert "关爱活动惠及人次上季度400人次,本季度没有记录" in q3["部分工作较上季度有所下降"]
    assert "思想引领方面,乙区团委本季度没有填报记录" in q3["工作开展不够均衡"]
    assert "与12355青少年服务台对接不够" in q3

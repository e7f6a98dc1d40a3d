"""The Word report opened with python-docx: GB/T 9704 page, fonts by name, headings, figures, no XX."""

import datetime as dt
import io
import unicodedata

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from reports import document as report_document
from reports.builder import build_outputs
from reports.compose import build
from reports.document import Item, ReportText
from reports.models import PlanItem, ProblemItem, WorkReport
from reports.render import docx as word
from youthwork.periods import Period

Q2 = Period.parse("2023Q2")
THEME = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def plain(text):
    return unicodedata.normalize("NFKC", text)


@pytest.fixture
def report(town):
    report = WorkReport.objects.create(
        unit=town.city,
        period_code="2023Q2",
        signing_unit="团市委",
        signing_date=dt.date(2023, 7, 5),
        opening="现将2023年第二季度工作情况汇报如下:",
    )
    ProblemItem.objects.create(report=report, order=1, heading="活动开展不多", text="与12355对接次数还不够。")
    ProblemItem.objects.create(report=report, order=2, heading="资源整合不足", text="社会资源联系不够。")
    PlanItem.objects.create(report=report, order=1, heading="加大项目投入,创新活动形式", text="加强合作。")
    PlanItem.objects.create(report=report, order=2, heading="深化教育帮扶", text="整合资源。")
    return report


@pytest.fixture
def document(town, report):
    return docx.Document(io.BytesIO(build_outputs(Q2, town.city, report=report).docx))


def test_the_page_is_a4_with_the_official_margins_and_grid(document):
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin, section.header_distance, section.footer_distance]
    assert [round(length.mm) for length in measured] == [210, 297, 37, 35, 28, 26, 15, 25]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"


def test_each_style_names_its_chinese_font_in_east_asia_without_theme_fonts(document):
    expected = {
        "Normal": "仿宋_GB2312",
        word.TITLE_STYLE: "方正小标宋简体",
        word.HEADING1_STYLE: "黑体",
        word.HEADING2_STYLE: "楷体_GB2312",
        word.LEAD_STYLE: "楷体_GB2312",
        word.PAGE_NUMBER_STYLE: "宋体",
    }
    for name, font in expected.items():
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert not [attribute for attribute in THEME if fonts.get(qn(attribute))], name
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:ascii")) == "Times New Roman" and normal.get(qn("w:hint")) == "eastAsia"
    page = document.styles[word.PAGE_NUMBER_STYLE].element.rPr.find(qn("w:rFonts"))
    assert {page.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"宋体"}
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert not [a for a in THEME if defaults.find(qn("w:rFonts")).get(qn(a))]
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_body_lines_are_exactly_28_95_points_and_headings_carry_outline_levels(document):
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert normal.paragraph_format.first_line_indent.pt == pytest.approx(32)
    assert normal.paragraph_format.space_after.pt == 0
    assert normal.font.size.pt == 16 and document.styles[word.TITLE_STYLE].font.size.pt == 22
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    for name, level in ((word.HEADING1_STYLE, "0"), (word.HEADING2_STYLE, "1")):
        assert document.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level
        assert document.styles[name].font.bold is False


def test_headings_come_in_order_and_figures_are_in_the_text(document):
    paragraphs = document.paragraphs
    level1 = [plain(p.text) for p in paragraphs if p.style.name == word.HEADING1_STYLE]
    assert level1 == ["一、当前工作开展情况", "二、工作亮点", "三、存在的主要问题", "四、下一步工作打算"]
    level2 = [plain(p.text)[:3] for p in paragraphs if p.style.name == word.HEADING2_STYLE]
    assert level2 == ["(一)", "(二)", "(三)"]
    text = plain("\n".join(p.text for p in paragraphs))
    for figure in ("3500人次", "覆盖率66.7%(2/3所)", "35.24万元", "资助贫困家庭学生2人", "活动4场", "覆盖3.5万人次"):
        assert figure in text
    assert "XX" not in text and "0场" not in text
    leads = [run.text for p in paragraphs for run in p.runs if run.style.name == word.LEAD_STYLE]
    assert [plain(lead) for lead in leads] == [
        "(一)活动开展不多。",
        "(二)资源整合不足。",
        "(一)加大项目投入,创新活动形式。",
        "(二)深化教育帮扶。",
    ]
    body = paragraphs[[p.style.name for p in paragraphs].index(word.HEADING2_STYLE) + 1].text
    assert "\uff0c" in body and "," not in body  # full-width commas in Chinese text


def test_the_title_breaks_between_words(document):
    title = document.paragraphs[0]
    assert title.style.name == word.TITLE_STYLE
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.text == "关于未成年人保护和预防未成年人违法犯罪\n专项行动的工作情况报告"
    assert document.paragraphs[1].text == ""  # one blank line under the title


def test_page_numbers_are_dashes_around_a_page_field_right_on_odd_left_on_even(document):
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment and paragraph.style.name == word.PAGE_NUMBER_STYLE
        assert paragraph.text == "— 1 —"
        kinds = [e.get(qn("w:fldCharType")) for e in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [e.text for e in paragraph._p.iter(qn("w:instrText"))] == [" PAGE "]
    assert section.footer.paragraphs[0].paragraph_format.right_indent.pt == pytest.approx(14)
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent.pt == pytest.approx(14)


def test_the_signature_is_placed_as_gbt_9704_says(document):
    unit, date = document.paragraphs[-2], document.paragraphs[-1]
    assert document.paragraphs[-3].text == ""
    assert (unit.text, date.text) == ("团市委", "2023年7月5日")
    assert unit.alignment is None and unit.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # the date is longer than the name: the date sits two characters from the right, the name moves left
    assert date.paragraph_format.right_indent.pt == pytest.approx(32)
    assert unit.paragraph_format.right_indent.pt == pytest.approx(32 + 96 + 32 - 48)


def test_font_names_are_settings(town, settings):
    settings.REPORT_FONT_BODY = "仿宋"
    settings.REPORT_FONT_HEADING2 = "楷体"
    rendered = docx.Document(io.BytesIO(word.render(build(Q2, town.city))))
    assert rendered.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert rendered.styles[word.HEADING2_STYLE].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"


def test_control_characters_from_users_do_not_break_the_file(town):
    text = ReportText(title="报告\x0c", opening="开头\x0b文字\x00", problems=[Item("问题\x1f", "内容\x08")])
    rendered = docx.Document(io.BytesIO(word.render(build(Q2, town.city, text))))
    assert rendered.paragraphs[0].text == "报告"
    assert "开头文字" in [p.text for p in rendered.paragraphs]


def test_long_titles_split_where_words_allow():
    assert report_document.split_title("短标题") == ["短标题"]
    assert report_document.split_title("关于开展 工作的通知") == ["关于开展", "工作的通知"]
    lines = report_document.split_title("关于进一步加强全市未成年人保护和预防未成年人违法犯罪工作的实施意见")
    assert all(len(line) <= report_document.TITLE_CHARS_PER_LINE for line in lines) and "".join(lines).startswith(
        "关于"
    )


def test_property_elements_follow_the_schema_order_word_insists_on(document):
    parts = [document.styles.element, document.element]
    section = document.sections[0]
    parts += [section.footer._element, section.even_page_footer._element]
    for part in parts:
        for tag, sequence in (("w:pPr", word.PPR_ORDER), ("w:rPr", word.RPR_ORDER)):
            for properties in part.iter(qn(tag)):
                order = [sequence.index(child.prefix + ":" + child.tag.split("}")[1]) for child in properties]
                assert order == sorted(order), [child.tag.split("}")[1] for child in properties]

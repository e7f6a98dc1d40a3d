"""The Word renderer: a reports.document Document laid out as an official document (GB/T 9704-2012).

Only layout happens here (shared/REPORT_FORMAT.md): A4 with the standard margins and a 22-line grid,
fonts written by name into each style (`w:eastAsia` for Chinese, Times New Roman for Latin letters
and digits, theme fonts removed so that they cannot win), exact 28.95 pt lines, 一、 in 黑体, (一) in
楷体, `— N —` page numbers right on odd pages and left on even pages, and the signature placed as
§7.3.5.2 says. The font names are settings (REPORT_FONT_*), because some offices have only 仿宋/楷体.
"""

from __future__ import annotations

import io
import unicodedata

from django.conf import settings
from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.document import TEXT_WIDTH_MM, TITLE_SIZE_PT, Document, split_title

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(TITLE_SIZE_PT)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE = Pt(28.95)  # 22 lines in the 225 mm text area
TITLE_LINE = Pt(35)
CHAR = 16  # points: one character of body text
INDENT = Pt(2 * CHAR)  # first lines are indented two characters
TEXT_WIDTH_PT = Mm(TEXT_WIDTH_MM).pt
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Child order of w:pPr and w:rPr in the OOXML schema (ECMA-376 Part 1, §17.3.1.26 and §17.3.2.28).
PPR_ORDER = tuple(
    "w:" + name
    for name in (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
        "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
        "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)
RPR_ORDER = tuple(
    "w:" + name
    for name in (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
        "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
        "cs em lang eastAsianLayout specVanish oMath"
    ).split()
)

TITLE_STYLE = "公文标题"
HEADING1_STYLE = "公文一级标题"
HEADING2_STYLE = "公文二级标题"
LEAD_STYLE = "公文二级标题字符"
SIGNATURE_STYLE = "公文落款"
PAGE_NUMBER_STYLE = "公文页码"


def fonts() -> dict[str, str]:
    """The font names written into the file (settings REPORT_FONT_*, GB/T 9704 names by default)."""
    return {
        "body": getattr(settings, "REPORT_FONT_BODY", "仿宋_GB2312"),
        "heading1": getattr(settings, "REPORT_FONT_HEADING1", "黑体"),
        "heading2": getattr(settings, "REPORT_FONT_HEADING2", "楷体_GB2312"),
        "title": getattr(settings, "REPORT_FONT_TITLE", "方正小标宋简体"),
        "page_number": getattr(settings, "REPORT_FONT_PAGE_NUMBER", "宋体"),
        "latin": getattr(settings, "REPORT_FONT_LATIN", "Times New Roman"),
    }


def _put(parent, tag: str, sequence: tuple[str, ...], **attributes):
    """Add (or replace) a child element where the OOXML schema's order puts it: Word refuses files
    whose property elements come out of order, even when LibreOffice opens them."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    parent.insert_element_before(element, *sequence[sequence.index(tag) + 1 :])
    return element


def _set_fonts(rpr, east_asia: str, latin: str) -> None:
    """Write the font names into run properties: eastAsia for Chinese, latin for letters and digits."""
    rfonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _style_font(style, east_asia: str, latin: str, size: Pt, bold: bool = False) -> None:
    _set_fonts(style.element.get_or_add_rPr(), east_asia, latin)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False


def _exact(paragraph_format, line=LINE, first_line_indent=INDENT) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = line
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.first_line_indent = first_line_indent


def _no_grid_snap(style) -> None:
    _put(style.element.get_or_add_pPr(), "w:snapToGrid", PPR_ORDER, val="0")


def _outline_level(style, level: int) -> None:
    _put(style.element.get_or_add_pPr(), "w:outlineLvl", PPR_ORDER, val=str(level))


def _paragraph_style(document, name: str, base="Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def _setup_styles(document) -> None:
    names = fonts()
    latin = names["latin"]
    styles_element = document.styles.element

    # Document defaults: no theme fonts, Chinese language, no space after paragraphs.
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, names["body"], latin)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    _style_font(normal, names["body"], latin, BODY_SIZE)
    normal_rpr = normal.element.get_or_add_rPr()
    _put(normal_rpr, "w:spacing", RPR_ORDER, val="-5")  # characters condensed by 0.25 pt: 28 a line
    _put(normal_rpr, "w:lang", RPR_ORDER, val="en-US", eastAsia="zh-CN")
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    _exact(normal.paragraph_format)

    title = _paragraph_style(document, TITLE_STYLE)
    _style_font(title, names["title"], latin, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(title.paragraph_format, TITLE_LINE, Pt(0))
    _no_grid_snap(title)  # 35 pt lines would snap to two 28.95 pt grid lines
    title.paragraph_format.keep_with_next = True

    heading1 = _paragraph_style(document, HEADING1_STYLE)
    _style_font(heading1, names["heading1"], latin, BODY_SIZE)
    heading1.paragraph_format.keep_with_next = True
    _outline_level(heading1, 0)

    heading2 = _paragraph_style(document, HEADING2_STYLE)
    _style_font(heading2, names["heading2"], latin, BODY_SIZE)
    heading2.paragraph_format.keep_with_next = True
    _outline_level(heading2, 1)

    lead = document.styles.add_style(LEAD_STYLE, WD_STYLE_TYPE.CHARACTER)
    _style_font(lead, names["heading2"], latin, BODY_SIZE)

    signature = _paragraph_style(document, SIGNATURE_STYLE)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)
    signature.paragraph_format.keep_with_next = True

    page_number = _paragraph_style(document, PAGE_NUMBER_STYLE)
    page_font = names["page_number"]
    _style_font(page_number, page_font, page_font, PAGE_NUMBER_SIZE)
    rfonts = page_number.element.get_or_add_rPr().find(qn("w:rFonts"))
    rfonts.set(qn("w:cs"), page_font)
    page_number.paragraph_format.first_line_indent = Pt(0)
    page_number.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _setup_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    for attribute in list(grid.attrib):
        del grid.attrib[attribute]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _field_char(run, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


def _page_number(paragraph, alignment) -> None:
    """`— N —` with a PAGE field: odd pages right, even pages left, one character in from the edge."""
    paragraph.style = PAGE_NUMBER_STYLE
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    paragraph.add_run("— ")
    _field_char(paragraph.add_run(), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    _field_char(paragraph.add_run(), "separate")
    paragraph.add_run("1")
    _field_char(paragraph.add_run(), "end")
    paragraph.add_run(" —")


def _width(text: str) -> float:
    """Printed width in points at 16 pt: Chinese and full-width characters 16, others 8."""
    return sum(CHAR if unicodedata.east_asian_width(ch) in ("F", "W") else CHAR / 2 for ch in text)


def signature_indents(unit_name: str, date_text: str) -> tuple[float, float]:
    """Right indents (pt) of the signing unit and the date, GB/T 9704-2012 §7.3.5.2.

    The unit is set two characters in from the right; the date on the next line starts two
    characters to the right of where the unit starts; if that pushes the date past two characters
    from the right edge, the date is set there and the unit moves left to keep the offset.
    """
    name_width, date_width = _width(unit_name), _width(date_text)
    name_indent = 2 * CHAR
    date_indent = name_indent + name_width - 2 * CHAR - date_width
    if date_indent < 2 * CHAR:
        date_indent = 2 * CHAR
        name_indent = date_indent + date_width + 2 * CHAR - name_width
    return name_indent, date_indent


def _gaps_appendix(word, document: Document) -> None:
    """附:数据缺口 on a page of its own: what the report left out for want of records."""
    heading = word.add_paragraph("附:数据缺口", style=HEADING1_STYLE)
    heading.paragraph_format.page_break_before = True
    if not document.gaps:
        word.add_paragraph("报告中的每一项数据都有台账记录支撑。", style="Normal")
    for index, gap in enumerate(document.gaps, start=1):
        word.add_paragraph(f"{index}.{gap}", style="Normal")


def render(document: Document, gaps_appendix: bool = False) -> bytes:
    """The .docx bytes of a builder Document (with the 数据缺口 list as a last page when asked)."""
    word = new_document()
    _setup_styles(word)
    _setup_page(word)
    body = word.paragraphs[0] if word.paragraphs else None
    if body is not None:  # the template's empty first paragraph
        body._element.getparent().remove(body._element)

    title = word.add_paragraph(style=TITLE_STYLE)
    lines = split_title(document.title)
    for index, line in enumerate(lines):
        run = title.add_run(line)
        if index < len(lines) - 1:
            run.add_break()
    if document.subtitle:
        subtitle = word.add_paragraph(document.subtitle, style="Normal")
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle.paragraph_format.first_line_indent = Pt(0)
    word.add_paragraph(style="Normal")  # one blank line under the title

    for block in document.blocks:
        if block.kind == "heading1":
            word.add_paragraph(block.text, style=HEADING1_STYLE)
        elif block.kind == "heading2":
            word.add_paragraph(block.text, style=HEADING2_STYLE)
        else:
            paragraph = word.add_paragraph(style="Normal")
            if block.lead:
                paragraph.add_run(block.lead, style=LEAD_STYLE)
            if block.text:
                paragraph.add_run(block.text)

    word.add_paragraph(style="Normal")  # one blank line before the signature
    name_indent, date_indent = signature_indents(document.signing_unit, document.date_text)
    unit = word.add_paragraph(document.signing_unit, style=SIGNATURE_STYLE)
    unit.paragraph_format.right_indent = Pt(name_indent)
    date = word.add_paragraph(document.date_text, style=SIGNATURE_STYLE)
    date.paragraph_format.right_indent = Pt(date_indent)
    date.paragraph_format.keep_with_next = False
    if gaps_appendix:
        _gaps_appendix(word, document)

    core = word.core_properties
    core.title = document.title
    core.author = document.unit_name
    core.subject = f"{document.unit_name}{document.period_label}工作情况报告"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()

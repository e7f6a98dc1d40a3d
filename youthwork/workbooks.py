"""Workbooks the portal writes for users to fill in or edit: the blank template and sheet exports.

Both are read back by the importer without edits: the headers are the dictionary's, dates are date
cells, numbers are numbers, units and venues are named as the importer resolves them. Every value goes
through youthwork.spreadsheets.set_cell (formula-like text stays text, control characters removed).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from youthwork.ledgers import ColumnKind, SheetSpec, all_sheets
from youthwork.models import Unit
from youthwork.spreadsheets import DATE_FORMAT, append_row, set_cell

INSTRUCTIONS_SHEET = "填表说明"  # the template's own first sheet; the importer skips it silently
UNIT_CODES_SHEET = "单位编码"  # the downloading user's units and their codes; skipped silently too
GUIDE_SHEETS = frozenset({INSTRUCTIONS_SHEET, UNIT_CODES_SHEET})

TEMPLATE_ROWS = 1000  # rows below the header that carry the dropdowns and checks
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")

RULES = [
    "1. 每个工作表按名称识别,请不要修改工作表名称;用不到的工作表可以留空或删除。其他名称的工作表不会导入。",
    "2. 先导入“组织单位”和“阵地”,再导入各台账;台账中可以填写同一工作簿中新增的单位和阵地。",
    "3. 表头行须包含全部必填列(红色表头)。表头上方可以有标题行、“填报单位:”行;“序号”列、空行和"
    "“合计”“总计”“小计”行不会导入。",
    "4. 日期可以是Excel日期,也可以写成 2023-05-04、2023/5/4、2023.5.4、2023年5月4日 或 20230504。",
    "5. 人数、人次、数量为不小于0的整数;金额(元)为不小于0的数字,最多两位小数。可以带千位分隔符(1,234),"
    "全角数字(１２３４)也可以。",
    "6. 选项列只能填写下拉列表中的选项;多选列可以填写多个选项,用 、 , ; / 分隔。",
    "7. 填报单位、所在单位、上级单位填写单位编码或单位名称;有重名单位时请填写单位编码(见“单位编码”工作表:"
    "下载模板的账号可以填报的单位)。活动阵地填写阵地名称。",
    "8. 标有 † 的列合起来确定一条记录:再次导入同一条记录会更新原记录,不会重复新增。",
    "9. 整个工作簿一次导入:只要有一行有错误,就不会写入任何数据,并会列出每个错误所在的工作表、行号和列。",
    "10. 公式必须有计算结果:由其他软件生成的文件,请先在Excel中打开并保存后再上传。",
    "11. 只能导入本单位及下级单位的数据。",
]

KIND_NOTES = {
    ColumnKind.TEXT: "文字",
    ColumnKind.DATE: "日期,如 2023-05-04",
    ColumnKind.COUNT: "不小于0的整数",
    ColumnKind.AMOUNT: "金额(元),最多两位小数",
    ColumnKind.CHOICE: "单选",
    ColumnKind.MULTICHOICE: "多选,用 、 分隔",
    ColumnKind.UNIT: "单位编码或单位名称",
    ColumnKind.VENUE: "阵地名称",
}


def column_note(sheet: SheetSpec, column) -> str:
    """What a column accepts, for the header comment and the instructions sheet."""
    parts = ["必填" if column.required else "选填", KIND_NOTES[column.kind]]
    if column.max_length:
        parts[-1] += f",不超过{column.max_length}字"
    if column.choices:
        parts.append("可选:" + "、".join(column.choices))
    if column.default not in (None, "", False):
        parts.append(f"不填时为“{column.default}”")
    elif column.default is False:
        parts.append("不填时为“否”")
    if column.name in sheet.key or (sheet.model is Unit and column.name in ("name", "parent")):
        parts.append("†")
    return ";".join(parts)


def blank_template(units=None) -> bytes:
    """The blank workbook: instructions, the codes of `units` (the downloading user's; none: no such sheet),
    then every sheet in the dictionary's order with its header row, dropdowns on choice columns, checks on
    counts and amounts, and date-formatted date columns."""
    book = Workbook()
    guide = book.active
    guide.title = INSTRUCTIONS_SHEET
    _write_instructions(guide)
    if units is not None:
        _write_unit_codes(book.create_sheet(UNIT_CODES_SHEET), units)
    for sheet in all_sheets():
        worksheet = book.create_sheet(sheet.name)
        _write_header(worksheet, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_instructions(worksheet):
    worksheet.column_dimensions["A"].width = 16
    worksheet.column_dimensions["B"].width = 18
    worksheet.column_dimensions["C"].width = 90
    set_cell(worksheet.cell(1, 1), "青少年工作平台 工作簿填表说明").font = Font(bold=True, size=14)
    row = 3
    for rule in RULES:
        set_cell(worksheet.cell(row, 1), rule)
        row += 1
    row += 1
    for index, title in enumerate(("工作表", "列", "填写要求"), 1):
        set_cell(worksheet.cell(row, index), title).font = HEADER_FONT
    for sheet in all_sheets():
        for column in sheet.columns:
            row += 1
            set_cell(worksheet.cell(row, 1), sheet.name)
            set_cell(worksheet.cell(row, 2), column.header).font = REQUIRED_FONT if column.required else Font()
            set_cell(worksheet.cell(row, 3), column_note(sheet, column)).alignment = Alignment(wrap_text=True)


def _write_unit_codes(worksheet, units) -> None:
    """单位编码: each unit with its code and its path (two schools may share a name; the code tells them apart)."""
    for index, (title, width) in enumerate((("单位编码", 14), ("单位名称", 24), ("所属", 48)), 1):
        set_cell(worksheet.cell(1, index), title).font = HEADER_FONT
        worksheet.column_dimensions[get_column_letter(index)].width = width
    names = {}
    for row, unit in enumerate(units, 2):
        names[unit.pk] = unit.name
        set_cell(worksheet.cell(row, 1), unit.code)
        set_cell(worksheet.cell(row, 2), unit.name)
        set_cell(worksheet.cell(row, 3), " › ".join(names[pk] for pk in unit.lineage[:-1] if pk in names))
    worksheet.freeze_panes = "A2"


def _write_header(worksheet, sheet: SheetSpec):
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        cell = set_cell(worksheet.cell(1, index), column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.comment = Comment(column_note(sheet, column), "青少年工作平台")
        dimension = worksheet.column_dimensions[letter]
        dimension.width = max(12, min(40, 2 * len(column.header) + 4, (column.max_length or 0) // 4 + 12))
        cells = f"{letter}2:{letter}{last}"
        validation = None
        if column.kind == ColumnKind.DATE:
            dimension.number_format = DATE_FORMAT
        elif column.kind == ColumnKind.CHOICE:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            validation.error = f"{column.header}只能填写:" + "、".join(column.choices)
        elif column.kind == ColumnKind.COUNT:
            validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            validation.error = f"{column.header}应为不小于0的整数"
        elif column.kind == ColumnKind.AMOUNT:
            validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            validation.error = f"{column.header}应为不小于0的数字,最多两位小数"
        elif column.kind == ColumnKind.MULTICHOICE:
            validation = DataValidation(allow_blank=True, showErrorMessage=False)
        if validation is not None:
            validation.errorTitle = "填写有误"
            validation.showErrorMessage = column.kind != ColumnKind.MULTICHOICE
            validation.prompt = column_note(sheet, column)
            validation.showInputMessage = True
            worksheet.add_data_validation(validation)
            validation.add(cells)
    worksheet.freeze_panes = "A2"


def dataset_to_xlsx(dataset, sheet: SheetSpec | None) -> bytes:
    """A tablib Dataset (a resource's export) as an .xlsx whose sheet the importer recognises."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet.name if sheet is not None else (dataset.title or "Sheet1"))
    headers = list(dataset.headers or [])
    for index, header in enumerate(headers, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(str(header)) + 4)
    worksheet.freeze_panes = "A2"
    if headers:
        for cell in append_row(worksheet, headers):
            cell.font = HEADER_FONT
    for row in dataset:
        append_row(worksheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""manage.py build_report --period P [--unit CODE_OR_NAME] --format docx|xlsx|html --output PATH [--gaps-appendix]

The 数据缺口 (what the report left out for want of records) go to stderr, one `数据缺口:…` line each.
"""

from django.core.management.base import BaseCommand, CommandError

from reports.builder import FORMATS, build_file
from youthwork.models import Unit
from youthwork.periods import Period, PeriodError


def find_unit(text: str | None) -> Unit:
    """The unit named by its 单位编码 or 单位名称 (the root when not given); a clear error otherwise."""
    if not text:
        root = Unit.objects.filter(parent__isnull=True).first()
        if root is None:
            raise CommandError("还没有任何组织单位:请先创建或导入组织单位")
        return root
    text = text.strip()
    by_code = Unit.objects.filter(code=text).first()
    if by_code is not None:
        return by_code
    named = list(Unit.objects.filter(name=text).order_by("path"))
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        codes = "、".join(unit.code or f"(无编码,上级单位:{unit.parent})" for unit in named)
        raise CommandError(f"有{len(named)}个单位名为“{text}”,请改用单位编码:{codes}")
    raise CommandError(f"找不到单位“{text}”:请填写单位编码或单位名称")


class Command(BaseCommand):
    help = "用当前台账数据生成工作情况报告(不保存报告记录):Word 正文、Excel 附表或 HTML 预览"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="期间:2023Q2、2023H1、2023 或 2023-04-01:2023-06-30")
        parser.add_argument("--unit", help="报告单位的单位编码或单位名称(默认:根单位,即市级团委)")
        parser.add_argument("--format", required=True, choices=FORMATS, help="输出格式:docx、xlsx 或 html")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument(
            "--gaps-appendix",
            action="store_true",
            help="在 Word 正文后另起一页附上“数据缺口”清单(数据缺口总会输出到标准错误)",
        )

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        unit = find_unit(options["unit"])
        content, notes = build_file(period, unit, options["format"], gaps_appendix=options["gaps_appendix"])
        try:
            with open(options["output"], "wb") as output:
                output.write(content)
        except OSError as error:
            raise CommandError(f"无法写入输出文件 {options['output']}:{error.strerror}") from error
        for note in notes:
            self.stderr.write(note)
        self.stdout.write(f"已生成 {unit.name}{period.label}工作情况报告({options['format']}):{options['output']}")

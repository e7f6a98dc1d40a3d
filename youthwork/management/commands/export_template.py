"""python manage.py export_template PATH: write the blank workbook units fill in (the admin offers the same)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from youthwork.workbooks import blank_template


class Command(BaseCommand):
    help = "生成空白的导入模板工作簿(.xlsx)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="模板保存的路径,例如 导入模板.xlsx")

    def handle(self, *args, path, **options):
        try:
            Path(path).write_bytes(blank_template())
        except OSError as exc:
            raise CommandError(f"无法写入{path}:{exc.strerror or exc}") from exc
        self.stdout.write(f"已生成导入模板:{path}")

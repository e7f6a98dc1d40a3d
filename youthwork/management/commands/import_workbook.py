"""python manage.py import_workbook PATH [--dry-run] [--user USERNAME]

Prints a line per recognised sheet (`<sheet>: 新增 n, 更新 n, 未变 n, 错误 n`), a line per skipped
sheet (`未识别的工作表: <name>`), then every error (`工作表 <sheet> 第<row>行 <column>: <reason>`).
Exit status: 0 imported (or a clean dry run), 1 row errors (nothing written) or no sheet to import,
2 the file cannot be read as an .xlsx workbook (not xlsx, damaged, encrypted, too large, or crafted:
youthwork/spreadsheets.py inspect_upload).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from youthwork.importing.engine import WorkbookUnreadable, import_workbook
from youthwork.spreadsheets import max_upload_bytes


class Command(BaseCommand):
    help = "导入一个单位的Excel工作簿(全部导入或全部不导入)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="工作簿(.xlsx)的路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查,不写入")
        parser.add_argument("--user", help="以该用户的身份和管理范围导入(不填则不限范围)")

    def handle(self, *args, path, dry_run, user, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).select_related("unit").first()
            if importer is None:
                raise CommandError(f"用户“{user}”不存在")
        data = _read(Path(path))
        try:
            outcome = import_workbook(data, user=importer, dry_run=dry_run, file_name=Path(path).name)
        except WorkbookUnreadable as exc:
            raise CommandError(f"无法读取工作簿:{exc}", returncode=2) from exc
        for line in outcome.lines():
            self.stdout.write(line)
        if outcome.errors:
            raise CommandError(f"有{len(outcome.errors)}处错误,没有写入任何数据", returncode=1)
        if not outcome.sheets:
            raise CommandError("工作簿中没有可以导入的工作表,没有写入任何数据", returncode=1)
        self.stderr.write("检查通过,没有写入任何数据(试运行)" if dry_run else "导入完成")


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > max_upload_bytes():
            from django.conf import settings

            raise CommandError(
                f"无法读取工作簿:文件超过{settings.IMPORT_MAX_MEGABYTES}MB的上限,请分成几个工作簿", returncode=2
            )
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取工作簿:{exc.strerror or exc}", returncode=2) from exc

"""python manage.py load_demo [--today YYYY-MM-DD] [--records N [--year YYYY]]: the demo city, and more records.

Without --records: the demo city with records in every ledger over the last five quarters up to today
(this quarter so far and the four before it; --today pins the day, for tests and screenshots); running
it twice on the same day changes nothing. With --records N: the demo city as above, then about N more
records over every ledger, every unit and the days of --year (youthwork.demo.volume); each run adds N more.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from youthwork.demo import DemoDateError, load_demo
from youthwork.demo.volume import VolumeError, add_records, year_days


class Command(BaseCommand):
    help = (
        "创建演示数据:一个示范城市的组织、阵地、三个演示账号和最近五个季度(本季度至今天及此前四个季度)的台账记录"
        "(重复运行不会重复创建;--today 指定“今天”)。"
        "加 --records N 再批量新增约 N 条台账记录,分布在每个台账、每个单位和 --year 年的各月"
        "(默认今年1月1日至今天);每次运行都再新增 N 条。批量新增的记录各有一条“新增”修改记录"
        "(原因:演示数据),不写入已被定稿报告锁定的期间。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=0, metavar="N", help="再批量新增约 N 条台账记录")
        parser.add_argument(
            "--year", type=int, default=None, metavar="YYYY", help="批量记录的年份(默认今年,日期截至今天)"
        )
        parser.add_argument("--seed", type=int, default=None, help="随机数种子(默认每次不同)")
        parser.add_argument(
            "--today",
            default=None,
            metavar="YYYY-MM-DD",
            help="演示记录截至的日期(默认今天),记录覆盖它所在季度及此前四个季度",
        )

    def handle(self, *args, **options):
        if options["records"] < 0:
            raise CommandError("--records 不能为负数")
        if options["year"] is not None and not options["records"]:
            raise CommandError("--year 只和 --records 一起使用")
        if options["records"]:
            try:
                year_days(options["year"])
            except VolumeError as exc:
                raise CommandError(str(exc)) from exc
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today 日期无法识别:{options['today']}(应写作 2023-12-31)") from exc
        try:
            summary = load_demo(today=today)
        except DemoDateError as exc:
            raise CommandError(str(exc)) from exc
        for label, (created, total) in summary.items():
            self.stdout.write(f"{label}: 新增 {created}, 共 {total}")
        if options["records"]:
            started = time.perf_counter()
            try:
                added = add_records(options["records"], year=options["year"], seed=options["seed"])
            except VolumeError as exc:
                raise CommandError(str(exc)) from exc
            for sheet, count in added.items():
                self.stdout.write(f"批量 {sheet}: 新增 {count}")
            self.stdout.write(f"批量新增共 {sum(added.values())} 条,用时 {time.perf_counter() - started:.1f} 秒")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号 admin / staff / leader,密码 youthwork-demo"))

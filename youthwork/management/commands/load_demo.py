"""python manage.py load_demo: a demo city with a year of records in every ledger. Running it twice changes nothing."""

from django.core.management.base import BaseCommand

from youthwork.demo import load_demo


class Command(BaseCommand):
    help = "创建演示数据:一个示范城市的组织、阵地、三个演示账号和2023年全年的台账记录(重复运行不会重复创建)"

    def handle(self, *args, **options):
        summary = load_demo()
        for label, (created, total) in summary.items():
            self.stdout.write(f"{label}: 新增 {created}, 共 {total}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号 admin / staff / leader,密码 youthwork-demo"))

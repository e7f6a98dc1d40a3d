"""send_reminders: e-mail the users whose quarter is not yet submitted, and the reviewers of waiting submissions.

Run once a day (cron, a systemd timer; see README 报送与审核). From 5 days before the deadline, each unit's
录入员 and 管理员 (with an e-mail address) whose last finished quarter is 未报送 or 已退回 get a mail; the
管理员 of a parent unit gets one listing the submissions waiting for review. --dry-run prints them instead.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from submissions.reminders import reminders, subject


class Command(BaseCommand):
    help = "发送报送与审核提醒邮件(未报送的单位用户、待审核的上级单位管理员)"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出收件人和内容,不发送")

    def handle(self, *args, dry_run=False, **options):
        found = reminders(timezone.localdate())
        sent = 0
        for user, lines in found:
            greeting = f"{user.get_full_name() or user.username}:"
            body = "\n".join([greeting, "", *lines, "", "请登录青少年工作平台“报送情况”页面处理。"])
            if dry_run:
                self.stdout.write(f"{user.email}({user.unit}):{';'.join(lines)}")
                continue
            sent += send_mail(subject(lines), body, settings.DEFAULT_FROM_EMAIL, [user.email])
        if dry_run:
            self.stdout.write(f"共{len(found)}封提醒邮件(未发送)")
        else:
            self.stdout.write(f"已发送{sent}封提醒邮件")

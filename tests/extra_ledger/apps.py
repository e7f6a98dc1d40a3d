from django.apps import AppConfig


class ExtraLedgerConfig(AppConfig):
    name = "tests.extra_ledger"
    label = "extra_ledger"
    verbose_name = "测试台账"

from django.apps import AppConfig


class YouthworkConfig(AppConfig):
    name = "youthwork"
    verbose_name = "组织与用户"

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class YouthworkConfig(AppConfig):
    name = "youthwork"
    verbose_name = "组织与用户"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "youthwork.admin_site.YouthworkAdminSite"

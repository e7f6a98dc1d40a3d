from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class YouthworkConfig(AppConfig):
    name = "youthwork"
    verbose_name = "组织与用户"
    default = True

    def ready(self):
        from youthwork.roles import sync_roles_after_migrate
        from youthwork.search import create_trigram_indexes

        # After Django's own permissions (this app comes after auth in INSTALLED_APPS): the roles get
        # the permissions of every model, also of a ledger added since the database was first migrated.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="youthwork.sync_roles")
        # On PostgreSQL, the trigram indexes of every ledger's searched columns (youthwork.search).
        post_migrate.connect(create_trigram_indexes, sender=self, dispatch_uid="youthwork.trigram_indexes")


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "youthwork.admin_site.YouthworkAdminSite"

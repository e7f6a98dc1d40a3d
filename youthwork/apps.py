from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class YouthworkConfig(AppConfig):
    name = "youthwork"
    verbose_name = "组织与用户"
    default = True

    def ready(self):
        from youthwork.roles import sync_roles_after_migrate
        from youthwork.search import create_trigram_indexes
        from youthwork.sessions import start_the_clock

        # After Django's own permissions (this app comes after auth in INSTALLED_APPS): the roles get
        # the permissions of every model, also of a ledger added since the database was first migrated.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="youthwork.sync_roles")
        # The database cache's table (settings.CACHES) exists after `migrate` alone, whatever its name.
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="youthwork.create_cache_table")
        # On PostgreSQL, the trigram indexes of every ledger's searched columns (youthwork.search).
        post_migrate.connect(create_trigram_indexes, sender=self, dispatch_uid="youthwork.trigram_indexes")
        # A login saves the session anyway: it carries the time its idle clock was last moved (youthwork.sessions).
        user_logged_in.connect(start_the_clock, dispatch_uid="youthwork.session_clock")


def create_cache_table(using="default", verbosity=1, **kwargs) -> None:
    """Create the table of every database cache of settings.CACHES that lacks it (Django's createcachetable)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=1 if verbosity > 1 else 0)


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "youthwork.admin_site.YouthworkAdminSite"

from django.db import migrations

from youthwork.roles import sync_roles


class Migration(migrations.Migration):
    """Give 管理员 the new import/export permissions on units and venues (see youthwork/roles.py)."""

    dependencies = [("youthwork", "0004_import_export_permissions_and_uploads")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

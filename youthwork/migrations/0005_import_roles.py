from django.db import migrations



class Migration(migrations.Migration):
    """Now a no-op: the roles are synced after every migrate (youthwork.roles.sync_roles_after_migrate).

    Was: Give 管理员 the new import/export permissions on units and venues (see youthwork/roles.py)."""

    dependencies = [("youthwork", "0004_import_export_permissions_and_uploads")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

from django.db import migrations



class Migration(migrations.Migration):
    """Now a no-op: the roles are synced after every migrate (youthwork.roles.sync_roles_after_migrate).

    Was: Give the roles their permissions on the reports app (see youthwork/roles.py)."""

    dependencies = [("youthwork", "0002_roles"), ("reports", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

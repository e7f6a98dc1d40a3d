from django.db import migrations

from youthwork.roles import sync_roles


class Migration(migrations.Migration):
    """Give the roles their permissions on the reports app (see youthwork/roles.py)."""

    dependencies = [("youthwork", "0002_roles"), ("reports", "0001_initial")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

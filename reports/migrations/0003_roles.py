from django.db import migrations

from youthwork.roles import sync_roles


class Migration(migrations.Migration):
    """Give the roles their permissions on the report items and reopening (see youthwork/roles.py).

    Kept in the reports app (rather than a youthwork 0004) so that parallel branches adding youthwork
    migrations do not end up with two leaf migrations there.
    """

    dependencies = [("reports", "0002_items_text_frozen_files"), ("youthwork", "0003_report_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

from django.db import migrations

from youthwork.roles import sync_roles


class Migration(migrations.Migration):
    """Give the roles their permissions on the report items and reopening (see youthwork/roles.py).

    Kept in the reports app (rather than another youthwork migration) so that parallel branches adding youthwork
    migrations do not end up with two leaf migrations there; it runs after the last youthwork role sync
    so that the roles end with every grant of youthwork/roles.py.
    """

    dependencies = [("reports", "0002_items_text_frozen_files"), ("youthwork", "0005_import_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

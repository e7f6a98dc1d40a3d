from django.db import migrations



class Migration(migrations.Migration):
    """Now a no-op: the roles are synced after every migrate (youthwork.roles.sync_roles_after_migrate).

    Was: Give the roles their permissions on the report items and reopening (see youthwork/roles.py).

    Kept in the reports app (rather than another youthwork migration) so that parallel branches adding youthwork
    migrations do not end up with two leaf migrations there; it runs after the last youthwork role sync
    so that the roles end with every grant of youthwork/roles.py.
    """

    dependencies = [("reports", "0002_items_text_frozen_files"), ("youthwork", "0005_import_roles")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

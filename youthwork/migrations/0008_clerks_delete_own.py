from django.db import migrations



class Migration(migrations.Migration):
    """Now a no-op: the roles are synced after every migrate (youthwork.roles.sync_roles_after_migrate).

    Was: Give 录入员 the new delete_own permission on every ledger (see youthwork/roles.py)."""

    dependencies = [
        ("youthwork", "0007_field_rules"),
        ("activities", "0004_field_rules"),
        ("assistance", "0004_field_rules"),
        ("legal_education", "0004_field_rules"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

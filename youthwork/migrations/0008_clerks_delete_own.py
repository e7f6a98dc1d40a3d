from django.db import migrations

from youthwork.roles import sync_roles


class Migration(migrations.Migration):
    """Give 录入员 the new delete_own permission on every ledger (see youthwork/roles.py)."""

    dependencies = [
        ("youthwork", "0007_field_rules"),
        ("activities", "0004_field_rules"),
        ("assistance", "0004_field_rules"),
        ("legal_education", "0004_field_rules"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

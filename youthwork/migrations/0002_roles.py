from django.db import migrations



class Migration(migrations.Migration):
    """Now a no-op: the roles are synced after every migrate (youthwork.roles.sync_roles_after_migrate).

    Was: Create the roles 录入员, 管理员, 领导 as groups with their permissions (see youthwork/roles.py)."""

    dependencies = [
        ("youthwork", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("activities", "0002_initial"),
        ("assistance", "0002_initial"),
        ("legal_education", "0002_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

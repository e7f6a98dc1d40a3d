"""The three roles as groups, with the permissions each carries.

Applied by data migrations (youthwork 0002 and any later migration that adds models), so a fresh
database has the roles before anyone logs in. What a role may do is here; where it may do it is
youthwork/access.py.
"""

from django.contrib.auth.management import create_permissions

CLERK = "录入员"
ADMIN = "管理员"
LEADER = "领导"
ROLES = (CLERK, ADMIN, LEADER)

LEDGER_APPS = ("activities", "assistance", "legal_education")

# (app_label, model_name or "*ledgers*", actions)
_GRANTS = {
    CLERK: [
        ("*ledgers*", ("add", "change", "delete_own", "view")),
        ("assistance", "studentaid", ("view_personal",)),
        ("youthwork", "unit", ("view",)),
        ("youthwork", "venue", ("view",)),
    ],
    ADMIN: [
        ("*ledgers*", ("add", "change", "delete", "view", "import", "export")),
        ("assistance", "studentaid", ("view_personal",)),
        ("youthwork", "unit", ("add", "change", "delete", "view", "import", "export")),
        ("youthwork", "venue", ("add", "change", "delete", "view", "import", "export")),
        ("youthwork", "user", ("add", "change", "delete", "view")),
        ("reports", "*", ("add", "change", "delete", "view", "finalise", "reopen")),
    ],
    LEADER: [
        ("*ledgers*", ("view",)),
        ("youthwork", "unit", ("view",)),
        ("youthwork", "venue", ("view",)),
        ("reports", "*", ("add", "change", "view", "finalise")),
    ],
}


def sync_roles(apps, schema_editor=None):
    """Create the permissions of every installed model, then give each role its grants (idempotent)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in _GRANTS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for grant in grants:
            if grant[0] == "*ledgers*":
                app_labels, model_name, actions = LEDGER_APPS, "*", grant[1]
            else:
                (app_label, model_name, actions) = grant
                app_labels = (app_label,)
            perms = Permission.objects.filter(content_type__app_label__in=app_labels)
            for perm in perms:
                action, _sep, perm_model = perm.codename.rpartition("_")
                if action in actions and (model_name == "*" or perm_model == model_name):
                    if perm.content_type.model == perm_model:
                        wanted.append(perm)
        group.permissions.set(wanted)

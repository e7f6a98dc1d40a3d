"""The three roles as groups, with the permissions each carries.

Applied after every `migrate` (a post_migrate receiver, connected in youthwork.apps, like Django's own
create_permissions), so a fresh database has the roles before anyone logs in, and a ledger added later
gets its permissions into the roles on an existing database without a migration of its own. What a
role may do is here; where it may do it is youthwork/access.py.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from youthwork.ledgers import all_ledgers

CLERK = "录入员"
ADMIN = "管理员"
LEADER = "领导"
ROLES = (CLERK, ADMIN, LEADER)

# (app_label, model_name or "*", actions); ("*ledgers*", actions) grants on every model of the ledger
# registry. An action a model does not have (view_personal: only ledgers with minors' names) is skipped.
_GRANTS = {
    CLERK: [
        ("*ledgers*", ("add", "change", "delete_own", "view", "view_personal")),
        ("youthwork", "unit", ("view",)),
        ("youthwork", "venue", ("view",)),
        ("submissions", "submission", ("view", "submit")),
    ],
    ADMIN: [
        ("*ledgers*", ("add", "change", "delete", "view", "import", "export", "view_personal")),
        ("youthwork", "unit", ("add", "change", "delete", "view", "import", "export")),
        ("youthwork", "venue", ("add", "change", "delete", "view", "import", "export")),
        ("youthwork", "user", ("add", "change", "delete", "view")),
        ("reports", "*", ("add", "change", "delete", "view", "finalise", "reopen")),
        ("submissions", "submission", ("view", "submit", "review")),
    ],
    LEADER: [
        ("*ledgers*", ("view",)),
        ("youthwork", "unit", ("view",)),
        ("youthwork", "venue", ("view",)),
        ("reports", "*", ("add", "change", "view", "finalise")),
        ("submissions", "submission", ("view",)),
    ],
}


def sync_roles(apps, schema_editor=None, using: str = DEFAULT_DB_ALIAS):
    """Create the permissions of every installed model, then give each role its grants (idempotent)."""
    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module, and create_permissions skips those; the real ones
        # (a flush sends the real registry) keep theirs, or every later post_migrate would skip their app.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ledgers = {(ledger.app_label, ledger.slug) for ledger in all_ledgers()}
    for role, grants in _GRANTS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for grant in grants:
            if grant[0] == "*ledgers*":
                models, actions = ledgers, grant[1]
            else:
                (app_label, model_name, actions) = grant
                models = None if model_name == "*" else {(app_label, model_name)}
            app_labels = {label for label, _model in models} if models is not None else {grant[0]}
            perms = Permission.objects.using(using).filter(content_type__app_label__in=app_labels)
            for perm in perms.select_related("content_type"):
                action, _sep, perm_model = perm.codename.rpartition("_")
                if action not in actions or perm.content_type.model != perm_model:
                    continue
                if models is None or (perm.content_type.app_label, perm_model) in models:
                    wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, app_config=None, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: the roles' grants after every migrate (connected for the core app only, so once).

    migrate sends its project state's apps; flush sends none: the registry, as Django's own receivers assume.
    """
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # auth is not installed
        return
    sync_roles(apps, using=using)

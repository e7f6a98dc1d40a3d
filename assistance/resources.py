"""django-import-export resources of the 关心关爱 ledgers, generated from the ledger registry.

Nothing is declared here per ledger: youthwork.resources.resource_for() makes each resource from the
model's registry entry (headers = the dictionary's Chinese column names, the natural key, the
cleaning widgets). Importing this module names them, e.g. `from assistance.resources import RESOURCES`.
"""

from youthwork.resources import app_resources

RESOURCES = app_resources("assistance")
globals().update(RESOURCES)
__all__ = ["RESOURCES", *RESOURCES]

"""The area's ledgers in the admin, each with the shared LedgerAdmin (as every work area registers its own)."""

from django.contrib import admin

from youthwork.admin import LedgerAdmin
from youthwork.ledgers import all_ledgers

for ledger in all_ledgers():
    if ledger.app_label == "extra_ledger":
        admin.site.register(ledger.model, LedgerAdmin)

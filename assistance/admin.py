"""The area's ledgers in the admin, each with the shared LedgerAdmin (the same file in every work area)."""

from django.contrib import admin

from youthwork.admin import LedgerAdmin
from youthwork.ledgers import all_ledgers

for ledger in all_ledgers():
    if ledger.app_label == __package__:
        admin.site.register(ledger.model, LedgerAdmin)

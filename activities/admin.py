from django.contrib import admin

from youthwork.admin import LedgerAdmin
from youthwork.ledgers import all_ledgers

for ledger in all_ledgers():
    if ledger.app_label == "activities":
        admin.site.register(ledger.model, LedgerAdmin)

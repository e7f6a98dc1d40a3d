"""A ledger added the way the README's "Adding a ledger" says: one model with its @register line and a
generated migration. Installed only by tests/settings.py (tests/youthwork/test_adding_a_ledger.py)."""

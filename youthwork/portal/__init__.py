"""The staff portal: the dashboard at "/" and the ledger pages, all derived from the ledger registry.

Views are plain functions (views.py, dashboard.py); forms are built from a ledger's registry entry
(forms.py); what a user may see comes from youthwork.access, what a user may do from the role's
permissions (Ledger.perm), and whether a record may still change from youthwork.locks.
"""

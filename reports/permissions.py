"""Who may do what with a report beyond the model permissions: read by the pages and the admin alike."""

from youthwork import access


def may_reopen(user) -> bool:
    """Only the city level (root unit or superuser) with the permission may send a final report back."""
    return access.sees_everything(user) and user.has_perm("reports.reopen_workreport")

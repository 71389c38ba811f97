"""A person's reports (通報) when they delete their account.

The reports stay, so that the count of distinct reporters and staff decisions keep
their meaning; what the person wrote in them goes if they chose to remove their
posts, as everything else they wrote does.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report


def erase_report_details(user: User, remove: bool) -> list[str]:
    """Empty the details of ``user``'s reports when they remove their posts."""
    if not remove:
        return []
    removed = []
    for report in db.session.scalars(select(Report).where(Report.reporter_id == user.id,
                                                          Report.detail != "")):
        removed.append(report.detail)
        report.detail = ""
    db.session.flush()
    return removed


def register() -> None:
    register_post_handler(erase_report_details)

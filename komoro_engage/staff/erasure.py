"""A staff member's departments when their account is deleted.

The memberships go (a deleted account answers nothing); assignments and internal notes
they made stay, as the city's record of its work, and name the deleted account.
"""

from __future__ import annotations

from sqlalchemy import delete

from komoro_engage.accounts.erasure import register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.departments import DepartmentMembership


def leave_departments(user: User, _remove: bool) -> list[str]:
    """Remove ``user`` from every department; no text of theirs is removed here."""
    db.session.execute(delete(DepartmentMembership).where(DepartmentMembership.user_id == user.id))
    return []


def register() -> None:
    register_post_handler(leave_departments)

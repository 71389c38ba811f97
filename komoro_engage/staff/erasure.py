"""Account deletion and the handling of proposals.

A staff member's memberships go (a deleted account answers nothing); assignments and
internal notes they made stay, as the city's record of its work. A resident's name,
addresses and removed texts are rewritten wherever staff quoted them in an internal
note or an assignment's reason, as every other copy is.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from komoro_engage.accounts.erasure import (
    register_copy_scrubber,
    register_post_handler,
    scrub_text,
)
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.departments import DepartmentMembership
from komoro_engage.staff.handling_models import InternalNote, ProposalAssignment


def leave_departments(user: User, _remove: bool) -> list[str]:
    """Remove ``user`` from every department; no text of theirs is removed here."""
    db.session.execute(delete(DepartmentMembership).where(DepartmentMembership.user_id == user.id))
    return []


def scrub_quotes(user: User, replacements: dict[str, str]) -> None:
    """Rewrite what internal notes and assignment reasons quote of ``user``; only rows
    written since the account existed can, and the database finds those that do."""
    if not replacements:
        return
    for model, column in ((InternalNote, "body"), (ProposalAssignment, "reason")):
        text = getattr(model, column)
        created = model.created_at if model is InternalNote else model.assigned_at
        for row in db.session.scalars(select(model).where(
                created >= user.created_at,
                or_(*(text.contains(old, autoescape=True) for old in replacements)))):
            setattr(row, column, scrub_text(getattr(row, column), replacements))
    db.session.flush()


def register() -> None:
    register_post_handler(leave_departments)
    register_copy_scrubber(scrub_quotes)

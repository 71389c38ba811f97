"""Who may do what with a consultation and its statements. Views and templates both ask these.

Who may report is moderation's rule (moderation/reports.py ``can_report``).
"""

from __future__ import annotations

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_active_user, is_staff
from komoro_engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
)


def can_manage(user: User | None) -> bool:
    """Staff create, open and close consultations, moderate and enter statements by proxy."""
    return is_staff(user)


def can_view(user: User | None, consultation: Consultation) -> bool:
    """Drafts are staff's; open and closed consultations are public."""
    return consultation.status != ConsultationStatus.DRAFT or is_staff(user)


def can_take_part(user: User | None, consultation: Consultation) -> bool:
    """Add statements and vote: an active account, while the consultation accepts them."""
    return is_active_user(user) and consultation.accepts_votes()


def can_see_statement(user: User | None, statement: Statement) -> bool:
    """Published statements of a visible consultation; staff and the author see the rest."""
    if not can_view(user, statement.consultation):
        return False
    return (statement.status == StatementStatus.PUBLISHED or is_staff(user)
            or (user is not None and user.is_authenticated
                and statement.author_id == user.id))


def can_vote(user: User | None, statement: Statement) -> bool:
    """A published statement of a consultation taking votes (one's own included: changeable)."""
    return (statement.status == StatementStatus.PUBLISHED
            and can_take_part(user, statement.consultation))

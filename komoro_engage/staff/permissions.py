"""Who may use the staff console and its actions. Views and templates both ask these.

Whether a proposal can be answered or linked is the proposal's own rule
(komoro_engage.proposals.permissions.can_answer / can_link).
"""

from __future__ import annotations

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_admin, is_staff


def can_use_console(user: User | None) -> bool:
    """Staff and admins: queues, moderation, links, answers, proxy entry."""
    return is_staff(user)


def can_suspend(user: User | None, target: User) -> bool:
    """Only admins suspend (as on /admin/users), and never themselves."""
    return (is_admin(user) and target.id != user.id
            and target.is_active)


def can_export_audit(user: User | None) -> bool:
    """The CSV holds every entry at once: admins only."""
    return is_admin(user)


def can_manage_departments(user: User | None) -> bool:
    """Admins add, rename and deactivate departments and set who belongs to them."""
    return is_admin(user)


def can_handle(user: User | None) -> bool:
    """Staff route proposals to departments and read and write internal notes; nobody
    else ever sees either."""
    return is_staff(user)


def can_send_newsletters(user: User | None) -> bool:
    """Staff and admins write, test and send the city's newsletters (お知らせメール)."""
    return is_staff(user)

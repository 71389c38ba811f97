"""Who may use the staff console and its actions. Views and templates both ask these."""

from __future__ import annotations

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_admin, is_staff
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.staff.answers import ANSWERABLE

# Links make sense for anything the public can see or staff are still deciding on.
LINKABLE = (*ANSWERABLE, ProposalStatus.PENDING, ProposalStatus.HIDDEN)


def can_use_console(user: User | None) -> bool:
    """Staff and admins: queues, moderation, links, answers, proxy entry."""
    return is_staff(user)


def can_answer(user: User | None, proposal: Proposal) -> bool:
    return is_staff(user) and proposal.status in ANSWERABLE


def can_link(user: User | None, proposal: Proposal) -> bool:
    return is_staff(user) and proposal.status in LINKABLE


def can_suspend(user: User | None, target: User) -> bool:
    """Only admins suspend (as on /admin/users), and never themselves."""
    return (is_admin(user) and target.id != user.id
            and target.is_active)


def can_export_audit(user: User | None) -> bool:
    """The CSV holds every entry at once: admins only."""
    return is_admin(user)

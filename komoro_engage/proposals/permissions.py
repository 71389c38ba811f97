"""Who may do what with a proposal. Views and templates both ask these.

A comment's own rules are in comments/permissions.py, who may report in moderation/reports.py.
"""

from __future__ import annotations

from komoro_engage.accounts.models import (
    User,
)
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.proposals.lifecycle.states import (
    ANSWERABLE,
    EDITABLE_STATUSES,
    LINKABLE,
    can_apply,
)
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal, ProposalStatus

# Supports and comments are open while the city has not decided.
OPEN_STATUSES = (ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW)


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_author(user: User | None, proposal: Proposal) -> bool:
    return bool(user is not None and user.is_authenticated and proposal.author_id == user.id)



def can_see_exact_place(user: User | None, proposal: Proposal) -> bool:
    """The exact point tapped on the map: the author and staff only; others see it snapped."""
    return _is_author(user, proposal) or is_staff(user)


def can_create(user: User | None) -> bool:
    return _active(user)


def can_view(user: User | None, proposal: Proposal) -> bool:
    """Public proposals, and the author's or staff's view of the rest.

    Hidden and withdrawn proposals still have a page that shows a notice, not the text.
    """
    if proposal.status in PUBLIC_STATUSES or _is_author(user, proposal) or is_staff(user):
        return True
    # Once public, a link keeps working after withdrawal or hiding (with a notice).
    return (proposal.status in (ProposalStatus.HIDDEN, ProposalStatus.WITHDRAWN)
            and proposal.published_at is not None)


def can_read_text(user: User | None, proposal: Proposal) -> bool:
    """Whether the page shows title, body and comments (not only a notice)."""
    if proposal.status in (ProposalStatus.HIDDEN, ProposalStatus.WITHDRAWN):
        return is_staff(user) or (
            _is_author(user, proposal) and proposal.status == ProposalStatus.WITHDRAWN)
    return can_view(user, proposal)


def can_edit(user: User | None, proposal: Proposal) -> bool:
    return _active(user) and _is_author(user, proposal) and proposal.status in EDITABLE_STATUSES


def can_submit(user: User | None, proposal: Proposal) -> bool:
    return can_edit(user, proposal) and proposal.status == ProposalStatus.DRAFT


def can_withdraw(user: User | None, proposal: Proposal) -> bool:
    return _is_author(user, proposal) and can_apply("withdraw", proposal.status)


def can_moderate(user: User | None, proposal: Proposal) -> bool:
    """Staff and admins approve or send back pending proposals."""
    return is_staff(user) and proposal.status == ProposalStatus.PENDING


def can_hide(user: User | None, proposal: Proposal) -> bool:
    return is_staff(user) and can_apply("hide", proposal.status)


def can_restore(user: User | None, proposal: Proposal) -> bool:
    return is_staff(user) and proposal.status == ProposalStatus.HIDDEN


def can_answer(user: User | None, proposal: Proposal) -> bool:
    """Staff publish or revise the city's answer (市の回答)."""
    return is_staff(user) and proposal.status in ANSWERABLE


def can_link(user: User | None, proposal: Proposal) -> bool:
    """Staff link the proposal to measures (施策) or undo a link."""
    return is_staff(user) and proposal.status in LINKABLE


def can_support(user: User | None, proposal: Proposal) -> bool:
    return (_active(user) and proposal.status in OPEN_STATUSES
            and not _is_author(user, proposal))


def can_comment(user: User | None, proposal: Proposal) -> bool:
    return _active(user) and proposal.status in OPEN_STATUSES

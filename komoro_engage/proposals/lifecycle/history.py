"""The status timeline of a proposal, and the domain events its changes send.

Every service that changes a proposal's status calls :func:`record_status_change`
in the same transaction, so the public timeline and the events (notifications
listen to them) cannot disagree with the status itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from komoro_engage.core import clock, events
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.models import ProposalStatusChange

if TYPE_CHECKING:  # proposals.services imports this module: no cycle through models
    from komoro_engage.accounts.models import User
    from komoro_engage.proposals.models import Proposal

# The author's own steps go in the timeline but are nobody else's news; approval and
# sending back have events of their own, sent by proposals/services.py.
QUIET_ACTIONS = frozenset({"submit_for_review", "submit_public", "withdraw", "approve",
                           "send_back"})


def record_status_change(proposal: Proposal, action: str, before: str, actor: User | None,
                         cause: str = "") -> ProposalStatusChange:
    """Append the step ``before`` → ``proposal.status``; send ``proposal_status_changed``."""
    change = ProposalStatusChange(
        proposal_id=proposal.id, action=action, from_status=str(before),
        to_status=str(proposal.status), actor_id=actor.id if actor else None, cause=cause,
        created_at=clock.now())
    db.session.add(change)
    db.session.flush()
    if action not in QUIET_ACTIONS:
        events.proposal_status_changed.send(proposal, actor=actor, before=str(before),
                                            after=str(proposal.status))
    return change


def record_step(proposal: Proposal, action: str, actor: User | None,
                staff_only: bool = False) -> ProposalStatusChange:
    """Append a step that does not change the status (the answer published, or a
    staff-only step of its draft: saved, submitted, returned, approved). No event: the
    answer's publication sends ``proposal_answered`` itself."""
    step = ProposalStatusChange(
        proposal_id=proposal.id, action=action, from_status=str(proposal.status),
        to_status=str(proposal.status), actor_id=actor.id if actor else None,
        staff_only=staff_only, created_at=clock.now())
    db.session.add(step)
    db.session.flush()
    return step

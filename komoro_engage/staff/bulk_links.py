"""Linking several proposals to one measure at once, with one reason (the answer queues).

Each proposal goes through the lifecycle's own :func:`link_measure` (one audit entry
each); one already linked to the measure that year is reported, not an error; one
whose status no longer allows links is skipped and reported.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals import permissions
from komoro_engage.proposals.lifecycle.links import AlreadyLinked, link_measure
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff.actions import Outcome, item_title


def link_many(staff: User, proposal_ids: list[int], measure: Measure, fiscal_year: int,
              note: str) -> Outcome:
    """Link each proposal to ``measure`` for ``fiscal_year`` with ``note``, in the caller's
    transaction. ``outcome.done`` are the new links; ``skipped`` the rest, with why."""
    outcome = Outcome()
    proposals = {p.id: p for p in db.session.scalars(
        select(Proposal).where(Proposal.id.in_(proposal_ids)))}
    for ident in dict.fromkeys(proposal_ids):
        key = f"proposal:{ident}"
        proposal = proposals.get(ident)
        outcome.titles[key] = item_title(proposal)
        if proposal is None:
            outcome.skipped.append(key)
            outcome.why[key] = "gone"
        elif not permissions.can_link(staff, proposal):
            outcome.skipped.append(key)
            outcome.why[key] = "not_linkable"
        else:
            try:
                link_measure(staff, proposal, measure, fiscal_year, note)
            except AlreadyLinked:
                outcome.skipped.append(key)
                outcome.why[key] = "already"
            else:
                outcome.done.append(key)
    return outcome

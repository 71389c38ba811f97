"""Public proposals may be followed (core/follows.py): their titles and pages."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from komoro_engage.core.follows import (
    FollowedItem,
    item_path,
    plan_scopes,
    register_followable,
    register_scopes,
)
from komoro_engage.extensions import db
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal


def followable_proposals(ids: Collection[int]) -> dict[int, FollowedItem]:
    """Only public proposals: a pending, hidden or withdrawn one cannot be followed."""
    rows = db.session.execute(select(Proposal.id, Proposal.title).where(
        Proposal.id.in_(list(ids)), Proposal.status.in_(PUBLIC_STATUSES)))
    return {i: FollowedItem(title, item_path("proposals.detail", proposal_id=i))
            for i, title in rows}


def proposal_scopes(proposal_id: int) -> list[tuple[str, int]]:
    """Its district, policy areas and measures: their followers hear of it too."""
    return plan_scopes(db.session.get(Proposal, proposal_id))


def register() -> None:
    register_followable("proposal", followable_proposals)
    register_scopes("proposal", proposal_scopes)

"""Supports (賛同) on proposals, and hiding a proposal that enough people reported.

Counters on ``proposal`` change with one atomic ``UPDATE … SET n = n ± 1`` in the
same transaction as the row they count (core/counters.py), and only when that row
was really inserted or deleted: twenty simultaneous supporters or a double tap
leave the exact count, with the unique constraint deciding who got in.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, exists, select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.counters import bump_counter
from komoro_engage.core.request_facts import known
from komoro_engage.core.sql import insert_or_ignore as _insert
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.answers import start_review_at_threshold
from komoro_engage.proposals.lifecycle.states import can_apply
from komoro_engage.proposals.models import HiddenCause, Proposal, Support
from komoro_engage.proposals.services import hide_proposal


def support_proposal(user: User, proposal: Proposal) -> bool:
    """Add ``user``'s support; False when it was already there."""
    # RETURNING tells whether the row went in (rowcount is -1 here with psycopg).
    inserted = db.session.execute(
        _insert(Support).values(proposal_id=proposal.id, user_id=user.id, created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["proposal_id", "user_id"])
        .returning(Support.id)
    ).first()
    if inserted is not None:
        bump_counter(proposal, "support_count", 1)
        start_review_at_threshold(proposal)  # 検討中 at the threshold, once
        events.took_part.send(user, target_type="proposal", target_id=proposal.id)
    return inserted is not None


def withdraw_support(user: User, proposal: Proposal) -> bool:
    """Remove ``user``'s support; False when there was none."""
    deleted = db.session.execute(
        delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        .returning(Support.id)
    ).first()
    if deleted is not None:
        bump_counter(proposal, "support_count", -1, touch=False)
    return deleted is not None


def supports(proposal_id, user_id):
    """Whether the person supports the proposal (values, bound parameters or columns)."""
    return exists().where(Support.proposal_id == proposal_id, Support.user_id == user_id)


def supported_key(proposal_id: int, user_id: int) -> tuple:
    """The fact ``has_supported`` answers, as the proposal page's statement reads it
    (proposals/reader.py)."""
    return ("supported", proposal_id, user_id)


# Built once: a request that writes asks it of its person (issue 16).
_SUPPORTED = select(supports(bindparam("proposal_id"), bindparam("user_id")))


def has_supported(user: User | None, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return known(supported_key(proposal.id, user.id), lambda: bool(db.session.scalar(
        _SUPPORTED, {"proposal_id": proposal.id, "user_id": user.id})))


def hide_reported_proposal(proposal: Proposal) -> None:
    """Enough distinct reports: hide the proposal until staff decide (moderation's hook)."""
    if can_apply("hide", proposal.status):
        hide_proposal(None, proposal, "", cause=HiddenCause.REPORTS)

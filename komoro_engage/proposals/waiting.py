"""What proposals leave waiting for the staff, for their daily digest (core/waiting.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from komoro_engage.core.waiting import register_counter
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.proposals.models import Proposal, ProposalStatus


def waiting_counts() -> dict[str, int]:
    """Pending proposals, reported items not yet decided, answers due (two queries)."""
    by_status = dict(db.session.execute(
        select(Proposal.status, func.count()).where(
            Proposal.status.in_((ProposalStatus.PENDING, ProposalStatus.UNDER_REVIEW)))
        .group_by(Proposal.status)).all())
    reported_items = select(Report.target_type, Report.target_id).where(
        Report.resolved_at.is_(None)).distinct().subquery()
    return {
        "pending": by_status.get(ProposalStatus.PENDING, 0),
        "reports": db.session.scalar(select(func.count()).select_from(reported_items)),
        # 検討中: the city owes these proposals its official answer.
        "answers": by_status.get(ProposalStatus.UNDER_REVIEW, 0),
    }


def register() -> None:
    register_counter("proposals", waiting_counts)

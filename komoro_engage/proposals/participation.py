"""Proposals, supports and comments per measure and fiscal year, for the evaluation.

Registered as a participation source (core/participation.py) by the package.
Which proposal belongs to which year: a proposal counts in the fiscal year it
was published in; supports and comments count in the year they were made,
whenever their proposal was published. Only proposals the public can read
count (hidden, withdrawn, drafts and pending ones do not).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select

from komoro_engage.comments.models import Comment
from komoro_engage.core.participation import register_source
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal, Support

PROPOSAL_STATUSES = tuple(str(status) for status in PUBLIC_STATUSES)


def _empty() -> dict:
    return {"proposals": 0, "proposals_by_status": dict.fromkeys(PROPOSAL_STATUSES, 0),
            "supports": 0, "comments": 0}


def proposal_figures(measure_ids: Sequence[int], start: datetime,
                     end: datetime) -> dict[int, dict]:
    """Proposals linked to each measure, by status, with their supports and comments.

    The one place that knows how proposals are linked to measures: when the
    link gains a fiscal year or unlink dates, only the ``linked`` query changes.
    """
    ids = list(measure_ids)
    if not ids:
        return {}
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    # Links staff have not taken back; an unlinked proposal no longer counts for the measure.
    link = ProposalMeasureLink
    linked = (select(link.measure_id, Proposal.id)
              .join(Proposal, Proposal.id == link.proposal_id)
              .where(link.measure_id.in_(ids), link.unlinked_at.is_(None),
                     Proposal.status.in_(PROPOSAL_STATUSES)))
    result = {m: {**_empty(), "items": []} for m in ids}
    published = db.session.execute(
        linked.add_columns(Proposal.title, Proposal.status)
        .where(Proposal.published_at >= start, Proposal.published_at < end)
        .order_by(link.measure_id, Proposal.published_at, Proposal.id))
    for measure_id, proposal_id, title, status in published:
        figures = result[measure_id]
        figures["proposals"] += 1
        figures["proposals_by_status"][str(status)] += 1
        figures["items"].append({"kind": "proposal", "id": proposal_id, "title": title,
                                 "status": str(status)})
    linked = linked.subquery()
    supports = db.session.execute(
        select(linked.c.measure_id, func.count(Support.id))
        .join(Support, Support.proposal_id == linked.c.id)
        .where(Support.created_at >= start, Support.created_at < end)
        .group_by(linked.c.measure_id))
    for measure_id, count in supports:
        result[measure_id]["supports"] = count
    comments = db.session.execute(
        select(linked.c.measure_id, func.count(Comment.id))
        .join(Comment, Comment.proposal_id == linked.c.id)
        .where(Comment.created_at >= start, Comment.created_at < end,
               Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(linked.c.measure_id))
    for measure_id, count in comments:
        result[measure_id]["comments"] = count
    return result


def withdrawn_proposals(ids: Collection[int]) -> set[int]:
    """Which of ``ids`` the public can no longer read (hidden, withdrawn …): one query."""
    if not ids:
        return set()
    return set(db.session.scalars(select(Proposal.id).where(
        Proposal.id.in_(ids), Proposal.status.not_in(PROPOSAL_STATUSES))))


def register() -> None:
    # First: a record lists its proposals before its projects.
    register_source("proposal", proposal_figures, empty=_empty(), order=10,
                    withdrawn=withdrawn_proposals)

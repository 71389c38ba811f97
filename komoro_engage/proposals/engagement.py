"""Supports (賛同), comments and reports (通報) on proposals.

Counters on ``proposal`` change with one atomic ``UPDATE … SET n = n ± 1`` in the
same transaction as the row they count, and only when that row was really
inserted or deleted: twenty simultaneous supporters or a double tap leave the
exact count, with the unique constraint deciding who got in.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.core.sql import insert_or_ignore as _insert
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.answers import start_review_at_threshold
from komoro_engage.proposals.lifecycle.states import can_apply
from komoro_engage.proposals.models import (
    Comment,
    HiddenCause,
    Proposal,
    Report,
    ReportTarget,
    Support,
)
from komoro_engage.proposals.services import hide_proposal


def bump_counter(subject, column: str, delta: int, touch: bool = True) -> int:
    """Atomically add ``delta`` to a counter of a proposal (or project) and return it.

    ``touch`` also moves a proposal's ``last_activity_at`` (projects have none).
    """
    model = type(subject)
    touch = touch and hasattr(model, "last_activity_at")
    values = {column: getattr(model, column) + delta}
    returned = [getattr(model, column)]
    if touch:
        values["last_activity_at"] = clock.now()
        returned.append(model.last_activity_at)
    stored = db.session.execute(
        update(model).where(model.id == subject.id).values(**values)
        .returning(*returned).execution_options(synchronize_session=False)
    ).one()
    set_committed_value(subject, column, stored[0])
    if touch:
        set_committed_value(subject, "last_activity_at", stored[1])
    return stored[0]


def subject_key(subject) -> str:
    """The comment column that points at ``subject``: proposal_id or project_id."""
    return "proposal_id" if isinstance(subject, Proposal) else "project_id"


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


def has_supported(user: User | None, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(select(Support.id).where(
        Support.proposal_id == proposal.id, Support.user_id == user.id)) is not None


def add_comment(user: User, subject, body: str, stance: str | None = None,
                parent: Comment | None = None) -> Comment:
    """Post a comment on a proposal or project; a reply to a reply joins its thread."""
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(author_id=user.id, body=body.strip(), stance=stance or None,
                      parent_id=parent.id if parent else None, created_at=clock.now(),
                      **{subject_key(subject): subject.id})
    db.session.add(comment)
    db.session.flush()
    bump_counter(subject, "comment_count", 1)
    events.comment_posted.send(comment)
    return comment


def edit_comment(comment: Comment, body: str, stance: str | None) -> None:
    """The author corrects a comment (the caller checked the 15-minute window)."""
    comment.body = body.strip()
    comment.stance = stance or None
    comment.edited_at = clock.now()
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """Soft delete: the thread keeps its shape and shows 「このコメントは削除されました」."""
    was_visible = comment.is_visible
    comment.deleted_at = clock.now()
    db.session.flush()
    if was_visible:
        bump_counter(comment.subject, "comment_count", -1, touch=False)


def report_item(reporter: User, target: Proposal | Comment, reason: str, detail: str = "") -> bool:
    """Record a report; hide the item once enough distinct people reported it.

    Returns False when this person had already reported this item.
    """
    target_type = ReportTarget.PROPOSAL if isinstance(target, Proposal) else ReportTarget.COMMENT
    inserted = db.session.execute(
        _insert(Report).values(target_type=target_type, target_id=target.id,
                               reporter_id=reporter.id, reason=reason, detail=detail.strip(),
                               created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["target_type", "target_id", "reporter_id"])
        .returning(Report.id)
    ).first()
    if inserted is None:
        return False
    reporters = db.session.scalar(select(func.count()).select_from(Report).where(
        Report.target_type == target_type, Report.target_id == target.id,
        Report.resolved_at.is_(None)))
    if reporters >= current_app.config.get("REPORT_HIDE_THRESHOLD", 3):
        _hide_reported(target)
    return True


def _hide_reported(target: Proposal | Comment) -> None:
    if isinstance(target, Proposal):
        if can_apply("hide", target.status):
            hide_proposal(None, target, "", cause=HiddenCause.REPORTS)
        return
    if target.hidden_at is None:
        was_visible = target.is_visible
        target.hidden_at = clock.now()
        db.session.flush()
        record_audit(None, "comment.hidden_by_reports", target)
        if was_visible:
            bump_counter(target.subject, "comment_count", -1, touch=False)

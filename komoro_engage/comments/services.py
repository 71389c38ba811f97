"""Writing comments: post, reply, edit, delete, hiding after reports and staff moderation.

Each subject's ``comment_count`` counts its visible comments; it changes with
one atomic UPDATE in the same transaction as the comment (core/counters.py).
Services flush and never commit.
"""

from __future__ import annotations

import functools

from sqlalchemy import Insert, bindparam, func, insert

from komoro_engage.accounts.models import User
from komoro_engage.comments import commentable
from komoro_engage.comments.models import Comment
from komoro_engage.comments.queries import last_thread_number
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.core.counters import bump_counter
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import ActionNotAllowed


def add_comment(user: User, subject, body: str, stance: str | None = None,
                parent: Comment | None = None) -> Comment:
    """Post a comment on any commentable subject; a reply to a reply joins its thread."""
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    # The counter's UPDATE first: it holds the subject's row until the commit, so two
    # new threads on one subject take their numbers one after the other.
    bump_counter(subject, "comment_count", 1)
    column = commentable.kind_of(subject).column
    comment = db.session.scalar(_insert_statement(column, thread=parent is None), {
        "author_id": user.id, "body": body.strip(), "stance": stance or None,
        "parent_id": parent.id if parent else None, "created_at": clock.now(),
        "subject_id": subject.id})
    events.comment_posted.send(comment)
    return comment


@functools.cache
def _insert_statement(subject_column: str, thread: bool) -> Insert:
    """The comment's INSERT for one kind of subject, returning the new Comment; a new
    thread takes the number after the subject's last (its unique index reads it)."""
    number = func.coalesce(last_thread_number(subject_column), 0) + 1 if thread else None
    return insert(Comment).values(
        {subject_column: bindparam("subject_id"), "thread_number": number,
         **{name: bindparam(name) for name in (
             "author_id", "body", "stance", "parent_id", "created_at")}}).returning(Comment)


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


def hide_reported_comment(comment: Comment) -> None:
    """Enough distinct reports: hide the comment until staff decide (moderation's hook)."""
    if comment.hidden_at is None:
        was_visible = comment.is_visible
        comment.hidden_at = clock.now()
        db.session.flush()
        record_audit(None, "comment.hidden_by_reports", comment)
        if was_visible:
            bump_counter(comment.subject, "comment_count", -1, touch=False)


def moderate_comment(staff: User, action: str, comment: Comment, reason: str) -> None:
    """Staff hide or restore a comment (``dismiss`` keeps it as it is); audited."""
    if action == "hide" and comment.deleted_at is None:
        if comment.hidden_at is None:
            comment.hidden_at = clock.now()
            bump_counter(comment.subject, "comment_count", -1, touch=False)
        record_audit(staff, "comment.hidden", comment, reason,
                     before={"hidden": False}, after={"hidden": True})
    elif action in ("restore", "dismiss") and comment.hidden_at is not None:
        comment.hidden_at = None
        if comment.deleted_at is None:
            bump_counter(comment.subject, "comment_count", 1, touch=False)
        record_audit(staff, "comment.restored", comment, reason,
                     before={"hidden": True}, after={"hidden": False})
    elif action != "dismiss":
        raise ActionNotAllowed(f"{action} on comment {comment.id}")

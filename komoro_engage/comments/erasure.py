"""A person's comments when they delete their account (APPI), and in their data download.

Kept comments need nothing: templates show a deleted author as 「退会したユーザー」.
Removed comments are soft-deleted, so replies keep their place in the thread, and
lose their words: those deleted earlier too, whose bodies a soft delete kept.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.comments.models import Comment
from komoro_engage.comments.services import delete_comment
from komoro_engage.extensions import db


def erase_comments(user: User, remove: bool) -> list[str]:
    """Delete ``user``'s comments and their words when they asked to remove their posts;
    else keep them. Returns the removed bodies."""
    if not remove:
        return []
    removed = []
    for comment in db.session.scalars(select(Comment).where(Comment.author_id == user.id)):
        if comment.deleted_at is None:
            delete_comment(comment)
        removed.append(comment.body)
        comment.body = ""
    db.session.flush()
    return removed


def export_comments(user: User) -> list[dict]:
    """The person's comments on every subject, for their data download.

    The proposals' section lists them under "comments", where the download has always
    had them.
    """
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id))
    return [{"id": c.id, "proposal_id": c.proposal_id, "project_id": c.project_id,
             "body": c.body,
             "deleted": c.deleted_at is not None,
             "created_at": c.created_at.isoformat()} for c in comments]


def register() -> None:
    register_post_handler(erase_comments)

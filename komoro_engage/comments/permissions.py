"""Who may do what with a comment. Views and templates both ask these.

Whether someone may read or post comments on a subject is the subject's own
rule, registered with its kind (commentable.py); these are the comment's rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_read_comment(user: User | None, comment: Comment) -> bool:
    """Where the subject's comments show (e.g. a proposal's only where its text does)."""
    return comment.kind.can_read(user, comment.subject)


def can_edit_comment(user: User | None, comment: Comment, now: datetime | None = None) -> bool:
    """The author, for 15 minutes after posting, while the comment is shown."""
    if not (_active(user) and comment.author_id == user.id and comment.is_visible):
        return False
    return (now or clock.now()) - clock.as_utc(comment.created_at) <= COMMENT_EDIT_WINDOW


def can_delete_comment(user: User | None, comment: Comment) -> bool:
    return (comment.deleted_at is None and user is not None and user.is_authenticated
            and (comment.author_id == user.id or is_staff(user)))

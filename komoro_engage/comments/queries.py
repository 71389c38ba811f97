"""Reading comments: one page of threads on any subject, in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from komoro_engage.comments.commentable import Commentable
from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db

COMMENTS_PAGE_SIZE = 30


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment]


def comment_threads(kind: Commentable, subject, page: int = 1) -> tuple[list[Thread], int]:
    """A page of top-level comments on ``subject`` (oldest first) with all their replies:
    3 queries."""
    column = getattr(Comment, kind.column)
    top = select(Comment).where(column == subject.id, Comment.parent_id.is_(None))
    total = db.session.scalar(select(func.count()).select_from(top.subquery()))
    parents = list(db.session.scalars(
        top.options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)
        .limit(COMMENTS_PAGE_SIZE).offset((page - 1) * COMMENTS_PAGE_SIZE)))
    replies: dict[int, list[Comment]] = {parent.id: [] for parent in parents}
    if parents:
        for reply in db.session.scalars(
            select(Comment).where(Comment.parent_id.in_(list(replies)))
            .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)
        ):
            replies[reply.parent_id].append(reply)
    pages = max(1, math.ceil(total / COMMENTS_PAGE_SIZE))
    return [Thread(parent, replies[parent.id]) for parent in parents], pages

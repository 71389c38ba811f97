"""Reading comments: one page of threads on any subject, in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
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


def page_of(kind: Commentable, comment: Comment, parent: Comment | None = None) -> int:
    """The page of ``comment``'s thread (its own, or its ``parent``'s): one query.

    Threads are oldest first, so a new comment is on the last page and a reply on its
    parent's page: the answer to a post shows the page the person's comment is on.
    """
    top = parent or comment
    column = getattr(Comment, kind.column)
    before = db.session.scalar(select(func.count()).select_from(Comment).where(
        column == getattr(top, kind.column), Comment.parent_id.is_(None),
        or_(Comment.created_at < top.created_at,
            and_(Comment.created_at == top.created_at, Comment.id < top.id))))
    return before // COMMENTS_PAGE_SIZE + 1

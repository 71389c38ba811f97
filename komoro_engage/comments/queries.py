"""Reading comments: one page of threads on any subject, in a fixed number of queries."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, ScalarSelect, Select, bindparam, func, or_, select, true

from komoro_engage.accounts.models import User
from komoro_engage.comments import commentable
from komoro_engage.comments.commentable import Commentable
from komoro_engage.comments.models import Comment
from komoro_engage.core.listing import Author
from komoro_engage.core.request_facts import item_fact_key, known, reader_id
from komoro_engage.extensions import db

COMMENTS_PAGE_SIZE = 30


@dataclass(frozen=True, slots=True)
class CommentRow:
    """One comment as its section shows it, read as a plain row: the names a Comment has
    (``author`` is what ``display_name`` reads), for the section's template and the
    comment permissions alike."""

    id: int
    parent_id: int | None
    author_id: int | None
    author: Author | None
    body: str
    stance: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


@dataclass
class Thread:
    comment: CommentRow
    replies: list[CommentRow]


def shown_comments(threads: Iterable[Thread]) -> Iterator[CommentRow]:
    """Every comment of ``threads`` in page order: each top-level one, then its replies."""
    for thread in threads:
        yield thread.comment
        yield from thread.replies


@cache
def _statements(subject_column: str) -> tuple[Select, Select]:
    """A page of top-level comments with their replies (and how many top-level ones there
    are), and that number alone (for a page past the last), for one kind of subject:
    built once.

    A page is a range of thread numbers, and the last number is how many threads there
    are, both read from the subject's unique index: the page's statement does the same
    work on the first page and the hundredth, with ten threads or ten thousand. (By
    OFFSET, with a count of every thread, it read them all: 1.5 ms on PostgreSQL at
    4,000 threads, the comment POST's costliest statement, issue 16.)

    Rows, not Comment objects with their authors' whole rows joined: loading thirty of
    each cost more than rendering them (issue 16). The replies join the page's ids
    (``id = page.id OR parent_id = page.id``: both indexed) in the same statement, where
    they had a statement of their own: on PostgreSQL a round trip on every page with
    comments."""
    columns = (Comment.id, Comment.parent_id, Comment.author_id, User.nickname,
               User.status.label("person_status"), Comment.body, Comment.stance,
               Comment.created_at, Comment.edited_at, Comment.deleted_at, Comment.hidden_at)
    last = func.coalesce(last_thread_number(subject_column), 0)
    threads = (select(Comment.id, Comment.thread_number).where(
        getattr(Comment, subject_column) == bindparam("subject_id"),
        Comment.thread_number > bindparam("after"),
        Comment.thread_number <= bindparam("through")).cte("threads"))
    page = (select(*columns, last.label("total")).select_from(threads)
            .join(Comment, or_(Comment.id == threads.c.id, Comment.parent_id == threads.c.id))
            .outerjoin(User, User.id == Comment.author_id)
            .order_by(threads.c.thread_number, Comment.created_at, Comment.id))
    return page, select(last)


def last_thread_number(subject_column: str) -> ScalarSelect:
    """The number of the last thread on the subject ``:subject_id`` (NULL for none): one
    entry of its unique index, read from the end. Not ``max()``: with statistics older
    than the subject's threads, PostgreSQL read every entry for it (0.57 ms at 1,900)."""
    number = Comment.thread_number
    return (select(number).where(getattr(Comment, subject_column) == bindparam("subject_id"),
                                 number.is_not(None))
            .order_by(number.desc()).limit(1).correlate(None).scalar_subquery())


def _row(row) -> CommentRow:
    author = Author(row.nickname, row.person_status) if row.nickname is not None else None
    return CommentRow(row.id, row.parent_id, row.author_id, author, row.body, row.stance,
                      row.created_at, row.edited_at, row.deleted_at, row.hidden_at)


# Whether an item has any comment at all (deleted and hidden ones too), asked with the
# item's own statement for a signed-in reader (core/request_facts.py): most projects and
# many proposals have none, and their pages then skip the threads' statement, on
# PostgreSQL a round trip (issue 16).
ANY_COMMENTS_FACT = "any_comments"


def any_comments_column(kind_name: str, item_id, _reader) -> ColumnElement:
    """The fact as a column of the item's statement (true, "ask", for a kind that takes
    no comments: its pages never ask)."""
    kind = commentable.registered(kind_name)
    if kind is None:
        return true()
    # The id, not *: from the index alone. SQLite's statistics see a subject column that
    # is mostly NULL (a comment is on one kind of item) and chose to scan every comment
    # rather than read rows through the index (0.13 -> 0.32 ms for the project's statement).
    return select(Comment.id).where(getattr(Comment, kind.column) == item_id).exists()


def comment_threads(kind: Commentable, subject, page: int = 1) -> tuple[list[Thread], int]:
    """A page of top-level comments on ``subject`` (oldest first) with all their replies:
    1 statement (the page carries its replies and the number of threads), 2 past the last
    page, none when the page's statement found no comment (:data:`ANY_COMMENTS_FACT`)."""
    reader = reader_id()
    if reader is not None and not known(
            item_fact_key(ANY_COMMENTS_FACT, kind.name, subject.id, reader), lambda: True):
        return [], 1
    threads_page, last = _statements(kind.column)
    connection = db.session.connection()
    rows = connection.execute(threads_page, {
        "subject_id": subject.id, "after": (page - 1) * COMMENTS_PAGE_SIZE,
        "through": page * COMMENTS_PAGE_SIZE}).all()
    # Threads first: a reply dated before its comment (an import, a clock set back) still
    # finds its thread.
    threads = {row.id: Thread(_row(row), []) for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id is not None:
            threads[row.parent_id].replies.append(_row(row))
    if rows:
        total = rows[0].total
    else:  # none on this page: none at all on the first, else how many there are
        total = 0 if page == 1 else connection.execute(
            last, {"subject_id": subject.id}).scalar_one()
    pages = max(1, math.ceil(total / COMMENTS_PAGE_SIZE))
    return list(threads.values()), pages


def page_of(comment: Comment) -> int:
    """The page of ``comment``'s thread: the answer to a post shows the page the person's
    comment is on (a new thread on the last page, a reply on its thread's). No query: a
    reply's thread is the comment it answered, already loaded."""
    top = db.session.get(Comment, comment.parent_id) if comment.parent_id else comment
    return (top.thread_number - 1) // COMMENTS_PAGE_SIZE + 1

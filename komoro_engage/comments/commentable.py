"""The one interface between comments and whatever can be commented on.

A feature registers each commentable kind once (at import, like the erasure
registry) with a :class:`Commentable`; comments then post, list, edit, report
and notify through it and never import the feature. A kind named ``X`` is the
subject's table name: the comment row points at it through ``comment.X_id``
and loads it as ``comment.X`` (a new kind adds that column in a migration).
Subjects have ``id``, ``title`` and a ``comment_count`` that comments keep exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, url_for

from komoro_engage.accounts.models import User

Predicate = Callable[[User | None, Any], bool]


@dataclass(frozen=True)
class Commentable:
    name: str  # the subject's table name, e.g. "proposal"
    load: Callable[[int], Any]  # the subject by id, or abort(404) where the person may not see it
    can_read: Predicate  # whether its comments show (else their pages are 404)
    can_comment: Predicate  # whether the person may post on it now
    page_endpoint: str  # the subject's page, e.g. "proposals.detail"
    post_endpoint: str  # the feature's URL that posts a comment, e.g. "proposals.comment"
    id_arg: str  # both endpoints' URL argument, e.g. "proposal_id"
    template: str  # the page template; its "comments" block is the comment section
    # The page's context with the comment form (and the reply it answers) carried back.
    page_context: Callable[[Any, Any, int | None, int | None], dict]
    # The comment column pointing at the subject, when it is not "<name>_id".
    fk_column: str | None = None

    @property
    def column(self) -> str:
        """The comment column pointing at the subject; ``comment.<column minus _id>`` loads it."""
        return self.fk_column or f"{self.name}_id"

    @property
    def relation(self) -> str:
        return self.column.removesuffix("_id")

    def page_url(self, subject_id: int, page: int | None = None) -> str:
        """The subject's page; ``page`` > 1: that page of its comments."""
        pages = {"page": page} if page and page > 1 else {}
        return url_for(self.page_endpoint, **pages, **{self.id_arg: subject_id})

    def post_url(self, subject_id: int) -> str:
        return url_for(self.post_endpoint, **{self.id_arg: subject_id})


_kinds: dict[str, Commentable] = {}


def register(kind: Commentable) -> Commentable:
    """Make ``kind`` commentable (idempotent: the last registration wins)."""
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests)."""
    _kinds.pop(name, None)


def get(name: str) -> Commentable:
    """The registered kind called ``name``; 404 for anything else."""
    kind = _kinds.get(name)
    if kind is None:
        abort(404)
    return kind


def registered(name: str) -> Commentable | None:
    """The registered kind called ``name``, or None."""
    return _kinds.get(name)


def kind_of(subject) -> Commentable:
    """The kind of a subject row (a proposal, a project …)."""
    return get(subject.__tablename__)


def kind_of_comment(comment) -> Commentable:
    """The kind of the subject ``comment`` is about: the one whose column is set."""
    for kind in _kinds.values():
        if getattr(comment, kind.column, None) is not None:
            return kind
    raise LookupError(f"comment {comment.id} is about no registered kind")

"""Comments on 協働 projects as residents' texts for the free-text map (市民の声の地図).

Registered with ``core/text_sources.py``. Only comments the public reads: neither
deleted nor hidden, on projects staff let be public (``review.PUBLIC``). A measure's
are those on the projects linked to it; a fiscal year's those written in it.
"""

from __future__ import annotations

from collections.abc import Collection

from flask import url_for
from sqlalchemy import select

from komoro_engage.comments.models import Comment
from komoro_engage.core.text_sources import (
    ScopeText,
    TextLink,
    excerpt,
    parse_scope,
    register_text_kind,
    register_text_source,
)
from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY, fiscal_year_bounds
from komoro_engage.projects.models import Project, project_measure
from komoro_engage.projects.review import PUBLIC

KIND = "project_comment"  # "comment:" keys are the proposals' comments


def _visible():
    return (select(Comment.id, Comment.body, Comment.project_id)
            .join(Project, Project.id == Comment.project_id)
            .where(PUBLIC, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None)))


def project_comment_texts(scope_name: str) -> list[ScopeText]:
    """Each visible comment on the scope's public projects (written in the year, for a year)."""
    parsed = parse_scope(scope_name)
    if parsed is None:
        return []
    kind, ident = parsed
    comments = _visible()
    if kind == "measure":
        comments = comments.join(project_measure, project_measure.c.project_id == Project.id
                                 ).where(project_measure.c.measure_id == ident)
    elif kind == "year" and FIRST_FY <= ident <= LAST_FY:
        start, end = fiscal_year_bounds(ident)
        comments = comments.where(Comment.created_at >= start, Comment.created_at < end)
    else:
        return []
    rows = db.session.execute(comments.order_by(Comment.id))
    return [ScopeText(f"{KIND}:{i}", body) for i, body, _ in rows]


def project_comment_links(ids: Collection[int]) -> dict[int, TextLink]:
    rows = db.session.execute(_visible().where(Comment.id.in_(list(ids))))
    return {i: TextLink(excerpt(body), url_for("projects.detail", project_id=project_id,
                                               _anchor=f"comment-{i}"))
            for i, body, project_id in rows}


def register() -> None:
    register_text_source("project-comments", project_comment_texts)
    register_text_kind(KIND, project_comment_links)

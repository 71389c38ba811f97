"""Proposals and their comments as residents' texts for the free-text map (市民の声の地図).

Registered with ``core/text_sources.py``. Only what the public reads: proposals in a
public status, comments neither deleted nor hidden on such proposals. A measure's
texts are those of the proposals staff linked to it (links not taken back) and
their comments; a fiscal year's are the proposals published in it and the comments
written in it, as the evaluation counts them (``participation.py``).
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
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal


def _public_proposals(scope_name: str):
    """SELECT of the public proposals' ids in the scope, and the year's bounds if any."""
    parsed = parse_scope(scope_name)
    public = select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))
    if parsed is None:
        return None, None
    kind, ident = parsed
    if kind == "measure":
        link = ProposalMeasureLink
        return public.join(link, link.proposal_id == Proposal.id).where(
            link.measure_id == ident, link.unlinked_at.is_(None)), None
    if kind == "year" and FIRST_FY <= ident <= LAST_FY:
        return public, fiscal_year_bounds(ident)
    return None, None


def proposal_texts(scope_name: str) -> list[ScopeText]:
    """Title and body of each public proposal of the scope."""
    ids, bounds = _public_proposals(scope_name)
    if ids is None:
        return []
    if bounds:
        ids = ids.where(Proposal.published_at >= bounds[0], Proposal.published_at < bounds[1])
    rows = db.session.execute(select(Proposal.id, Proposal.title, Proposal.body)
                              .where(Proposal.id.in_(ids)).order_by(Proposal.id))
    return [ScopeText(f"proposal:{i}", f"{title}\n{body}") for i, title, body in rows]


def comment_texts(scope_name: str) -> list[ScopeText]:
    """Each visible comment on the scope's public proposals (in the year, for a year)."""
    ids, bounds = _public_proposals(scope_name)
    if ids is None:
        return []
    comments = select(Comment.id, Comment.body).where(
        Comment.proposal_id.in_(ids), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
    if bounds:
        comments = comments.where(Comment.created_at >= bounds[0], Comment.created_at < bounds[1])
    rows = db.session.execute(comments.order_by(Comment.id))
    return [ScopeText(f"comment:{i}", body) for i, body in rows]


def proposal_links(ids: Collection[int]) -> dict[int, TextLink]:
    rows = db.session.execute(select(Proposal.id, Proposal.title).where(
        Proposal.id.in_(list(ids)), Proposal.status.in_(PUBLIC_STATUSES)))
    return {i: TextLink(title, url_for("proposals.detail", proposal_id=i)) for i, title in rows}


def comment_links(ids: Collection[int]) -> dict[int, TextLink]:
    rows = db.session.execute(
        select(Comment.id, Comment.body, Comment.proposal_id)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Comment.id.in_(list(ids)), Comment.deleted_at.is_(None),
               Comment.hidden_at.is_(None), Proposal.status.in_(PUBLIC_STATUSES)))
    return {i: TextLink(excerpt(body), url_for("proposals.detail", proposal_id=proposal_id,
                                                _anchor=f"comment-{i}"))
            for i, body, proposal_id in rows}


def register() -> None:
    register_text_source("proposals", proposal_texts)
    register_text_source("proposal-comments", comment_texts)
    register_text_kind("proposal", proposal_links)
    # Comments on proposals; those on projects are "project_comment:" (projects/text_sources.py).
    register_text_kind("comment", comment_links)

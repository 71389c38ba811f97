"""What a queue card shows beside the title, so staff decide from the queue itself:
the first lines of the text, policy areas, place, photos, supports, and the author's
history (their other proposals, reports against what they wrote).

:func:`card_facts` reads the facts of a whole page in three grouped statements, whatever
the page size (tests/staff/test_queue_cards.py holds it to that). The policy areas,
district, 区 and landmark come with the page's own query (:data:`CARD_LOADS`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.proposals.models import Proposal, ProposalPhoto, ProposalStatus

# What a card reads from the proposal's relationships, loaded with the page.
CARD_LOADS = (joinedload(Proposal.author), joinedload(Proposal.district),
              joinedload(Proposal.ku), joinedload(Proposal.landmark),
              selectinload(Proposal.policy_areas))
EXCERPT_LINES = 3
EXCERPT_CHARS = 160


def excerpt(body: str | None) -> str:
    """The first non-empty lines of a text, cut at :data:`EXCERPT_CHARS` with "…"."""
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    text = "\n".join(lines[:EXCERPT_LINES])
    cut = len(lines) > EXCERPT_LINES or len(text) > EXCERPT_CHARS
    return text[:EXCERPT_CHARS].rstrip() + "…" if cut else text


@dataclass(frozen=True)
class CardFacts:
    """One proposal card's figures."""

    excerpt: str
    photos: int
    other_proposals: int  # the author's other proposals, drafts aside
    reports_against: int  # reports ever made on the author's proposals and comments


def _grouped(statement, bound: dict) -> dict[int, int]:
    return {key: n for key, n in db.session.execute(statement, bound)}


@functools.cache
def _facts_statements():
    """Built once, with the page's ids and authors bound (expanding): the card queues ask
    on every request, and building the union cost more than running it (issue 16)."""
    ids, authors = bindparam("ids", expanding=True), bindparam("authors", expanding=True)
    photos = (select(ProposalPhoto.proposal_id, func.count())
              .where(ProposalPhoto.proposal_id.in_(ids)).group_by(ProposalPhoto.proposal_id))
    written = (select(Proposal.author_id, func.count())
               .where(Proposal.author_id.in_(authors), Proposal.status != ProposalStatus.DRAFT)
               .group_by(Proposal.author_id))
    against = union_all(
        select(Proposal.author_id.label("author_id"), Report.id.label("report_id"))
        .join(Report, (Report.target_type == literal("proposal"))
              & (Report.target_id == Proposal.id))
        .where(Proposal.author_id.in_(authors)),
        select(Comment.author_id.label("author_id"), Report.id.label("report_id"))
        .join(Report, (Report.target_type == literal("comment"))
              & (Report.target_id == Comment.id))
        .where(Comment.author_id.in_(authors))).subquery()
    reports = select(against.c.author_id, func.count()).group_by(against.c.author_id)
    return photos, written, reports


def card_facts(proposals: list[Proposal]) -> dict[int, CardFacts]:
    """The facts of each card on a page, by proposal id: three statements (none for an
    empty page)."""
    if not proposals:
        return {}
    bound = {"ids": [p.id for p in proposals],
             "authors": sorted({p.author_id for p in proposals})}
    photos, written, reports = [_grouped(statement, bound)
                                for statement in _facts_statements()]
    return {p.id: CardFacts(
        excerpt=excerpt(p.body), photos=photos.get(p.id, 0),
        # The card's own proposal is counted when it is not a draft: take it off.
        other_proposals=max(0, written.get(p.author_id, 0)
                            - (p.status != ProposalStatus.DRAFT)),
        reports_against=reports.get(p.author_id, 0)) for p in proposals}

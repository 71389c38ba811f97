"""What a queue card shows beside the title, so staff decide from the queue itself:
the first lines of the text, policy areas, place, photos, supports, and the author's
history (their other proposals, reports against what they wrote).

:func:`card_facts` reads the facts of a whole page in three grouped statements, whatever
the page size (tests/staff/test_queue_cards.py holds it to that). The proposals come as
plain rows with their author, policy areas, district, 区 and landmark
(:func:`card_rows`): as ORM objects with those loaded they were a fifth of a queue
page's time (py-spy, issue 16).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, func, literal, select, union_all

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.comments.models import Comment
from komoro_engage.core.listing import Named, area_ids_column, area_names, card_areas
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.plan.models import District, Ku, PolicyArea
from komoro_engage.plan.place_models import Landmark
from komoro_engage.proposals.models import (
    Proposal,
    ProposalPhoto,
    ProposalStatus,
    proposal_policy_area,
)


@dataclass(frozen=True, slots=True)
class CardAuthor:
    """What a card needs of its author: the public name (``display_name``) and whether
    staff may suspend them (``can_suspend``)."""

    id: int
    nickname: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class QueueProposal:
    """A proposal as a queue card shows it, read as a plain row: the names a Proposal has."""

    id: int
    title: str
    status: str
    body: str
    author_id: int
    support_count: int
    submitted_at: datetime | None
    place_precision: str | None
    author: CardAuthor | None
    district: Named | None
    ku: Named | None
    landmark: Named | None
    policy_areas: list[Named]


@functools.cache
def _card_statement():
    """Built once: the joins and the areas' column cost more to build than to run."""
    return (select(Proposal.id, Proposal.title, Proposal.status, Proposal.body,
                   Proposal.author_id, Proposal.support_count, Proposal.submitted_at,
                   Proposal.place_precision, User.nickname, User.status.label("person_status"),
                   District.name.label("district_name"),
                   District.name_en.label("district_name_en"), Ku.name.label("ku_name"),
                   Landmark.name.label("landmark_name"),
                   Landmark.name_en.label("landmark_name_en"),
                   area_ids_column(proposal_policy_area, "proposal_id", Proposal.id))
            .select_from(Proposal)
            .outerjoin(User, User.id == Proposal.author_id)
            .outerjoin(District, District.id == Proposal.district_id)
            .outerjoin(Ku, Ku.id == Proposal.ku_id)
            .outerjoin(Landmark, Landmark.id == Proposal.landmark_id))


def card_rows(*where, order_by=()) -> Select:
    """The proposals ``where`` as queue cards' rows (read with :func:`queue_proposals`)."""
    return _card_statement().where(*where).order_by(*order_by)


def queue_proposals(rows) -> list[QueueProposal]:
    """:func:`card_rows`' rows as cards."""
    names = area_names(PolicyArea)
    return [QueueProposal(
        row.id, row.title, row.status, row.body, row.author_id, row.support_count,
        row.submitted_at, row.place_precision,
        CardAuthor(row.author_id, row.nickname, row.person_status)
        if row.nickname is not None else None,
        Named(row.district_name, row.district_name_en) if row.district_name else None,
        Named(row.ku_name) if row.ku_name else None,
        Named(row.landmark_name, row.landmark_name_en) if row.landmark_name else None,
        card_areas(row.area_ids, names)) for row in rows]


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


def card_facts(proposals: list[QueueProposal]) -> dict[int, CardFacts]:
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

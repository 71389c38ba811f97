"""What a queue card shows beside the title, so staff decide from the queue itself:
the first lines of the text, policy areas, place, photos, supports, and the author's
history (their other proposals, reports against what they wrote).

:func:`card_rows` reads a page of cards in one statement, whatever the page size
(tests/staff/test_queue_cards.py holds it to that): the proposals as plain rows with
their author, policy areas, district, 区 and landmark, and the cards' figures as
subqueries. As ORM objects with those loaded they were a fifth of a queue page's time
(py-spy, issue 16).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.comments.models import Comment
from komoro_engage.core.i18n import current_language
from komoro_engage.core.listing import (
    area_ids_column,
    area_names,
    card_area_names,
    name_in,
)
from komoro_engage.core.sql import written_text
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
    # Names in the reader's language (``core.listing.name_in``, ``card_area_names``).
    district: str | None
    ku: str | None
    landmark: str | None
    policy_areas: tuple[str, ...]
    facts: CardFacts


def _fact_columns() -> tuple:
    """The card's figures as subqueries of its row, each on an index (a proposal's photos,
    an author's proposals, the reports on one target): they were three grouped
    statements of their own, half of a card queue's statements (issue 16)."""
    own = aliased(Proposal)  # the author's proposals, the card's own among them
    photos = select(func.count()).where(ProposalPhoto.proposal_id == Proposal.id)
    written = (select(func.count()).select_from(own)
               .where(own.author_id == Proposal.author_id,
                      own.status != written_text(ProposalStatus.DRAFT)))
    on_proposals = (select(func.count()).select_from(Report)
                    .join(own, (Report.target_type == written_text("proposal"))
                          & (Report.target_id == own.id))
                    .where(own.author_id == Proposal.author_id))
    on_comments = (select(func.count()).select_from(Report)
                   .join(Comment, (Report.target_type == written_text("comment"))
                         & (Report.target_id == Comment.id))
                   .where(Comment.author_id == Proposal.author_id))
    return (photos.scalar_subquery().label("photo_count"),
            written.scalar_subquery().label("written"),
            on_proposals.scalar_subquery().label("reports_on_proposals"),
            on_comments.scalar_subquery().label("reports_on_comments"))


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
                   area_ids_column(proposal_policy_area, "proposal_id", Proposal.id),
                   *_fact_columns())
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
    names, language = area_names(PolicyArea), current_language()
    return [QueueProposal(
        row.id, row.title, row.status, row.body, row.author_id, row.support_count,
        row.submitted_at, row.place_precision,
        CardAuthor(row.author_id, row.nickname, row.person_status)
        if row.nickname is not None else None,
        name_in(language, row.district_name, row.district_name_en), row.ku_name,
        name_in(language, row.landmark_name, row.landmark_name_en),
        card_area_names(row.area_ids, names, language), _facts(row)) for row in rows]


def _facts(row) -> CardFacts:
    return CardFacts(
        excerpt=excerpt(row.body), photos=row.photo_count,
        # The card's own proposal is counted when it is not a draft: take it off.
        other_proposals=max(0, row.written - (row.status != ProposalStatus.DRAFT)),
        reports_against=row.reports_on_proposals + row.reports_on_comments)

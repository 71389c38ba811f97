"""Reading the lifecycle back: the city's record of one proposal, and the proposals
linked to a measure.

Each function runs a fixed number of statements whatever the history
(tests/staff/test_staff_query_counts.py holds them to it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload

from komoro_engage.core import clock
from komoro_engage.core.request_facts import keep_answers, known
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.proposals.lifecycle.models import (
    ProposalAnswer,
    ProposalMeasureLink,
    ProposalStatusChange,
    ProxyEntry,
)
from komoro_engage.proposals.models import PUBLIC_STATUSES, Proposal


@dataclass
class CityRecord:
    """What the proposal page shows of the city's handling: links, answer, timeline, proxy."""

    links: list[ProposalMeasureLink]
    answer: ProposalAnswer | None
    proxy: ProxyEntry | None
    changes: list[ProposalStatusChange]

    @property
    def active_links(self) -> list[ProposalMeasureLink]:
        return [link for link in self.links if link.is_active]

    @property
    def past_links(self) -> list[ProposalMeasureLink]:
        return [link for link in self.links if not link.is_active]

    @property
    def overdue(self) -> bool:
        """The answer's deadline has passed (whether or not it was answered)."""
        deadline = self.answer.deadline_at if self.answer else None
        return deadline is not None and clock.as_utc(deadline) < clock.now()


# The record's statements, built once (every proposal page runs them).
_PROPOSAL = bindparam("proposal_id")


@functools.cache
def _links_statement():
    # At first use: the loader option needs every mapper configured.
    return (select(ProposalMeasureLink).where(ProposalMeasureLink.proposal_id == _PROPOSAL)
            .options(joinedload(ProposalMeasureLink.measure))
            .order_by(ProposalMeasureLink.linked_at, ProposalMeasureLink.id))


_ANSWER_AND_PROXY = (
    select(ProposalAnswer, ProxyEntry).select_from(Proposal)
    .outerjoin(ProposalAnswer, ProposalAnswer.proposal_id == Proposal.id)
    .outerjoin(ProxyEntry, ProxyEntry.proposal_id == Proposal.id)
    .where(Proposal.id == _PROPOSAL))
_STAFF_STEPS = (select(ProposalStatusChange).where(ProposalStatusChange.proposal_id == _PROPOSAL)
                .order_by(ProposalStatusChange.created_at, ProposalStatusChange.id))
_PUBLIC_STEPS = _STAFF_STEPS.where(ProposalStatusChange.staff_only.is_(False))


def answer_key(proposal_id: int) -> tuple[str, int]:
    """Where a page that read the answer and proxy entry with the proposal keeps them
    (``core.request_facts.keep_answers``), for :func:`city_record` to find."""
    return ("answer_and_proxy", proposal_id)


def _linked_key(proposal_id: int) -> tuple[str, int]:
    return ("measure_links_exist", proposal_id)


def with_answer_and_proxy(proposal_statement: Select) -> Select:
    """``proposal_statement`` with the proposal's answer and proxy entry (at most one of
    each) as further entities, and whether it was ever linked to a measure, for a page that
    shows the record: the proposal page's own statement brings them (proposals/reader.py,
    :func:`keep_record_parts`) instead of statements of their own, on PostgreSQL a round
    trip each (issue 16)."""
    return (proposal_statement
            .outerjoin(ProposalAnswer, ProposalAnswer.proposal_id == Proposal.id)
            .outerjoin(ProxyEntry, ProxyEntry.proposal_id == Proposal.id)
            .add_columns(ProposalAnswer, ProxyEntry, exists().where(
                ProposalMeasureLink.proposal_id == Proposal.id).label("ever_linked")))


def keep_record_parts(proposal_id: int, row) -> None:
    """What a row of :func:`with_answer_and_proxy` read, on a read request, for
    :func:`city_record` to answer from."""
    keep_answers({answer_key(proposal_id): (row.ProposalAnswer, row.ProxyEntry),
                  _linked_key(proposal_id): bool(row.ever_linked)})


def city_record(proposal: Proposal, staff: bool = False) -> CityRecord:
    """Three statements, whatever the proposal's history (one where the proposal's
    statement brought the answer and found no measure link, as for most proposals:
    :func:`with_answer_and_proxy`). ``staff``: the timeline includes the staff-only steps
    (an answer's draft saved, submitted, returned, approved)."""
    params = {"proposal_id": proposal.id}
    ever_linked = known(_linked_key(proposal.id), lambda: True)  # if unknown, ask the links
    links = list(db.session.scalars(_links_statement(), params)) if ever_linked else []
    answer, proxy = known(answer_key(proposal.id),
                          lambda: tuple(db.session.execute(_ANSWER_AND_PROXY, params).one()))
    changes = list(db.session.scalars(_STAFF_STEPS if staff else _PUBLIC_STEPS, params))
    return CityRecord(links, answer, proxy, changes)


MEASURE_PAGE_SIZE = 20


def measure_proposals(measure: Measure) -> tuple[list[ProposalMeasureLink], int]:
    """Public proposals actively linked to ``measure``, newest link first, and their count.

    One statement: the count rides along as a window function.
    """
    rows = db.session.execute(
        select(ProposalMeasureLink, func.count().over())
        .join(Proposal, Proposal.id == ProposalMeasureLink.proposal_id)
        .where(ProposalMeasureLink.measure_id == measure.id,
               ProposalMeasureLink.unlinked_at.is_(None), Proposal.status.in_(PUBLIC_STATUSES))
        .options(contains_eager(ProposalMeasureLink.proposal))
        .order_by(ProposalMeasureLink.linked_at.desc(), ProposalMeasureLink.id.desc())
        .limit(MEASURE_PAGE_SIZE)).all()
    return [link for link, _total in rows], (rows[0][1] if rows else 0)

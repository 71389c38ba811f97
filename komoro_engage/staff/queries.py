"""Reading for the console's queues: pending review, consultation statements waiting
for pre-moderation, reports, awaiting an answer, answers awaiting approval (決裁),
projects waiting for review, organisations staff have not verified, and 自分の課: the
unanswered proposals routed to the reader's departments (all, and past their due date).
The report queue's page is read in ``staff/reported.py``.

Every function runs a fixed number of statements whatever the data size
(tests/staff/test_staff_query_counts.py holds them to it).
"""

from __future__ import annotations

import functools

from sqlalchemy import Select, bindparam, case, exists, func, select
from sqlalchemy.orm import Bundle, joinedload

from komoro_engage.accounts.models import Organisation
from komoro_engage.accounts.queries import Page, page_of
from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.core import clock
from komoro_engage.core.sql import kept_slice, written_text
from komoro_engage.extensions import db
from komoro_engage.plan.departments import department_ids_of
from komoro_engage.projects import queries as project_queries
from komoro_engage.proposals.lifecycle.models import (
    AnswerDraftState,
    ProposalAnswer,
    ProposalAnswerDraft,
)
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.staff.cards import card_rows, queue_proposals
from komoro_engage.staff.handling import ASSIGNABLE
from komoro_engage.staff.handling_models import ProposalAssignment
from komoro_engage.staff.reported import open_reports

QUEUES = ("mine", "mine_overdue", "pending", "statements", "reports", "threshold", "overdue",
          "approvals", "projects", "unverified")
# The queues of the reader's own departments: empty for staff who belong to none.
MINE = ("mine", "mine_overdue")


def _waiting_answers():
    """Ids of proposals at 検討中 whose answer is not written, read on the answers alone
    (``ix_proposal_answer_waiting``, in ``WAITING_ORDER``) with each one's status probed by
    its key. ``IN (ids under review)`` collected every proposal under review first, 5 ms
    at 100,000 before the first row; a join read every waiting proposal's wide row.

    The probe is a scalar subquery, not ``EXISTS``: PostgreSQL turned ``EXISTS`` into a
    hash join of every waiting answer with every proposal under review, then sorted them
    (its estimate cannot know that a waiting answer's proposal is under review): 2.4 ms
    for the tabs' count of 100 at 100,000 proposals. Probed row by row down the index:
    0.16 ms. SQLite probes row by row either way."""
    status = (select(Proposal.status).where(Proposal.id == ProposalAnswer.proposal_id)
              .scalar_subquery())
    return select(ProposalAnswer.proposal_id).where(
        ProposalAnswer.answered_at.is_(None), status == ProposalStatus.UNDER_REVIEW)


# The waiting answers nearest deadline first. ``answered_at`` (NULL in every one of them)
# leads so that PostgreSQL reads them in the order of ``ix_proposal_answer_waiting``: it
# does not take ``answered_at IS NULL`` as fixing the index's first column, and sorted
# every waiting answer instead.
WAITING_ORDER = (ProposalAnswer.answered_at, ProposalAnswer.deadline_at,
                 ProposalAnswer.proposal_id)


def _waiting_approval():
    """Drafts of the city's answer submitted for approval (決裁), on their state index."""
    return select(ProposalAnswerDraft.proposal_id).where(
        ProposalAnswerDraft.state == AnswerDraftState.SUBMITTED)


def _mine(user_id):
    """Ids of proposals currently routed to one of ``user_id``'s departments that the city
    has not answered yet (public or under review, no published answer). ``user_id``: an
    id or a bound parameter.

    The proposal's status and its answer are probed per assignment (``EXISTS`` on their
    keys): ``IN (every assignable proposal)`` and ``NOT IN (every answer)`` made the
    database collect both sets on every console page, 41 ms of it at 100,000 proposals
    for a department's four (issue 16).
    """
    assignable = exists().where(Proposal.id == ProposalAssignment.proposal_id,
                                Proposal.status.in_(ASSIGNABLE))
    answered = exists().where(ProposalAnswer.proposal_id == ProposalAssignment.proposal_id,
                              ProposalAnswer.answered_at.is_not(None))
    return select(ProposalAssignment.proposal_id).where(
        ProposalAssignment.is_current,
        ProposalAssignment.department_id.in_(department_ids_of(user_id)),
        assignable, ~answered)


# A tab counts its queue up to here and shows "99+" beyond (``queue_count_text``), as
# badges do: staff work from the top of a queue, and every staff page counts all ten.
# Counting 8,000 waiting answers twice was most of the page's time at 100,000 proposals;
# with a cap of 1,000 the counts still took 0.86 ms there (0.14 ms at 1,000 proposals)
# and the staff pages kept 0.53-0.59 of their throughput; to 99, 0.18 ms (issue 16).
QUEUE_COUNT_CAP = 99


def _capped(ids: Select):
    """How many rows ``ids`` gives, counted up to ``counted`` (bound: one past the cap): a
    scalar subquery."""
    return (select(func.count()).select_from(ids.limit(bindparam("counted")).subquery())
            .scalar_subquery())


def _waiting_counts(now):
    """The 回答待ち and 期限切れ tabs' counts from one walk of the waiting answers in deadline
    order, up to ``counted``: the overdue ones come first, so counting those among the
    walked rows is their count up to the cap too. Two walks of a thousand rows each were
    most of every staff page's statements at 100,000 proposals (issue 16). Every answer
    gets its deadline when review starts (``lifecycle/answers.py``): none sorts first as
    NULL."""
    walked = (_waiting_answers().add_columns(ProposalAnswer.deadline_at)
              .order_by(*WAITING_ORDER)
              .limit(bindparam("counted")).subquery())
    return (select(func.count().label("threshold"),
                   func.count(case((walked.c.deadline_at < now, 1))).label("overdue"))
            .select_from(walked).subquery())


def queue_count_text(count: int) -> str:
    """A tab's count as shown: "42", or "99+" past the cap."""
    return f"{QUEUE_COUNT_CAP:,}+" if count > QUEUE_COUNT_CAP else f"{count:,}"


@functools.cache
def _counts_statement():
    """The tabs' counts, built once with ``now``, ``user_id`` and ``counted`` bound: every
    staff page shows them, and building ten counted subqueries cost more than running
    them on the indexes (issue 16). (A LIMIT is a bound parameter either way.)"""
    now, mine = bindparam("now"), _mine(bindparam("user_id"))
    waiting = _waiting_counts(now)
    return select(
        _capped(mine), _capped(mine.where(ProposalAssignment.due_at < now)),
        _capped(select(Proposal.id).where(Proposal.status == ProposalStatus.PENDING)),
        _capped(select(Statement.id).where(Statement.status == StatementStatus.PENDING)),
        _capped(open_reports()),
        waiting.c.threshold, waiting.c.overdue,
        _capped(_waiting_approval()),
        _capped(project_queries.waiting_ids()),
        _capped(select(Organisation.id).where(Organisation.verified_at.is_(None))),
    )


def queue_counts(now=None, user_id: int | None = None) -> dict[str, int]:
    """How many items wait in each queue (自分の課: ``user_id``'s departments), each up to
    one past ``QUEUE_COUNT_CAP``: one statement."""
    row = db.session.execute(_counts_statement(),
                             {"now": now or clock.now(), "user_id": user_id or 0,
                              "counted": QUEUE_COUNT_CAP + 1}).one()
    return dict(zip(QUEUES, row, strict=True))


def pending_page(page: str | None) -> Page:
    """Proposals waiting for approval, oldest first, as the cards' rows (one statement)."""
    found = page_of(_pending_cards(), page, scalars=False, kept=True)
    found.items = queue_proposals(found.items)
    return found


@functools.cache
def _pending_cards():
    """The 承認待ち queue's page of cards, built once: the console opens on it. Built and
    cut on each request, it was a new object whose cache key SQLAlchemy worked out again
    by walking its joins and four subqueries: 420 of the console's 9,700 calls (issue 16)."""
    return kept_slice(card_rows(Proposal.status == written_text(ProposalStatus.PENDING),
                                order_by=(Proposal.submitted_at, Proposal.id)))


def statements_page(page: str | None) -> Page:
    """Consultation statements waiting for pre-moderation, oldest first, with their
    consultation (one statement, on ix_statement_status_created_at)."""
    return page_of(_kept_pages()["statements"], page, kept=True)


def projects_page(page: str | None) -> Page:
    """協働 projects waiting for review (projects/review.py), longest waiting first."""
    return page_of(_kept_pages()["projects"], page, kept=True)


def unverified_page(page: str | None) -> Page:
    """Organisations staff have not verified, oldest first: until then their projects
    wait for review and they may invite only a few people."""
    return page_of(_kept_pages()["unverified"], page, kept=True)


@functools.cache
def _kept_pages() -> dict[str, Select]:
    """The queues' pages that need no value but their numbers, built once
    (``core.sql.kept_slice``)."""
    pages = {
        "statements": select(Statement).where(Statement.status == StatementStatus.PENDING)
        .options(joinedload(Statement.author), joinedload(Statement.consultation))
        .order_by(Statement.created_at, Statement.id),
        "projects": project_queries.waiting_for_review(),
        "unverified": select(Organisation).where(Organisation.verified_at.is_(None))
        .order_by(Organisation.created_at, Organisation.id),
        "approvals": _waiting_approval().order_by(ProposalAnswerDraft.submitted_at,
                                                  ProposalAnswerDraft.proposal_id),
    }
    return {queue: kept_slice(query) for queue, query in pages.items()}


def answer_page(page: str | None, overdue: bool, now=None) -> Page:
    """Proposals at 検討中 without an answer, nearest deadline first; rows of (proposal, answer).

    The page's ids come from the answers alone, in deadline order; only those proposals
    are read (joining first read every waiting proposal's row before sorting: 100,000
    proposals, 30 ms → 10 ms). Two statements.
    """
    found = page_of(_waiting_page(overdue), page, kept=True, values={"now": now or clock.now()})
    if found.items:
        rows = {row[0].id: row for row in db.session.execute(_answer_cards(),
                                                             {"ids": found.items})}
        found.items = [rows[proposal_id] for proposal_id in found.items if proposal_id in rows]
    return found


@functools.cache
def _waiting_page(overdue: bool):
    """A page of the waiting answers' ids in deadline order, built once (``now`` bound
    when ``overdue``): ``core.sql.kept_slice``."""
    waiting = _waiting_answers()
    if overdue:
        waiting = waiting.where(ProposalAnswer.deadline_at < bindparam("now"))
    return kept_slice(waiting.order_by(*WAITING_ORDER))


@functools.cache
def _answer_cards():
    """An answer queue's cards, built once: each a (proposal, answer) pair of rows with
    what the card shows. Proposals and answers as ORM objects (with the author, whom the
    card does not show), by a statement built per request, cost 1,700 of the threshold
    queue's 25,400 calls (issue 16)."""
    return (select(Bundle("proposal", Proposal.id, Proposal.title, Proposal.support_count),
                   Bundle("answer", ProposalAnswer.deadline_at,
                          ProposalAnswer.review_started_at))
            .join(ProposalAnswer, ProposalAnswer.proposal_id == Proposal.id)
            .where(Proposal.id.in_(bindparam("ids", expanding=True))))


def mine_page(page: str | None, user_id: int, overdue: bool, now=None) -> Page:
    """自分の課: proposals routed to the reader's departments, nearest due date first;
    rows of (proposal, assignment with its department and assignee). Two statements."""
    found = page_of(_mine_page(overdue), page, kept=True,
                    values={"user_id": user_id, "now": now or clock.now()})
    if found.items:
        rows = {row[0].id: row for row in db.session.execute(
            select(Proposal, ProposalAssignment)
            .join(ProposalAssignment, ProposalAssignment.proposal_id == Proposal.id)
            .where(Proposal.id.in_(found.items), ProposalAssignment.is_current)
            .options(joinedload(ProposalAssignment.department),
                     joinedload(ProposalAssignment.assignee)))}
        found.items = [rows[proposal_id] for proposal_id in found.items if proposal_id in rows]
    return found


@functools.cache
def _mine_page(overdue: bool):
    """A page of 自分の課's ids, nearest due date first, built once (``user_id`` bound, and
    ``now`` when ``overdue``)."""
    waiting = _mine(bindparam("user_id"))
    if overdue:
        waiting = waiting.where(ProposalAssignment.due_at < bindparam("now"))
    return kept_slice(waiting.order_by(ProposalAssignment.due_at.is_(None),
                                       ProposalAssignment.due_at, ProposalAssignment.proposal_id))


def approval_page(page: str | None) -> Page:
    """Answers waiting for approval, longest waiting first; rows of (proposal, draft).
    The same statement as the tab's count, paged; two statements."""
    found = page_of(_kept_pages()["approvals"], page, kept=True)
    if found.items:
        rows = {row[0].id: row for row in db.session.execute(
            select(Proposal, ProposalAnswerDraft)
            .join(ProposalAnswerDraft, ProposalAnswerDraft.proposal_id == Proposal.id)
            .where(Proposal.id.in_(found.items))
            .options(joinedload(ProposalAnswerDraft.submitted_by)))}
        found.items = [rows[proposal_id] for proposal_id in found.items if proposal_id in rows]
    return found

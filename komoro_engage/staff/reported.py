"""The console's report queue: proposals, comments and consultation statements with open
reports, longest waiting first, each with its reasons and what reporters wrote.

At most five statements whatever the page (tests/staff/test_staff_query_counts.py): a
kind of item not on the page is not read. The items are plain rows with what their cards
show, read by statements built once: as ORM objects (comments with their author, proposal
and project, statements with their author and consultation), by statements built per
request, they cost 2,000 of the page's 38,000 calls (issue 16).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from komoro_engage.accounts.models import User
from komoro_engage.accounts.queries import Page, page_of
from komoro_engage.comments.models import Comment
from komoro_engage.consultations.models import Consultation, Statement
from komoro_engage.core.sql import kept_slice
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report, ReportTarget
from komoro_engage.projects.models import Project
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff.cards import CardAuthor, QueueProposal, card_rows, queue_proposals

# The kinds the report queue shows; tests/staff/test_staff_reports.py checks that every
# reportable kind a feature registers is among them, so no report waits unseen.
REPORTED_KINDS = tuple(kind.value for kind in ReportTarget)


def open_reports():
    """(kind, id) of every item with an open report, grouped (the queue's tab counts them)."""
    return select(Report.target_type, Report.target_id).where(
        Report.resolved_at.is_(None), Report.target_type.in_(REPORTED_KINDS)
    ).group_by(Report.target_type, Report.target_id)


@dataclass(frozen=True, slots=True)
class ReportedComment:
    """What a reported comment's card shows: its text, where it was written, its author."""

    id: int
    proposal_id: int | None
    project_id: int | None
    body: str
    hidden_at: datetime | None
    subject_title: str
    author: CardAuthor | None


@dataclass(frozen=True, slots=True)
class ReportedStatement:
    """What a reported consultation statement's card shows."""

    id: int
    consultation_id: int
    status: str
    text: str
    consultation_title: str
    author: CardAuthor | None  # None: entered by proxy or seeded, no account


@dataclass
class ReportedItem:
    kind: str
    item: QueueProposal | ReportedComment | ReportedStatement | None
    reports: int
    first_reported_at: object
    reasons: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item.id}" if self.item else ""


def reports_page(page: str | None) -> Page:
    """Reported proposals, comments and consultation statements with open reports, longest
    waiting first (at most 5 statements: 2 and one per kind on the page)."""
    grouped = page_of(_reported_page(), page, scalars=False, kept=True)
    if not grouped.items:
        return grouped
    keys = [(kind, item_id) for kind, item_id, _at in grouped.items]
    items = _load_reported(keys)
    rows = {(kind, item_id): ReportedItem(kind, items.get((kind, item_id)), 0, at)
            for kind, item_id, at in grouped.items}
    reasons = db.session.execute(_open_reasons(),
                                 {"ids": [item_id for _kind, item_id in keys]})
    for kind, item_id, reason, detail in reasons:  # every open report of the page's items
        row = rows.get((kind, item_id))
        if row is not None:
            row.reports += 1
            row.reasons[reason] = row.reasons.get(reason, 0) + 1
            if detail:
                row.details.append(detail)
    grouped.items = [row for row in rows.values() if row.item is not None]
    return grouped


def _load_reported(keys: list[tuple[str, int]]) -> dict:
    found: dict[tuple[str, int], QueueProposal | ReportedComment | ReportedStatement] = {}
    ids = {kind: [item_id for each, item_id in keys if each == kind]
           for kind in ("proposal", "comment", "statement")}

    def rows_of(kind: str, statement):
        # A kind not on the page is not asked for: an empty IN list was a round trip on
        # PostgreSQL for no row (issue 16).
        return db.session.execute(statement(), {"ids": ids[kind]}) if ids[kind] else ()

    for proposal in queue_proposals(rows_of("proposal", _proposal_cards)):
        found[("proposal", proposal.id)] = proposal
    for row in rows_of("comment", _comment_cards):
        found[("comment", row.id)] = ReportedComment(
            row.id, row.proposal_id, row.project_id, row.body, row.hidden_at,
            row.subject_title, _author(row))
    for row in rows_of("statement", _statement_cards):
        found[("statement", row.id)] = ReportedStatement(
            row.id, row.consultation_id, row.status, row.text, row.consultation_title,
            _author(row))
    return found


def _author(row) -> CardAuthor | None:
    return CardAuthor(row.author_id, row.nickname, row.person_status) \
        if row.author_id is not None else None


def _author_columns():
    return User.id.label("author_id"), User.nickname, User.status.label("person_status")


# The queue's statements, each built once (``ids``: an expanding bound list).

@functools.cache
def _reported_page():
    """The page of reported items, longest waiting first (``core.sql.kept_slice``): each
    item's first open report, found by walking the open reports oldest first
    (ix_report_waiting) and keeping those with no earlier open report on their item.
    Grouping every open report by item came before the first row: 0.87–1.1 ms for 2,783
    of them at 100,000 proposals on SQLite, 0.04 ms walked (issue 16)."""
    earlier = aliased(Report)
    first_of_its_item = ~exists().where(
        earlier.resolved_at.is_(None), earlier.target_type == Report.target_type,
        earlier.target_id == Report.target_id,
        or_(earlier.created_at < Report.created_at,
            and_(earlier.created_at == Report.created_at, earlier.id < Report.id)))
    # No test of the kind: every report is of a REPORTED_KIND (test_staff_statements.py),
    # and with one SQLite, without statistics, could choose ix_report_open and sort them all.
    # ``resolved_at`` (NULL in every open report) leads the order so that PostgreSQL walks
    # ix_report_waiting too: without it, it anti-joined every open report and sorted them,
    # 1.04 ms at 100,000 proposals against 0.17 ms walked (p50 in the app).
    return kept_slice(
        select(Report.target_type, Report.target_id, Report.created_at)
        .where(Report.resolved_at.is_(None), first_of_its_item)
        .order_by(Report.resolved_at, Report.created_at, Report.target_type, Report.target_id))


@functools.cache
def _proposal_cards():
    return card_rows(Proposal.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _comment_cards():
    return (select(Comment.id, Comment.proposal_id, Comment.project_id, Comment.body,
                   Comment.hidden_at,
                   func.coalesce(Proposal.title, Project.title).label("subject_title"),
                   *_author_columns())
            .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
            .outerjoin(Project, Project.id == Comment.project_id)
            .outerjoin(User, User.id == Comment.author_id)
            .where(Comment.id.in_(bindparam("ids", expanding=True))))


@functools.cache
def _statement_cards():
    return (select(Statement.id, Statement.consultation_id, Statement.status, Statement.text,
                   Consultation.title.label("consultation_title"), *_author_columns())
            .join(Consultation, Consultation.id == Statement.consultation_id)
            .outerjoin(User, User.id == Statement.author_id)
            .where(Statement.id.in_(bindparam("ids", expanding=True))))


@functools.cache
def _open_reasons():
    return (select(Report.target_type, Report.target_id, Report.reason, Report.detail)
            .where(Report.resolved_at.is_(None),
                   Report.target_id.in_(bindparam("ids", expanding=True)))
            .order_by(Report.id))

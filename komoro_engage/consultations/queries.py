"""Reading consultations: the lists, the next statement to vote on, a person's votes,
each statement's tally and the turnout. Each is a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flask import has_request_context
from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from komoro_engage.accounts.models import User
from komoro_engage.consultations import analysis
from komoro_engage.consultations.models import (
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
    StatementVote,
    consultation_measure,
    consultation_policy_area,
)
from komoro_engage.core.listing import Page, simple_page
from komoro_engage.core.request_facts import asks_facts
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.plan.menus import PlanLinks, keep_links

PER_PAGE = 20


def consultation_list(page: int, with_drafts: bool = False) -> Page:
    """Open consultations first, then closed ones; newest first within each (2 statements)."""
    query = select(Consultation).order_by(
        (Consultation.status == ConsultationStatus.OPEN).desc(),
        Consultation.opens_at.desc(), Consultation.id.desc())
    if not with_drafts:
        query = query.where(Consultation.status != ConsultationStatus.DRAFT)
    return simple_page(query, page, PER_PAGE)


# A consultation names a few measures and policy areas: joining both costs less than a
# statement for each, as selectinload made (two round trips on PostgreSQL, issue 16).
_WITH_LINKS = (joinedload(Consultation.measures), joinedload(Consultation.policy_areas))


def consultation_page(consultation_id: int) -> Consultation | None:
    """The consultation with its measures and policy areas (1 statement)."""
    return db.session.execute(
        select(Consultation).where(Consultation.id == consultation_id).options(*_WITH_LINKS)
    ).unique().scalar_one_or_none()


# The consultation's published statements (its turnout counts them; the tallies list them).
_PUBLISHED_IN_CONSULTATION = (Statement.consultation_id == bindparam("consultation_id"),
                              Statement.status == StatementStatus.PUBLISHED)


class Turnout(NamedTuple):
    participants: int  # people who voted
    votes: int
    statements: int  # published


PLAN_LINKS = PlanLinks(
    "consultation",
    (consultation_policy_area.c.consultation_id, consultation_policy_area.c.policy_area_id),
    None,
    (consultation_measure.c.consultation_id, consultation_measure.c.measure_id))

# Built once: the public page asks it on every view. The votes and participants are the
# consultation's own counts (vote_counts.py); the published statements a count of the
# consultation's few statements. Its plan links come as ids (named from the plan kept in
# memory, plan/menus.py) and its opinion map's snapshot as columns: one row, and neither
# has a statement of its own (a round trip each on PostgreSQL, issue 16).
_WITH_TURNOUT = analysis.latest_outer_join(
    select(Consultation, Consultation.participant_count, Consultation.vote_count,
           select(func.count()).where(*_PUBLISHED_IN_CONSULTATION).scalar_subquery()
           .label("statements"),
           *PLAN_LINKS.columns(bindparam("consultation_id")))
    .where(Consultation.id == bindparam("consultation_id")), Consultation.id)


def consultation_with_turnout(consultation_id: int) -> tuple[Consultation, Turnout] | None:
    """The consultation and its turnout for its public page (1 statement), its plan links
    and opinion map kept for the page on a read request (``menus.links_of``,
    ``analysis.latest``)."""
    row = db.session.execute(_WITH_TURNOUT, {"consultation_id": consultation_id}
                             ).one_or_none()
    if row is None:
        return None
    if has_request_context() and asks_facts():  # a write asks them after its writes
        keep_links(PLAN_LINKS, consultation_id, row)
        analysis.keep_latest(consultation_id, row)
    return row.Consultation, Turnout(row.participant_count, row.vote_count, row.statements)


def _open_to_vote(consultation_id, user_id):
    """Published statements of the consultation that the person neither wrote nor voted on."""
    return select(Statement).where(
        Statement.consultation_id == consultation_id,
        Statement.status == StatementStatus.PUBLISHED,
        (Statement.author_id.is_(None)) | (Statement.author_id != user_id),
        ~exists().where(StatementVote.statement_id == Statement.id,
                        StatementVote.user_id == user_id))


# Built once with parameters: every vote asks for the next card, and building the
# expression anew each time cost more Python than running it.
_NEXT_STATEMENT = (
    _open_to_vote(bindparam("consultation_id"), bindparam("user_id"))
    .add_columns(func.count().over())
    .order_by(Statement.vote_count, Statement.created_at.desc(), Statement.id.desc())
    .limit(1))


def next_statement(consultation_id: int, user: User) -> tuple[Statement | None, int]:
    """The statement to show ``user`` next, least voted then newest, and how many remain
    (1 statement: the count is a window over the same rows, taken before the LIMIT)."""
    row = db.session.execute(_NEXT_STATEMENT, {"consultation_id": consultation_id,
                                               "user_id": user.id}).first()
    return (row[0], row[1]) if row is not None else (None, 0)


class VotedStatement(NamedTuple):
    """What the list of one's votes shows of a statement: a row, not an ORM object."""

    id: int
    text: str


@dataclass(frozen=True)
class MyVote:
    statement: VotedStatement
    value: int


# Built once: every signed-in view of an open consultation asks it (issue 16).
_MY_VOTES = (select(Statement.id, Statement.text, StatementVote.value)
             .join(StatementVote, StatementVote.statement_id == Statement.id)
             .where(StatementVote.consultation_id == bindparam("consultation_id"),
                    StatementVote.user_id == bindparam("user_id"),
                    Statement.status == StatementStatus.PUBLISHED)
             .order_by(StatementVote.updated_at.desc(), StatementVote.id.desc()))


def my_votes(consultation_id: int, user: User) -> list[MyVote]:
    """``user``'s votes in the consultation on statements still published, latest first."""
    rows = db.session.execute(_MY_VOTES, {"consultation_id": consultation_id,
                                          "user_id": user.id})
    return [MyVote(VotedStatement(statement_id, text), value)
            for statement_id, text, value in rows]


class TalliedStatement(NamedTuple):
    """What the results table shows of a statement: a row, not an ORM object (issue 16)."""

    id: int
    text: str
    is_proxy: bool
    proxy_source: str | None


class Tally(NamedTuple):
    """A row of the results table, its shares worked out here: the template calls nothing
    per row (issue 16)."""

    statement: TalliedStatement
    agree: int
    disagree: int
    passed: int
    agree_percent: int  # of the statement's votes, passes included
    disagree_percent: int


def _tally(statement: TalliedStatement, agree: int, disagree: int, passed: int) -> Tally:
    votes = agree + disagree + passed

    def percent(count: int) -> int:
        return round(100 * count / votes) if votes else 0

    return Tally(statement, agree, disagree, passed, percent(agree), percent(disagree))


TALLY_LIMIT = 100  # the page stays light; the statements CSV has them all

# Built once: the consultation page asks it on every view. The counts are the statement's
# own (vote_counts.py): counting each statement's votes by value on every view grew with
# the votes, 0.38 ms of the page on PostgreSQL at 2,815 votes (issue 16).
TALLIES = (select(Statement.id, Statement.text, Statement.is_proxy, Statement.proxy_source,
                   Statement.agree_count, Statement.disagree_count, Statement.pass_count)
           .where(*_PUBLISHED_IN_CONSULTATION)
           .order_by(Statement.vote_count.desc(), Statement.id).limit(TALLY_LIMIT))


def tallies(consultation_id: int) -> list[Tally]:
    """The most voted published statements with their 賛成 / 反対 / パス counts, most
    voted first (1 statement)."""
    rows = db.session.execute(TALLIES, {"consultation_id": consultation_id})
    return [tally_of(row) for row in rows]


def tally_of(row) -> Tally:
    """A row of ``TALLIES``' columns as the results table shows it."""
    return _tally(TalliedStatement(*row[:4]), *row[4:7])


def holds_every_published(tallies_read: list) -> bool:
    """Whether the tallies' rows are all the consultation's published statements: fewer
    than the limit."""
    return len(tallies_read) < TALLY_LIMIT


def every_published_text(tallies_read: list[Tally]) -> dict[int, str] | None:
    """The texts of all the consultation's published statements when ``tallies_read``
    holds them all (the report need not read them again), else None."""
    if not holds_every_published(tallies_read):
        return None
    return {tally.statement.id: tally.statement.text for tally in tallies_read}


def staff_queue(consultation_id: int) -> tuple[list[Statement], list[Statement]]:
    """Pending statements (oldest first) and hidden ones (newest first), for staff
    (2 statements)."""
    def of(status, order):
        return list(db.session.scalars(
            select(Statement).where(Statement.consultation_id == consultation_id,
                                    Statement.status == status)
            .options(selectinload(Statement.author)).order_by(*order)))
    return (of(StatementStatus.PENDING, (Statement.created_at, Statement.id)),
            of(StatementStatus.HIDDEN, (Statement.created_at.desc(), Statement.id.desc())))


def reported_statements(consultation_id: int) -> list[tuple[Statement, int]]:
    """Published statements with open reports (under the hiding threshold), most reported
    first, with their number of open reports (1 statement)."""
    reports = func.count(Report.id)
    return [(statement, count) for statement, count in db.session.execute(
        select(Statement, reports)
        .join(Report, (Report.target_type == Statement.__tablename__)
              & (Report.target_id == Statement.id) & Report.resolved_at.is_(None))
        .where(Statement.consultation_id == consultation_id,
               Statement.status == StatementStatus.PUBLISHED)
        .group_by(Statement.id).order_by(reports.desc(), Statement.id))]


_STATEMENT_WITH_CONSULTATION = (select(Statement)
                                .where(Statement.id == bindparam("statement_id"))
                                .options(joinedload(Statement.consultation)))


def statement_with_consultation(statement_id: int) -> Statement | None:
    """A statement and its consultation in one statement (votes, reports, moderation)."""
    return db.session.scalar(_STATEMENT_WITH_CONSULTATION, {"statement_id": statement_id})


def published_statements(consultation_id: int) -> list[Statement]:
    """The consultation's published statements in id order (open data)."""
    return list(db.session.scalars(select(Statement).where(
        Statement.consultation_id == consultation_id,
        Statement.status == StatementStatus.PUBLISHED).order_by(Statement.id)))

"""Reads of 市民予算 pages, each a fixed number of statements whatever the size."""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from komoro_engage.budgeting.models import (
    Ballot,
    BallotShare,
    BudgetProcess,
    BudgetProject,
    BudgetResult,
    DistrictBudget,
)
from komoro_engage.core.listing import Page, simple_page
from komoro_engage.core.numbers import DB_INT_MAX
from komoro_engage.extensions import db
from komoro_engage.plan.models import District

# Built once with a parameter: every page and POST of a process loads one of them.
_BY_ID = select(BudgetProcess).where(BudgetProcess.id == bindparam("process_id"))
_PROCESS = _BY_ID.options(
    selectinload(BudgetProcess.projects).selectinload(BudgetProject.district),
    joinedload(BudgetProcess.district_budgets).joinedload(DistrictBudget.district))
# A ballot needs neither the projects' texts nor the districts' names: the process with
# its sub-budgets (a few rows, joined: one statement), and the projects as plain rows.
_PROCESS_FOR_BALLOT = _BY_ID.options(joinedload(BudgetProcess.district_budgets))
_BALLOT_OFFER = (select(BudgetProject.id, BudgetProject.title, BudgetProject.cost,
                        BudgetProject.district_id, BudgetProject.feasibility)
                 .where(BudgetProject.process_id == bindparam("process_id"))
                 .order_by(BudgetProject.id))


def ballot_offer(process: BudgetProcess) -> list:
    """The process's projects as rows (id, title, cost, district_id, feasibility): what a
    ballot shows and its rules check, without loading them as objects."""
    return db.session.execute(_BALLOT_OFFER, {"process_id": process.id}).all()


def process_or_404(process_id: int, *, for_ballot: bool = False) -> BudgetProcess:
    """The process with its projects and sub-budgets and their districts (three statements);
    ``for_ballot``: with its sub-budgets only (one statement; then ``ballot_offer``)."""
    if not 0 < process_id <= DB_INT_MAX:
        abort(404)
    process = db.session.execute(_PROCESS_FOR_BALLOT if for_ballot else _PROCESS,
                                 {"process_id": process_id}).unique().scalar_one_or_none()
    if process is None:
        abort(404)
    return process


PER_PAGE = 20


def processes(page: int) -> Page:
    """The processes, newest first, one page of them (2 statements)."""
    return simple_page(select(BudgetProcess).order_by(BudgetProcess.created_at.desc(),
                                                      BudgetProcess.id.desc()), page, PER_PAGE)


def ballot_with_choices(ballot_id: int) -> Ballot | None:
    return db.session.scalar(select(Ballot).where(Ballot.id == ballot_id)
                             .options(selectinload(Ballot.choices)))


def shares_of(ballot: Ballot) -> dict[str, dict]:
    rows = db.session.scalars(select(BallotShare).where(BallotShare.ballot_id == ballot.id))
    return {row.budget_key: {"share": row.share, "left": row.left, "paid": row.paid}
            for row in rows}


def district_names() -> dict[int, District]:
    return {d.id: d for d in db.session.scalars(select(District))}


def published_process_ids() -> set[int]:
    return set(db.session.scalars(select(BudgetResult.process_id).where(
        BudgetResult.published_at.is_not(None))))

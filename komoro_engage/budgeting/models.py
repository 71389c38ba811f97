"""市民予算 (participatory budgeting): a process, its district sub-budgets, its projects,
the ballots residents cast (online or on paper at a 公民館) and the computed result.

One web ballot per person and process is a UNIQUE constraint, so double taps and
parallel submissions leave one row whatever the timing (services.cast_ballot).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, Measure, plan_link_table


class BallotKind(StrEnum):
    APPROVAL = "approval"  # tick projects (up to max_approvals)
    KNAPSACK = "knapsack"  # tick projects whose total cost fits the budget
    POINTS = "points"  # share points_total points among projects


class Phase(StrEnum):
    """In order; staff move a process forward (and back, before results)."""

    IDEAS = "ideas"  # 案の募集
    REVIEW = "review"  # 審査
    VOTING = "voting"  # 投票
    RESULTS = "results"  # 結果


PHASES = tuple(Phase)


class Feasibility(StrEnum):
    PENDING = "pending"  # 審査中
    FEASIBLE = "feasible"  # 実施可能: on the ballot
    INFEASIBLE = "infeasible"  # 実施困難: shown with the department's note


class ProjectSource(StrEnum):
    STAFF = "staff"  # 職員が登録
    PROPOSAL = "proposal"  # an adopted proposal (source_id: proposal.id)
    PROJECT = "project"  # a 協働 project (source_id: project.id)


class BudgetProcess(db.Model):
    __tablename__ = "budget_process"
    __table_args__ = (Index("ix_budget_process_phase_created", "phase", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    total_amount: Mapped[int] = mapped_column(BigInteger)  # yen, sub-budgets included
    ballot_kind: Mapped[BallotKind] = mapped_column(String(20), default=BallotKind.APPROVAL)
    max_approvals: Mapped[int | None]  # approval ballots: None = no limit
    points_total: Mapped[int | None]  # points ballots: points each voter shares out
    # "greedy" or "mes" (tally.RULES); frozen once voting opens (services.change_phase).
    rule: Mapped[str] = mapped_column(String(20), default="mes")
    phase: Mapped[Phase] = mapped_column(String(20), default=Phase.IDEAS, index=True)
    ideas_from: Mapped[date | None] = mapped_column(Date)
    review_from: Mapped[date | None] = mapped_column(Date)
    voting_from: Mapped[date | None] = mapped_column(Date)
    voting_until: Mapped[date | None] = mapped_column(Date)
    results_on: Mapped[date | None] = mapped_column(Date)
    # Eligibility: accounts.services.AGE_BANDS from this band up (None: any, unset too),
    # and, when district_only, residents of a district with a sub-budget only.
    min_age_band: Mapped[str | None] = mapped_column(String(20))
    district_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    district_budgets: Mapped[list[DistrictBudget]] = relationship(
        back_populates="process", order_by="DistrictBudget.district_id",
        cascade="all, delete-orphan")
    projects: Mapped[list[BudgetProject]] = relationship(
        back_populates="process", order_by="BudgetProject.id", cascade="all, delete-orphan")

    @property
    def city_amount(self) -> int:
        """What is left for city-wide projects once the districts' sub-budgets are set."""
        return self.total_amount - sum(d.amount for d in self.district_budgets)


class DistrictBudget(db.Model):
    """Part of the total kept for one district's projects, decided by its residents."""

    __tablename__ = "budget_district"
    __table_args__ = (UniqueConstraint("process_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_process.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)

    process: Mapped[BudgetProcess] = relationship(back_populates="district_budgets")
    district: Mapped[District] = relationship()


# The measures (施策) a project serves: its ballots and funding count in their evaluation.
budget_project_measure = plan_link_table("budget_project", "measure")


class BudgetProject(db.Model):
    __tablename__ = "budget_project"
    __table_args__ = (
        Index("ix_budget_project_process_feasibility", "process_id", "feasibility"),
        Index("ix_budget_project_source", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_process.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int] = mapped_column(BigInteger)  # yen
    # A district's project is paid from that district's sub-budget; None: city-wide.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    source: Mapped[ProjectSource] = mapped_column(String(20), default=ProjectSource.STAFF)
    source_id: Mapped[int | None]
    feasibility: Mapped[Feasibility] = mapped_column(String(20), default=Feasibility.PENDING)
    department: Mapped[str] = mapped_column(String(120), default="")
    department_note: Mapped[str] = mapped_column(Text, default="")
    # Set when the result is published: funded under the process's rule, or not.
    funded: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    process: Mapped[BudgetProcess] = relationship(back_populates="projects")
    district: Mapped[District | None] = relationship()
    measures: Mapped[list[Measure]] = relationship(secondary=budget_project_measure)


class Ballot(db.Model):
    """One person's ballot (user set), or a paper ballot staff entered (``is_paper``; user
    set when the voter has an account, ``voter_key`` always: see budgeting/ballots.py)."""

    __tablename__ = "budget_ballot"
    __table_args__ = (
        # NULLs are distinct in both databases: paper ballots are not held to one.
        UniqueConstraint("process_id", "user_id", name="uq_budget_ballot_process_user"),
        UniqueConstraint("process_id", "paper_ref", name="uq_budget_ballot_process_paper"),
        UniqueConstraint("process_id", "voter_key", name="uq_budget_ballot_process_voter"),
        Index("ix_budget_ballot_process_district", "process_id", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_process.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    paper_ref: Mapped[str | None] = mapped_column(String(40))  # the slip's number
    voter_key: Mapped[str | None] = mapped_column(String(64))  # a paper voter's keyed hash
    # The voter's district and age band when voting: sub-budgets and turnout figures.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    age_band: Mapped[str | None] = mapped_column(String(20))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    choices: Mapped[list[BallotChoice]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotChoice.project_id")


class BallotChoice(db.Model):
    __tablename__ = "budget_ballot_choice"
    __table_args__ = (UniqueConstraint("ballot_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("budget_ballot.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("budget_project.id"), index=True)
    points: Mapped[int] = mapped_column(default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class BudgetResult(db.Model):
    """The computed result of a process (results.py): both rules, per budget (the city's
    and each district's), with the .pb files. Published when staff say so."""

    __tablename__ = "budget_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_process.id"), unique=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSON)
    pabulib: Mapped[dict] = mapped_column(JSON)  # budget key -> .pb text


class BallotShare(db.Model):
    """What one ballot's equal share paid for under MES, and what was left of it."""

    __tablename__ = "budget_ballot_share"
    # A ballot counts in the city's budget and, where it has one, its district's.
    __table_args__ = (UniqueConstraint("ballot_id", "budget_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("budget_ballot.id"), index=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("budget_process.id"), index=True)
    budget_key: Mapped[str] = mapped_column(String(20))
    share: Mapped[float] = mapped_column(Float)
    left: Mapped[float] = mapped_column(Float)
    paid: Mapped[dict] = mapped_column(JSON)  # str(project id) -> yen

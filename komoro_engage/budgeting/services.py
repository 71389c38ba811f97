"""Staff writes of a 市民予算 process: the process, district sub-budgets, projects with
their feasibility review and cost, and phase changes. Flush, never commit; every one is
audit-logged with ids, states and amounts, never copies of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.budgeting.models import (
    PHASES,
    BudgetProcess,
    BudgetProject,
    DistrictBudget,
    Feasibility,
    Phase,
)
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure


class ProcessFrozen(Exception):
    """The rule or ballot kind cannot change once voting has opened."""

    message = _l("投票が始まったあとは、集計方法と投票方式を変えられません。")


@dataclass
class ProcessData:
    title: str
    description: str
    total_amount: int
    ballot_kind: str
    rule: str
    max_approvals: int | None = None
    points_total: int | None = None
    ideas_from: date | None = None
    review_from: date | None = None
    voting_from: date | None = None
    voting_until: date | None = None
    results_on: date | None = None
    min_age_band: str | None = None
    district_only: bool = False


# Changing these after voting opened would change what ballots mean.
FROZEN_FIELDS = ("ballot_kind", "rule", "max_approvals", "points_total")


def voting_started(process: BudgetProcess) -> bool:
    return PHASES.index(Phase(process.phase)) >= PHASES.index(Phase.VOTING)


def save_process(actor: User, data: ProcessData,
                 process: BudgetProcess | None = None) -> BudgetProcess:
    """Create a process (phase 案の募集) or edit one. Raises ProcessFrozen when a voting
    rule would change after voting opened."""
    if process is not None and voting_started(process) and any(
            getattr(process, name) != getattr(data, name) for name in FROZEN_FIELDS):
        raise ProcessFrozen
    created = process is None
    before = None if created else {name: getattr(process, name) for name in FROZEN_FIELDS}
    if created:
        process = BudgetProcess(created_by_id=actor.id, phase=Phase.IDEAS)
        db.session.add(process)
    for item in fields(data):
        setattr(process, item.name, getattr(data, item.name))
    process.title, process.description = data.title.strip(), (data.description or "").strip()
    process.min_age_band = data.min_age_band or None
    process.updated_at = clock.now()
    db.session.flush()
    record_audit(actor, "budget.process_created" if created else "budget.process_updated",
                 process, before=before,
                 after={**{name: getattr(process, name) for name in FROZEN_FIELDS},
                        "total_amount": process.total_amount})
    return process


def set_district_budget(actor: User, process: BudgetProcess, district_id: int,
                        amount: int) -> None:
    """Give a district a sub-budget, change it, or remove it (amount 0)."""
    current = next((d for d in process.district_budgets if d.district_id == district_id), None)
    before = {"amount": current.amount} if current else None
    if amount == 0 and current is not None:
        process.district_budgets.remove(current)
    elif current is not None:
        current.amount = amount
    elif amount:
        process.district_budgets.append(DistrictBudget(district_id=district_id, amount=amount))
    db.session.flush()
    record_audit(actor, "budget.district_budget_set", process, before=before,
                 after={"district_id": district_id, "amount": amount})


def change_phase(actor: User, process: BudgetProcess, phase: str) -> None:
    """Move the process to ``phase``. The rule is frozen from 投票 on (save_process)."""
    before = process.phase
    process.phase = Phase(phase)
    process.updated_at = clock.now()
    db.session.flush()
    record_audit(actor, "budget.phase_changed", process, before={"phase": before},
                 after={"phase": process.phase})


@dataclass
class ProjectData:
    title: str
    description: str
    cost: int
    district_id: int | None = None
    source: str = "staff"
    source_id: int | None = None
    feasibility: str = Feasibility.PENDING
    department: str = ""
    department_note: str = ""
    measure_ids: list[int] = field(default_factory=list)


def save_project(actor: User, process: BudgetProcess, data: ProjectData,
                 project: BudgetProject | None = None) -> BudgetProject:
    """Add a project to ``process`` or edit one, with its review: feasibility, cost and
    the department's note. Audit-logged (cost and feasibility before and after)."""
    created = project is None
    before = None if created else {"cost": project.cost, "feasibility": project.feasibility}
    if created:
        project = BudgetProject(process_id=process.id)
        db.session.add(project)
    for item in fields(data):
        if item.name != "measure_ids":
            setattr(project, item.name, getattr(data, item.name))
    project.measures = list(db.session.scalars(
        select(Measure).where(Measure.id.in_(data.measure_ids)))) if data.measure_ids else []
    project.title, project.description = data.title.strip(), (data.description or "").strip()
    project.department = (data.department or "").strip()
    project.department_note = (data.department_note or "").strip()
    project.source_id = data.source_id if data.source != "staff" else None
    project.updated_at = clock.now()
    db.session.flush()
    db.session.expire(process, ["projects"])
    record_audit(actor, "budget.project_created" if created else "budget.project_reviewed",
                 project, before=before,
                 after={"process_id": process.id, "cost": project.cost,
                        "feasibility": project.feasibility, "source": project.source,
                        "source_id": project.source_id})
    return project

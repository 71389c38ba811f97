"""Build 市民予算 rows for tests (inside an app context; each helper flushes)."""

from __future__ import annotations

from komoro_engage.budgeting.models import (
    BudgetProcess,
    BudgetProject,
    Feasibility,
    Phase,
)
from komoro_engage.extensions import db


def make_process(phase: str = Phase.VOTING, kind: str = "approval", rule: str = "mes",
                 total: int = 3_000_000, projects: tuple[int, ...] = (1_000_000,) * 5,
                 **fields) -> BudgetProcess:
    process = BudgetProcess(title="小諸市 市民予算 2027", description="テスト", total_amount=total,
                            ballot_kind=kind, rule=rule, phase=phase, **fields)
    db.session.add(process)
    db.session.flush()
    for number, cost in enumerate(projects, start=1):
        db.session.add(BudgetProject(process_id=process.id, title=f"事業{number}", cost=cost,
                                     feasibility=Feasibility.FEASIBLE))
    db.session.flush()
    db.session.expire(process, ["projects"])
    return process

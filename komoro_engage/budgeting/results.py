"""Computing, storing and publishing a process's result (the rules are in tally.py).

Each budget is decided apart: the city's (city-wide projects, every ballot) and each
district's sub-budget (its projects, ballots of its residents). The stored result holds
both rules' winners for each, the trace of MES per project, the turnout, and a pabulib
file per budget; each ballot's share and what it paid for go to BallotShare rows.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, insert, select

from komoro_engage.accounts.models import User
from komoro_engage.budgeting import tally
from komoro_engage.budgeting.models import (
    Ballot,
    BallotChoice,
    BallotShare,
    BudgetProcess,
    BudgetResult,
    Feasibility,
)
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db

CITY = "city"
# Turnout groups with fewer voters are merged, so that no small group can be singled out.
SMALL_GROUP = 10


def budget_key(district_id: int | None) -> str:
    return CITY if district_id is None else f"d{district_id}"


def elections(process: BudgetProcess) -> dict[str, tally.Election]:
    """One election per budget, from the ballots in the database (two queries)."""
    rows = db.session.execute(
        select(BallotChoice.ballot_id, BallotChoice.project_id, BallotChoice.points,
               Ballot.district_id)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(Ballot.process_id == process.id)).all()
    feasible = [p for p in process.projects if p.feasibility == Feasibility.FEASIBLE]
    amounts = {CITY: process.city_amount,
               **{budget_key(d.district_id): d.amount for d in process.district_budgets}}
    by_key: dict[str, dict[int, dict[int, int]]] = {key: {} for key in amounts}
    project_key = {p.id: budget_key(p.district_id) for p in feasible}
    for ballot_id, project_id, points, voter_district in rows:
        key = project_key.get(project_id)
        # A district's project counts only from its own residents' ballots.
        if key is None or (key != CITY and key != budget_key(voter_district)):
            continue
        by_key.setdefault(key, {}).setdefault(ballot_id, {})[project_id] = points
    points = process.ballot_kind == "points"
    return {key: tally.Election(
        budget=amount, points=points,
        costs={p.id: p.cost for p in feasible if project_key[p.id] == key},
        ballots=by_key.get(key, {}), names={p.id: p.title for p in feasible})
        for key, amount in amounts.items()}


def _budget_data(key: str, election: tally.Election, result: tally.Tally) -> dict:
    return {
        "key": key, "amount": election.budget, "voters": len(result.left),
        "share": result.share,
        "projects": [{
            "id": pid, "cost": cost, "votes": result.votes[pid], "points": result.points[pid],
            "greedy": pid in result.greedy, "mes": pid in result.mes,
            "completion": pid in result.completion,
            "rank": rank, "supporters_left": result.supporters_left[pid],
            "greedy_left": result.greedy_left.get(pid, 0.0),
            "completion_left": result.completion_left.get(pid),
        } for rank, (pid, cost) in enumerate(sorted(
            election.costs.items(), key=lambda item: (-result.points[item[0]], str(item[0]))),
            start=1)],
    }


def turnout(process: BudgetProcess) -> dict:
    """Ballots by district and by age band; groups under SMALL_GROUP merged into "other"."""
    rows = db.session.execute(select(Ballot.district_id, Ballot.age_band)
                              .where(Ballot.process_id == process.id)).all()
    return {"total": len(rows),
            "districts": _merge_small(Counter(d for d, _a in rows)),
            "ages": _merge_small(Counter(a for _d, a in rows))}


def _merge_small(counts: Counter) -> list[list]:
    kept = [[key, n] for key, n in counts.items() if key is not None and n >= SMALL_GROUP]
    other = sum(n for key, n in counts.items() if key is None or n < SMALL_GROUP)
    kept.sort(key=lambda row: str(row[0]))
    return kept + ([["other", other]] if other else [])


def compute_results(actor: User | None, process: BudgetProcess) -> BudgetResult:
    """Run both rules on every budget and store the result (unpublished), replacing any
    earlier computation. Audit-logged."""
    data = {"rule": process.rule, "budgets": [], "turnout": turnout(process)}
    files, shares = {}, []
    for key, election in elections(process).items():
        result = tally.tally(election)
        data["budgets"].append(_budget_data(key, election, result))
        files[key] = tally.pabulib_text(election, process.rule, result.winners(process.rule),
                                        process.title, result.votes)
        shares.extend({"ballot_id": ballot_id, "process_id": process.id, "budget_key": key,
                       "share": result.share, "left": result.left[ballot_id],
                       "paid": {str(pid): yen for pid, yen in paid.items()}}
                      for ballot_id, paid in result.paid.items())
    db.session.execute(delete(BallotShare).where(BallotShare.process_id == process.id))
    if shares:
        db.session.execute(insert(BallotShare), shares)
    stored = db.session.scalar(select(BudgetResult).where(BudgetResult.process_id == process.id))
    if stored is None:
        stored = BudgetResult(process_id=process.id)
        db.session.add(stored)
    stored.data, stored.pabulib = data, files
    stored.computed_at, stored.published_at = clock.now(), None
    db.session.flush()
    record_audit(actor, "budget.results_computed", process,
                 after={"ballots": data["turnout"]["total"], "rule": process.rule})
    return stored


def publish_results(actor: User, process: BudgetProcess, result: BudgetResult) -> None:
    """Show the computed result to everyone, and mark each project funded or not (what the
    evaluation counts). Audit-logged."""
    result.published_at = clock.now()
    won = {p["id"] for budget in result.data["budgets"] for p in winners(budget, process.rule)}
    for project in process.projects:
        project.funded = project.id in won if project.feasibility == Feasibility.FEASIBLE \
            else False
    db.session.flush()
    record_audit(actor, "budget.results_published", process, after={"result_id": result.id})


def result_of(process: BudgetProcess) -> BudgetResult | None:
    return db.session.scalar(select(BudgetResult).where(BudgetResult.process_id == process.id))


def winners(budget: dict, rule: str) -> list[dict]:
    """The funded projects of one stored budget under ``rule``."""
    if rule == "greedy":
        return [p for p in budget["projects"] if p["greedy"]]
    return [p for p in budget["projects"] if p["mes"] or p["completion"]]

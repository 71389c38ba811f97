"""Demo 市民予算 for ``flask komoro demo``: a finished process with its published result
(city-wide and one district's sub-budget; web ballots of the demo residents and paper
ballots from 公民館, so turnout has districts and age bands), and a process open for voting.
Deterministic from the seed; runs the real services, so the result is pabutools' own.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.accounts.services import AGE_BANDS
from komoro_engage.budgeting import ballots, results, services
from komoro_engage.budgeting.models import DistrictBudget, Phase, ProjectSource
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.proposals.models import Proposal, ProposalStatus

# A paper voter's age in each band (their birth date is 1 April of that many years ago).
MIDDLE_AGE = {"18_29": 24, "30s": 35, "40s": 45, "50s": 55, "60s": 65, "70_plus": 76}

# (title, cost in yen, liked by: "north" / "south" / "all" voters)
IDEAS = [
    ("駅前広場にベンチと日よけ", 4_000_000, "all"),
    ("図書館の子ども向け絵本の充実", 2_500_000, "all"),
    ("懐古園の案内板を多言語に", 3_000_000, "south"), ("通学路の見守りカメラ", 6_000_000, "north"),
    ("公民館のWi-Fi整備", 3_500_000, "north"), ("浅間山麓の遊歩道の整備", 7_000_000, "north"),
    ("高齢者の買い物送迎", 5_000_000, "south"), ("地域の花壇づくり", 1_500_000, "south"),
    ("子ども食堂の調理器具", 1_200_000, "south"), ("防災倉庫の備蓄", 4_500_000, "all"),
    ("公園の遊具の更新", 6_500_000, "north"), ("空き店舗での若者の居場所", 3_800_000, "south"),
]


def _staff() -> User | None:
    return db.session.scalar(select(User).where(User.role.in_(("staff", "admin")))
                             .order_by(User.id).limit(1))


def _process(staff, title: str, phase: str, kind: str, rule: str, total: int, **extra):
    data = services.ProcessData(
        title=title, description="小諸市の予算の一部の使いみちを、市民の投票で決めます。",
        total_amount=total, ballot_kind=kind, rule=rule, ideas_from=date(2026, 4, 1),
        review_from=date(2026, 6, 1), voting_from=date(2026, 9, 1),
        voting_until=date(2026, 9, 30), results_on=date(2026, 10, 15), **extra)
    process = services.save_process(staff, data)
    process.phase = Phase(phase)
    return process


def _projects(staff, process, ideas, adopted: list[int], district_id: int | None = None):
    measures = [m.id for m in plan_queries.current_edition().measures]
    made = []
    for n, (title, cost, side) in enumerate(ideas):
        source = ProjectSource.PROPOSAL if adopted and n < len(adopted) else ProjectSource.STAFF
        made.append((services.save_project(staff, process, services.ProjectData(
            title=title, description=f"{title}を行います。", cost=cost,
            district_id=district_id, source=source,
            source_id=adopted[n] if source == ProjectSource.PROPOSAL else None,
            feasibility="feasible", department="市民協働課",
            department_note="費用を確認し、実施できると判断しました。",
            measure_ids=measures[n * 3 % len(measures):][:1] if measures else [])), side))
    return made


def _choose(rng, made, side: str, most: int) -> dict[int, int]:
    liked = [p.id for p, likes in made if likes in (side, "all") and rng.random() < 0.7]
    liked += [p.id for p, likes in made if likes not in (side, "all") and rng.random() < 0.1]
    return dict.fromkeys(liked[:most] or [made[0][0].id], 1)


def load_budget_demo(seed: int) -> dict:
    """Two processes and the result of the finished one; the caller commits."""
    staff = _staff()
    districts = [d.id for d in plan_queries.districts_only()]
    if staff is None or not districts:
        return {"budget processes": 0}
    rng = random.Random(seed * 104729 + 18)
    adopted = list(db.session.scalars(select(Proposal.id).where(
        Proposal.status == ProposalStatus.ADOPTED).order_by(Proposal.id).limit(3)))
    done = _process(staff, "2026年度 こもろ市民予算", "results", "approval", "mes",
                    40_000_000, max_approvals=5)
    home = districts[0]
    done.district_budgets.append(DistrictBudget(district_id=home, amount=5_000_000))
    made = _projects(staff, done, IDEAS, adopted)
    local = _projects(staff, done, [("地区の集会所の屋根修理", 3_000_000, "all"),
                                    ("地区の防犯灯", 1_800_000, "all")], [], home)
    residents = db.session.scalars(select(User).where(User.role == "resident",
                                                      User.status == "active")).all()
    for person in residents:  # the north (60 %) outnumbers the south: MES differs
        side = "north" if rng.random() < 0.6 else "south"
        ballots.cast_ballot(person, done, _choose(rng, made, side, 5))
    today = clock.now().astimezone(clock.JAPAN).date()
    for n in range(240):  # paper ballots from 公民館: district, and age band by birth date
        district = rng.choice(districts)
        side = "north" if rng.random() < 0.6 else "south"
        chosen = _choose(rng, made, side, 5 if district != home else 3)
        if district == home:
            chosen.update(dict.fromkeys((p.id for p, _ in local if rng.random() < 0.6), 1))
        age = MIDDLE_AGE[rng.choice(AGE_BANDS[1:])]
        voter = ballots.PaperVoter(f"投票者{n + 1}", date(today.year - age, 4, 1), district)
        ballots.enter_paper_ballot(staff, done, f"公民館-{n + 1:04d}", voter, chosen)
    result = results.compute_results(staff, done)
    results.publish_results(staff, done, result)
    voting = _process(staff, "2027年度 こもろ市民予算（投票受付中）", "voting", "knapsack",
                      "mes", 20_000_000)
    # The vote is open now, whenever the demo loads.
    voting.ideas_from, voting.review_from = today - timedelta(days=60), today - timedelta(days=30)
    voting.voting_from, voting.voting_until = today - timedelta(days=7), today + timedelta(days=30)
    voting.results_on = today + timedelta(days=45)
    _projects(staff, voting, IDEAS[:8], [])
    return {"budget processes": 2, "budget ballots": len(residents) + 240}

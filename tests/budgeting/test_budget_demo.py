"""The demo loads a finished 市民予算 with a published result and one open for voting."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.budgeting.models import BudgetProcess, BudgetResult
from komoro_engage.extensions import db
from komoro_engage.proposals.demo import load_all_demo


def test_demo_has_a_published_result_where_the_rules_differ(ctx):
    totals = load_all_demo(60, 1)
    assert totals["budget processes"] == 2
    phases = sorted(db.session.scalars(select(BudgetProcess.phase)))
    assert phases == ["results", "voting"]
    result = db.session.scalar(select(BudgetResult))
    assert result.published_at is not None
    city = result.data["budgets"][0]
    greedy = {p["id"] for p in city["projects"] if p["greedy"]}
    mes = {p["id"] for p in city["projects"] if p["mes"] or p["completion"]}
    assert greedy != mes
    assert len(result.data["turnout"]["districts"]) > 3


def test_the_demo_vote_is_open_now(ctx):
    from komoro_engage.budgeting.permissions import voting_open

    load_all_demo(60, 1)
    voting = db.session.scalar(select(BudgetProcess).where(BudgetProcess.phase == "voting"))
    assert voting_open(voting)

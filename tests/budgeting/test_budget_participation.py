"""The evaluation counts 市民予算 ballots and funded projects per measure, through the
participation registry."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from komoro_engage.budgeting import ballots, results
from komoro_engage.budgeting.participation import budget_figures
from komoro_engage.core import participation
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from tests.budgeting.helpers import make_process
from tests.factories import make_user


def test_ballots_and_funded_projects_count_for_their_measure(ctx):
    measure, other = db.session.scalars(select(Measure).limit(2)).all()
    process = make_process(total=1_000_000, projects=(1_000_000, 1_000_000))
    first, second = process.projects
    first.measures = [measure]
    second.measures = [measure, other]
    for n in range(3):
        ballots.cast_ballot(make_user(), process, {first.id: 1, second.id: 1} if n else
                            {second.id: 1})
    staff = make_user(role="staff")
    results.publish_results(staff, process, results.compute_results(staff, process))
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    figures = budget_figures([measure.id, other.id], start, end)
    assert figures[measure.id] == {"budget_ballots": 3, "budget_projects_funded": 1}
    assert figures[other.id]["budget_ballots"] == 3
    assert "budget_project" in {source.kind for source in participation.sources()}

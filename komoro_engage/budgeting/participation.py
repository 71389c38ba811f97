"""市民予算 in the yearly evaluation (施策評価), per measure and period ``[start, end)``:

- *budget ballots*: ballots (web and paper) cast in the period that chose at least one
  project serving the measure, each ballot once per measure;
- *budget projects funded*: projects serving the measure that a result published in the
  period funded.

Two grouped queries whatever the number of measures. Registered as a participation source
(core/participation.py) by the package; the evaluation never imports budgeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from komoro_engage.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetProject,
    BudgetResult,
    budget_project_measure,
)
from komoro_engage.core.participation import register_source
from komoro_engage.extensions import db

link = budget_project_measure


def _empty() -> dict:
    return {"budget_ballots": 0, "budget_projects_funded": 0}


def budget_figures(measure_ids: Sequence[int], start: datetime, end: datetime
                   ) -> dict[int, dict]:
    figures = {measure_id: _empty() for measure_id in measure_ids}
    if not figures:
        return figures
    wanted = list(figures)
    for measure_id, count in db.session.execute(
        select(link.c.measure_id, func.count(func.distinct(Ballot.id)))
        .join(BallotChoice, BallotChoice.project_id == link.c.budget_project_id)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(link.c.measure_id.in_(wanted), Ballot.submitted_at >= start,
               Ballot.submitted_at < end)
        .group_by(link.c.measure_id)):
        figures[measure_id]["budget_ballots"] = count
    for measure_id, count in db.session.execute(
        select(link.c.measure_id, func.count(BudgetProject.id))
        .join(BudgetProject, BudgetProject.id == link.c.budget_project_id)
        .join(BudgetResult, BudgetResult.process_id == BudgetProject.process_id)
        .where(link.c.measure_id.in_(wanted), BudgetProject.funded.is_(True),
               BudgetResult.published_at >= start, BudgetResult.published_at < end)
        .group_by(link.c.measure_id)):
        figures[measure_id]["budget_projects_funded"] = count
    return figures


def register() -> None:
    # After proposals (10) and projects (20).
    register_source("budget_project", budget_figures, empty=_empty(), order=30)

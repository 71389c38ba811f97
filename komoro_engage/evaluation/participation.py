"""What residents did for each measure in a fiscal year, counted from the live data.

Each source is a function ``(measure_ids, start, end) -> {measure_id: figures}``;
their dicts are merged, so a feature (projects, …) adds its figures by joining
``SOURCES``. Every count is one grouped query for all the measures asked about,
so a page showing many measures runs a fixed number of queries.

Which proposal belongs to which year: a proposal counts in the fiscal year it
was published in; supports and comments count in the year they were made,
whenever their proposal was published. Only proposals the public can read
count (hidden, withdrawn, drafts and pending ones do not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_bounds
from komoro_engage.projects.participation import project_figures
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink
from komoro_engage.proposals.models import PUBLIC_STATUSES, Comment, Proposal, Support

PROPOSAL_STATUSES = tuple(str(status) for status in PUBLIC_STATUSES)
# Every figure a record stores, with its value when no source gives it.
EMPTY_FIGURES: dict = {
    "proposals": 0,
    "proposals_by_status": dict.fromkeys(PROPOSAL_STATUSES, 0),
    "supports": 0,
    "comments": 0,
    "projects_active": 0,
    "projects_completed": 0,
    "participants": 0,
    "activity_days": 0,
    "volunteer_hours": 0.0,
    "organisations": 0,
}
# The numbers shown in tables and exports, in order (proposals_by_status aside).
FIGURE_KEYS = ("proposals", "supports", "comments", "projects_active", "projects_completed",
               "participants", "activity_days", "volunteer_hours", "organisations")


def proposal_figures(measure_ids: Sequence[int], start: datetime,
                     end: datetime) -> dict[int, dict]:
    """Proposals linked to each measure, by status, with their supports and comments.

    The one place that knows how proposals are linked to measures: when the
    link gains a fiscal year or unlink dates, only the ``linked`` query changes.
    """
    ids = list(measure_ids)
    if not ids:
        return {}
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    # Links staff have not taken back; an unlinked proposal no longer counts for the measure.
    link = ProposalMeasureLink
    linked = (select(link.measure_id, Proposal.id)
              .join(Proposal, Proposal.id == link.proposal_id)
              .where(link.measure_id.in_(ids), link.unlinked_at.is_(None),
                     Proposal.status.in_(PROPOSAL_STATUSES)))
    result = {m: {"proposals_by_status": dict.fromkeys(PROPOSAL_STATUSES, 0), "proposals": 0,
                  "supports": 0, "comments": 0, "items": []} for m in ids}
    published = db.session.execute(
        linked.add_columns(Proposal.title, Proposal.status)
        .where(Proposal.published_at >= start, Proposal.published_at < end)
        .order_by(link.measure_id, Proposal.published_at, Proposal.id))
    for measure_id, proposal_id, title, status in published:
        figures = result[measure_id]
        figures["proposals"] += 1
        figures["proposals_by_status"][str(status)] += 1
        figures["items"].append({"kind": "proposal", "id": proposal_id, "title": title,
                                 "status": str(status)})
    linked = linked.subquery()
    supports = db.session.execute(
        select(linked.c.measure_id, func.count(Support.id))
        .join(Support, Support.proposal_id == linked.c.id)
        .where(Support.created_at >= start, Support.created_at < end)
        .group_by(linked.c.measure_id))
    for measure_id, count in supports:
        result[measure_id]["supports"] = count
    comments = db.session.execute(
        select(linked.c.measure_id, func.count(Comment.id))
        .join(Comment, Comment.proposal_id == linked.c.id)
        .where(Comment.created_at >= start, Comment.created_at < end,
               Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(linked.c.measure_id))
    for measure_id, count in comments:
        result[measure_id]["comments"] = count
    return result


Source = Callable[[Sequence[int], datetime, datetime], dict[int, dict]]
SOURCES: list[Source] = [proposal_figures, project_figures]


def merge(total: dict, part: dict) -> dict:
    """Add ``part`` into ``total``: numbers add up, nested counts add up, item lists join."""
    for key, value in part.items():
        if isinstance(value, list):
            total[key] = [*total.get(key, []), *value]
        elif isinstance(value, dict):
            total[key] = merge(dict(total.get(key, {})), value)
        elif key in total and isinstance(value, int | float):
            total[key] = total[key] + value
        else:
            total[key] = value
    return total


def empty_figures() -> dict:
    return {**EMPTY_FIGURES, "proposals_by_status": dict(EMPTY_FIGURES["proposals_by_status"]),
            "items": []}


def figures_for_year(measure_ids: Sequence[int], fiscal_year: int) -> dict[int, dict]:
    """Every source's figures for ``fiscal_year`` (cut at 1 April, Japan time), per measure.

    Each dict has every key of ``EMPTY_FIGURES`` plus ``items``: zeros where no
    source counts that figure yet.
    """
    # In UTC: SQLite keeps the UTC wall time and would compare a JST bound as if it were UTC.
    start, end = (moment.astimezone(UTC) for moment in fiscal_year_bounds(fiscal_year))
    result = {m: empty_figures() for m in measure_ids}
    for source in SOURCES:
        for measure_id, part in source(measure_ids, start, end).items():
            merge(result[measure_id], part)
    return result

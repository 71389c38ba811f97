"""What residents did for each measure in a fiscal year, counted from the live data.

The features count (proposals, projects …): each registers a participation
source in core/participation.py, and this module merges their figures. Every
count is one grouped query for all the measures asked about, so a page showing
many measures runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from komoro_engage.core import participation
from komoro_engage.plan.fiscal import fiscal_year_bounds

# The numbers shown in tables and exports, in order (proposals_by_status aside).
FIGURE_KEYS = ("proposals", "supports", "comments", "projects_active", "projects_completed",
               "participants", "activity_days", "volunteer_hours", "organisations",
               "budget_ballots", "budget_projects_funded")


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
    """Every figure a record stores, at zero, and no items."""
    return {**participation.empty_figures(), "items": []}


def proposal_statuses() -> list[str]:
    """The statuses a record counts proposals by (its ``proposals_by_status`` keys)."""
    return list(participation.empty_figures().get("proposals_by_status", {}))


def figures_for_year(measure_ids: Sequence[int], fiscal_year: int) -> dict[int, dict]:
    """Every source's figures for ``fiscal_year`` (cut at 1 April, Japan time), per measure.

    Each dict has every key of :func:`empty_figures`: zeros where a source
    counted nothing.
    """
    # In UTC: SQLite keeps the UTC wall time and would compare a JST bound as if it were UTC.
    start, end = (moment.astimezone(UTC) for moment in fiscal_year_bounds(fiscal_year))
    result = {m: empty_figures() for m in measure_ids}
    for source in participation.sources():
        for measure_id, part in source.figures(measure_ids, start, end).items():
            merge(result[measure_id], part)
    return result

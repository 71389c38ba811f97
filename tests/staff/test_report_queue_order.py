"""The report queue's page: items longest waiting first, each counted with all its open
reports, found by walking the open reports oldest first (staff/reported.py, issue 16).

The walk keeps an item's first open report and passes over its later ones; a resolved
report neither starts an item's wait nor counts, and items whose first open reports came
at the same moment keep one order (kind, then id).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from komoro_engage.core import clock
from komoro_engage.core.sql import PAGE_LIMIT, PAGE_OFFSET
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.staff import reported as report_queue
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

NOW = clock.now()


def reported(item, minutes_ago: int, resolved: bool = False, reason: str = "spam") -> None:
    db.session.add(Report(target_type=item.__tablename__, target_id=item.id,
                          reporter_id=make_user().id, reason=reason,
                          created_at=NOW - timedelta(minutes=minutes_ago),
                          resolved_at=NOW if resolved else None))


@pytest.fixture
def queue(app, monkeypatch):
    """Five proposals with reports at known times (minutes ago), two to a page."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    with app.app_context():
        waits_longest, earlier_resolved, tied_first, tied_second, all_resolved = (
            make_proposal(title=f"通報された提案{n}") for n in range(5))
        reported(waits_longest, 60)
        reported(waits_longest, 5, reason="abuse")
        reported(waits_longest, 1)
        reported(earlier_resolved, 90, resolved=True)  # before the others, but decided
        reported(earlier_resolved, 50)
        for item in (tied_second, tied_first):  # the same moment: the lower id first
            reported(item, 40)
        reported(tied_first, 40)  # a second report at that moment too
        reported(all_resolved, 120, resolved=True)
        db.session.commit()
        yield {"waits_longest": waits_longest.id, "earlier_resolved": earlier_resolved.id,
               "tied": sorted((tied_first.id, tied_second.id)), "tied_first": tied_first.id,
               "all_resolved": all_resolved.id}


def test_items_come_longest_waiting_first_with_all_their_open_reports(app, queue):
    with app.app_context():
        first, second = report_queue.reports_page(None), report_queue.reports_page("2")
    assert first.has_next and not second.has_next
    listed = first.items + second.items
    assert [row.item.id for row in listed] == [
        queue["waits_longest"], queue["earlier_resolved"], *queue["tied"]]
    counts = {row.item.id: (row.reports, row.reasons) for row in listed}
    assert counts[queue["waits_longest"]] == (3, {"spam": 2, "abuse": 1})
    assert counts[queue["earlier_resolved"]] == (1, {"spam": 1})  # the resolved one left out
    assert counts[queue["tied_first"]] == (2, {"spam": 2})
    waited = [row.first_reported_at for row in listed]
    assert waited == sorted(waited) and len(set(waited[2:])) == 1


def test_the_page_walks_the_open_reports_from_their_index(ctx):
    """No grouping or sort of every open report before the first row (SQLite's plan)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    page = report_queue._reported_page().params({PAGE_LIMIT: 21, PAGE_OFFSET: 0})
    compiled = page.compile(db.engine, compile_kwargs={"literal_binds": True,
                                                       "render_postcompile": True})
    plan = " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_report_waiting" in plan and "TEMP B-TREE" not in plan, plan

"""PostgreSQL walks the staff queues' indexes in their order (issue 16).

It does not take ``answered_at IS NULL`` (or ``resolved_at IS NULL``) as fixing an index's
first column, so a queue ordered by the columns after it sorted every waiting answer (every
open report) before its first row; and it turned the answer's ``EXISTS`` probe into a hash
join of every waiting answer with every proposal under review. At 100,000 proposals: the
tabs' counts 2.4 -> 0.33 ms, the report queue's page 1.65 -> 0.29 ms.

The plans are read with sorts, sequential scans and hash joins priced out: a Sort still in
the plan means that no index gives the order. The data's size does not matter for that.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from komoro_engage.core.sql import PAGE_LIMIT, PAGE_OFFSET
from komoro_engage.extensions import db
from komoro_engage.staff import queries
from komoro_engage.staff import reported as report_queue

PRICED_OUT = ("enable_sort", "enable_incremental_sort", "enable_seqscan", "enable_hashjoin")


def ordered_plan(statement) -> str:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan checked is PostgreSQL's (SQLite's: test_queue_counts_capped.py, "
                    "test_report_queue_order.py)")
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True,
                                                            "render_postcompile": True})
    try:
        for setting in PRICED_OUT:
            db.session.execute(text(f"SET LOCAL {setting} = off"))
        return "\n".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
    finally:
        for setting in PRICED_OUT:
            db.session.execute(text(f"RESET {setting}"))


def test_the_waiting_answers_are_probed_down_their_index(ctx):
    walk = queries._waiting_answers().order_by(*queries.WAITING_ORDER).limit(100)
    plan = ordered_plan(walk)
    assert "ix_proposal_answer_waiting" in plan and "Sort" not in plan, plan
    assert "SubPlan" in plan, plan  # each answer's proposal probed, not joined


def test_the_report_queue_walks_the_open_reports_in_order(ctx):
    page = report_queue._reported_page().params({PAGE_LIMIT: 21, PAGE_OFFSET: 0})
    plan = ordered_plan(page)
    assert "ix_report_waiting" in plan and "Sort" not in plan, plan

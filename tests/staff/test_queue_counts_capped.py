"""The staff's queue tabs count up to a cap, and the answer queues read only what waits.

At 100,000 proposals, counting every waiting answer twice on each staff page was most of
the page's time (issue 16); a tab now says "99+" past the cap, as badges do.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.staff import queries
from komoro_engage.staff import reported as report_queue
from tests.proposals.helpers import make_proposal
from tests.staff.test_queue_cards import staff_user, waiting


def tab_count(body: str, label: str) -> str:
    found = re.search(rf">{label} <span class=\"counts\">([^<]*)</span>", body)
    assert found, f"no tab {label}"
    return found.group(1)


@pytest.fixture
def cap_of_two(monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_COUNT_CAP", 2)


def test_a_tab_counts_up_to_the_cap_and_then_says_more(app, login, cap_of_two):
    with app.app_context():
        for n in range(2):
            make_proposal(status=ProposalStatus.PENDING, title=f"承認待ちの提案{n}")
        db.session.commit()
        assert queries.queue_counts()["pending"] == 2
    client = login(staff_user(app))
    assert tab_count(client.get("/staff").get_data(as_text=True), "審査待ち") == "2"
    with app.app_context():
        for n in range(2, 4):
            make_proposal(status=ProposalStatus.PENDING, title=f"承認待ちの提案{n}")
        db.session.commit()
        assert queries.queue_counts()["pending"] == 3  # four, counted to one past the cap
    body = client.get("/staff?queue=pending").get_data(as_text=True)
    assert tab_count(body, "審査待ち") == "2+"
    assert re.search(r'<span id="queue-count"[^>]*>2\+</span>', body)
    assert queries.queue_count_text(1234) == "2+" and queries.queue_count_text(2) == "2"


def test_the_cap_shows_as_badges_do():
    assert queries.QUEUE_COUNT_CAP == 99
    assert queries.queue_count_text(98) == "98"
    assert queries.queue_count_text(99) == "99"
    assert queries.queue_count_text(100) == "99+"


def test_a_hundred_pending_proposals_show_as_99_plus(app, login):
    with app.app_context():
        waiting_before = queries.queue_counts()["pending"]
        for n in range(100 - waiting_before):
            make_proposal(status=ProposalStatus.PENDING, title=f"審査待ちの提案{n}")
        db.session.commit()
        assert queries.queue_counts()["pending"] == 100  # counted to one past the cap
    body = login(staff_user(app)).get("/staff?queue=pending").get_data(as_text=True)
    assert tab_count(body, "審査待ち") == "99+"
    assert re.search(r'<span id="queue-count"[^>]*>99\+</span>', body)


def test_the_cap_shows_with_thousands_written_as_people_read_them(monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_COUNT_CAP", 1000)
    assert queries.queue_count_text(999) == "999"
    assert queries.queue_count_text(1000) == "1,000"
    assert queries.queue_count_text(1001) == "1,000+"


def test_waiting_and_overdue_are_counted_from_one_walk_up_to_the_cap(app, cap_of_two):
    """The overdue answers come first in deadline order: counted among the first rows
    walked, they are exact below the cap and one past it above, however many wait."""
    with app.app_context():
        base = queries.queue_counts()
        assert (base["threshold"], base["overdue"]) == (0, 0)
        waiting("期限内の提案1")
        late = waiting("期限切れの提案1", late=True)
        db.session.flush()
        assert _waiting(queries.queue_counts()) == (2, 1)
        waiting("期限内の提案2")
        waiting("期限内の提案3")
        db.session.flush()
        assert _waiting(queries.queue_counts()) == (3, 1)  # four wait: "2+", one overdue
        waiting("期限切れの提案2", late=True)
        waiting("期限切れの提案3", late=True)
        db.session.flush()
        assert _waiting(queries.queue_counts()) == (3, 3)  # three overdue: "2+" too
        db.session.get(ProposalAnswer, late.id).answered_at = clock.now()
        db.session.flush()
        assert _waiting(queries.queue_counts()) == (3, 2)
        db.session.rollback()


def _waiting(counts: dict) -> tuple[int, int]:
    return counts["threshold"], counts["overdue"]


def test_answer_queues_leave_out_proposals_no_longer_under_review(app, login):
    """An answer row stays when its proposal is hidden: the queue probes each status."""
    with app.app_context():
        shown, hidden = waiting("回答待ちの提案", late=True), waiting("非表示にした提案", late=True)
        db.session.flush()
        base = queries.queue_counts()
        hidden.status = ProposalStatus.HIDDEN
        db.session.commit()
        counts = queries.queue_counts()
        assert (counts["threshold"], counts["overdue"]) == (base["threshold"] - 1,
                                                            base["overdue"] - 1)
        shown_id, hidden_id = shown.id, hidden.id
    client = login(staff_user(app))
    for queue in ("threshold", "overdue"):
        body = client.get(f"/staff?queue={queue}").get_data(as_text=True)
        assert f'id="item-proposal-{shown_id}"' in body
        assert f'id="item-proposal-{hidden_id}"' not in body


def test_answer_queue_pages_follow_the_deadline_across_pages(app, login, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)  # put back as it was, whatever it was
    with app.app_context():
        late = [waiting(f"期限切れ{n}", late=True).id for n in range(2)]
        on_time = waiting("期限内").id
        db.session.commit()
        first = queries.answer_page(None, overdue=False)
        second = queries.answer_page("2", overdue=False)
    first_ids = [proposal.id for proposal, _answer in first.items]
    second_ids = [proposal.id for proposal, _answer in second.items]
    assert set(late) <= set(first_ids) | set(second_ids)
    assert first.has_next and on_time in first_ids + second_ids
    # nearest deadline first: both overdue ones before the one due in 20 days
    order = first_ids + second_ids
    assert max(order.index(ident) for ident in late) < order.index(on_time)


def test_the_answer_queue_reads_its_page_in_deadline_order_from_the_index(ctx):
    """No sort of every waiting answer before the first row (SQLite's plan; PostgreSQL's
    planner chooses by its statistics)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    for overdue in (False, True):
        page = queries._waiting_answers().order_by(ProposalAnswer.deadline_at,
                                                   ProposalAnswer.proposal_id).limit(21)
        if overdue:
            page = page.where(ProposalAnswer.deadline_at < clock.now())
        compiled = page.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " | ".join(row[3] for row in db.session.execute(
            text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_proposal_answer_waiting" in plan and "TEMP B-TREE" not in plan, plan


def test_open_reports_are_grouped_from_their_index(ctx):
    """The report tab's count groups open reports by item from ix_report_open alone,
    without reading each report's row (SQLite's plan; the queue's page walks them:
    test_report_queue_order.py)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    compiled = report_queue.open_reports().limit(1001).compile(
        db.engine, compile_kwargs={"literal_binds": True, "render_postcompile": True})
    plan = " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_report_open" in plan, plan

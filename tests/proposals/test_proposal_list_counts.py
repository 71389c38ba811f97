"""The list's count joins what finds fewest rows (proposals/queries.py ``shaped_count``,
issue 16): a search's candidates, or else an area's or a priority item's links. The same
counts as probing each public proposal gave, for each shape of query and filter, with the
list's other filters and its cap; on SQLite a walk of the joined index that stops at the
cap.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select, text

from komoro_engage.extensions import db
from komoro_engage.plan.models import PriorityItem
from komoro_engage.proposals import cards
from komoro_engage.proposals.models import Proposal, ProposalStatus, proposal_priority_item
from komoro_engage.proposals.queries import ProposalFilters, filter_values
from tests.proposals.helpers import make_proposal


@pytest.fixture
def proposals(app):
    with app.app_context():
        for n in range(3):
            make_proposal(title=f"公園の提案{n}", body="花壇を増やす", areas=(1,))
        make_proposal(title="駅前公園の提案", body="駅の近く", areas=(2,))
        make_proposal(title="駅の提案", body="ベンチ", areas=(1,))
        hidden = [make_proposal(title=f"見えない公園の提案（{status}）", body="駅前", status=status,
                                areas=(1, 2))
                  for status in (ProposalStatus.DRAFT, ProposalStatus.PENDING,
                                 ProposalStatus.HIDDEN)]
        item = db.session.scalars(select(PriorityItem).order_by(PriorityItem.id)).first()
        linked = db.session.scalars(select(Proposal.id).where(Proposal.title.in_(
            ["公園の提案0", "駅の提案"]))).all() + [hidden[0].id]
        for proposal_id in linked:
            db.session.execute(insert(proposal_priority_item).values(
                proposal_id=proposal_id, priority_item_id=item.id))
        db.session.commit()
        return {"item": item.id}


def result_count(client, **args) -> str:
    page = client.get("/proposals", query_string=args).text
    return re.search(r'<p id="result-count"[^>]*>([^<]*)</p>', page).group(1)


@pytest.mark.parametrize("query, expected", [
    ("公園", 4),  # one pair of characters
    ("駅", 2),  # one character: every pair it begins
    ("公園 駅", 1),  # a pair and a character: both
    ("公園の提案", 4),  # a word of five: its rows read to verify it (IN, as before)
    ("図書館", 0),
])
def test_a_search_counts_the_public_proposals_it_matches(client, proposals, query, expected):
    assert result_count(client, q=query) == f"{expected}件の提案"


def test_a_search_counts_within_the_lists_filters_and_up_to_its_cap(client, proposals,
                                                                     monkeypatch):
    assert result_count(client, q="公園", area=2) == "1件の提案"
    assert result_count(client, q="駅", area=1) == "1件の提案"
    assert result_count(client, q="公園", item=proposals["item"]) == "1件の提案"
    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 2)
    assert result_count(client, q="公園", per_page=1) == "2+件の提案"
    assert result_count(client, q="公園", per_page=1, page=4) == "4件の提案"


def test_an_area_or_a_priority_item_counts_its_public_proposals(client, proposals,
                                                               monkeypatch):
    assert result_count(client, area=1) == "4件の提案"
    assert result_count(client, area=2) == "1件の提案"
    assert result_count(client, item=proposals["item"]) == "2件の提案"
    assert result_count(client, area=1, item=proposals["item"]) == "2件の提案"
    assert result_count(client, area=2, item=proposals["item"]) == "0件の提案"
    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 2)
    assert result_count(client, area=1, per_page=1) == "2+件の提案"
    assert result_count(client, area=1, per_page=1, page=5) == "4件の提案"


def plan_of_count(**filters) -> str:
    values = filter_values(ProposalFilters(**filters))
    statement = cards._kept_count(tuple(values)).params(values | {"count_limit": 1001})
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))


def test_an_area_is_counted_along_its_links_index(ctx):
    """The area's links walked, each proposal probed by its key (SQLite's plan)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    plan = plan_of_count(area=1)
    assert "SEARCH proposal_policy_area USING INDEX ix_proposal_policy_area_policy_area_id" \
        in plan, plan
    assert "SEARCH proposal USING INTEGER PRIMARY KEY" in plan and "TEMP" not in plan, plan


def test_a_two_character_search_is_counted_along_its_pairs_index(ctx):
    """No list of every match collected before the count (SQLite's plan)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    plan = plan_of_count(q="公園")
    assert "SEARCH search_gram USING PRIMARY KEY" in plan, plan
    assert "LIST SUBQUERY" not in plan and "TEMP" not in plan, plan

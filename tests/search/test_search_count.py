"""A search's count joins the public proposals its grams find (proposals/cards.py, issue
16): the same count as ``IN (every match)`` gave, for each shape of query, with the list's
filters and its cap, and on SQLite a walk of the gram's index that stops at the cap.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from komoro_engage.extensions import db
from komoro_engage.proposals import cards
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.queries import ProposalFilters, filter_values
from tests.proposals.helpers import make_proposal


@pytest.fixture
def proposals(app):
    with app.app_context():
        for n in range(3):
            make_proposal(title=f"公園の提案{n}", body="花壇を増やす", areas=(1,))
        make_proposal(title="駅前公園の提案", body="駅の近く", areas=(2,))
        make_proposal(title="駅の提案", body="ベンチ", areas=(1,))
        for status in (ProposalStatus.DRAFT, ProposalStatus.PENDING, ProposalStatus.HIDDEN):
            make_proposal(title=f"見えない公園の提案（{status}）", body="駅前", status=status)
        db.session.commit()


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
    monkeypatch.setattr(cards, "LIST_COUNT_CAP", 2)
    assert result_count(client, q="公園", per_page=1) == "2+件の提案"
    assert result_count(client, q="公園", per_page=1, page=4) == "4件の提案"


def test_a_two_character_search_is_counted_along_its_pairs_index(ctx):
    """No list of every match collected before the count (SQLite's plan)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL chooses by its statistics")
    values = filter_values(ProposalFilters(q="公園"))
    statement = cards._kept_count(tuple(values)).params(values | {"count_limit": 1001})
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[3] for row in db.session.execute(
        text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "SEARCH search_gram USING PRIMARY KEY" in plan, plan
    assert "LIST SUBQUERY" not in plan and "TEMP" not in plan, plan

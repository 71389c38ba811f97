"""The proposal and project lists carry their total on the page's own statement
(core/listing.py total_column): no count of its own, except for a page past the end,
which has no row to carry it and counts apart, and a keyword search, whose count
decides how the page is found."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

LISTS = {
    "proposals": ("/proposals", "件の提案", lambda: make_proposal(areas=(1,))),
    "projects": ("/projects", "件のプロジェクト", make_project),
}


@pytest.fixture(params=sorted(LISTS))
def listed(request, app, login):
    path, noun, make = LISTS[request.param]
    with app.app_context():
        for _ in range(3):
            make()
        db.session.commit()
        client = login(make_user())  # rendered pages, not a visitor's kept ones
    return client, path, noun


def counts(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().startswith("SELECT count(*)")]


def test_the_first_page_carries_its_total(listed, count_queries):
    client, path, noun = listed
    count_queries.reset()
    html = client.get(f"{path}?per_page=2").get_data(as_text=True)
    assert f"3{noun}" in html and "1 / 2 ページ" in html
    assert counts(count_queries.statements) == []
    assert any("page_total" in s for s in count_queries.statements)


def test_a_page_past_the_end_counts_apart(listed, count_queries):
    client, path, noun = listed
    count_queries.reset()
    html = client.get(f"{path}?per_page=2&page=9").get_data(as_text=True)
    assert f"3{noun}" in html
    assert len(counts(count_queries.statements)) == 1


def test_a_selection_with_nothing_in_it_says_none(listed, count_queries):
    client, path, noun = listed
    count_queries.reset()
    html = client.get(f"{path}?district=999999").get_data(as_text=True)
    assert f"0{noun}" in html
    assert counts(count_queries.statements) == []


def test_a_keyword_search_counts_first(app, login, count_queries):
    with app.app_context():
        make_proposal(title="ベンチを公園に置く提案")
        db.session.commit()
        client = login(make_user())
    count_queries.reset()
    html = client.get("/proposals?q=ベンチ").get_data(as_text=True)
    assert "1件の提案" in html
    assert len(counts(count_queries.statements)) == 1

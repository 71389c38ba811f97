"""core.listing.simple_page writes its page's LIMIT and OFFSET into the SQL, as the staff
queues' page_of does (issue 16), and each page still gets its own rows."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.core.listing import simple_page
from komoro_engage.plan.models import PolicyArea


def test_simple_page_writes_its_numbers_and_pages_rightly(app, count_queries):
    with app.app_context():
        query = select(PolicyArea).order_by(PolicyArea.id)
        every = [area.id for area in simple_page(query, 1, 1_000).items]
        assert len(every) >= 3
        count_queries.reset()
        second = simple_page(query, 2, 2)
        rows = " ".join(count_queries.statements[-1].split())
    assert "LIMIT 2 OFFSET 2" in rows
    assert [area.id for area in second.items] == every[2:4]
    assert second.total == len(every)

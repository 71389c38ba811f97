"""Each comment's links, as each viewer sees them (comments/sections.comment_links).

The section asks once per comment what the viewer may do, before rendering; the links
on the page must match what the routes allow (tests/proposals/test_proposal_engagement.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.proposals.test_proposal_engagement import fresh_user, published  # noqa: F401

START = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def links_of(html: str, comment_id: int) -> set[str]:
    """The comment's own actions found in its <article>."""
    article = re.search(rf'<article class="comment[^"]*" id="comment-{comment_id}".*?</article>',
                        html, re.S)
    assert article, f"comment {comment_id} is not on the page"
    text = article.group(0)
    return {action for action in ("edit", "report", "delete")
            if f'/comments/{comment_id}/{action}"' in text}


def test_each_viewer_sees_the_links_the_routes_allow(app, login, published, monkeypatch):  # noqa: F811
    monkeypatch.setattr(clock, "now", lambda: START)
    author = fresh_user(app)
    client = login(author)
    client.post(f"/proposals/{published}/comments", data={"body": "賛成です", "stance": "for"})
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    page = f"/proposals/{published}"
    html = client.get(page).get_data(as_text=True)
    assert links_of(html, comment_id) == {"edit", "delete"}  # not one's own to report
    assert '<span class="badge stance-for">賛成</span>' in html
    assert links_of(login(fresh_user(app)).get(page).get_data(as_text=True),
                    comment_id) == {"report"}
    staff = login(fresh_user(app, role=Role.STAFF))
    assert links_of(staff.get(page).get_data(as_text=True), comment_id) == {"report", "delete"}
    assert links_of(app.test_client().get(page).get_data(as_text=True), comment_id) == set()
    # the edit window closes after 15 minutes: the link goes with it
    monkeypatch.setattr(clock, "now", lambda: START + timedelta(minutes=15, seconds=1))
    assert links_of(client.get(page).get_data(as_text=True), comment_id) == {"delete"}
    client.post("/lang", data={"lang": "en", "next": page})
    english = client.get(page).get_data(as_text=True)
    assert '<span class="badge stance-for">For</span>' in english


def test_a_deleted_comment_offers_no_links(app, login, published):  # noqa: F811
    author = fresh_user(app)
    client = login(author)
    client.post(f"/proposals/{published}/comments", data={"body": "消します"})
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    assert client.post(f"/comments/{comment_id}/delete").status_code == 302
    staff = login(fresh_user(app, role=Role.STAFF))
    html = staff.get(f"/proposals/{published}").get_data(as_text=True)
    assert links_of(html, comment_id) == set() and "このコメントは削除されました" in html

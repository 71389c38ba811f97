"""Each comment's text is kept rendered by its content (comments/texts.py): every change
a reader could see must show on the next page, never the kept text of before.

Each test first renders the page (so the text is kept), then changes what the text
shows (the body, the stance, the author's name, the language, the year, a hide or a
delete) and renders it again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from komoro_engage.accounts.models import Role, User
from komoro_engage.comments.models import Comment
from komoro_engage.comments.texts import _rendered
from komoro_engage.core import clock
from komoro_engage.extensions import db
from tests.comments.test_comment_links import links_of
from tests.proposals.test_proposal_engagement import fresh_user, published  # noqa: F401

START = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def article(html: str, comment_id: int) -> str:
    found = re.search(rf'<article class="comment[^"]*" id="comment-{comment_id}".*?</article>',
                      html, re.S)
    assert found, f"comment {comment_id} is not on the page"
    return found.group(0)


def posted(app, client, proposal_id: int, **fields) -> int:
    response = client.post(f"/proposals/{proposal_id}/comments",
                           data={"body": "最初の文です", "stance": "for", **fields})
    assert response.status_code in (200, 302)
    with app.app_context():
        return db.session.scalars(select(Comment.id).order_by(Comment.id.desc())).first()


@pytest.fixture
def commented(app, login, published, monkeypatch):  # noqa: F811
    """make(**fields): a new person's comment at START (``person`` holds their fields):
    their signed-in client, the comment's id and the proposal's page."""
    monkeypatch.setattr(clock, "now", lambda: START)

    def make(person=None, **fields):
        client = login(fresh_user(app, **(person or {})))
        return client, posted(app, client, published, **fields), f"/proposals/{published}"
    return make


def change(app, model, row_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(update(model).where(model.id == row_id).values(**values))
        db.session.commit()


def test_the_text_is_kept_and_shared_by_every_reader(app, login, commented):
    author, comment_id, page = commented()
    author.get(page)
    hits = _rendered.cache_info().hits
    other = login(fresh_user(app)).get(page).get_data(as_text=True)
    assert _rendered.cache_info().hits > hits  # the second reader's text was the kept one
    # the kept text carries no reader's links: each reader still gets their own
    assert links_of(other, comment_id) == {"report"}
    assert links_of(author.get(page).get_data(as_text=True), comment_id) == {"edit", "delete"}


def test_an_edit_shows_at_once(commented):
    client, comment_id, page = commented()
    before = article(client.get(page).get_data(as_text=True), comment_id)
    assert "最初の文です" in before and "（編集済み）" not in before
    assert "stance-for" in before
    response = client.post(f"/comments/{comment_id}/edit",
                           data={"body": "直した文です", "stance": "against"})
    assert response.status_code == 302
    after = article(client.get(page).get_data(as_text=True), comment_id)
    assert "直した文です" in after and "最初の文です" not in after
    assert "（編集済み）" in after and "stance-against" in after and "stance-for" not in after


def test_a_renamed_author_shows_under_the_new_name(app, login, commented):
    client, comment_id, page = commented(person={"nickname": "まえのなまえ"})
    with app.app_context():
        author_id = db.session.get(Comment, comment_id).author_id
    assert "まえのなまえ" in article(client.get(page).get_data(as_text=True), comment_id)
    change(app, User, author_id, nickname="あたらしいなまえ")
    reader = login(fresh_user(app))
    now_shown = article(reader.get(page).get_data(as_text=True), comment_id)
    assert "あたらしいなまえ" in now_shown and "まえのなまえ" not in now_shown


def test_hidden_then_deleted_comments_show_their_notice(app, login, commented):
    _client, comment_id, page = commented(body="見える文です")
    reader = login(fresh_user(app))
    assert "見える文です" in article(reader.get(page).get_data(as_text=True), comment_id)
    change(app, Comment, comment_id, hidden_at=START)
    hidden = article(reader.get(page).get_data(as_text=True), comment_id)
    assert "市が確認するまで表示を控えています" in hidden and "見える文です" not in hidden
    assert links_of(hidden, comment_id) == set()
    change(app, Comment, comment_id, hidden_at=None)
    assert "見える文です" in article(reader.get(page).get_data(as_text=True), comment_id)
    staff = login(fresh_user(app, role=Role.STAFF))
    assert staff.post(f"/comments/{comment_id}/delete").status_code == 302
    deleted = article(reader.get(page).get_data(as_text=True), comment_id)
    assert "このコメントは削除されました" in deleted and "見える文です" not in deleted


def test_each_language_and_year_has_its_own_text(commented, monkeypatch):
    client, comment_id, page = commented()
    japanese = article(client.get(page).get_data(as_text=True), comment_id)
    assert "賛成" in japanese and "4月1日（水）" in japanese
    client.post("/lang", data={"lang": "en", "next": page})
    english = article(client.get(page).get_data(as_text=True), comment_id)
    assert ">For<" in english and "Wed 1 Apr" in english and "賛成" not in english
    client.post("/lang", data={"lang": "ja", "next": page})
    assert "賛成" in article(client.get(page).get_data(as_text=True), comment_id)
    # a year on, the date is written with its year
    monkeypatch.setattr(clock, "now", lambda: START + timedelta(days=366))
    next_year = article(client.get(page).get_data(as_text=True), comment_id)
    assert "2026年4月1日（水）" in next_year

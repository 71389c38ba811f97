"""Each thread of comments is kept rendered by what it shows (core/kept_cards.py with
comments/sections.ShownThread): every change a reader could see must show on the next
page, never the kept markup of before, and no reader may get another's links or token.

Each test first renders the page (so the thread is kept), then changes what it shows
(the body, the stance, the author's name, the language, the year, a hide or a delete)
and renders it again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from komoro_engage.accounts.models import Role, User
from komoro_engage.comments.models import Comment
from komoro_engage.core import clock
from komoro_engage.core.kept_cards import _rendered
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


def test_a_thread_is_kept_and_shared_by_readers_who_see_it_alike(app, login, commented):
    author, comment_id, page = commented()
    login(fresh_user(app)).get(page)
    hits, misses = _rendered.cache_info().hits, _rendered.cache_info().misses
    other = login(fresh_user(app)).get(page).get_data(as_text=True)
    # the second reader with the same links got the first one's kept thread
    assert _rendered.cache_info().hits > hits and _rendered.cache_info().misses == misses
    assert links_of(other, comment_id) == {"report"}
    # the author's links differ, so theirs is another thread's markup
    assert links_of(author.get(page).get_data(as_text=True), comment_id) == {"edit", "delete"}


def csrf_values(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_a_kept_delete_button_carries_each_readers_own_token(app, login, commented):
    _author, comment_id, page = commented()
    first, second = (login(fresh_user(app, role=Role.STAFF)) for _ in range(2))
    pages = [client.get(page).get_data(as_text=True) for client in (first, second)]
    tokens = []
    for html in pages:
        # staff may delete any comment: the button is in the kept thread
        assert "delete" in links_of(html, comment_id)
        assert "kept-card-csrf" not in html
        in_thread, everywhere = csrf_values(article(html, comment_id)), csrf_values(html)
        assert len(in_thread) == 1 and in_thread == everywhere  # the page's one token
        tokens.append(in_thread.pop())
    assert tokens[0] != tokens[1]  # two sessions, two tokens, one kept thread


def test_words_like_the_marker_stay_as_written(commented):
    client, comment_id, page = commented(body="kept-card-csrf の文字")
    shown = article(client.get(page).get_data(as_text=True), comment_id)
    assert "kept-card-csrf の文字" in shown


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


def test_focus_goes_to_the_comment_just_posted_and_only_then(app, login, commented):
    client, comment_id, page = commented()
    client.get(page)  # the thread kept without focus
    answer = client.post(f"{page}/comments", data={"body": "二つ目の文です"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    with app.app_context():
        posted_id = db.session.scalars(select(Comment.id).order_by(Comment.id.desc())).first()
    assert 'tabindex="-1" autofocus' in article(html, posted_id)
    assert "autofocus" not in article(html, comment_id)
    # read again, the same thread is not focused: focus is part of what is kept
    assert "autofocus" not in article(client.get(page).get_data(as_text=True), posted_id)

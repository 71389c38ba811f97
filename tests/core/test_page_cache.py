"""Pages kept for signed-out visitors: fresh after every public change, never someone else's."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from sqlalchemy import text

from komoro_engage.accounts.models import Role
from komoro_engage.core import content_version
from komoro_engage.core.content_version import changes_public_data, current_version
from komoro_engage.core.page_cache import EXTENSION, HEADER, KeptPage, PageCache, visitor_key
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from komoro_engage.proposals.services import hide_proposal
from tests.factories import make_user
from tests.live import LiveServer
from tests.proposals.helpers import committed_proposal_id, make_proposal

HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def cache(app, monkeypatch):
    kept = PageCache(seconds=60, max_bytes=4 * 1024 * 1024)
    monkeypatch.setitem(app.extensions, EXTENSION, kept)
    return kept


@pytest.fixture
def proposal_id(app):
    return committed_proposal_id(app, title="駅前のベンチ")


def _without_token(html):
    """The page with its CSRF token taken out wherever it is written (meta, forms, hx-headers).

    The token carries a timestamp, so two renders a second apart differ in it.
    """
    return html.replace(TOKEN.search(html).group(1), "")


def fresh_user(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
        return user


def test_a_visitors_second_request_is_served_from_the_cache_with_one_query(
        app, cache, proposal_id, count_queries):
    client = app.test_client()
    first = client.get(f"/proposals/{proposal_id}")
    count_queries.reset()
    second = client.get(f"/proposals/{proposal_id}")
    assert first.headers[HEADER] == "miss" and second.headers[HEADER] == "hit"
    assert count_queries.count == 1  # the content version
    without_token = [_without_token(r.get_data(as_text=True)) for r in (first, second)]
    assert without_token[0] == without_token[1]
    assert "駅前のベンチ" in second.get_data(as_text=True)
    assert second.headers["Content-Security-Policy"]  # headers still added per response


def test_a_support_shows_at_once_to_visitors(app, cache, login, proposal_id):
    visitor = app.test_client()
    assert "<strong>0</strong>" in visitor.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    login(fresh_user(app)).post(f"/proposals/{proposal_id}/support", headers=HTMX)
    response = visitor.get(f"/proposals/{proposal_id}")
    assert response.headers[HEADER] == "miss"
    assert "<strong>1</strong>" in response.get_data(as_text=True)


def test_a_hidden_proposal_disappears_for_visitors_at_once(app, cache, proposal_id):
    visitor = app.test_client()
    assert visitor.get(f"/proposals/{proposal_id}").status_code == 200
    assert "駅前のベンチ" in visitor.get("/proposals").get_data(as_text=True)
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        hide_proposal(staff, db.session.get(Proposal, proposal_id), "個人情報を含むため")
        db.session.commit()
    detail = visitor.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "駅前のベンチ" not in detail and "個人情報を含むため" in detail
    assert "駅前のベンチ" not in visitor.get("/proposals").get_data(as_text=True)


def test_each_visitor_gets_their_own_csrf_token_and_it_works(app, cache, proposal_id):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        tokens = []
        for _ in range(2):
            client = app.test_client()
            html = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
            token = TOKEN.search(html).group(1)
            assert cache.placeholder not in html
            assert html.count(token) >= 3  # meta tag, hx-headers, language form
            answer = client.post("/lang", data={"lang": "en", "next": "/", "csrf_token": token})
            assert answer.status_code == 302
            tokens.append(token)
        assert tokens[0] != tokens[1]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_languages_and_htmx_fragments_are_kept_apart(app, cache, proposal_id):
    client = app.test_client()
    japanese = client.get("/proposals").get_data(as_text=True)
    english = client.get("/proposals", headers={"Accept-Language": "en"}).get_data(as_text=True)
    fragment = client.get("/proposals", headers=HTMX)
    assert 'lang="ja"' in japanese and 'lang="en"' in english
    assert "<html" not in fragment.get_data(as_text=True) and fragment.headers["HX-Push-Url"]
    again = client.get("/proposals", headers=HTMX)
    assert again.headers[HEADER] == "hit" and again.headers["HX-Push-Url"]
    assert "<html" in client.get("/proposals").get_data(as_text=True)


def test_signed_in_people_and_waiting_messages_are_never_served_kept_pages(
        app, cache, login, proposal_id):
    app.test_client().get(f"/proposals/{proposal_id}")  # kept for visitors
    member = login(fresh_user(app))
    response = member.get(f"/proposals/{proposal_id}")
    assert HEADER not in response.headers and "賛同する" in response.get_data(as_text=True)
    member.post(f"/proposals/{proposal_id}/support")
    html = member.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "賛同しました。" in html and "賛同を取り消す" in html
    with app.test_request_context("/", method="GET"):
        from flask import session
        session["_flashes"] = [("success", "x")]
        assert visitor_key() is None


def test_errors_are_not_kept(app, cache):
    client = app.test_client()
    for _ in range(2):
        response = client.get("/proposals/999999")
        assert response.status_code == 404 and response.headers.get(HEADER) != "hit"
    assert not cache._pages


def test_a_page_with_a_real_token_in_a_form_is_not_kept(app, cache, monkeypatch):
    """A FlaskForm's own csrf field bypasses the placeholder: such a page must not be shared."""
    from flask_wtf.csrf import generate_csrf

    from komoro_engage.plan import views

    real_render = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: (generate_csrf(), real_render(*a, **k))[1])
    client = app.test_client()
    assert client.get("/plan/districts").headers[HEADER] == "miss"
    assert client.get("/plan/districts").headers[HEADER] == "miss"


def test_writes_to_public_tables_move_the_version_and_private_ones_do_not(app):
    with app.app_context():
        start = current_version()
        db.session.execute(text("UPDATE outbox_mail SET attempts = attempts WHERE 1 = 0"))
        db.session.commit()
        assert current_version() == start
        db.session.execute(text("UPDATE proposal SET support_count = support_count WHERE 1 = 0"))
        db.session.commit()
        assert current_version() == start + 1
        db.session.execute(text("UPDATE proposal SET title = title WHERE 1 = 0"))
        db.session.rollback()
        db.session.commit()  # a rolled-back write moves nothing
        assert current_version() == start + 1


@pytest.mark.parametrize(("statement", "public"), [
    ('INSERT INTO support (proposal_id, user_id) VALUES (?, ?)', True),
    ('UPDATE "proposal" SET support_count=(support_count + ?)', True),
    ("  delete from comment where id = ?", True),
    ("INSERT OR IGNORE INTO support VALUES (?)", True),
    ("INSERT INTO outbox_mail (recipient) VALUES (?)", False),
    ("UPDATE notification SET read_at = ?", False),
    ("SELECT * FROM proposal", False),
])
def test_which_statements_change_public_data(statement, public):
    assert changes_public_data(statement) is public


def test_old_pages_go_when_the_data_changes_and_memory_stays_bounded():
    kept = PageCache(seconds=60, max_bytes=250)
    page = KeptPage(200, [], b"x" * 100, kept_at=time.monotonic())
    kept.put(1, ("a",), page)
    kept.put(1, ("b",), page)
    kept.put(1, ("c",), page)  # over 250 bytes: the oldest goes
    assert kept.get(1, ("a",)) is None and kept.get(1, ("c",)) is not None
    kept.put(2, ("d",), page)
    assert kept.get(2, ("b",)) is None and kept._bytes == 100
    assert kept.get(1, ("d",)) is None  # a page is served only under its own version


def test_the_version_row_exists(app):
    with app.app_context():
        assert isinstance(content_version.current_version(), int)


@pytest.mark.no_db_rollback
def test_every_worker_renders_afresh_after_a_change_made_by_another_process(tmp_path):
    """Two gunicorn workers keep pages; a commit from elsewhere reaches both at once."""
    server = LiveServer(tmp_path, workers=2, threads=1, PAGE_CACHE_SECONDS=60).start()
    try:
        with server.app.app_context():
            found = make_proposal(title="古いタイトルの提案").id
            db.session.commit()
        url = f"{server.url}/proposals/{found}"
        states = [fetch(url) for _ in range(16)]
        assert all("古いタイトルの提案" in body for _state, body in states)
        assert "hit" in {state for state, _body in states}
        with server.app.app_context():
            db.session.get(Proposal, found).title = "新しいタイトルの提案"
            db.session.commit()
        for _ in range(16):
            _state, body = fetch(url)
            assert "新しいタイトルの提案" in body and "古いタイトルの提案" not in body
    finally:
        server.close()


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.headers[HEADER], response.read().decode()

"""The bell, the list, marking read, email settings and unsubscribing, through HTTP."""

import re

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.models import EmailPreference, Notification
from komoro_engage.notifications.services import notify, unsubscribe_token, wants_email
from tests.factories import make_user


def add_notifications(app, user_id: int, count: int, title: str = "提案") -> list[int]:
    with app.app_context():
        user = db.session.get(User, user_id)
        ids = [notify(user, kinds.PROPOSAL_APPROVED, {"title": f"{title}{n}"},
                      link="/proposals").id for n in range(count)]
        db.session.commit()
        return ids


@pytest.fixture
def reader(app):
    with app.app_context():
        user = make_user(nickname="ベルの読者")
        db.session.commit()
        return user.id


@pytest.fixture
def reader_client(app, login, reader):
    with app.app_context():
        return login(db.session.get(User, reader))


def bell(html: str) -> str | None:
    match = re.search(r'<a id="notification-bell".*?</a>', html, re.S)
    return match.group(0) if match else None


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="bell-count">(\d+\+?)<', bell(html) or "")
    return match.group(1) if match else None


def test_bell_shows_the_unread_count_only_when_signed_in(app, client, reader, reader_client):
    assert bell(client.get("/").get_data(as_text=True)) is None
    assert unread_badge(reader_client.get("/").get_data(as_text=True)) is None
    add_notifications(app, reader, 3)
    assert unread_badge(reader_client.get("/").get_data(as_text=True)) == "3"


def test_bell_stops_counting_at_its_cap(app, reader, reader_client):
    add_notifications(app, reader, 101)
    assert unread_badge(reader_client.get("/").get_data(as_text=True)) == "99+"


def test_the_bell_costs_one_query_whatever_the_count(app, reader, reader_client, count_queries):
    def queries(path):
        count_queries.reset()
        assert reader_client.get(path).status_code == 200
        return count_queries.count

    # The first list page in a process also builds the plan's filter menus once (core/
    # fragments.py): run alone, this test would count that. Render once before measuring.
    queries("/proposals")
    before = queries("/proposals")
    add_notifications(app, reader, 30)
    assert queries("/proposals") == before
    bell_queries = [s for s in count_queries.statements if "FROM notification" in s]
    assert len(bell_queries) == 1, count_queries.statements


def test_list_is_newest_first_paged_and_marks_unread(app, reader, reader_client):
    ids = add_notifications(app, reader, 7, title="順番")  # PAGE_SIZE is 5 in tests
    with app.app_context():
        db.session.get(Notification, ids[-1]).read_at = db.func.now()
        db.session.commit()
    html = reader_client.get("/notifications").get_data(as_text=True)
    titles = re.findall(r"「(順番\d)」", html)
    assert titles == ["順番6", "順番5", "順番4", "順番3", "順番2"]
    assert html.count("notification-unread") == 4  # the newest one was read
    assert 'rel="next"' in html
    second = reader_client.get("/notifications?page=2").get_data(as_text=True)
    assert re.findall(r"「(順番\d)」", second) == ["順番1", "順番0"]


def test_list_queries_do_not_grow(app, reader, reader_client, count_queries):
    add_notifications(app, reader, 2)
    count_queries.reset()
    reader_client.get("/notifications")
    small = count_queries.count
    add_notifications(app, reader, 40)
    count_queries.reset()
    reader_client.get("/notifications")
    assert count_queries.count == small, count_queries.statements
    assert small <= 5, count_queries.statements


def test_following_a_notification_marks_it_read(app, reader, reader_client, login):
    (notification_id,) = add_notifications(app, reader, 1)
    response = reader_client.get(f"/notifications/{notification_id}")
    assert response.status_code == 302 and response.location == "/proposals"
    with app.app_context():
        assert db.session.get(Notification, notification_id).read_at is not None
        stranger = make_user()
        db.session.commit()
    assert login(stranger).get(f"/notifications/{notification_id}").status_code == 404


def test_an_unsafe_link_goes_to_the_list_instead(app, reader, reader_client):
    with app.app_context():
        notification = notify(db.session.get(User, reader), kinds.ACTIVITY_REMINDER,
                              {"title": "外", "starts_at": "2026-12-01T00:00:00+00:00"},
                              link="//evil.example/")
        db.session.commit()
        notification_id = notification.id
    response = reader_client.get(f"/notifications/{notification_id}")
    assert response.location == "/notifications"


def test_mark_one_and_all_read_without_javascript(app, reader, reader_client):
    first, *_rest = add_notifications(app, reader, 3)
    response = reader_client.post(f"/notifications/{first}/read", data={"page": "1"})
    assert response.status_code == 302 and response.location == "/notifications"
    assert unread_badge(reader_client.get("/").get_data(as_text=True)) == "2"
    reader_client.post("/notifications/read-all")
    assert unread_badge(reader_client.get("/").get_data(as_text=True)) is None


def test_mark_all_read_with_htmx_returns_the_list_and_the_new_bell(app, reader, reader_client):
    add_notifications(app, reader, 2)
    response = reader_client.post("/notifications/read-all", data={"page": "1"},
                                  headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="notifications"')
    assert "<html" not in html and "notification-unread" not in html
    assert 'hx-swap-oob="true"' in bell(html) and unread_badge(html) is None


def test_people_cannot_mark_each_others_notifications(app, reader, login):
    (notification_id,) = add_notifications(app, reader, 1)
    with app.app_context():
        stranger = make_user()
        db.session.commit()
    assert login(stranger).post(f"/notifications/{notification_id}/read").status_code == 404
    with app.app_context():
        assert db.session.get(Notification, notification_id).read_at is None


def test_notifications_read_in_the_readers_language(app, reader, reader_client):
    add_notifications(app, reader, 1, title="駅前")
    reader_client.set_cookie("lang", "en")
    html = reader_client.get("/notifications").get_data(as_text=True)
    assert "Your proposal “駅前0” was published." in html


def test_email_settings_save_and_staff_see_the_digest(app, reader, reader_client, login):
    page = reader_client.get("/account/notifications").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="proposals"', page)  # on by default
    assert 'name="staff_digest"' not in page
    response = reader_client.post("/account/notifications", data={"replies": "y", "reminders": "y"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, reader)
        assert not wants_email(user, "proposals") and wants_email(user, "replies")
        assert wants_email(user, "reminders")
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    assert 'name="staff_digest"' in login(staff).get("/account/notifications").get_data(
        as_text=True)


def test_one_click_unsubscribe_works_signed_out(app, client, reader):
    with app.app_context():
        token = unsubscribe_token(reader, "replies")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "自分のコメントへの返信" in page.get_data(as_text=True)
    with app.app_context():  # the GET only asks
        assert wants_email(db.session.get(User, reader), "replies")
    # What a mail client sends for RFC 8058, without any session or CSRF token.
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        user = db.session.get(User, reader)
        assert not wants_email(user, "replies") and wants_email(user, "proposals")


def test_a_forged_unsubscribe_token_changes_nothing(app, client, reader):
    with app.app_context():
        genuine = unsubscribe_token(reader, "replies")
    payload, _signature = genuine.rsplit(".", 1)
    for token in (f"{payload}.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "nonsense", genuine + "x"):
        assert client.post(f"/unsubscribe/{token}").status_code == 400
        assert client.get(f"/unsubscribe/{token}").status_code == 400
    with app.app_context():
        assert db.session.scalars(select(EmailPreference).where(
            EmailPreference.user_id == reader)).all() == []


def test_unsubscribe_needs_csrf_nowhere_else(app, reader, login):
    """The exemption is for the unsubscribe route only: the settings form still needs a token."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.app_context():
            client = login(db.session.get(User, reader))
            token = unsubscribe_token(reader, "proposals")
        assert client.post("/account/notifications", data={}).status_code == 400
        assert client.post(f"/unsubscribe/{token}").status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

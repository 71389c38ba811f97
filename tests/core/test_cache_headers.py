"""Cache-Control on every answer (core/cache_headers.py): nothing personal is kept.

Signed in: ``private, no-store`` on everything. A visitor's form page: the same. A
visitor's reading page: ``private, no-cache`` (it carries the visitor's CSRF token, so
no shared cache may keep it). Photos are covered in tests/media/test_access.py.
"""

from __future__ import annotations

import pytest

from komoro_engage.accounts.passwords import hash_password
from komoro_engage.core.page_cache import EXTENSION, HEADER, PageCache
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import committed_proposal_id

PERSONAL = "private, no-store"
READING = "private, no-cache"


@pytest.fixture
def resident(app):
    with app.app_context():
        user = make_user(email="hanako@example.jp")
        db.session.commit()
        return user


@pytest.fixture
def proposal_id(app):
    return committed_proposal_id(app, title="図書館の開館時間")


def test_a_signed_in_persons_account_page_is_not_stored(login, resident):
    response = login(resident).get("/account")
    assert response.status_code == 200
    assert "hanako@example.jp" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PERSONAL


def test_every_page_for_a_signed_in_person_is_not_stored(login, resident, proposal_id):
    client = login(resident)
    for path in ("/", "/proposals", f"/proposals/{proposal_id}", "/proposals/new",
                 "/plan/districts", "/proposals/999999"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == PERSONAL, path
    supported = client.post(f"/proposals/{proposal_id}/support", headers={"HX-Request": "true"})
    assert supported.headers["Cache-Control"] == PERSONAL


@pytest.mark.parametrize("path", ["/login", "/signup", "/password/forgot"])
def test_a_visitors_form_page_is_not_stored(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PERSONAL


def test_a_form_answered_with_its_errors_is_not_stored(client):
    response = client.post("/login", data={"email": "hanako@example.jp", "password": "x"})
    assert response.headers["Cache-Control"] == PERSONAL


def test_signing_in_answers_with_a_personal_redirect(app, client):
    with app.app_context():
        make_user(email="taro@example.jp").password_hash = hash_password(PASSWORD)
        db.session.commit()
    response = client.post("/login", data={"email": "taro@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == PERSONAL


def test_a_visitors_reading_pages_may_be_kept_only_by_the_browser(app, client, proposal_id):
    with app.app_context():
        project_id = make_project().id
        db.session.commit()
    for path in ("/", "/proposals", f"/proposals/{proposal_id}", f"/projects/{project_id}",
                 "/plan/districts"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == READING, path
        assert "public" not in response.headers["Cache-Control"]


def test_the_policy_holds_for_pages_served_from_the_page_cache(app, monkeypatch, proposal_id):
    monkeypatch.setitem(app.extensions, EXTENSION, PageCache(60, 4 * 1024 * 1024))
    visitor = app.test_client()
    first, second = (visitor.get(f"/proposals/{proposal_id}") for _ in range(2))
    assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "hit")
    assert first.headers["Cache-Control"] == second.headers["Cache-Control"] == READING
    assert visitor.get("/login").headers["Cache-Control"] == PERSONAL


def test_a_reading_page_that_rendered_a_form_of_its_own_is_not_stored(client, monkeypatch):
    """A FlaskForm's token field (not the layout's) makes it a form page."""
    from flask_wtf.csrf import generate_csrf

    from komoro_engage.plan import views

    real_render = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: (generate_csrf(), real_render(*a, **k))[1])
    assert client.get("/plan/districts").headers["Cache-Control"] == PERSONAL


def test_errors_and_answers_without_a_policy_are_not_stored(client):
    assert client.get("/proposals/999999").headers["Cache-Control"] == PERSONAL
    assert client.get("/account").headers["Cache-Control"] == PERSONAL  # a redirect to sign in
    # A view's own policy stays (/healthz says no-store itself).
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_a_view_that_states_its_own_policy_keeps_it_for_visitors(app, client):
    with app.app_context():
        project_id = make_project().id
        db.session.commit()
    response = client.get(f"/projects/{project_id}/calendar.ics")
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_static_files_keep_their_own_headers(client, login, resident):
    for who in (client, login(resident)):
        response = who.get("/static/css/site.css")
        assert "no-store" not in response.headers["Cache-Control"]
        response.close()

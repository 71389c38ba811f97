"""Whether the signed-in person manages an organisation is read with the person on a
read request (accounts/permissions.py ``manages_an_organisation``, issue 16): the
project list's プロジェクトをつくる link costs no statement of its own."""

from __future__ import annotations

import pytest
from flask_login import login_user

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import manages_an_organisation
from komoro_engage.accounts.views.sign_in import load_user
from komoro_engage.extensions import db
from tests.factories import make_organisation, make_user


def _people(app):
    with app.app_context():
        manager, resident = make_user(), make_user()
        make_organisation(manager, name="川辺の会")
        db.session.commit()
        return manager, resident, manager.id, resident.id


def test_the_project_list_offers_creating_to_managers_without_asking_apart(
        app, login, count_queries):
    manager, resident, *_ = _people(app)
    for person, offered in ((manager, True), (resident, False), (manager, True)):
        client = login(person)
        assert ("プロジェクトをつくる" in client.get("/projects").get_data(as_text=True)) \
            is offered
        count_queries.of_get(client, "/projects")
        apart = [s for s in count_queries.statements
                 if s.startswith("SELECT") and "FROM membership" in s
                 and not s.startswith("SELECT user_account.id")]
        assert apart == [], apart


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_that_writes_asks_each_time(app, method):
    """On a POST the answer is asked when needed, after any write: an organisation made
    in the request counts at once. A GET writes nothing: it keeps what it read."""
    _manager, _resident, _manager_id, resident_id = _people(app)
    with app.test_request_context("/projects", method=method):
        resident = load_user(db.session.get(User, resident_id).get_id())  # as a request does
        login_user(resident)
        assert manages_an_organisation(resident) is False
        make_organisation(resident, name="新しい会")
        assert manages_an_organisation(resident) is (method == "POST")


def test_another_persons_answer_is_their_own(app):
    _manager, _resident, manager_id, resident_id = _people(app)
    with app.test_request_context("/projects"):
        login_user(db.session.get(User, resident_id))
        assert manages_an_organisation(db.session.get(User, manager_id)) is True

"""A signed-in read asks the page's small facts (the bell's count, the plan's version)
in the statement that loads the person (core/request_facts.py); a request that writes
asks them when its page needs them, after its writes."""

import re

import pytest

from komoro_engage.accounts.models import User
from komoro_engage.core.request_facts import asks_facts
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds
from komoro_engage.notifications.services import notify
from tests.factories import make_user


@pytest.fixture
def reader(app, login):
    with app.app_context():
        user = make_user(nickname="事実の読者")
        db.session.commit()
        return user.id, login(user)


def add_unread(app, user_id: int, count: int) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        for n in range(count):
            notify(user, kinds.PROPOSAL_APPROVED, {"title": f"提案{n}"}, link="/proposals")
        db.session.commit()


def bell_count(html: str) -> str | None:
    match = re.search(r'id="notification-bell".*?class="bell-count">(\d+\+?)<', html, re.S)
    return match.group(1) if match else None


def mentioning(statements: list[str], table: str) -> list[int]:
    return [n for n, statement in enumerate(statements) if f"FROM {table}" in statement]


def test_a_signed_in_read_asks_the_bell_and_the_plan_version_with_the_person(
        app, reader, count_queries):
    user_id, client = reader
    add_unread(app, user_id, 3)
    client.get("/proposals")  # the plan's menus are built once per process
    count_queries.reset()
    html = client.get("/proposals").get_data(as_text=True)
    statements = count_queries.statements
    assert bell_count(html) == "3"
    # One statement reads the person, the unread count and the plan's version.
    assert mentioning(statements, "user_account")[:1] == [0]
    assert mentioning(statements, "notification") == [0], statements
    assert mentioning(statements, "content_version") == [0], statements


def test_the_home_page_of_a_signed_in_person_runs_one_statement(app, reader, count_queries):
    """The person, with the bell, the plan's version and the home page's poll (none)."""
    _user_id, client = reader
    client.get("/")
    assert count_queries.of_get(client, "/") == 1, count_queries.statements


def test_a_request_that_writes_counts_the_bell_after_its_writes(app, reader, count_queries):
    user_id, client = reader
    add_unread(app, user_id, 2)
    count_queries.reset()
    response = client.post("/notifications/read-all", data={"page": "1"},
                           headers={"HX-Request": "true"})
    statements = count_queries.statements
    assert response.status_code == 200
    assert bell_count(response.get_data(as_text=True)) is None  # none unread any more
    person = mentioning(statements, "user_account")[0]
    marked = next(n for n, statement in enumerate(statements)
                  if statement.lstrip().startswith("UPDATE notification"))
    counted = [n for n in mentioning(statements, "notification") if n != marked]
    assert "notification" not in statements[person]
    assert counted and min(counted) > marked, statements


@pytest.mark.parametrize(("method", "path", "reads"), [
    ("GET", "/proposals", True),
    ("HEAD", "/", True),
    ("POST", "/notifications/read-all", False),
    # A GET whose view writes (marks the notification read on the way)
    ("GET", "/notifications/1", False),
])
def test_only_requests_that_write_nothing_keep_their_facts(app, method, path, reads):
    with app.test_request_context(path, method=method):
        assert asks_facts() is reads

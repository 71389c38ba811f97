"""Shared fixtures: one app and schema per run, a rolled-back transaction per test.

The database is SQLite in a temporary file, or the PostgreSQL database named by
``KOMORO_TEST_DATABASE_URL``. The plan is seeded once and committed; everything
a test writes is rolled back afterwards (SQLAlchemy's "joining a session into
an external transaction" recipe, with savepoints so code under test may commit).
"""

from __future__ import annotations

import os

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import inspect, text
from sqlalchemy.orm import scoped_session, sessionmaker

# Every model before any test module: test modules import feature modules (demos,
# queries with loader options) before the app exists, and a mapper configured then
# must find the classes its relationships name.
import komoro_engage.models  # noqa: F401
from komoro_engage import create_app
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.loader import read_plan_file
from komoro_engage.plan.services import seed_plan

TEST_DATABASE_URL = os.environ.get("KOMORO_TEST_DATABASE_URL")


def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_schema() -> None:
    """Start from an empty database, whatever an earlier run left behind."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        "testing",
        DATABASE_URL=database_url(tmp_path_factory),
        STORAGE_DIR=str(tmp_path_factory.mktemp("uploads")),
    )
    with app.app_context():
        reset_schema()
        db.create_all()
        seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def dispose_apps_the_test_built(app):
    """Apps a test builds for itself (production settings, limits on, another database)
    have engines of their own. Their pools are closed when the test ends; left to the
    garbage collector, a pooled PostgreSQL connection warns (ResourceWarning, an error
    here) in whichever later test happens to be running."""
    yield
    # Flask-SQLAlchemy keeps each app's engines here (a WeakKeyDictionary); there is no
    # public way to list the apps that have them.
    for built, engines in list(db._app_engines.items()):
        if built is not app:
            for engine in engines.values():
                engine.dispose()


@pytest.fixture
def db_connection(app):
    """The connection a test's session is bound to, inside a transaction rolled back at
    the end. A module may override it to run its tests in savepoints of one connection
    that holds rows they all start from (tests/access/world.py: ``SharedWorld``)."""
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def db_session(request, app):
    """Run the test inside one outer transaction that is rolled back at the end."""
    if "no_db_rollback" in request.keywords:
        yield None
        return
    connection = request.getfixturevalue("db_connection")
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id,
    )
    try:
        yield db.session
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app):
    """``login(user)`` returns a test client signed in as ``user`` (Flask-Login's test client)."""

    def signed_in_client(user):
        with app.app_context():
            fresh = db.session.get(User, inspect(user).identity[0])
            session_id = fresh.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        return client

    return signed_in_client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for direct database work; do not make client requests inside it."""
    with app.app_context():
        yield


class QueryCounter:
    """SQL statements the app ran, transaction control (BEGIN, SAVEPOINT …) left out."""

    CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(self.CONTROL):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()

    def of_get(self, client, url: str) -> int:
        """How many statements one GET of ``url`` (which must answer 200) runs."""
        self.reset()
        response = client.get(url)
        assert response.status_code == 200, url
        return self.count


@pytest.fixture
def count_queries(app):
    """Counts SQL statements; use ``count_queries.reset()`` before the request you measure."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


@pytest.fixture
def live_server(tmp_path):
    """A gunicorn server on loopback over a fresh, migrated and seeded database.

    Mark the test ``no_db_rollback``; write committed data with
    ``with live_server.app.app_context(): …; db.session.commit()``.
    """
    from tests.live import LiveServer

    with LiveServer(tmp_path) as server:
        yield server


def send_outbox(app) -> None:
    """Send what the outbox holds, with the real sender (``flask komoro send-mail``)."""
    from komoro_engage.notifications.outbox import send_due

    with app.app_context():
        send_due()
        db.session.remove()


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback; the app's outbox is sent there whenever the test
    looks at what arrived (requests only queue mail: ``core/outbox.py``)."""
    from tests.mail import SmtpServer

    saved = {key: app.config[key] for key in ("MAIL_HOST", "MAIL_PORT")}
    with SmtpServer(deliver=lambda: send_outbox(app)) as server:
        app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=server.port)
        try:
            yield server.mailbox
        finally:
            app.config.update(saved)

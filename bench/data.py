"""The benchmark's database: built fresh, migrated, seeded, filled with demo data when possible."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from komoro_engage.core.scratch_database import ScratchDatabase

ROOT = Path(__file__).resolve().parent.parent
# Transaction control, left out of the SQL statements a page is said to run.
CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")
SECRET_KEY = f"bench-{uuid.uuid4().hex}"  # shared by the server and the POST credentials


def app_env(database_url: str) -> dict[str, str]:
    """Environment for the app under test: production settings on loopback HTTP."""
    return {
        **os.environ,
        "KOMORO_CONFIG": "production",
        "KOMORO_SECRET_KEY": SECRET_KEY,
        "KOMORO_DATABASE_URL": database_url,
        "KOMORO_RATELIMIT_ENABLED": "false",  # the load comes from one address by design
        "KOMORO_STORAGE_DIR": str(Path(tempfile.gettempdir()) / "komoro-bench-uploads"),
    }


def bench_database(kind: str, workdir: Path, postgres_url: str) -> ScratchDatabase:
    """A new SQLite file in ``workdir`` or a new PostgreSQL database on ``postgres_url``."""
    return ScratchDatabase(workdir, postgres_url if kind == "postgresql" else None,
                           prefix="komoro_bench")


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "komoro_engage", *args],
        cwd=ROOT, env=app_env(database_url), capture_output=True, text=True, check=False,
    )


def demo_available(database_url: str) -> bool:
    """``flask komoro demo`` comes with the proposals branch."""
    listing = flask(database_url, "komoro", "--help")
    return any(line.split()[:1] == ["demo"] for line in listing.stdout.splitlines())


def prepare(database_url: str, proposals: int | None) -> list[str]:
    """Migrate and seed; add ``proposals`` demo proposals if the command exists. Returns notes."""
    notes = []
    for args in (("db", "upgrade"), ("komoro", "seed")):
        result = flask(database_url, *args)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr}")
    if proposals:
        if not demo_available(database_url):
            notes.append(f"`flask komoro demo` does not exist on this branch: {proposals:,} "
                         "demo proposals were NOT created; measured on the plan data only.")
        else:
            result = flask(database_url, "komoro", "demo", "--proposals", str(proposals))
            if result.returncode != 0:
                raise RuntimeError(f"flask komoro demo failed:\n{result.stderr}")
            notes.append(f"demo data: {result.stdout.strip().splitlines()[-1:]}")
            if database_url.startswith("postgresql"):
                vacuum(database_url)
                notes.append("VACUUM (ANALYZE) after the bulk load, as a DBA would, so that "
                             "autovacuum does not run during the measurement; the "
                             "consultation's statements rewritten compact (VACUUM FULL)")
    return notes


# The demo's votes come in one transaction, each moving its statement's and consultation's
# counts (consultations/vote_counts.py): thousands of versions of a few dozen rows, spread
# over pages a plain VACUUM empties but keeps, which every scan of the statements then
# reads. A live consultation's votes come one by one and autovacuum reclaims the space as
# they come; rewritten compact, the tables are as they would be.
_REWRITTEN = "VACUUM (FULL) statement, consultation"


def vacuum(database_url: str) -> None:
    """Visibility map and statistics for the freshly loaded tables (outside a transaction)."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(_REWRITTEN))
            connection.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def sample_ids(database_url: str) -> dict[str, int]:
    """Ids that page paths refer to (``{proposal}``, ``{project}``) and who signs in."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return sample_ids_in(connection)
    finally:
        engine.dispose()


def sample_ids_in(connection) -> dict[str, int]:
    """``sample_ids`` on an open connection (the render-budget test's own transaction)."""
    ids = {}
    tables = set(inspect(connection).get_table_names())
    picks = {
        "proposal": "SELECT min(id) FROM proposal WHERE status = 'published'",
        "project": "SELECT min(id) FROM project WHERE status IN ('recruiting', 'active')",
        "resident": "SELECT min(id) FROM user_account WHERE role = 'resident' "
                    "AND status = 'active'",
        "staff": "SELECT min(id) FROM user_account WHERE role = 'staff' AND status = 'active'",
        # 市民予算: the demo's process open for voting and its first project.
        "budget": "SELECT min(id) FROM budget_process WHERE phase = 'voting'",
        "budget_project": "SELECT min(p.id) FROM budget_project p JOIN budget_process b "
                          "ON b.id = p.process_id WHERE b.phase = 'voting' "
                          "AND p.feasibility = 'feasible'",
        "consultation": "SELECT min(id) FROM consultation WHERE status = 'open'",
        "statement": "SELECT min(id) FROM statement WHERE status = 'published'",
        # The demo's open survey and its first question (the survey answer POST).
        "survey": "SELECT min(id) FROM survey WHERE status = 'published' AND is_poll = false",
        "survey_question": "SELECT min(id) FROM survey_question WHERE survey_id = "
                           "(SELECT min(id) FROM survey WHERE status = 'published' "
                           "AND is_poll = false)",
    }
    for key, query in picks.items():
        table = query.split(" FROM ")[1].split()[0]
        if table in tables:
            found = connection.scalar(text(query))
            if found is not None:
                ids[key] = found
    return ids


def post_credentials(database_url: str, user_id: int | None = None) -> tuple[str, str]:
    """A session cookie and its CSRF token, as a browser holds them after opening a form.

    Built with the app's own session serializer and Flask-WTF, signed with the
    server's secret, so the server accepts them exactly like a real browser's.
    """
    return signed_cookie(bench_side_app(database_url), user_id)


def resident_sessions(database_url: str, proposal_id: int, count: int) -> list[tuple[str, str]]:
    """(cookie, CSRF token) for ``count`` active residents who may support ``proposal_id``."""
    from sqlalchemy import select

    from komoro_engage.accounts.models import User
    from komoro_engage.extensions import db
    from komoro_engage.proposals.models import Proposal

    app = bench_side_app(database_url)
    with app.app_context():
        author = db.session.get(Proposal, proposal_id).author_id
        user_ids = [user.id for user in db.session.scalars(select(User).where(
            User.role == "resident", User.status == "active", User.id != author,
        ).order_by(User.id).limit(count))]
    sessions = [signed_cookie(app, user_id) for user_id in user_ids]
    if len(sessions) < count:
        raise RuntimeError(f"only {len(sessions)} residents can support proposal {proposal_id}")
    return sessions


def signed_cookie(app, user_id: int | None) -> tuple[str, str]:
    """(cookie, CSRF token), signed in as ``user_id`` when given.

    A request context of its own each time: Flask-WTF caches the token on ``g``.
    """
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from komoro_engage.accounts.models import User
    from komoro_engage.extensions import db

    with wrk_request_context(app):
        token = generate_csrf()
        if user_id is not None:
            login_user(db.session.get(User, user_id))
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={cookie}", token


def wrk_request_context(app):
    """A request as wrk sends it: from 127.0.0.1 with no User-Agent header.

    Flask-Login's sign-in stores an identifier of the browser's address and agent;
    a session signed in from a different one is marked not fresh and written back
    on every request, which a real browser, signed in where it browses, never sees.
    """
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
    environ.pop("HTTP_USER_AGENT", None)
    return app.request_context(environ)


def bench_side_app(database_url: str, **overrides):
    """The app object in the benchmark's own process: endpoints and credentials, no serving."""
    from komoro_engage import create_app

    return create_app("production", DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY,
                      RATELIMIT_ENABLED=False, **overrides)

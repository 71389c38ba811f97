"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from komoro_engage import create_app
from komoro_engage.extensions import db


@pytest.fixture
def empty_database_url(app, tmp_path):
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"komoro_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def insert_residents(connection, count: int) -> None:
    """Residents 1 to ``count``, with the columns every revision since accounts has."""
    connection.execute(text(
        "INSERT INTO user_account (id, email, nickname, nickname_key, role, status, "
        "session_version, suspended_reason, created_at) VALUES (:id, :email, :name, :name, "
        "'resident', 'active', 1, '', CURRENT_TIMESTAMP)"),
        [{"id": n, "email": f"{n}@example.jp", "name": str(n)} for n in range(1, count + 1)])


# A proposal by resident 1, with the columns every revision since proposals has.
_PROPOSAL = text(
    "INSERT INTO proposal (id, author_id, title, body, kind, status, moderation_note, "
    "hidden_reason, support_count, comment_count, created_at, updated_at, last_activity_at) "
    "VALUES (:id, 1, :title, '本文', 'idea', :status, '', '', 0, 0, CURRENT_TIMESTAMP, "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


@pytest.mark.no_db_rollback
def test_upgrade_to_head_matches_the_models(empty_database_url):
    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], f"models and migrations disagree: {differences}"


@pytest.mark.no_db_rollback
def test_existing_audit_entries_lose_the_words_residents_wrote(empty_database_url):
    """20261203 audit_without_copies: titles and organisers' reasons leave the log, staff
    reasons stay, and the log is append-only again afterwards."""
    from sqlalchemy import select
    from sqlalchemy.exc import DBAPIError

    from komoro_engage.accounts.models import Role, User
    from komoro_engage.core.audit import AuditEntry

    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    with migrated.app_context():
        upgrade(revision="c4a1e7d2b9f0")
        organiser = User(email="o@example.jp", nickname="主催者", nickname_key="主催者")
        staff = User(email="s@example.jp", nickname="職員", nickname_key="職員", role=Role.STAFF)
        db.session.add_all([organiser, staff])
        db.session.flush()
        db.session.add_all([
            AuditEntry(actor_id=organiser.id, action="project.updated", target_type="project",
                       target_id=1, before={"title": "古い題", "capacity": 5},
                       after={"title": "新しい題", "capacity": 6}),
            AuditEntry(actor_id=organiser.id, action="project.cancel", target_type="project",
                       target_id=1, reason="雨のため中止します", after={"status": "cancelled"}),
            AuditEntry(actor_id=staff.id, action="project.cancel", target_type="project",
                       target_id=2, reason="職員の判断"),
        ])
        db.session.commit()
        upgrade()
        rows = db.session.execute(select(AuditEntry.action, AuditEntry.reason,
                                         AuditEntry.before, AuditEntry.after)
                                  .order_by(AuditEntry.id)).all()
        assert [tuple(row) for row in rows] == [
            ("project.updated", "", {"capacity": 5}, {"capacity": 6}),
            ("project.cancel", "", None, {"status": "cancelled"}),
            ("project.cancel", "職員の判断", None, None),
        ]
        db.session.remove()
        with pytest.raises(DBAPIError), db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_entry SET reason = 'x'"))
        db.engine.dispose()


@pytest.mark.no_db_rollback
def test_places_migration_goes_down_and_up_again(empty_database_url):
    """20261203 places (issue 21): the downgrade removes landmarks and every place column,
    and upgrading again rebuilds them."""
    from flask_migrate import downgrade
    from sqlalchemy import inspect

    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    with migrated.app_context():
        upgrade(revision="e5c9b3a7f1d2")
        downgrade(revision="d8a4e6f1c2b7")
        inspector = inspect(db.engine)
        assert "landmark" not in inspector.get_table_names()
        for table in ("proposal", "project", "district"):
            assert "latitude" not in {c["name"] for c in inspector.get_columns(table)}
        upgrade(revision="e5c9b3a7f1d2")
        assert "public_latitude" in {c["name"] for c in inspect(db.engine).get_columns("project")}
        db.engine.dispose()


@pytest.mark.no_db_rollback
def test_staff_find_migration_indexes_proposals_the_public_does_not_see(empty_database_url):
    """20261204 staff_find: proposals that are not public (only public ones were indexed)
    enter the index as "proposal_private", so the staff console's search finds them; the
    downgrade takes them out again."""
    from flask_migrate import downgrade

    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    with migrated.app_context():
        upgrade(revision="f1a2b3c4d5e6")
        with db.engine.begin() as connection:
            insert_residents(connection, 1)
            connection.execute(_PROPOSAL, [
                {"id": n, "title": f"除雪{n}", "status": status}
                for n, status in enumerate(("pending", "hidden", "published"), start=1)])
        upgrade()
        query = text("SELECT DISTINCT item_id FROM search_gram WHERE kind = 'proposal_private' "
                     "AND gram = '除雪' ORDER BY item_id")
        with db.engine.connect() as connection:
            assert connection.execute(query).scalars().all() == [1, 2]
        downgrade(revision="f1a2b3c4d5e6")
        with db.engine.connect() as connection:
            assert connection.execute(query).scalars().all() == []
        db.engine.dispose()


_VOTE = text("INSERT INTO statement_vote (statement_id, user_id, consultation_id, value, "
             "created_at, updated_at) VALUES (:statement, :user, 1, :value, "
             "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


def _votes_before_the_counts(connection) -> None:
    """A consultation with two statements and four votes of three residents."""
    insert_residents(connection, 3)
    connection.execute(text(
        "INSERT INTO consultation (id, title, description, status, opens_at, "
        "closes_at, created_at, updated_at) VALUES (1, '駅前', '', 'open', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    connection.execute(text(
        "INSERT INTO statement (id, consultation_id, text, status, hidden_by_reports, "
        "is_seed, is_proxy, proxy_source, vote_count, created_at) VALUES (:id, 1, "
        ":text, 'published', false, false, false, '', :votes, CURRENT_TIMESTAMP)"),
        [{"id": 1, "text": "屋根", "votes": 3}, {"id": 2, "text": "ベンチ", "votes": 1}])
    connection.execute(_VOTE, [
        {"statement": 1, "user": 1, "value": 1}, {"statement": 1, "user": 2, "value": 1},
        {"statement": 1, "user": 3, "value": -1}, {"statement": 2, "user": 1, "value": 0}])


@pytest.mark.no_db_rollback
def test_vote_counts_migration_counts_the_votes_there_are_and_keeps_counting(
        empty_database_url):
    """20261208 vote_counts (issue 16): each statement's 賛成 / 反対 / パス and each
    consultation's votes and participants are counted from the existing votes; its
    triggers count the next ones; the downgrade removes them and upgrading again works."""
    from flask_migrate import downgrade

    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    with migrated.app_context():
        upgrade(revision="d0f2a4b6c8e1")
        with db.engine.begin() as connection:
            _votes_before_the_counts(connection)
        upgrade()
        counts = text("SELECT id, vote_count, agree_count, disagree_count, pass_count "
                      "FROM statement ORDER BY id")
        turnout = text("SELECT vote_count, participant_count FROM consultation")
        with db.engine.begin() as connection:
            assert [tuple(r) for r in connection.execute(counts)] == [(1, 3, 2, 1, 0),
                                                                       (2, 1, 0, 0, 1)]
            assert tuple(connection.execute(turnout).one()) == (4, 3)
            connection.execute(_VOTE, {"statement": 2, "user": 2, "value": -1})
            connection.execute(text("UPDATE statement_vote SET value = 0 "
                                    "WHERE statement_id = 1 AND user_id = 3"))
        with db.engine.connect() as connection:
            assert [tuple(r) for r in connection.execute(counts)] == [(1, 3, 2, 0, 1),
                                                                       (2, 2, 0, 1, 1)]
            assert tuple(connection.execute(turnout).one()) == (5, 3)
        downgrade(revision="d0f2a4b6c8e1")
        upgrade()
        with db.engine.connect() as connection:
            assert tuple(connection.execute(turnout).one()) == (5, 3)
        db.engine.dispose()


def test_the_migrations_have_one_head_and_the_newest_revisions_go_both_ways(tmp_path):
    """One head (two branches' revisions were once both on the answer drafts' one); the
    revisions of issue 22.1 (departments) and 23.4 (organisers' messages) downgrade
    cleanly and upgrade again."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade

    url = f"sqlite:///{tmp_path / 'heads.db'}"
    migrated = create_app("testing", DATABASE_URL=url)
    with migrated.app_context():
        config = migrated.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        assert len(script.get_heads()) == 1
        assert script.get_revision("bef8e71bf4da").down_revision == "b8e2c4f6a9d1"
        upgrade()
        downgrade(revision="d4f6b8c0e2a3")
        upgrade()
        db.engine.dispose()


@pytest.mark.no_db_rollback
def test_thread_numbers_migration_numbers_each_subjects_threads_oldest_first(
        empty_database_url):
    """20261208 comment_thread_numbers (issue 16): each proposal's threads are numbered 1,
    2, 3 … in the order its page showed them (by date, then id); replies take none; the
    downgrade removes the numbers and upgrading again numbers them again."""
    from flask_migrate import downgrade

    migrated = create_app("testing", DATABASE_URL=empty_database_url)
    numbers = text("SELECT id, thread_number FROM comment ORDER BY id")
    expected = [(1, 2), (2, 1), (3, None), (4, 3), (5, 1), (6, 2)]
    with migrated.app_context():
        upgrade(revision="e1a3c5e7f9b2")
        with db.engine.begin() as connection:
            insert_residents(connection, 1)
            connection.execute(_PROPOSAL, [{"id": n, "title": "提案", "status": "published"}
                                           for n in (1, 2)])
            connection.execute(text(
                "INSERT INTO comment (id, proposal_id, author_id, parent_id, body, created_at) "
                "VALUES (:id, :proposal, 1, :parent, '意見', :at)"), [
                    {"id": 1, "proposal": 1, "parent": None, "at": "2026-04-02 09:00:00"},
                    {"id": 2, "proposal": 1, "parent": None, "at": "2026-04-01 09:00:00"},
                    {"id": 3, "proposal": 1, "parent": 2, "at": "2026-04-01 10:00:00"},
                    {"id": 4, "proposal": 1, "parent": None, "at": "2026-04-02 09:00:00"},
                    {"id": 5, "proposal": 2, "parent": None, "at": "2026-04-03 09:00:00"},
                    {"id": 6, "proposal": 2, "parent": None, "at": "2026-04-03 09:00:00"}])
        upgrade()
        with db.engine.connect() as connection:
            assert [tuple(r) for r in connection.execute(numbers)] == expected
        downgrade(revision="e1a3c5e7f9b2")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM comment")).scalar() == 6
        upgrade()
        with db.engine.connect() as connection:
            assert [tuple(r) for r in connection.execute(numbers)] == expected
        db.engine.dispose()

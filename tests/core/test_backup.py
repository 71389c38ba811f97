"""``flask komoro backup``: a consistent copy, restorable, even while the site writes.

The database copy alone (``backup_database``); tests/core/test_restore.py covers
the archive with its photos and ``flask komoro restore``.

Runs on the suite's database kind: a SQLite file, or PostgreSQL (pg_dump, then
pg_restore into a fresh database). Each test builds its own migrated, seeded
database so committed writes do not touch the shared test database.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
import unicodedata

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from komoro_engage import create_app
from komoro_engage.accounts.models import User
from komoro_engage.core.audit import AuditEntry
from komoro_engage.core.backup import BackupError, backup_database
from komoro_engage.extensions import db
from tests.live import FreshDatabase, migrate_and_seed

pytestmark = pytest.mark.no_db_rollback


@pytest.fixture
def fresh(tmp_path):
    """An app over a new migrated, seeded database; dropped afterwards."""
    database = FreshDatabase(tmp_path)
    app = create_app("testing", DATABASE_URL=database.url, STORAGE_DIR=str(tmp_path / "up"))
    migrate_and_seed(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    database.drop()


def add_user_with_audit_entry(n: int) -> None:
    """One transaction writing two rows that must travel together."""
    nickname = f"backup-writer-{n}"
    user = User(email=f"writer{n}@example.jp", nickname=nickname,
                nickname_key=unicodedata.normalize("NFKC", nickname).casefold())
    db.session.add(user)
    db.session.flush()
    db.session.add(AuditEntry(action="backup-test.write", target_type="user",
                              target_id=user.id, reason=str(n)))
    db.session.commit()


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: connection.scalar(select(func.count()).select_from(text(f'"{name}"')))
                    for name in inspect(connection).get_table_names()}
    finally:
        engine.dispose()


class Restored:
    """The backup opened again: the SQLite copy itself, or a pg_restore into a new database."""

    def __init__(self, app, backup_path, tmp_path):
        self.database = None
        source = make_url(app.config["DATABASE_URL"])
        if source.get_backend_name() == "sqlite":
            with sqlite3.connect(backup_path) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            self.url = f"sqlite:///{backup_path}"
            return
        self.database = FreshDatabase(tmp_path)
        target = make_url(self.database.url)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--host", target.host,
             "--port", str(target.port or 5432), "--username", target.username,
             "--dbname", target.database, str(backup_path)],
            check=True, capture_output=True, text=True)
        self.url = self.database.url

    def drop(self):
        if self.database:
            self.database.drop()


def test_backup_restores_to_the_same_rows(fresh, tmp_path):
    with fresh.app_context():
        for n in range(3):
            add_user_with_audit_entry(n)
    backup_path = tmp_path / "komoro.tar"

    result = fresh.test_cli_runner().invoke(args=["komoro", "backup", str(backup_path)])

    assert result.exit_code == 0, result.output
    assert "Backed up the" in result.output and str(backup_path) in result.output
    target = FreshDatabase(tmp_path)
    restored = create_app("testing", DATABASE_URL=target.url,
                          STORAGE_DIR=str(tmp_path / "restored"))
    try:
        restore = restored.test_cli_runner().invoke(args=["komoro", "restore", str(backup_path)])
        assert restore.exit_code == 0, restore.output
        counts = row_counts(target.url)
        assert counts == row_counts(fresh.config["DATABASE_URL"])
        assert counts["user_account"] == 3 and counts["ku"] == 68
        assert "alembic_version" in counts  # the copy knows its migration state
    finally:
        target.drop()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_backup_while_the_site_keeps_writing_is_one_committed_state(fresh, tmp_path):
    committed = []
    stop = threading.Event()
    failures = []

    def writer():
        try:
            with fresh.app_context():
                n = 0
                while not stop.is_set() and n < 5000:
                    add_user_with_audit_entry(n)
                    committed.append(n)
                    n += 1
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(repr(error))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while len(committed) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = len(committed)
        with fresh.app_context():
            report = backup_database(fresh.config["DATABASE_URL"], tmp_path / "live.backup")
        after_backup = len(committed)
        while len(committed) < after_backup + 30 and time.monotonic() < deadline:
            time.sleep(0.01)  # the writer was never blocked: it goes on after the backup
    finally:
        stop.set()
        thread.join(timeout=30)
    assert failures == []
    assert len(committed) >= after_backup + 30, "the writer stalled"
    assert report.size_bytes > 0

    restored = Restored(fresh, report.path, tmp_path)
    try:
        engine = create_engine(restored.url)
        with engine.connect() as connection:
            users = dict(connection.execute(text(
                "SELECT id, nickname FROM user_account WHERE nickname LIKE 'backup-writer-%'"
            )).all())
            entries = dict(connection.execute(text(
                "SELECT target_id, reason FROM audit_entry WHERE action = 'backup-test.write'"
            )).all())
        engine.dispose()
    finally:
        restored.drop()
    # every transaction is there whole or not at all
    assert set(users) == set(entries)
    numbers = sorted(int(reason) for reason in entries.values())
    # and the copy is a prefix of the commit order: one moment, nothing skipped
    assert numbers == list(range(len(numbers)))
    assert before <= len(numbers) <= after_backup


def test_backup_never_overwrites_by_accident(fresh, tmp_path):
    existing = tmp_path / "keep.backup"
    existing.write_text("an older backup")

    result = fresh.test_cli_runner().invoke(args=["komoro", "backup", str(existing)])

    assert result.exit_code != 0
    assert "already exists" in result.output and "--force" in result.output
    assert existing.read_text() == "an older backup"
    forced = fresh.test_cli_runner().invoke(args=["komoro", "backup", "--force", str(existing)])
    assert forced.exit_code == 0, forced.output
    assert existing.stat().st_size > len("an older backup")


def test_missing_pg_dump_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no PostgreSQL tools on it
    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*postgresql-client"):
        backup_database("postgresql+psycopg://postgres@127.0.0.1:5432/komoro",
                        tmp_path / "x.dump")
    assert list(tmp_path.iterdir()) == []


def test_in_memory_sqlite_cannot_be_backed_up(tmp_path):
    with pytest.raises(BackupError, match="in-memory"):
        backup_database("sqlite://", tmp_path / "x.db")

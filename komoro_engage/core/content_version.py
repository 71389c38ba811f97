"""A number that moves whenever a commit changes what visitors can see.

Rendered pages for signed-out visitors are kept under this number
(``core/page_cache.py``), so a kept page is never older than the data: the
support that lands, the proposal staff hide and the answer they publish all
move it in their own transaction, and the next visitor gets a fresh page.

How a change is noticed: every INSERT, UPDATE or DELETE SQLAlchemy sends is
looked at (its table only), and the ORM session's commit adds one
``UPDATE content_version`` when any of them touched a table that public pages
show. Tables no public page reads (mail outbox, notifications, audit …) do
not count. Alembic migrations commit without the ORM session and move nothing:
a deployment restarts the servers, which empties their caches anyway.
"""

from __future__ import annotations

import re
import secrets
import threading

from sqlalchemy import BigInteger, Integer, event, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from komoro_engage.core.unpinged_reads import read_one_row
from komoro_engage.extensions import db

# Rows that no page a signed-out visitor can open ever shows.
PRIVATE_TABLES = frozenset({
    "audit_entry", "calendar_token", "email_preference", "notification", "outbox_mail",
    "report", "alembic_version", "content_version",
    "proposal_answer_draft",  # the city's answer before it is published (staff only)
    # Routing to departments and internal notes (staff/handling.py): staff only.
    "department", "department_membership", "proposal_assignment", "internal_note",
    # Who got which newsletter (notifications/newsletters.py): the archive shows no one.
    "newsletter_delivery",
})
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)',
                    re.IGNORECASE)
_pending = threading.local()  # the session commits on the thread that wrote


class ContentVersion(db.Model):
    """One row: the number of commits so far that changed public data."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Row 2 moves only when the plan itself changes (a few times a year): what is built from
# the plan alone is kept until then (``core/fragments.py``). Its value is a random number,
# not a count: a transaction that moved it and rolled back leaves the old value, and the
# next move must not repeat the number the rolled-back data was kept under.
PLAN_ROW = 2
_plan_tables: set[str] = set()


def watch_plan_tables(*tables: str) -> None:
    """The plan's tables (registered by the plan package): writing one moves row 2 too."""
    _plan_tables.update(table.lower() for table in tables)


@event.listens_for(ContentVersion.__table__, "after_create")
def _first_row(table, connection, **_kw) -> None:
    """``create_all`` (the test suite) gets the rows the migrations insert."""
    connection.execute(table.insert().values(id=1, version=0))
    connection.execute(table.insert().values(id=PLAN_ROW, version=0))


_MOVE = "UPDATE content_version SET version = version + 1 WHERE id = 1"
_VERSION_SQL = "SELECT version FROM content_version WHERE id = 1"


def current_version() -> int | None:
    """The number as committed now (one query); None if no row.

    Read on a connection of its own, not in the request's transaction: a kept
    page is served with no transaction at all, and this way costs a tenth of opening and
    committing the ORM session's (14 against 135 µs a request, SQLite). It is safe to
    read before the request's own reads: whatever a page then renders is at least as new
    as the number it is kept under. A caller whose sessions are bound to a connection of
    its own (a test's outer transaction) is answered on that connection, where its writes
    are. The session itself is not asked: making one would cost its commit at the end.
    """
    bind = db.session.session_factory.kw.get("bind") or db.engine
    if isinstance(bind, Connection):
        return bind.exec_driver_sql(_VERSION_SQL).scalar()
    if bind.dialect.name == "postgresql":  # where the pool's ping is a round trip
        row = read_one_row(bind, _VERSION_SQL)
        return row[0] if row else None
    connection = bind.raw_connection()  # SQLite: its pool's ping is a call in this process
    try:
        # One statement outside any transaction: SQLite's connections never begin one on
        # their own (``sqlite_engine.py``).
        cursor = connection.driver_connection.cursor()
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
        cursor.close()
    except Exception:
        connection.invalidate()  # a connection that failed mid-read does not go back as it is
        raise
    finally:
        connection.close()
    return row[0] if row else None


_PLAN_VERSION = select(ContentVersion.version).where(ContentVersion.id == PLAN_ROW)
_MOVE_PLAN = "UPDATE content_version SET version = :value WHERE id = :row"


def plan_version() -> int | None:
    """The plan's version as this request's transaction sees it (one query)."""
    return db.session.connection().execute(_PLAN_VERSION).scalar()


def plan_version_column(_person_id=None):
    """The plan's version as a column of another statement (core/request_facts.py)."""
    return _PLAN_VERSION.scalar_subquery()


def plan_written_uncommitted() -> bool:
    """Whether this transaction wrote a plan table that it has not committed yet: what it
    reads of the plan may still roll back, so nothing built from it may be kept."""
    return getattr(_pending, "plan_changed", False)


def changes_public_data(statement: str) -> bool:
    """Whether a SQL statement writes to a table that public pages read."""
    return _written_table(statement) not in (None, *PRIVATE_TABLES)


def _written_table(statement: str) -> str | None:
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


@event.listens_for(Engine, "before_cursor_execute")
def _note_public_write(_conn, _cursor, statement, *_args) -> None:
    if statement[:1] in "IUDiud ":
        table = _written_table(statement)
        if table is not None and table not in PRIVATE_TABLES:
            _pending.changed = True
            if table in _plan_tables:
                _pending.plan_changed = True


@event.listens_for(Session, "before_commit")
def _move_version(session: Session) -> None:
    """Last statement of the transaction, so the row is locked only until COMMIT."""
    session.flush()
    if getattr(_pending, "changed", False):
        session.connection().exec_driver_sql(_MOVE)
        _pending.changed = False
    if getattr(_pending, "plan_changed", False):
        session.connection().execute(text(_MOVE_PLAN),
                                     {"value": secrets.randbits(62), "row": PLAN_ROW})
        _pending.plan_changed = False


@event.listens_for(Session, "after_transaction_end")
def _forget(_session: Session, transaction) -> None:
    if transaction.parent is None:
        _pending.changed = _pending.plan_changed = False

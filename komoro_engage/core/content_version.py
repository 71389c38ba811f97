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
import threading

from sqlalchemy import BigInteger, Integer, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from komoro_engage.extensions import db

# Rows that no page a signed-out visitor can open ever shows.
PRIVATE_TABLES = frozenset({
    "audit_entry", "calendar_token", "email_preference", "notification", "outbox_mail",
    "report", "alembic_version", "content_version",
})
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)',
                    re.IGNORECASE)
_pending = threading.local()  # the session commits on the thread that wrote


class ContentVersion(db.Model):
    """One row: the number of commits so far that changed public data."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


@event.listens_for(ContentVersion.__table__, "after_create")
def _first_row(table, connection, **_kw) -> None:
    """``create_all`` (the test suite) gets the row the migration inserts."""
    connection.execute(table.insert().values(id=1, version=0))


_MOVE = "UPDATE content_version SET version = version + 1 WHERE id = 1"
_VERSION = select(ContentVersion.version).where(ContentVersion.id == 1)


def current_version() -> int | None:
    """The number as this request's transaction sees it (one query); None if no row."""
    return db.session.connection().execute(_VERSION).scalar()


def changes_public_data(statement: str) -> bool:
    """Whether a SQL statement writes to a table that public pages read."""
    match = _WRITE.match(statement)
    return match is not None and match.group(1).lower() not in PRIVATE_TABLES


@event.listens_for(Engine, "before_cursor_execute")
def _note_public_write(_conn, _cursor, statement, *_args) -> None:
    if statement[:1] in "IUDiud " and changes_public_data(statement):
        _pending.changed = True


@event.listens_for(Session, "before_commit")
def _move_version(session: Session) -> None:
    """Last statement of the transaction, so the row is locked only until COMMIT."""
    session.flush()
    if getattr(_pending, "changed", False):
        session.connection().exec_driver_sql(_MOVE)
        _pending.changed = False


@event.listens_for(Session, "after_transaction_end")
def _forget(_session: Session, transaction) -> None:
    if transaction.parent is None:
        _pending.changed = False

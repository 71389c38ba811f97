"""SQL helpers that differ by database dialect."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from komoro_engage.extensions import db


def insert_or_ignore(table):
    """An INSERT that can take ``.on_conflict_do_nothing`` in the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)

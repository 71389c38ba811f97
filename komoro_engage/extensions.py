"""Unbound extension objects; ``create_app`` binds them to an application."""

from __future__ import annotations

import sqlite3
import warnings

from flask import has_request_context, request
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic create and drop them alike on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _rate_limits_switched_off() -> bool:
    """Honour each app's RATELIMIT_ENABLED: the limiter object is shared by every app
    built in one process (tests build several), but its ``enabled`` flag is not per app."""
    from flask import current_app

    return not current_app.config.get("RATELIMIT_ENABLED", True)

SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection.

    pysqlite also starts transactions on its own terms, which breaks SAVEPOINT;
    we switch that off here and emit BEGIN ourselves in ``_begin_sqlite``.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """A write request takes SQLite's write lock up front (BEGIN IMMEDIATE).

    A deferred transaction that reads first (the signed-in user, the proposal)
    and writes later cannot wait for the lock when another writer committed in
    between: SQLite answers "database is locked" at once, busy_timeout or not.
    Taking the lock at BEGIN makes concurrent writers queue instead.
    """
    if connection.dialect.name == "sqlite":
        write = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# SQLite stores NUMERIC as a double. Plan numbers are declared with at most 14
# significant digits, which a double carries exactly, so the rounding SQLAlchemy
# warns about cannot happen for them.
warnings.filterwarnings(
    "ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal objects natively"
)

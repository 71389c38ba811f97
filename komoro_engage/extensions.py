"""Unbound extension objects; ``create_app`` binds them to an application."""

from __future__ import annotations

import logging

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Imported for their engine events (sqlite_engine.py, postgres_engine.py).
from komoro_engage import postgres_engine, sqlite_engine  # noqa: F401

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
# Through the app's logger, so the operator sees "Rate limit storage unreachable -
# falling back to in-memory storage" (once, when it happens) where the app's warnings go.
limiter.logger = logging.getLogger("komoro_engage.ratelimit")


@limiter.request_filter
def _rate_limits_switched_off() -> bool:
    """Honour each app's RATELIMIT_ENABLED: the limiter object is shared by every app
    built in one process (tests build several), but its ``enabled`` flag is not per app."""
    from flask import current_app

    return not current_app.config.get("RATELIMIT_ENABLED", True)

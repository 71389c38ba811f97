"""Readiness: can this worker serve pages now? The database answers, and Redis when
the rate limits are kept there.

Liveness (``/healthz``) asks nothing of anyone: a worker that answers is alive,
and restarting it would not bring a stopped database back. Readiness
(``/readyz``) is what a load balancer or monitor should act on.
"""

from __future__ import annotations

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from komoro_engage.extensions import db

# Rate-limit storage URIs that are a Redis server (Flask-Limiter / limits syntax).
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "unix://")
TIMEOUT_SECONDS = 2


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", "unreachable", or "not configured"."""
    return {"database": _database(), "redis": _redis()}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))  # a read: no write transaction, no writer's turn
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("readyz: the database did not answer: %s", error)
        return "unreachable"
    return "ok"


def _redis() -> str:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if not uri.startswith(REDIS_SCHEMES):
        return "not configured"
    client = redis.Redis.from_url(uri.replace("redis+unix://", "unix://", 1),
                                  socket_timeout=TIMEOUT_SECONDS,
                                  socket_connect_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as error:
        current_app.logger.warning("readyz: Redis did not answer: %s", error)
        return "unreachable"
    finally:
        client.close()
    return "ok"

"""Keys for Flask-Limiter's per-route limits, and limits counted inside a view."""

from __future__ import annotations

from flask import request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from komoro_engage.extensions import limiter


def rate_limit_key() -> str:
    """Posting limits count per signed-in person (several people may share one address)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


def spend(limit: str, scope: str, key: str) -> bool:
    """Count one use of ``scope`` by ``key`` (e.g. "organisation:12") against ``limit``
    ("20 per day") in the limiter's configured storage, shared by every worker; False
    when the limit is already reached.

    For a view that must answer a refusal next to a form field rather than with the
    429 page a decorator gives, and only after the request proved valid. Flask-Limiter's
    limit used as a context manager does the counting, so switching limits off, the
    in-memory fallback when Redis is down and its errors behave as for every route."""
    try:
        with limiter.shared_limit(limit, scope=scope, key_func=lambda: key):
            return True
    except RateLimitExceeded:
        return False

"""Keys for Flask-Limiter's per-route limits."""

from __future__ import annotations

from flask import request
from flask_login import current_user


def rate_limit_key() -> str:
    """Posting limits count per signed-in person (several people may share one address)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"

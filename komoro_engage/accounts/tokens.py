"""Signed, expiring tokens: the links mailed for verification, password reset, email change
and invitations, and the device cookie of a browser that signed in (``devices.py``).

Each purpose has its own salt, so a token made for one cannot be used for another.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt name, not a secret
CHANGE_EMAIL = "change-email"
INVITE_MEMBER = "invite-member"
KNOWN_DEVICE = "known-device"

MAX_AGE_SECONDS = {
    VERIFY_EMAIL: 3 * 24 * 3600,
    RESET_PASSWORD: 3600,
    CHANGE_EMAIL: 24 * 3600,
    INVITE_MEMBER: 14 * 24 * 3600,
    KNOWN_DEVICE: 365 * 24 * 3600,
}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"komoro.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    """Sign ``payload`` for ``purpose``; it stays valid for that purpose's lifetime."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> Any | None:
    """The payload of a valid, unexpired token made for ``purpose``; else None."""
    try:
        return _serializer(purpose).loads(token, max_age=MAX_AGE_SECONDS[purpose])
    except BadSignature:  # includes SignatureExpired
        return None

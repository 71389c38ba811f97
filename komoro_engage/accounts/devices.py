"""Device cookies: while someone guesses an account's password, its owner still signs in
from a browser that signed in before (OWASP, "Slow Down Online Guessing Attacks with
Device Cookies").

Signing in, or setting a new password by a mailed reset link, gives the browser a signed,
long-lived cookie naming the account and a random device id. The sign-in limits
(``views/sign_in.py``) then tell attempts apart:

- with a valid device cookie for the account typed, an attempt counts against that device
  alone, and a device that keeps failing is locked out by itself;
- without one (a new browser; a forged, expired or another account's cookie), it counts
  against the account's limit for untrusted clients.

So wrong passwords sent from anywhere else lock out untrusted clients only. The counters
are Flask-Limiter's, in its configured storage (Redis in production): every worker sees
the same lockouts.
"""

from __future__ import annotations

import secrets

from flask import Response, after_this_request, current_app, g, request, url_for

from komoro_engage.accounts import services, tokens
from komoro_engage.accounts.models import User

COOKIE_NAME = "komoro_device"
# A browser a household shares stays known for each of its accounts, up to this many.
MAX_ACCOUNTS = 5
_REQUEST_DEVICE = "komoro_known_device"


def trust_this_browser(user: User) -> None:
    """Make this browser a known device of ``user`` when the response goes out.

    The device id is new each time, so a device locked out by its own failures starts
    afresh once its owner has proved who they are (a sign-in, a reset link)."""
    user_id = user.id

    @after_this_request
    def set_device_cookie(response: Response) -> Response:
        others = [entry for entry in _cookie_entries() if entry[0] != user_id]
        entries = [(user_id, secrets.token_urlsafe(16)), *others][:MAX_ACCOUNTS]
        response.set_cookie(
            COOKIE_NAME, tokens.make_token(tokens.KNOWN_DEVICE, entries),
            max_age=tokens.MAX_AGE_SECONDS[tokens.KNOWN_DEVICE],
            # Sent to the sign-in form only: no other request needs it.
            path=url_for("accounts.sign_in"), httponly=True, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response


def known_device_id() -> str | None:
    """This browser's id as a known device of the account whose email was posted; None
    when its cookie is missing, forged, expired or names other accounts only."""
    if _REQUEST_DEVICE not in g:
        setattr(g, _REQUEST_DEVICE, _device_for_posted_account())
    return getattr(g, _REQUEST_DEVICE)


def from_known_device() -> bool:
    """The attempt comes from a known device of the account it is for."""
    return known_device_id() is not None


def from_untrusted_client() -> bool:
    """The attempt comes from anywhere else."""
    return known_device_id() is None


def device_limit_key() -> str:
    """The rate-limit key of a known device (asked only when there is one)."""
    return f"sign-in-device:{known_device_id()}"


def _device_for_posted_account() -> str | None:
    entries = _cookie_entries()
    email = request.form.get("email", "")
    if not entries or not email:
        return None  # no query for a client without a cookie, as every attacker's is
    user = services.user_by_email(email)
    return next((device for user_id, device in entries if user and user_id == user.id), None)


def _cookie_entries() -> list[tuple[int, str]]:
    """The (account id, device id) pairs of this request's device cookie, if it is valid."""
    raw = request.cookies.get(COOKIE_NAME)
    payload = tokens.read_token(tokens.KNOWN_DEVICE, raw) if raw else None
    if not isinstance(payload, list):
        return []
    return [(entry[0], entry[1]) for entry in payload
            if isinstance(entry, list) and len(entry) == 2
            and isinstance(entry[0], int) and isinstance(entry[1], str)]

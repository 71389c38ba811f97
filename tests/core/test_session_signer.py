"""The session cookie's signer is built once per key, and still signs and checks as Flask's."""

from __future__ import annotations

import secrets

from flask import session

from komoro_engage import create_app
from komoro_engage.core.sessions import KeptSignerSessionInterface


def a_key() -> str:
    """A key made here: one written in the repository is one production refuses."""
    return secrets.token_urlsafe(32)


def test_every_request_uses_the_same_signer_until_the_key_changes(app):
    interface = app.session_interface
    assert isinstance(interface, KeptSignerSessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    other = create_app("testing", SECRET_KEY=a_key())
    assert interface.get_signing_serializer(other) is not first
    assert interface.get_signing_serializer(app) is not first  # rebuilt for the old key
    assert interface.get_signing_serializer(app).loads(first.dumps({"a": 1})) == {"a": 1}


def test_a_cookie_signed_with_another_key_is_not_a_session(app):
    """Flask's own check, through the kept signer: a forged session is an empty one."""
    forger = create_app("testing", SECRET_KEY=a_key())
    forged = forger.session_interface.get_signing_serializer(forger).dumps(
        {"_user_id": "1.0", "_fresh": True})
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged, domain="localhost")
    with client:
        client.get("/terms")
        assert "_user_id" not in session


def test_a_key_kept_as_a_fallback_still_reads_the_old_cookies():
    old_key, new_key = a_key(), a_key()
    old = create_app("testing", SECRET_KEY=old_key)
    signed = old.session_interface.get_signing_serializer(old).dumps({"lang": "en"})
    rotated = create_app("testing", SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=[old_key])
    serializer = rotated.session_interface.get_signing_serializer(rotated)
    assert serializer.loads(signed) == {"lang": "en"}

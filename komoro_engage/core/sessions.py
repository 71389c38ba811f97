"""The signed session cookie, as Flask makes it, with its signer built once per key.

Flask builds a new ``URLSafeTimedSerializer`` to read the cookie and another to write
it, on every request, and building one serialises an empty dict to learn that its
serializer gives text (itsdangerous' ``is_text_serializer``): 6 % of a visitor's kept
page. A serializer holds only the keys and settings, never a request's data, so one
serves every request until the keys change.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; ``get_signing_serializer`` answers from the last one built."""

    def __init__(self):
        self._made: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:
            # One tuple assigned at once: a thread sees the old pair or the new one.
            self._made = made = (keys, super().get_signing_serializer(app))
        return made[1]


def init_app(app: Flask) -> None:
    app.session_interface = KeptSignerSessionInterface()

"""Fixtures for account tests: users with real passwords, and signing in through the form."""

from __future__ import annotations

import pytest

from komoro_engage.accounts.passwords import hash_password
from komoro_engage.extensions import db
from tests.factories import make_user

PASSWORD = "komoro-kaze-2026"


@pytest.fixture
def account(app):
    """``account(email=…, **fields)`` commits a user whose password is ``PASSWORD``."""

    def create(**fields):
        with app.app_context():
            user = make_user(**fields)
            user.password_hash = hash_password(fields.pop("password", PASSWORD))
            db.session.commit()
            return user.id, user.email

    return create


@pytest.fixture
def sign_in(app):
    """``sign_in(email, password=PASSWORD, **form)``: a new client signed in through the form."""

    def do(email, password=PASSWORD, client=None, **form):
        client = client or app.test_client()
        response = client.post("/login", data={"email": email, "password": password, **form})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client

    return do


@pytest.fixture
def ctx_free_user(app):
    """``ctx_free_user(**fields)`` commits a user (no password) and returns it, detached."""

    def create(**fields):
        with app.app_context():
            user = make_user(**fields)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return create

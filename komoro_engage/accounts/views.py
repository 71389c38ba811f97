"""Sign-up, sign-in and account pages."""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Resolve the session's "<id>.<session_version>"; a stale version signs the user out."""
    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version):
        return None
    return user

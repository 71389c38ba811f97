"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 copes with more; this keeps hashing time bounded



@cache
def _hasher_for(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults unless configured (tests use cheaper settings)."""
    config = current_app.config
    return _hasher_for(config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536))


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Verified against when the account is unknown, so timing does not reveal it.
    return hasher.hash("komoro-engage-dummy-password")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of most common passwords, lower-cased."""
    text = files("komoro_engage.accounts").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, *, email: str = "", nickname: str = "") -> str | None:
    """Why ``password`` is not acceptable as a new password, or None if it is."""
    if len(password) < MIN_LENGTH:
        return str(_("パスワードは%(n)d文字以上にしてください。", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_("パスワードは%(n)d文字以内にしてください。", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords():
        return str(_(
            "よく使われていて推測されやすいパスワードです。別のものにしてください。"))
    local_part = email.split("@")[0].lower()
    if (local_part and lowered == local_part) or (nickname and lowered == nickname.lower()):
        return str(_("メールアドレスやニックネームと同じパスワードは使えません。"))
    return None


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; spends the same time when there is no hash."""
    try:
        hasher = _hasher()
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters."""
    return _hasher().check_needs_rehash(password_hash)

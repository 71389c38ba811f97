"""Accounts: users, roles, organisations and memberships."""

from komoro_engage.accounts import templating
from komoro_engage.accounts.blueprint import bp

templating.register(bp)

__all__ = ["bp"]

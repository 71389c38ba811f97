"""Accounts: users, roles, organisations and memberships."""

from komoro_engage.accounts.views import bp

__all__ = ["bp"]

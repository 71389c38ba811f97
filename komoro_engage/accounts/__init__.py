"""Accounts: users, roles, organisations and memberships."""

from komoro_engage.accounts import account_views, admin_views, org_views, templating  # noqa: F401 (routes
from komoro_engage.accounts.views import bp

templating.register(bp)

__all__ = ["bp"]

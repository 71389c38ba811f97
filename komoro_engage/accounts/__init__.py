"""Accounts: users, roles, organisations and memberships."""

from komoro_engage.accounts import permissions, services, templating
from komoro_engage.accounts.blueprint import bp
from komoro_engage.core import outbox
from komoro_engage.core.request_facts import register_fact

templating.register(bp)
register_fact(permissions.MANAGES_FACT, permissions.manages_column)  # with the person, on a read
# The sender writes the reset mail, with a fresh link, only if the address has an account.
outbox.register_composer(services.RESET_MAIL, services.compose_password_reset)

__all__ = ["bp"]

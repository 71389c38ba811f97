"""Accounts: users, roles, organisations and memberships."""

from komoro_engage.accounts import services, templating
from komoro_engage.accounts.blueprint import bp
from komoro_engage.core import outbox

templating.register(bp)
# The sender writes the reset mail, with a fresh link, only if the address has an account.
outbox.register_composer(services.RESET_MAIL, services.compose_password_reset)

__all__ = ["bp"]

"""Security tests reuse the account fixtures."""

from tests.accounts.conftest import account, ctx_free_user, sign_in  # noqa: F401 (fixtures)

"""``flask komoro create-user EMAIL --role admin``: create or promote an account."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from komoro_engage.accounts.models import Role
from komoro_engage.accounts.passwords import password_problem
from komoro_engage.accounts.roles import create_or_promote
from komoro_engage.accounts.services import AccountConflict, user_by_email
from komoro_engage.extensions import db


def _read_password(email: str) -> str:
    """The password from a hidden prompt, or the first line of stdin when it is piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.RESIDENT.value,
              show_default=True)
@click.option("--nickname", help="Public nickname for a new account (default: before the @).")
@with_appcontext
def create_user(email: str, role: str, nickname: str | None) -> None:
    """Create the account EMAIL with ROLE, or give an existing account that role.

    A new account needs a password: typed at a hidden prompt, or piped on stdin.
    """
    existing = user_by_email(email)
    password = None
    if existing is None:
        password = _read_password(email)
        problem = password_problem(password, email=email)
        if problem:
            raise click.ClickException(problem)
    try:
        user, created = create_or_promote(email, password, Role(role), nickname)
        db.session.commit()
    except AccountConflict as conflict:
        db.session.rollback()
        raise click.ClickException(f"not created: that {conflict.field} is already taken") \
            from conflict
    verb = "Created" if created else "Updated"
    click.echo(f"{verb} user {user.id} <{user.email}> with role {user.role}.")


COMMANDS = [create_user]

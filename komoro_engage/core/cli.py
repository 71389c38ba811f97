"""The ``flask komoro …`` command group; each feature contributes its commands."""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

komoro_cli = AppGroup("komoro", help="Komoro Engage administration commands.")


def register(app: Flask) -> None:
    from komoro_engage.accounts import cli as accounts_cli
    from komoro_engage.media import cli as media_cli
    from komoro_engage.plan import cli as plan_cli
    from komoro_engage.proposals import demo as proposals_demo

    for module in (plan_cli, accounts_cli, media_cli, proposals_demo):
        for command in module.COMMANDS:
            komoro_cli.add_command(command)
    app.cli.add_command(komoro_cli)
